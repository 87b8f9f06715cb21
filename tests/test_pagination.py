"""Cursor pagination through a real MCP client: the next cursor handed back plainly, and max_pages merging.

Gong keeps its cursor in ``records.cursor`` (sent back as a query parameter for GET, a body field for POST);
Gumloop keeps ``next_cursor`` at the top level.
"""

from __future__ import annotations

from dataclasses import replace

import anyio
import pytest
from gong_mcp.runtime.settings import Settings
from gong_mcp.server import create_server as create_gong
from gumloop_mcp.operations import OPERATIONS as GUMLOOP
from gumloop_mcp.runtime.settings import Settings as GumloopSettings
from gumloop_mcp.server import create_server as create_gumloop
from gumloop_mcp.vendor import VENDOR as GUMLOOP_VENDOR
from mcp import Client
from mcp.types import CallToolResult

from tests.gong_kit import CALLS_BY_POST, LIST_CALLS, SINCE, call, settings, shared_upstream, text, up
from tests.upstream import Reply, Seen, Upstream

__all__ = ["settings", "shared_upstream", "up"]  # fixtures used by name


def gong_pages(seen: Seen) -> Reply:
    """Three pages of calls, chained by ``records.cursor`` (query for GET, body field for POST)."""
    cursor = dict(seen.query).get("cursor") or (seen.json().get("cursor") if seen.body else None)
    pages = {
        None: ([{"id": "1"}, {"id": "2"}], "c2"),
        "c2": ([{"id": "3"}], "c3"),
        "c3": ([{"id": "4"}], None),
    }
    calls, following = pages[cursor]
    records = {"totalRecords": 4, "currentPageSize": len(calls), **({"cursor": following} if following else {})}
    return Reply(200, {"requestId": f"r-{cursor}", "records": records, "calls": calls})


def test_one_page_returns_the_next_cursor_plainly(up: Upstream, settings: Settings) -> None:
    up.route("GET", "/v2/calls", gong_pages)
    result = call(settings, LIST_CALLS, SINCE)
    assert not result.is_error
    assert [c["id"] for c in result.structured_content["calls"]] == ["1", "2"]
    assert 'next_cursor="c2"' in result.content[1].text and 'cursor="c2"' in result.content[1].text
    assert result.meta["io.mcpgen/pagination"] == {"pages_read": 1, "more": True, "next_cursor": "c2"}


@pytest.mark.parametrize(
    ("max_pages", "ids", "more", "cursors"),
    [(5, ["1", "2", "3", "4"], None, [None, "c2", "c3"]), (2, ["1", "2", "3"], "c3", [None, "c2"])],
)
def test_max_pages_follows_cursors_and_merges(
    up: Upstream, settings: Settings, max_pages: int, ids: list[str], more: str | None, cursors: list[str | None]
) -> None:
    up.route("GET", "/v2/calls", gong_pages)
    result = call(settings, LIST_CALLS, {**SINCE, "max_pages": max_pages})
    assert not result.is_error, text(result)
    assert [c["id"] for c in result.structured_content["calls"]] == ids
    assert [dict(s.query).get("cursor") for s in up.seen] == cursors
    assert all(dict(s.query)["fromDateTime"] == SINCE["fromDateTime"] for s in up.seen)
    facts = result.meta["io.mcpgen/pagination"]
    assert facts == {"pages_read": len(cursors), "more": more is not None, "next_cursor": more}
    assert result.structured_content["records"].get("cursor") == more
    assert f"Read {len(cursors)} pages" in result.content[1].text


def test_each_page_read_is_reported_as_progress(up: Upstream, settings: Settings) -> None:
    up.route("GET", "/v2/calls", gong_pages)
    heard: list[tuple[float, float | None, str | None]] = []

    async def listen(progress: float, total: float | None, message: str | None) -> None:
        heard.append((progress, total, message))

    async def go() -> CallToolResult:
        async with Client(create_gong(settings)) as client:
            return await client.call_tool(LIST_CALLS, {**SINCE, "max_pages": 5}, progress_callback=listen)

    result = anyio.run(go)
    assert not result.is_error, text(result)
    assert heard == [(n, 5, f"read page {n} of at most 5") for n in (1, 2, 3)]


