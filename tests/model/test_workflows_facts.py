"""Workflow facts from the vendor config: typed fields on the tool, no arguments or text added in the model."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from generator.errors import Report
from generator.model.ir import Server
from generator.runtime.contract import Job

OK = {"200": {"description": "ok"}}
START = {
    "operationId": "startRun",
    "responses": OK,
    "parameters": [{"name": "flow", "in": "query", "schema": {"type": "string"}}],
}
STATUS = {
    "operationId": "getRun",
    "responses": OK,
    "parameters": [{"name": "run_id", "in": "path", "required": True, "schema": {"type": "string"}}],
}
DOCUMENT = {
    "openapi": "3.0.3",
    "info": {"title": "A", "version": "1"},
    "paths": {"/v1/runs": {"post": START}, "/v1/runs/{run_id}": {"get": STATUS}},
}
JOB = {"status": "getRun", "id_field": "run.id", "id_param": "run_id", "state_field": "run.state", "terminal": ["DONE"]}


def test_job_is_a_typed_fact(build_inline: Callable[..., tuple[Server, Report]]) -> None:
    server, report = build_inline(DOCUMENT, jobs={"startRun": JOB}, downloads={"getRun": {"url_field": "url"}})
    assert not report.errors
    start, status = server.tools
    assert start.job == Job("get_single_acme_run_by_id", "run.id", "run_id", "run.state", ("DONE",))
    assert [p.arg for p in start.params] == ["flow"]  # wait and timeout_s are emit's
    assert status.download is not None and status.download.url_field == "url"


def test_unknown_operation_is_an_error(build_inline: Callable[..., tuple[Server, Report]]) -> None:
    _, report = build_inline(DOCUMENT, jobs={"nothing": JOB})
    assert [p.where for p in report.errors] == ["jobs.nothing"]


def test_job_without_id_argument_is_an_error(build_inline: Callable[..., tuple[Server, Report]]) -> None:
    job: dict[str, Any] = {**JOB, "id_param": "missing"}
    server, report = build_inline(DOCUMENT, jobs={"startRun": job})
    assert "no argument 'missing'" in report.errors[0].message
    assert server.tools[0].job is None
