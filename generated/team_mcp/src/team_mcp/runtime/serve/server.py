"""Building a generated server: register the tools its settings let anyone see, each bound to its operation, and
run a call (``invoke``)."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from importlib import resources
from typing import Any

from mcp.server.caching import CacheHint
from mcp.server.mcpserver import Context
from mcp.server.mcpserver.tools import Tool
from mcp.types import CallToolResult

from ..contract import CODE, DYNAMIC, MAX_PAGES, PAGE_LIMIT, SELECT, SELECT_HELP, TIMEOUT, WAIT, Operation, Vendor
from ..dispatch.dispatcher import Dispatcher
from ..settings import Settings
from ..shaping import results
from ..team.caller import current
from ..visibility import Filters, Sight
from . import connect_prompt, toolset
from .app import GeneratedServer
from .lazy_tool import LazyTool, ToolContext
from .recorder import Recorder

# A client may reuse its tool list this long; with a team the list differs per caller, so it is never shared.
LIST_CACHE = CacheHint(ttl_ms=60_000, scope="private")


async def invoke(ctx: Context, name: str, args: dict[str, Any]) -> CallToolResult:
    """Run the operation behind a tool; generated tool functions call only this. ``ctx`` holds the operation the
    tool was bound to when it was registered, and how the call came (``lazy_tool.ToolContext``)."""
    server = ctx.mcp_server
    op = ctx.operation if isinstance(ctx, ToolContext) else None
    if not isinstance(server, GeneratedServer) or not isinstance(ctx, ToolContext) or op is None:
        return results.error(f"tool {name!r} is not served here")
    if server.team is not None and await server.team.down() is not None:
        return results.error("the server's store is unreachable, so calls cannot be recorded", hint="try again shortly")
    call = server.tool_call(op, current(), ctx.origin, ctx.report_progress)
    result = await server.recorder.run(
        call, server.cutoff.run(server.dispatcher_for(op).call(op, ctx.supplied(args), call))
    )
    return connect_prompt.ask_to_connect(ctx, result)


def load_catalog(package: str | None) -> dict[str, Any]:
    """The precomputed listing (descriptions, input schemas, hints, meta) shipped as ``tools.json``."""
    text = resources.files(package or __name__.split(".")[0]).joinpath("tools.json").read_text(encoding="utf-8")
    catalog: dict[str, Any] = json.loads(text)
    return catalog


def sight_of(vendor: Vendor, settings: Settings) -> Sight:
    """What the server's own settings let anyone see: its filters and its token's scopes."""
    filters = Filters(settings.methods, settings.tags, settings.include, settings.exclude)
    return Sight((filters,), held=settings.scopes, vendor=vendor.name)


def meta_tools(vendor: Vendor, chosen: str) -> tuple[list[Tool], frozenset[str]]:
    """The toolset's meta-tools (none in ``full``) and their names."""
    if chosen == DYNAMIC:
        return toolset.meta_tools(vendor.title), toolset.META_NAMES
    if chosen == CODE:
        from . import code  # only a code-mode server reads it; the sandbox library loads on the first run

        return code.code_tools(vendor.name, vendor.title), code.CODE_NAMES
    return [], toolset.META_NAMES


# The server's own arguments, described here once rather than on every tool that has them (the listing's diet).
OWN_ARGUMENTS = (
    f"Tools that page take `{MAX_PAGES}` (1-{PAGE_LIMIT}): follow the next-page cursor and merge that many pages into "
    f"one answer, stopping on a page boundary under the size cap. Tools that start a job take `{WAIT}` (follow the job "
    f"until it ends) and `{TIMEOUT}` (stop waiting after this many seconds; the job goes on)."
)


def instructions(subject: str, chosen: str) -> str:
    """What the server tells a client once: whose tools these are (``subject``), the scopes, the server's own
    arguments, and (except to code, which filters in Python) ``select``."""
    said = f"Tools for {subject}. Each tool's description lists the OAuth scopes it needs. {OWN_ARGUMENTS}"
    return said if chosen == CODE else f"{said} Every tool with a JSON answer takes `{SELECT}`: {SELECT_HELP}"


def build_server(
    vendor: Vendor,
    operations: Mapping[str, Operation],
    functions: Sequence[Callable[..., Any]],
    catalog: dict[str, Any],
    settings: Settings,
    **server_kwargs: Any,
) -> GeneratedServer:
    """Register every tool the server's settings let anyone see, bound to its operation, with its precomputed
    schema, hints and meta."""
    sight = sight_of(vendor, settings)
    tools: list[Tool] = []
    for fn in functions:
        op = operations[fn.__name__]
        if sight.allows(op):
            tools.append(LazyTool.from_catalog(fn, op, catalog[op.name]))
    served = {t.name: operations[t.name] for t in tools}
    meta, meta_names = meta_tools(vendor, settings.toolset)
    tools += meta
    dispatcher = Dispatcher(vendor, settings, operations=operations)
    recorder = Recorder(json_log=settings.log_format == "json")
    return GeneratedServer(
        name=vendor.name,
        title=f"{vendor.title} MCP server",
        version=vendor.version,
        instructions=instructions(f"the {vendor.title} API", settings.toolset),
        tools=tools,
        dispatcher=dispatcher,
        operations=served,
        sight=sight,
        toolset=settings.toolset,
        meta_names=meta_names,
        recorder=recorder,
        cache_hints={"tools/list": LIST_CACHE},
        **server_kwargs,
    )