def test_without_a_progress_token_nothing_is_sent_and_nothing_breaks(up: Upstream, settings: Settings) -> None:
    up.route("GET", "/v2/calls", gong_pages)
    result = call(settings, LIST_CALLS, {**SINCE, "max_pages": 5})
    assert not result.is_error and result.meta["io.mcpgen/pagination"]["pages_read"] == 3


def test_max_pages_sends_the_cursor_in_a_post_body(up: Upstream, settings: Settings) -> None:
    up.route("POST", "/v2/calls/extensive", gong_pages)
    result = call(settings, CALLS_BY_POST, {"filter": {"callIds": ["1"]}, "max_pages": 3})
    assert not result.is_error, text(result)
    assert [c["id"] for c in result.structured_content["calls"]] == ["1", "2", "3", "4"]
    assert [s.json().get("cursor") for s in up.seen] == [None, "c2", "c3"]
    assert all(s.json()["filter"] == {"callIds": ["1"]} for s in up.seen)


def test_a_failed_later_page_keeps_the_pages_read(up: Upstream, settings: Settings) -> None:
    def flaky(seen: Seen) -> Reply:
        if dict(seen.query).get("cursor") == "c2":
            return Reply(500, {"requestId": "r-500", "errors": ["boom"]})
        return gong_pages(seen)

    up.route("GET", "/v2/calls", flaky)
    result = call(replace(settings, max_retries=0), LIST_CALLS, {**SINCE, "max_pages": 3})
    assert not result.is_error
    assert [c["id"] for c in result.structured_content["calls"]] == ["1", "2"]
    note = result.content[1].text
    assert "Page 2 failed" in note and "boom" in note and 'cursor="c2"' in note


def test_gumloop_keeps_its_cursor_at_the_top_level(up: Upstream) -> None:
    def skills(seen: Seen) -> Reply:
        cursor = dict(seen.query).get("cursor")
        return Reply(200, {"skills": [{"id": cursor or "first"}], "next_cursor": None if cursor else "abc"})

    up.route("GET", "/skills", skills)
    name = next(op.name for op in GUMLOOP.values() if op.method == "GET" and op.path == "/skills")
    env = {"GUMLOOP_BASE_URL": up.url, "GUMLOOP_API_KEY": "gumloop-key-1234"}

    async def go() -> CallToolResult:
        async with Client(create_gumloop(GumloopSettings.from_env(GUMLOOP_VENDOR, env))) as client:
            return await client.call_tool(name, {"max_pages": 10})

    result = anyio.run(go)
    assert not result.is_error, text(result)
    assert result.structured_content["skills"] == [{"id": "first"}, {"id": "abc"}]
    assert "next_cursor" not in result.structured_content
    assert result.meta["io.mcpgen/pagination"] == {"pages_read": 2, "more": False, "next_cursor": None}


def test_a_bad_select_is_refused_in_one_line_before_anything_is_sent(up: Upstream, settings: Settings) -> None:
    up.route("GET", "/v2/calls", gong_pages)
    result = call(settings, LIST_CALLS, {**SINCE, "select": "calls[.id"})
    assert result.is_error and not up.seen
    said = text(result).splitlines()[0]
    assert said.startswith("select is not valid JMESPath at character 6") and "calls[⟨here⟩.id" in said


def test_select_narrows_the_answer_and_the_cursor_still_comes_back(up: Upstream, settings: Settings) -> None:
    up.route("GET", "/v2/calls", gong_pages)
    result = call(settings, LIST_CALLS, {**SINCE, "select": "calls[].id"})
    assert not result.is_error and result.content[0].text == '["1","2"]'
    assert 'cursor="c2"' in result.content[1].text
    merged = call(settings, LIST_CALLS, {**SINCE, "select": "length(calls)", "max_pages": 5})
    assert merged.content[0].text == "4" and "Read 3 pages; no more pages." in merged.content[1].text
