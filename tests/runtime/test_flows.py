"""Layer 4, flows: jobs, flow inputs, pagination and downloads, each given a fake call function."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import anyio
from mcp.types import CallToolResult

from generator.runtime.contract import META_JOB, META_PAGINATION, Download, FlowInputs, Job, Operation
from generator.runtime.failures import LinkFailed
from generator.runtime.flows import downloads, flow_inputs, jobs, pagination
from generator.runtime.flows.callables import Page, Room
from generator.runtime.shaping import results

from .conftest import text_of

JOB = Job(status_tool="job_status", id_field="job.id", id_arg="job_id", state_field="state", terminal=("done",))
STATUS = Operation("job_status", "GET", "/jobs/{job_id}", read_only=True)


class FakeCall:
    """Answers each call with the next prepared result and records what it was asked."""

    def __init__(self, *answers: CallToolResult) -> None:
        self.answers = list(answers)
        self.asked: list[tuple[str, dict[str, Any]]] = []

    async def __call__(self, op: Operation, args: dict[str, Any]) -> CallToolResult:
        self.asked.append((op.name, args))
        return self.answers.pop(0)


def test_a_job_is_followed_to_its_end_when_asked_to_wait() -> None:
    call = FakeCall(results.success({"state": "running"}), results.success({"state": "done", "out": 1}))
    first = results.success({"job": {"id": "j1"}, "state": "queued"})
    args = {"wait": True, "timeout_s": 5}
    result = anyio.run(jobs.follow, call, STATUS, JOB, args, first, 0.001)
    assert result.structured_content is not None and result.structured_content["state"] == "done"
    assert call.asked == [("job_status", {"job_id": "j1"}), ("job_status", {"job_id": "j1"})]


def test_without_wait_the_start_result_says_how_to_check() -> None:
    first = results.success({"job": {"id": "j1"}, "state": "queued"})
    result = anyio.run(jobs.follow, FakeCall(), STATUS, JOB, {}, first, 0.001)
    assert result.meta is not None and result.meta[META_JOB]["id"] == "j1"
    assert 'call job_status with {"job_id": "j1"}' in text_of(result)


SPEC = FlowInputs("get_inputs", "flow_id", "inputs", "name", "values")
SCHEMA = Operation("get_inputs", "GET", "/inputs", read_only=True)


def test_flow_inputs_are_checked_and_cached() -> None:
    call = FakeCall(results.success({"inputs": [{"name": "a"}, {"name": "b"}]}))
    cache = flow_inputs.InputsCache(60.0)

    async def go() -> tuple[CallToolResult | None, CallToolResult | None]:
        bad = await flow_inputs.check(call, SCHEMA, SPEC, {"flow_id": "f", "values": {"a": 1, "c": 2}}, cache)
        good = await flow_inputs.check(call, SCHEMA, SPEC, {"flow_id": "f", "values": {"a": 1, "b": 2}}, cache)
        return bad, good

    bad, good = anyio.run(go)
    assert (
        bad is not None and bad.is_error and "missing inputs: b" in text_of(bad) and "unknown inputs: c" in text_of(bad)
    )
    assert good is None and len(call.asked) == 1  # the second check used the cache


LISTING = Operation("list_calls", "GET", "/calls", read_only=True, cursor_arg="cursor", next_cursor="next")


ROOM = Room(100_000, lambda data: len(json.dumps(data)))


def sized(data: Any, meta: dict[str, Any], note: str) -> CallToolResult:
    return results.success(data, meta=meta, note=note)


def test_pages_are_followed_and_merged() -> None:
    pages: dict[str | None, dict[str, Any]] = {
        None: {"calls": [1], "next": "c2"},
        "c2": {"calls": [2], "next": "c3"},
        "c3": {"calls": [3]},
    }

    async def read(args: dict[str, Any]) -> Page | CallToolResult:
        return pages[args.get("cursor")], {"ratelimit-remaining": 9}

    result = anyio.run(pagination.collect, read, sized, ROOM, LISTING, {}, 5)
    assert result.structured_content == {"calls": [1, 2, 3]}
    assert result.meta is not None and result.meta[META_PAGINATION]["pages_read"] == 3


def test_a_failed_later_page_keeps_the_earlier_ones() -> None:
    async def read(args: dict[str, Any]) -> Page | CallToolResult:
        if args.get("cursor"):
            return results.error("HTTP 500 from the vendor")
        return {"calls": [1], "next": "c2"}, {}

    result = anyio.run(pagination.collect, read, sized, ROOM, LISTING, {}, 5)
    assert result.structured_content == {"calls": [1], "next": "c2"}
    assert "Page 2 failed" in text_of(result) and 'cursor="c2"' in text_of(result)


def test_a_linked_file_is_fetched_or_its_failure_explained(tmp_path: Path) -> None:
    link = Download(url_field="url", filename_field="name")
    op = Operation("export", "GET", "/export", read_only=True, download=link)
    first = results.success({"url": "https://files.test/x", "name": "r.csv", "rows": 3})
    saved = tmp_path / "abc.csv"
    saved.write_text("a,b\n")

    async def fetched(url: str, media: str, hint: str | None) -> tuple[Path, str]:
        return saved, "text/csv"

    async def expired(url: str, media: str, hint: str | None) -> tuple[Path, str]:
        raise LinkFailed(403)

    ok = anyio.run(downloads.fetch, fetched, op, link, first, 10_000, "ACME")
    assert ok.structured_content is not None and ok.structured_content["saved_to"] == str(saved)
    assert ok.structured_content["rows"] == 3
    failed = anyio.run(downloads.fetch, expired, op, link, first, 10_000, "ACME")
    assert failed.is_error and "HTTP 403" in text_of(failed)
