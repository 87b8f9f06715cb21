"""The code toolset: ``search_tools``, ``describe_tool`` (with the tool as a Python signature and the shape of its
answer) and ``run_code``, which runs Python that calls the served tools as ``<vendor>.<tool>(**arguments)``.

Each call the code makes is a real tool call: ``GeneratedServer.call_tool``, the path ``call_tool`` of the dynamic
toolset takes, so argument validation, the caller's filters and scopes, rate limits, the daily quota, retries,
metrics and the audit row are those of a direct call; each is made with a ``ToolContext`` whose origin says it
came from code (the audit marks it so) and carries the code's answer limits. The
sandbox (``sandbox``, which loads pydantic-monty) is imported on the first ``run_code`` only.
"""

from __future__ import annotations

import asyncio
import os
import time
from typing import TYPE_CHECKING, Any

from mcp.server.mcpserver import Context
from mcp.server.mcpserver.exceptions import ToolError
from mcp.server.mcpserver.tools import Tool
from mcp.types import CallToolResult, ToolAnnotations

from ..contract import CODE_IMPORTS, META_CODE, SELECT
from ..shaping import answer, results
from ..upstream.pace import PACED, Waited
from . import code_source, toolset
from .app import GeneratedServer
from .inner_calls import InnerCall, RunCalls
from .signature import signature

if TYPE_CHECKING:
    from .sandbox import Ran

NEXT = "describe_tool(name) shows a tool's Python signature and answer; run_code(code) runs Python that calls it"


def _served(ctx: Context) -> GeneratedServer:
    server = ctx.mcp_server
    if not isinstance(server, GeneratedServer):
        raise ToolError("the meta-tools run only inside a generated server")
    return server


async def search_tools(ctx: Context, query: str, limit: int = 10) -> CallToolResult:
    """Find tools by what they do or answer: keyword ranking of names, descriptions, arguments, answer fields."""
    found = await toolset.search_tools(ctx, query, limit)
    if found.is_error:
        return found
    return results.success({**(found.structured_content or {}), "next": NEXT})


async def describe_tool(ctx: Context, name: str) -> CallToolResult:
    """A tool as code calls it: its Python signature, the shape of its answer, its description, scopes and hints."""
    described = await toolset.describe_tool(ctx, name)
    if described.is_error:
        return described
    data = dict(described.structured_content or {})
    server = _served(ctx)
    schema = dict(data.get("input_schema") or {})
    # The code filters its answers in Python: code mode offers no ``select``.
    schema["properties"] = {k: v for k, v in (schema.get("properties") or {}).items() if k != SELECT}
    data["input_schema"] = schema
    data["python"] = signature(server.code_object(name), name, schema, data.get("returns_type") or "any")
    return results.success(data)


async def run_code(ctx: Context, code: str) -> CallToolResult:
    """Run Python that calls the tools; the last expression's value is the answer, printed text apart."""
    server = _served(ctx)
    objects: dict[str, set[str]] = {}
    for name in await toolset.visible_tools(server):
        if name in server.operations:  # one object per vendor: a suite's tools are ``gong.<tool>``, ``gumloop.<tool>``
            objects.setdefault(server.code_object(name), set()).add(name)
    tools = {obj: frozenset(members) for obj, members in objects.items()} or {server.name: frozenset()}
    source = code_source.prepared(code, tools)
    if isinstance(source, CallToolResult):
        return source
    from . import sandbox  # the sandbox library loads here, on the first run, never at start-up

    settings = server.dispatcher.settings
    deadline = time.monotonic() + settings.code_timeout
    calls = RunCalls(server, ctx, settings.code_max_calls, settings.code_max_memory, deadline)
    limits = sandbox.SandboxLimits(
        settings.code_timeout, deadline, settings.code_max_memory, settings.code_max_calls + 1000
    )
    waited = Waited()
    mark = PACED.set(waited)  # the inner calls' waits for send slots are added to it
    try:
        exposed = [sandbox.Tools(obj, members, calls.call) for obj, members in sorted(tools.items())]
        ran = await sandbox.run(source, exposed, limits, _slots(server))
    finally:
        PACED.reset(mark)
        await calls.end()  # nothing the code started outlives its answer
    return _answer(ran, calls, waited.seconds, server)


def _slots(server: GeneratedServer) -> asyncio.Semaphore:
    """The server's sandbox slots: ``CODE_WORKERS`` processes at once (0: one per CPU core), made on the first run."""
    if server.sandbox_slots is None:
        wanted = server.dispatcher.settings.code_workers
        server.sandbox_slots = asyncio.Semaphore(wanted if wanted > 0 else os.cpu_count() or 1)
    return server.sandbox_slots


