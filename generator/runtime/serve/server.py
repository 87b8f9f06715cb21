"""Building a generated server: register the selected tools from the catalog, gate by scope, wire ``invoke``."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from importlib import resources
from typing import Any

from mcp.server.caching import CacheHint
from mcp.server.mcpserver import Context
from mcp.server.mcpserver.tools import Tool
from mcp.types import CallToolResult

from ..contract import CODE, DYNAMIC, Operation, Vendor
from ..dispatch.dispatcher import Dispatcher
from ..settings import Settings
from ..shaping import results
from ..team.caller import current
from . import connect_prompt, toolset
from .app import GeneratedServer
from .lazy_tool import LazyTool
from .recorder import Recorder

# A client may reuse its tool list this long; with a team the list differs per caller, so it is never shared.
LIST_CACHE = CacheHint(ttl_ms=60_000, scope="private")


async def invoke(ctx: Context, name: str, args: dict[str, Any]) -> CallToolResult:
    """Run the operation behind a tool; generated tool functions call only this."""
    server = ctx.mcp_server
    if not isinstance(server, GeneratedServer) or name not in server.operations:
        return results.error(f"tool {name!r} is not served here")
    op = server.operations[name]
    if server.team is not None and await server.team.down() is not None:
        return results.error("the server's store is unreachable, so calls cannot be recorded", hint="try again shortly")
    caller = current()
    call = server.dispatcher.call(op, args, progress=ctx.report_progress)
    who, account = (caller.who, caller.account_name) if caller else ("local", None)
    return connect_prompt.ask_to_connect(ctx, await server.recorder.run(op, who, call, account))


def load_catalog(package: str | None) -> dict[str, Any]:
    """The precomputed listing (descriptions, input schemas, hints, meta) shipped as ``tools.json``."""
    text = resources.files(package or __name__.split(".")[0]).joinpath("tools.json").read_text(encoding="utf-8")
    catalog: dict[str, Any] = json.loads(text)
    return catalog


def selected(op: Operation, settings: Settings) -> bool:
    """Whether the method, tag and name filters let a tool be served at all."""
    if settings.methods and op.kind not in settings.methods:
        return False
    if settings.tags and op.tag not in settings.tags:
        return False
    if settings.include and op.name not in settings.include:
        return False
    return op.name not in settings.exclude


def hidden_by_scopes(operations: Mapping[str, Operation], settings: Settings) -> frozenset[str]:
    """Tools that need a scope the token does not hold (none when the scopes are not told)."""
    held = settings.scopes
    return frozenset(op.name for op in operations.values() if held is not None and not set(op.scopes) <= held)


def meta_tools(vendor: Vendor, chosen: str) -> tuple[list[Tool], frozenset[str]]:
    """The toolset's meta-tools (none in ``full``) and their names."""
    if chosen == DYNAMIC:
        return toolset.meta_tools(vendor.title), toolset.META_NAMES
    if chosen == CODE:
        from . import code  # only a code-mode server reads it; the sandbox library loads on the first run

        return code.code_tools(vendor.name, vendor.title), code.CODE_NAMES
    return [], toolset.META_NAMES


def build_server(
    vendor: Vendor,
    operations: Mapping[str, Operation],
    functions: Sequence[Callable[..., Any]],
    catalog: dict[str, Any],
    settings: Settings,
    **server_kwargs: Any,
) -> GeneratedServer:
    """Register every selected tool with its precomputed schema, hints and meta."""
    tools: list[Tool] = []
    for fn in functions:
        op = operations[fn.__name__]
        if selected(op, settings):
            tools.append(LazyTool.from_catalog(fn, op.name, catalog[op.name]))
    served = {t.name: operations[t.name] for t in tools}
    meta, meta_names = meta_tools(vendor, settings.toolset)
    tools += meta
    dispatcher = Dispatcher(vendor, settings, operations=operations)
    recorder = Recorder(json_log=settings.log_format == "json")
    dispatcher.upstream.observers.append(recorder.upstream)
    return GeneratedServer(
        name=vendor.name,
        title=f"{vendor.title} MCP server",
        version=vendor.version,
        instructions=f"Tools for the {vendor.title} API. Each tool's description lists the OAuth scopes it needs.",
        tools=tools,
        dispatcher=dispatcher,
        operations=served,
        hidden=hidden_by_scopes(operations, settings),
        toolset=settings.toolset,
        meta_names=meta_names,
        recorder=recorder,
        cache_hints={"tools/list": LIST_CACHE},
        **server_kwargs,
    )
