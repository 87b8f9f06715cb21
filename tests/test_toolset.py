"""The dynamic toolset: three meta-tools that search, describe and call the served tools, driven by a real client."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any

import anyio
from mcp import Client

from tests.gong_kit import NO_LIMITS
from tests.upstream import Upstream

CREDENTIALS = {"GONG_ACCESS_KEY": "key", "GONG_ACCESS_KEY_SECRET": "secret"}


def _session(env: dict[str, str], body: Callable[[Client], Awaitable[Any]]) -> Any:
    from gong_mcp.runtime.settings import Settings
    from gong_mcp.server import create_server
    from gong_mcp.vendor import VENDOR

    settings = Settings.from_env(VENDOR, {"GONG_BASE_URL": "http://127.0.0.1:9", **CREDENTIALS, **NO_LIMITS, **env})

    async def go() -> Any:
        async with Client(create_server(settings)) as client:
            return await body(client)

    return anyio.run(go)


def _listing_bytes(listing: Any) -> int:
    return len(listing.model_dump_json(by_alias=True, exclude_none=True).encode("utf-8"))


def _data(result: Any) -> Any:
    return json.loads(result.content[0].text)


def test_dynamic_listing_is_three_meta_tools_under_five_percent_of_the_full_list() -> None:
    async def body(client: Client) -> Any:
        return await client.list_tools()

    full = _session({}, body)
    dynamic = _session({"GONG_TOOLSET": "dynamic"}, body)
    assert {t.name for t in dynamic.tools} == {"search_tools", "describe_tool", "call_tool"}
    assert len(full.tools) == 67
    assert _listing_bytes(dynamic) <= 0.05 * _listing_bytes(full)


def test_search_finds_the_calls_listing_first() -> None:
    async def body(client: Client) -> Any:
        return await client.call_tool("search_tools", {"query": "list calls", "limit": 5})

    found = _data(_session({"GONG_TOOLSET": "dynamic"}, body))["tools"]
    assert found[0]["name"] == "list_all_gong_calls"
    assert len(found) == 5 and found[0]["read_only"] is True
    assert [row["score"] for row in found] == sorted((row["score"] for row in found), reverse=True)


def test_search_finds_a_tool_by_its_tag_alone() -> None:
    # "Auditing" is the tag of GET /v2/logs and in no tool's name, title or description; the listing does not
    # carry tags, so the search reads them from the package's operations table.
    async def body(client: Client) -> Any:
        return await client.call_tool("search_tools", {"query": "auditing"})

    found = _data(_session({"GONG_TOOLSET": "dynamic"}, body))["tools"]
    assert [row["name"] for row in found] == ["list_all_gong_logs"]


def test_search_reads_what_a_tool_answers() -> None:
    # Talk time is a field of the extensive call listing's answer (calls[].interaction.speakers[].talkTime), which
    # the listing does not carry: the server reads it from the package's details.json.
    async def body(client: Client) -> Any:
        return await client.call_tool("search_tools", {"query": "talk time of each speaker in a call", "limit": 3})

    found = _data(_session({"GONG_TOOLSET": "dynamic"}, body))["tools"]
    assert "create_a_gong_calls_extensive" in [row["name"] for row in found]


def test_search_with_no_match_says_what_to_try() -> None:
    async def body(client: Client) -> Any:
        return await client.call_tool("search_tools", {"query": "zzqx"})

    result = _session({"GONG_TOOLSET": "dynamic"}, body)
    assert result.is_error and "no tool matches" in result.content[0].text


def test_describe_gives_schema_scopes_and_hints() -> None:
    async def body(client: Client) -> Any:
        return await client.call_tool("describe_tool", {"name": "list_all_gong_calls"})

    described = _data(_session({"GONG_TOOLSET": "dynamic"}, body))
    assert described["scopes"] == ["api:calls:read:basic"]
    assert set(described["input_schema"]["required"]) == {"fromDateTime", "toDateTime"}
    assert described["hints"]["readOnlyHint"] is True
    assert described["operation"] == {"method": "GET", "path": "/v2/calls", "tag": "Calls"}


def test_call_tool_reaches_the_upstream_like_a_direct_call() -> None:
    with Upstream() as up:

        async def body(client: Client) -> Any:
            args = {"fromDateTime": "2024-01-01T00:00:00Z", "toDateTime": "2024-01-02T00:00:00Z"}
            via_meta = await client.call_tool("call_tool", {"name": "list_all_gong_calls", "arguments": args})
            direct = await client.call_tool("list_all_gong_calls", args)
            return via_meta, direct

        via_meta, direct = _session({"GONG_TOOLSET": "dynamic", "GONG_BASE_URL": up.url}, body)
        assert not via_meta.is_error
        assert via_meta.content[0].text == direct.content[0].text
        assert [(s.method, s.path) for s in up.seen] == [("GET", "/v2/calls")] * 2
        assert dict(up.seen[0].query)["toDateTime"] == "2024-01-02T00:00:00Z"


def test_bad_arguments_are_an_error_naming_the_field() -> None:
    with Upstream() as up:

        async def body(client: Client) -> Any:
            args = {"name": "list_all_gong_calls", "arguments": {"fromDateTime": "2024-01-01T00:00:00Z"}}
            return await client.call_tool("call_tool", args)

        result = _session({"GONG_TOOLSET": "dynamic", "GONG_BASE_URL": up.url}, body)
        assert result.is_error
        assert "toDateTime" in result.content[0].text and "describe_tool" in result.content[0].text
        assert up.seen == []


def test_filtered_tools_are_neither_found_nor_callable() -> None:
    with Upstream() as up:

        async def body(client: Client) -> Any:
            found = await client.call_tool("search_tools", {"query": "delete meeting calls", "limit": 50})
            described = await client.call_tool("describe_tool", {"name": "delete_a_gong_meeting_by_id"})
            called = await client.call_tool("call_tool", {"name": "delete_a_gong_meeting_by_id", "arguments": {}})
            return found, described, called

        env = {"GONG_TOOLSET": "dynamic", "GONG_METHODS": "read", "GONG_BASE_URL": up.url}
        found, described, called = _session(env, body)
        rows = _data(found)["tools"]
        assert rows and all(row["read_only"] for row in rows)
        assert described.is_error and called.is_error
        assert "search_tools" in called.content[0].text
        assert up.seen == []


def test_scope_gated_tools_are_not_found_and_calling_one_gets_the_unknown_tool_answer() -> None:
    with Upstream() as up:

        async def body(client: Client) -> Any:
            found = await client.call_tool("search_tools", {"query": "user calls", "limit": 50})
            hidden = {"name": "get_single_gong_user_by_id", "arguments": {"id": "7"}}
            called = await client.call_tool("call_tool", hidden)
            unknown = await client.call_tool("call_tool", {**hidden, "name": "get_single_gong_nothing"})
            direct = await client.call_tool("get_single_gong_user_by_id", {"wrong": "arguments"})
            missing = await client.call_tool("get_single_gong_nothing", {"wrong": "arguments"})
            return found, called, unknown, direct, missing

        env = {"GONG_TOOLSET": "dynamic", "GONG_SCOPES": "api:calls:read:basic", "GONG_BASE_URL": up.url}
        found, called, unknown, direct, missing = _session(env, body)
        assert "get_single_gong_user_by_id" not in {row["name"] for row in _data(found)["tools"]}
        # hidden means unknown: the same words as a name that does not exist, before any argument is validated
        said = called.content[0].text.replace("get_single_gong_user_by_id", "X")
        assert called.is_error and said == unknown.content[0].text.replace("get_single_gong_nothing", "X")
        said = direct.content[0].text.replace("get_single_gong_user_by_id", "X")
        assert direct.is_error and said == missing.content[0].text.replace("get_single_gong_nothing", "X")
        assert up.seen == []


def test_meta_tools_are_not_served_in_the_full_toolset() -> None:
    async def body(client: Client) -> Any:
        return await client.call_tool("search_tools", {"query": "calls"})

    result = _session({}, body)
    assert result.is_error


def test_the_command_line_flag_overrides_the_environment() -> None:
    from gong_mcp.runtime.serve.cli import parse_args
    from gong_mcp.runtime.settings import Settings
    from gong_mcp.vendor import VENDOR

    settings = Settings.from_env(VENDOR, {"GONG_TOOLSET": "full", **CREDENTIALS})
    assert settings.with_args(parse_args("gong-mcp", ["--toolset", "dynamic"])).toolset == "dynamic"
    assert settings.with_args(parse_args("gong-mcp", [])).toolset == "full"
