"""Layer 6, serve: the adapter over the MCP SDK's internals, and a server built from a catalog."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal
from unittest.mock import ANY

import anyio
import httpx2
from mcp import Client
from mcp.server.mcpserver import Context
from mcp.server.mcpserver.tools import Tool
from mcp.server.mcpserver.utilities.func_metadata import FuncMetadata, func_metadata
from mcp.types import CallToolResult
from mcp.types import Tool as MCPTool

from generator.runtime.contract import Operation, Vendor
from generator.runtime.serve import lazy_tool
from generator.runtime.serve.search import SearchIndex
from generator.runtime.serve.server import build_server, invoke
from generator.runtime.settings import Settings
from generator.runtime.shaping import results

ENTRY = {
    "title": "Echo",
    "description": "Echo the number.",
    "input_schema": {"type": "object", "properties": {"n": {"type": "integer"}}, "required": ["n"]},
    "annotations": {"readOnlyHint": True},
}  # no "meta": the tool has no listed facts, so its listing has no ``_meta``


async def echo(ctx: Context, n: int) -> CallToolResult:
    """Echo the number, and the operation the context holds."""
    bound = ctx.operation.name if isinstance(ctx, lazy_tool.ToolContext) and ctx.operation else None
    return results.success({"n": n, "operation": bound})


def test_the_sdk_tool_still_has_exactly_the_fields_the_adapter_sets() -> None:
    # If this fails, the MCP SDK changed Tool's fields: update LazyTool.from_catalog and lazy_tool.FIELDS.
    assert set(Tool.model_fields) == lazy_tool.FIELDS


def test_a_lazy_tool_builds_its_argument_model_on_first_call() -> None:
    # If this fails, the SDK changed Context's private request state, which ToolContext.of copies.
    tool = lazy_tool.LazyTool.from_catalog(echo, Operation("echo", "GET", "/echo"), ENTRY)
    assert tool.fn_metadata is None and tool.parameters == ENTRY["input_schema"] and tool.output_schema is None

    async def go() -> Any:
        async with Client(_server_with(tool)) as client:
            return await client.call_tool("echo", {"n": 3})

    result = anyio.run(go)
    assert not result.is_error and result.structured_content == {"n": 3, "operation": "echo"}
    assert tool.fn_metadata is not None and tool.context_kwarg == "ctx"


async def note(
    ctx: Context, text: str | None = None, kind: Literal["null", "[1]"] | None = None, ids: list[int] | None = None
) -> CallToolResult:
    """Echo what validation made of the arguments, and which the caller gave."""
    given = ctx.supplied({"text": text, "kind": kind, "ids": ids}) if isinstance(ctx, lazy_tool.ToolContext) else {}
    return results.success({"text": text, "kind": kind, "ids": ids, "given": sorted(given)})


def test_the_sdk_pre_parses_json_strings_and_the_adapter_keeps_strings() -> None:
    # If this fails, the SDK changed FuncMetadata (its fields, or pre_parse_json's name or contract): StringsStay
    # overrides pre_parse_json, and LazyTool.run hands ToolContext the names of the arguments given.
    assert set(FuncMetadata.model_fields) == {"arg_model", "output_schema", "output_model", "wrap_output"}
    sdk = func_metadata(note, skip_names=["ctx"], structured_output=False)
    assert sdk.pre_parse_json({"text": "[1]", "ids": "[2]"}) == {"text": [1], "ids": [2]}  # what StringsStay undoes
    kept = lazy_tool.StringsStay.of(sdk).pre_parse_json({"text": "[1]", "kind": "null", "ids": "[2]"})
    assert kept == {"text": "[1]", "kind": "null", "ids": [2]}
    listed = {"type": "object", "properties": {"text": {"type": "string"}, "kind": {}, "ids": {"type": "array"}}}
    entry = {**ENTRY, "title": "Note", "input_schema": listed}
    tool = lazy_tool.LazyTool.from_catalog(note, Operation("note", "POST", "/note"), entry)

    async def go() -> Any:
        async with Client(_server_with(tool)) as client:
            return await client.call_tool("note", {"text": "[1,2,3]", "kind": None})

    result = anyio.run(go)
    assert result.structured_content == {"text": "[1,2,3]", "kind": None, "ids": None, "given": ["kind", "text"]}


def _server_with(tool: Tool) -> Any:
    from mcp.server.mcpserver import MCPServer

    return MCPServer(name="t", tools=[tool])


def test_a_built_server_lists_the_catalog_and_invokes_the_dispatcher(
    make_settings: Callable[..., Settings], vendor: Vendor
) -> None:
    async def get_thing(ctx: Context, n: int) -> CallToolResult:
        return await invoke(ctx, "get_thing", {"n": n})

    ops = {"get_thing": Operation("get_thing", "GET", "/things", read_only=True)}
    server = build_server(vendor, ops, [get_thing], {"get_thing": ENTRY}, make_settings(base_url="http://127.0.0.1:9"))
    server.dispatcher.upstream._transport = httpx2.MockTransport(lambda r: httpx2.Response(200, json={"via": "up"}))

    async def go() -> tuple[Any, Any]:
        async with Client(server) as client:
            return await client.list_tools(), await client.call_tool("get_thing", {"n": 1})

    listed, called = anyio.run(go)
    assert [t.name for t in listed.tools] == ["get_thing"] and listed.tools[0].description == "Echo the number."
    assert listed.tools[0].meta is None
    assert called.structured_content == {"via": "up"}


def test_search_scores_the_tag_from_the_operation_table() -> None:
    def listed(name: str, description: str) -> MCPTool:
        return MCPTool(name=name, description=description, input_schema={"type": "object"})

    tools = [listed("list_logs", "List log entries."), listed("list_calls", "List calls.")]
    ops = {"list_logs": Operation("list_logs", "GET", "/logs", tag="Auditing")}
    assert SearchIndex(tools, ops).search("auditing", 5) == [("list_logs", ANY)]
    assert SearchIndex(tools, {}).search("auditing", 5) == []