def _answer(ran: Ran, calls: RunCalls, paced_s: float, server: GeneratedServer) -> CallToolResult:
    """The run's tool result: the value (saved to a file when over the result budget), printed text apart, and the
    calls the code made when they must be known (writes, jobs, cut waits; all of them when the run ended early)."""
    limits, settings = server.dispatcher.limits, server.dispatcher.settings
    prefix = server.dispatcher.vendor.env_prefix
    printed = _clipped(ran.printed, limits)
    waits = _waits(ran.queued_s, paced_s, settings.max_rps, prefix)
    if calls.over:
        return _ended(f"the code tried more than {calls.most} tool calls", "CODE_MAX_CALLS", prefix, printed, calls)
    if ran.error is not None and ran.kind == "time":
        return _ended(f"{ran.error}{waits}", "CODE_TIMEOUT", prefix, printed, calls)
    if ran.error is not None:
        hint = "fix the code and run it again" if ran.kind in ("code", "syntax") else "run it again, or simplify it"
        if "memory limit exceeded" in ran.error:
            hint = f"keep less in memory (the heap limit is {prefix}_CODE_MAX_MEMORY bytes)"
        return _failed(ran.error, hint, {"printed": printed} if printed else {}, calls)
    try:
        data = plain(ran.value)
    except RecursionError:
        return _failed("the code's answer nests too deeply to send", "return flatter data", {}, calls)
    meta = {META_CODE: {"tool_calls": calls.made, **_seconds(queued_s=ran.queued_s, paced_s=paced_s)}}
    notes = [f"printed (not part of the answer):\n{printed}"] if printed else []
    notes += [_calls_said(calls.noted(), calls.server.name)] if calls.noted() else []
    shown = data if isinstance(data, dict) else {"result": data}
    return answer.sized(shown, meta, limits, note="\n\n".join(notes))


def _ended(message: str, setting: str, prefix: str, printed: str, calls: RunCalls) -> CallToolResult:
    """A run stopped at a limit: what stopped it, what to do, what it printed and every call it made."""
    hint = f"do less in one run, or raise {prefix}_{setting} on the server"
    return _failed(message, hint, {"limit": setting.lower(), **({"printed": printed} if printed else {})}, calls)


def _failed(message: str, hint: str, details: dict[str, Any], calls: RunCalls) -> CallToolResult:
    """A run that ended early, with the calls it made and their outcomes (a model must not repeat a write)."""
    shown, more = calls.listed()
    if shown:
        message = f"{message}\n{_calls_said(shown, calls.server.name)}"
        details = {**details, "tool_calls": [entry.as_dict() for entry in shown]}
    if more:
        counted = ", ".join(f"{what} x{count}" for what, count in more.items())
        message = f"{message}\n- and {sum(more.values())} more reads: {counted}"
        details = {**details, "more_reads": more}
    return results.error(message, hint=hint, details=details or None)


def _calls_said(log: list[InnerCall], vendor: str) -> str:
    """The calls in plain language, one a line."""
    lines = "\n".join(f"- {entry.line(vendor)}" for entry in log)
    return f"Tool calls the code made (each was sent; do not repeat a write without checking):\n{lines}"


def _waits(queued_s: float, paced_s: float, rps: float, prefix: str) -> str:
    """How much of a run's time went to waiting, for the message of a run that timed out ("" when none did)."""
    waits = [f"waited {queued_s:.0f} s for a sandbox worker ({prefix}_CODE_WORKERS)"] if queued_s >= 0.5 else []
    waits += [f"waited {paced_s:.0f} s for the {rps:g}/s limit ({prefix}_MAX_RPS)"] if paced_s >= 0.5 else []
    return f"; it {' and '.join(waits)}" if waits else ""


def _seconds(**waits: float) -> dict[str, float]:
    """The waits worth reporting (a tenth of a second or more), rounded."""
    return {name: round(seconds, 1) for name, seconds in waits.items() if seconds >= 0.1}


def plain(value: Any) -> Any:
    """The code's value as JSON data: keys as text, tuples and sets as lists, anything else as its text."""
    if isinstance(value, dict):
        return {str(key): plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [plain(item) for item in value]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def _clipped(printed: str, limits: answer.AnswerLimits) -> str:
    """Printed text within the result budget; the whole of a longer one is saved to a file and linked."""
    body = printed.encode("utf-8")
    if len(body) <= limits.max_bytes // 2:
        return printed
    path = limits.save(body, ".txt", limits.folder)
    head = body[: limits.max_bytes // 4].decode("utf-8", "ignore")
    return f"{head}\n[printed output truncated: {len(body):,} bytes; the whole of it is in {path}]"


RUN_CODE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {"code": {"type": "string", "description": "Python; the last expression's value is the answer."}},
    "required": ["code"],
}
CODE_TOOLS = (search_tools, describe_tool, run_code)
CODE_NAMES = frozenset(fn.__name__ for fn in CODE_TOOLS)


def run_code_description(vendor: str, api_title: str) -> str:
    """What ``run_code`` tells a model: how tools are called, what errors look like, what may be imported."""
    return (
        f"Run Python that calls the {api_title} API's tools and returns only what you need. Each tool is "
        f"`await {vendor}.<tool_name>(**arguments)` and returns the parsed answer (describe_tool shows the "
        "signature and the answer's shape); a tool error raises RuntimeError, which the code may catch. The "
        "value of the last expression is the answer (inside a block too); printed text comes apart. Nothing is "
        f"imported for you: write `import {CODE_IMPORTS[0]}` (or {', '.join(CODE_IMPORTS[1:])}) before using one; "
        "no other module may be imported; no files, network or OS; time, memory and tool calls per run are limited."
    )


def code_tools(vendor: str, api_title: str) -> list[Tool]:
    """The three tools of the code toolset, with hand-written lean schemas."""
    tools: list[Tool] = []
    for fn in CODE_TOOLS:
        read_only = fn is not run_code
        doc = run_code_description(vendor, api_title) if fn is run_code else f"{(fn.__doc__ or '').strip()}"
        tool = Tool.from_function(
            fn,
            name=fn.__name__,
            description=f"{doc} ({api_title} API)",
            annotations=ToolAnnotations(read_only_hint=read_only, destructive_hint=False if read_only else None),
            structured_output=False,
        )
        tool.parameters = RUN_CODE_SCHEMA if fn is run_code else toolset.META_SCHEMAS[fn.__name__]
        tools.append(tool)
    return tools
