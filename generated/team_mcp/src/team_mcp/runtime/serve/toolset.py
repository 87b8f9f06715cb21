"""How tools reach a client: all of them listed (``full``), or three meta-tools that find, describe and call them.

``dynamic`` keeps ``tools/list`` a few kilobytes however large the API: ``search_tools`` ranks the served tools
offline (``search``), ``describe_tool`` gives one tool's full description and schema, the shape of its answer,
scopes and hints (``described``), and ``call_tool`` runs it through the very same registered tool, so validation,
filters, scope gating and errors are those of a direct call. Tools that the filters left out are not registered, so
they are neither found nor callable; tools hidden by scopes or by the caller's filters are not found, and calling
one gets the answer an unknown tool gets.
"""

from __future__ import annotations

from typing import Any

from mcp.server.mcpserver import Context
from mcp.server.mcpserver.exceptions import ToolError
from mcp.server.mcpserver.tools import Tool
from mcp.types import CallToolResult, ToolAnnotations
from mcp.types import Tool as MCPTool

from ..shaping import results
from ..team.caller import current
from .app import GeneratedServer
from .described import described, details
from .search import SearchIndex, summary


def _served(ctx: Context) -> GeneratedServer:
    server = ctx.mcp_server
    if not isinstance(server, GeneratedServer):
        raise ToolError("the meta-tools run only inside a generated server")
    return server


async def visible_tools(server: GeneratedServer) -> dict[str, MCPTool]:
    """The tools a client may find: registered (so past the filters), not hidden by scopes, not meta-tools."""
    listed = await server.listed_tools()
    return {tool.name: tool for tool in listed if tool.name not in META_NAMES | {RUN_CODE}}


async def search_tools(ctx: Context, query: str, limit: int = 10) -> CallToolResult:
    """Find tools by what they do or answer: keyword ranking of names, descriptions, arguments, answer fields."""
    server = _served(ctx)
    index = server.search_index
    caller = current()
    if caller is not None and caller.filtered:
        index = SearchIndex((await visible_tools(server)).values(), server.operations, details())  # not kept
    elif index is None:
        index = server.search_index = SearchIndex((await visible_tools(server)).values(), server.operations, details())
    found = index.search(query, limit)
    if not found:
        return results.error(
            f"no tool matches {query!r}", hint="try other words: a resource (calls, users) and an action (list, create)"
        )
    rows: list[dict[str, Any]] = []
    for name, score in found:
        tool = index.tools[name]
        hints = tool.annotations.read_only_hint if tool.annotations else None
        rows.append(
            {"name": name, **server.labels(name), "summary": summary(tool), "read_only": bool(hints), "score": score}
        )
    next_step = "describe_tool(name) shows a tool's arguments; call_tool(name, arguments) runs it"
    return results.success({"tools": rows, "next": next_step})


async def describe_tool(ctx: Context, name: str) -> CallToolResult:
    """A tool's full description and input schema, the shape of its answer, its OAuth scopes and hints."""
    server = _served(ctx)
    tool = (await visible_tools(server)).get(name)
    if tool is None:
        return _unknown(name)
    return results.success(described(tool, server.operations[name], details()))


async def call_tool(ctx: Context, name: str, arguments: dict[str, Any] | None = None) -> CallToolResult:
    """Run a tool by name with its arguments, exactly as a direct call would."""
    server = _served(ctx)
    known = name not in META_NAMES | {RUN_CODE} and name in server.operations
    if not known or not server.visible(name, server.sight_of(current())):
        return _unknown(name)  # a hidden tool is an unknown one
    try:
        result = await server.call_tool(name, arguments or {}, ctx)
    except ToolError as exc:
        return results.error(str(exc), hint=f"describe_tool({name!r}) shows the arguments it takes")
    if not isinstance(result, CallToolResult):
        return results.error(f"tool {name!r} asked for input this meta-tool cannot relay", hint="call it directly")
    return result


def _unknown(name: str) -> CallToolResult:
    return results.error(f"no tool named {name!r} is served here", hint="search_tools(query) lists the tools served")


_OBJECT = "object"
META_SCHEMAS: dict[str, dict[str, Any]] = {
    "search_tools": {
        "type": _OBJECT,
        "properties": {
            "query": {"type": "string", "description": "What you want to do, in a few words."},
            "limit": {"type": "integer", "minimum": 1, "maximum": 50, "default": 10},
        },
        "required": ["query"],
    },
    "describe_tool": {"type": _OBJECT, "properties": {"name": {"type": "string"}}, "required": ["name"]},
    "call_tool": {
        "type": _OBJECT,
        "properties": {
            "name": {"type": "string"},
            "arguments": {"type": _OBJECT, "description": "The tool's arguments, as describe_tool shows them."},
        },
        "required": ["name"],
    },
}
META_TOOLS = (search_tools, describe_tool, call_tool)
META_NAMES = frozenset(fn.__name__ for fn in META_TOOLS)
RUN_CODE = "run_code"  # the code toolset's runner (``code.run_code``): a meta-tool, never found or called by name


def meta_tools(api_title: str) -> list[Tool]:
    """The three meta-tools of the dynamic toolset, with hand-written lean schemas."""
    tools: list[Tool] = []
    for fn in META_TOOLS:
        read_only = fn is not call_tool
        hints = ToolAnnotations(read_only_hint=read_only, destructive_hint=False if read_only else None)
        tool = Tool.from_function(
            fn,
            name=fn.__name__,
            description=f"{(fn.__doc__ or '').strip()} ({api_title} API)",
            annotations=hints,
            structured_output=False,
        )
        tool.parameters = META_SCHEMAS[fn.__name__]
        tools.append(tool)
    return tools
