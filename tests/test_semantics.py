"""Scopes, read/write hints and filters: what the IR says, and what a real MCP client sees at run time."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import anyio
import pytest
from mcp import Client

from generator.emit.describe import describe
from tests.gong_kit import NO_LIMITS
from tests.upstream import Upstream

GONG = json.loads((Path(__file__).resolve().parents[1] / "openapi/gong.json").read_text(encoding="utf-8"))
POST_READS = [
    "/v2/calls/extensive", "/v2/calls/transcript", "/v2/users/extensive", "/v2/stats/interaction",
    "/v2/stats/activity/scorecards", "/v2/stats/activity/day-by-day", "/v2/stats/activity/aggregate",
    "/v2/stats/activity/aggregate-by-period", "/v2/tasks", "/v2/calls/users-access", "/v2/flows/prospects",
    "/v2/flows/steps",
]  # fmt: skip


def test_every_gong_operation_that_states_a_scope_carries_it(gong_tools: dict[tuple[str, str], Any]) -> None:
    tools = gong_tools
    stated = {}
    for path, item in GONG["paths"].items():
        for method, op in item.items():
            found = re.findall(r"'(api:[a-z0-9:-]+)'", op.get("description", ""))
            if found:
                stated[(method.upper(), path)] = found[0]
    assert len(stated) == 63
    for key, scope in stated.items():
        assert scope in tools[key].scopes, key
    assert tools[("POST", "/v2/calls/extensive")].scopes == ("api:calls:read:extensive",)
    assert tools[("POST", "/v2/calls/extensive")].conditional_scopes == ("api:calls:read:media-url",)
    assert "Scopes: api:calls:read:basic." in describe(tools[("GET", "/v2/calls")], "GONG", ())


@pytest.mark.parametrize("path", POST_READS)
def test_gong_reads_by_post_are_read_only(path: str, gong_tools: dict[tuple[str, str], Any]) -> None:
    hints = gong_tools[("POST", path)].hints
    assert (hints.read_only, hints.destructive, hints.idempotent) == (True, False, True)


def test_write_and_destructive_hints(gong_tools: dict[tuple[str, str], Any]) -> None:
    tools = gong_tools
    assert tools[("POST", "/v2/data-privacy/erase-data-for-email-address")].hints.destructive
    assert tools[("POST", "/v2/data-privacy/erase-data-for-phone-number")].hints.destructive
    assert tools[("DELETE", "/v2/meetings/{meetingId}")].hints.destructive
    create = tools[("POST", "/v2/calls")].hints
    assert (create.read_only, create.destructive, create.idempotent) == (False, False, False)
    assert tools[("GET", "/v2/calls")].hints.read_only
    assert all(t.hints.open_world and t.hints.title for t in tools.values())


def test_credit_tools_say_so(gong_tools: dict[tuple[str, str], Any]) -> None:
    tools = gong_tools
    for path in ("/v2/entities/ask-entity", "/v2/entities/get-brief"):
        assert tools[("GET", path)].credits
        assert "paid vendor credits" in describe(tools[("GET", path)], "GONG", ())


def _settings(base_url: str, **extra: str) -> Any:
    from gong_mcp.runtime.settings import Settings
    from gong_mcp.vendor import VENDOR

    env = {"GONG_BASE_URL": base_url, "GONG_ACCESS_KEY": "key", "GONG_ACCESS_KEY_SECRET": "secret"}
    env |= NO_LIMITS | extra
    return Settings.from_env(VENDOR, env)


def _session(settings: Any, body: Any) -> Any:
    from gong_mcp.server import create_server

    async def go() -> Any:
        async with Client(create_server(settings)) as client:
            return await body(client)

    return anyio.run(go)


def test_listed_tools_carry_scopes_hints_and_meta() -> None:
    async def body(client: Client) -> Any:
        return {t.name: t for t in (await client.list_tools()).tools}

    tools = _session(_settings("http://127.0.0.1:9"), body)
    calls = tools["list_all_gong_calls"]
    assert calls.meta["io.mcpgen/operation"]["scopes"] == ["api:calls:read:basic"]
    assert calls.annotations.read_only_hint is True
    extensive = tools["create_a_gong_calls_extensive"]
    assert extensive.annotations.read_only_hint is True and extensive.annotations.destructive_hint is False


def test_scope_gating_hides_tools_and_a_hidden_tool_is_unknown() -> None:
    with Upstream() as up:

        async def body(client: Client) -> Any:
            names = {t.name for t in (await client.list_tools()).tools}
            hidden = await client.call_tool("get_single_gong_user_by_id", {"id": "7"})
            shown = await client.call_tool("get_single_gong_call_by_id", {"id": "7"})
            return names, hidden, shown

        names, hidden, shown = _session(_settings(up.url, GONG_SCOPES="api:calls:read:basic"), body)
        assert "get_single_gong_call_by_id" in names
        assert "get_single_gong_user_by_id" not in names
        assert "list_all_gong_all_permission_profiles" in names  # states no scope
        assert hidden.is_error and hidden.content[0].text == "Unknown tool: get_single_gong_user_by_id"
        assert not shown.is_error
        assert [s.path for s in up.seen] == ["/v2/calls/7"]


def test_read_only_server_cannot_call_a_write_tool() -> None:
    with Upstream() as up:

        async def body(client: Client) -> Any:
            tools = (await client.list_tools()).tools
            write = await client.call_tool("delete_a_gong_meeting_by_id", {"meetingId": "1"})
            return tools, write

        tools, write = _session(_settings(up.url, GONG_METHODS="read"), body)
        names = {t.name for t in tools}
        assert names and all(t.annotations and t.annotations.read_only_hint for t in tools)
        assert {"create_a_gong_calls_extensive", "create_a_gong_calls_transcript"} <= names  # reads sent by POST
        assert write.is_error
        assert up.seen == []


def test_tag_and_name_filters() -> None:
    async def body(client: Client) -> Any:
        return {t.name for t in (await client.list_tools()).tools}

    calls_only = _session(_settings("http://127.0.0.1:9", GONG_TAGS="Calls"), body)
    assert "list_all_gong_calls" in calls_only and "list_all_gong_users" not in calls_only
    custom = _session(_settings("http://127.0.0.1:9", GONG_METHODS="custom"), body)
    assert "create_a_gong_data_privacy_erase_data_for_email_address" in custom  # an action by POST that destroys
    assert "create_a_gong_calls_extensive" not in custom and "list_all_gong_calls" not in custom  # reads
    excluded = _session(_settings("http://127.0.0.1:9", GONG_EXCLUDE_TOOLS="list_all_gong_calls"), body)
    assert "list_all_gong_calls" not in excluded and len(excluded) == 66


def test_missing_credentials_is_a_tool_error_naming_the_variables() -> None:
    from gong_mcp.runtime.settings import Settings
    from gong_mcp.vendor import VENDOR

    async def body(client: Client) -> Any:
        return await client.call_tool("get_single_gong_call_by_id", {"id": "1"})

    result = _session(Settings.from_env(VENDOR, {"GONG_BASE_URL": "http://127.0.0.1:9"}), body)
    assert result.is_error
    assert "GONG_ACCESS_KEY + GONG_ACCESS_KEY_SECRET or GONG_ACCESS_TOKEN" in result.content[0].text


def test_basic_and_bearer_auth_reach_the_upstream() -> None:
    from gong_mcp.runtime.settings import Settings
    from gong_mcp.vendor import VENDOR

    async def body(client: Client) -> Any:
        return await client.call_tool("get_single_gong_call_by_id", {"id": "1"})

    with Upstream() as up:
        _session(_settings(up.url), body)
        bearer = Settings.from_env(VENDOR, {"GONG_BASE_URL": up.url, "GONG_ACCESS_TOKEN": "tok"})
        _session(bearer, body)
        assert up.seen[0].headers["Authorization"] == "Basic a2V5OnNlY3JldA=="
        assert up.seen[1].headers["Authorization"] == "Bearer tok"


def test_gumloop_key_user_header_and_default_user_id() -> None:
    from gumloop_mcp.operations import OPERATIONS
    from gumloop_mcp.runtime.settings import Settings
    from gumloop_mcp.server import create_server
    from gumloop_mcp.vendor import VENDOR

    with Upstream() as up:
        settings = Settings.from_env(
            VENDOR, {"GUMLOOP_BASE_URL": up.url, "GUMLOOP_API_KEY": "gk", "GUMLOOP_USER_ID": "user-9"}
        )

        async def go() -> Any:
            async with Client(create_server(settings)) as client:
                return await client.call_tool("list_all_gumloop_flows", {})

        result = anyio.run(go)
        assert not result.is_error, result.content
        seen = up.seen[0]
        assert seen.path == "/list_saved_items"
        assert ("user_id", "user-9") in seen.query
        assert seen.headers["Authorization"] == "Bearer gk"
        assert seen.headers["x-auth-key"] == "user-9"
    assert OPERATIONS["create_a_gumloop_chat_completion"].server_url == "https://ws.gumloop.com/api/v1"


def test_command_line_filters() -> None:
    import subprocess
    import sys

    command = [sys.executable, "-m", "gong_mcp", "--methods", "read", "--tags", "Calls", "--list-tools"]
    done = subprocess.run(command, check=False, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == [
        "create_a_gong_calls_extensive", "create_a_gong_calls_transcript", "get_single_gong_call_by_id",
        "list_all_gong_calls",
    ]  # fmt: skip
