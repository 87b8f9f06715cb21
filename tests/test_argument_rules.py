"""Issue 30 #5: arguments refused in one line before anything is sent, in every toolset, and a list that finds
nothing (Gong's 404 "No calls found") answered as an empty list with a note.

A real MCP client drives the generated Gong server against a recording upstream on 127.0.0.1: each refusal's exact
text, that the upstream saw no request, and the same refusal through ``call_tool`` (dynamic) and as the
``RuntimeError`` an inner call of ``run_code`` raises (code).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from mcp import Client
from mcp.types import CallToolResult

from tests.code_kit import code_settings, run, session, value
from tests.gong_kit import LIST_CALLS, SINCE, shared_upstream, text, up
from tests.upstream import Reply, Upstream

KNOWN = "Known: cursor, fromDateTime, max_pages, select, toDateTime, workspaceId"
MISSPELLED = f"workspaceID is not an argument of {LIST_CALLS}; did you mean workspaceId? {KNOWN}"
NOT_A_STRING = "argument fromDateTime: got 123 (an integer); it takes a string, at least 1 character"
NOT_GIVEN = "argument toDateTime is required (a string, at least 1 character); it was not given"
__all__ = ["shared_upstream", "up"]  # the shared loopback upstream's fixtures (tests.gong_kit)
NO_CALLS = {"requestId": "r-1", "errors": ["No calls found corresponding to the provided filters"]}


@pytest.fixture
def upstream(up: Upstream) -> Upstream:
    return up


def _calls(settings: Any, calls: list[tuple[str, dict[str, Any]]]) -> list[CallToolResult]:
    async def body(client: Client) -> list[CallToolResult]:
        return [await client.call_tool(name, args) for name, args in calls]

    found: list[CallToolResult] = session(settings, body)
    return found


def _first_line(result: CallToolResult) -> str:
    assert result.is_error, text(result)
    return text(result).split("\n")[0]


def test_a_direct_call_is_refused_by_name_in_one_line_and_nothing_is_sent(upstream: Upstream, tmp_path: Path) -> None:
    settings = code_settings(upstream.url, tmp_path, GONG_TOOLSET="full")
    misspelled, wrong, missing = _calls(
        settings,
        [
            (LIST_CALLS, {**SINCE, "workspaceID": "42"}),
            (LIST_CALLS, {**SINCE, "fromDateTime": 123}),
            (LIST_CALLS, {"fromDateTime": SINCE["fromDateTime"]}),
        ],
    )
    assert text(misspelled) == f"{MISSPELLED}\nWhat to do: call {LIST_CALLS} again with only the known arguments"
    assert misspelled.structured_content and misspelled.structured_content["did_you_mean"] == ["workspaceId"]
    assert text(wrong) == f"{NOT_A_STRING}\nWhat to do: fix fromDateTime and call {LIST_CALLS} again"
    assert text(missing) == f"{NOT_GIVEN}\nWhat to do: give toDateTime and call {LIST_CALLS} again"
    assert all("pydantic" not in text(r) for r in (misspelled, wrong, missing))
    assert upstream.seen == []


def test_call_tool_refuses_the_same_way(upstream: Upstream, tmp_path: Path) -> None:
    settings = code_settings(upstream.url, tmp_path, GONG_TOOLSET="dynamic")
    refused, wrong = _calls(
        settings,
        [
            ("call_tool", {"name": LIST_CALLS, "arguments": {**SINCE, "workspaceID": "42"}}),
            ("call_tool", {"name": LIST_CALLS, "arguments": {**SINCE, "fromDateTime": 123}}),
        ],
    )
    assert _first_line(refused) == MISSPELLED and _first_line(wrong) == NOT_A_STRING
    assert text(wrong).endswith(f"again; describe_tool({LIST_CALLS!r}) shows its arguments")
    assert upstream.seen == []


def test_an_inner_call_of_run_code_raises_the_same_refusal(upstream: Upstream, tmp_path: Path) -> None:
    call = f"await gong.{LIST_CALLS}(**{SINCE!r}, workspaceID='42')"
    code = f"try:\n    {call}\nexcept RuntimeError as e:\n    r = str(e)\nr"
    said = value(run(code_settings(upstream.url, tmp_path), code))["result"]
    assert said.split("\n")[0] == f"{LIST_CALLS}: {MISSPELLED}"
    assert upstream.seen == []


def test_a_range_with_no_calls_is_an_empty_list_with_a_note(upstream: Upstream, tmp_path: Path) -> None:
    upstream.route("GET", "/v2/calls", Reply(404, NO_CALLS))
    (empty,) = _calls(code_settings(upstream.url, tmp_path, GONG_TOOLSET="full"), [(LIST_CALLS, SINCE)])
    assert not empty.is_error and empty.structured_content == {"calls": [], "records": {}}
    note = empty.content[1].text  # type: ignore[union-attr]
    assert note.startswith('Nothing found: Gong answered HTTP 404 to GET /v2/calls with "No calls found')
    assert len(upstream.seen) == 1


def test_a_day_by_day_loop_needs_no_try(upstream: Upstream, tmp_path: Path) -> None:
    """Day 2 has calls, days 1 and 3 none (Gong answers 404): the loop counts them without catching anything."""

    def by_day(seen: Any) -> Reply:
        day = dict(seen.query)["fromDateTime"][8:10]
        if day != "02":
            return Reply(404, NO_CALLS)
        return Reply(body={"requestId": "r", "records": {"totalRecords": 2}, "calls": [{"id": "1"}, {"id": "2"}]})

    upstream.route("GET", "/v2/calls", by_day)
    code = (
        "counts = []\nfor day in (1, 2, 3):\n"
        f"    page = await gong.{LIST_CALLS}(fromDateTime=f'2024-01-0{{day}}T00:00:00Z', "
        "toDateTime=f'2024-01-0{day}T23:59:59Z')\n"
        "    counts.append((len(page['calls']), page['records'].get('cursor')))\ncounts"
    )
    assert value(run(code_settings(upstream.url, tmp_path), code))["result"] == [[0, None], [2, None], [0, None]]
    assert len(upstream.seen) == 3


def test_a_404_that_says_something_else_stays_an_error(upstream: Upstream, tmp_path: Path) -> None:
    upstream.route("GET", "/v2/calls", Reply(404, "<html>Not Found</html>"))
    (failed,) = _calls(code_settings(upstream.url, tmp_path, GONG_TOOLSET="full"), [(LIST_CALLS, SINCE)])
    assert failed.is_error and "HTTP 404" in text(failed) and "GONG_BASE_URL" in text(failed)
