"""Workflow facts from the vendor config: typed fields on the tool, no arguments or text added in the model."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from pydantic import ValidationError

from generator.errors import Report
from generator.model.config import VendorConfig
from generator.model.ir import Server
from generator.runtime.contract import Job, NothingFound

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


RUNS = {"type": "object", "properties": {"runs": {"type": "array", "items": {"type": "object"}}, "total": {}}}
LIST = {
    "operationId": "listRuns",
    "responses": {
        "200": {"description": "ok", "content": {"application/json": {"schema": RUNS}}},
        "404": {"description": "No runs found for the specified period"},
    },
}
FOUND_NOTHING = {**DOCUMENT, "paths": {**DOCUMENT["paths"], "/v1/runs": {"post": START, "get": LIST}}}


def test_a_read_whose_spec_says_404_finds_nothing_answers_an_empty_list(
    build_inline: Callable[..., tuple[Server, Report]],
) -> None:
    server, report = build_inline(FOUND_NOTHING)
    by_id = {t.operation_id: t for t in server.tools}
    assert not report.errors and by_id["listRuns"].nothing_found == NothingFound(list_field="runs")
    assert by_id["getRun"].nothing_found is None and by_id["startRun"].nothing_found is None


def test_the_config_states_nothing_found_and_a_bad_message_is_one_line(
    build_inline: Callable[..., tuple[Server, Report]],
) -> None:
    server, _ = build_inline(DOCUMENT, nothing_found={"getRun": {"list_field": "run.items", "message": "^Nope"}})
    assert server.tools[1].nothing_found == NothingFound("run.items", 404, "^Nope")
    _, report = build_inline(DOCUMENT, nothing_found={"nothing": {}})
    assert [p.where for p in report.errors] == ["nothing_found.nothing"]
    with pytest.raises(ValidationError, match="not a regular expression"):
        VendorConfig(name="acme", nothing_found={"getRun": {"message": "(unclosed"}})
