"""The code toolset: ``search_tools``, ``describe_tool`` (with the tool as a Python signature and the shape of its
answer) and ``run_code``, which runs Python that calls the served tools as ``<vendor>.<tool>(**arguments)``.

Each call the code makes is a real tool call: ``GeneratedServer.call_tool``, the path ``call_tool`` of the dynamic
toolset takes, so argument validation, the caller's filters and scopes, rate limits, the daily quota, retries,
metrics and the audit row are those of a direct call; each is made with a ``ToolContext`` whose origin says it
came from code (the audit marks it so) and carries the code's answer limits. The
sandbox (``sandbox``, which loads pydantic-monty) is imported on the first ``run_code`` only.
"""

from __future__ import annotations

import ast
import json
from dataclasses import replace
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from mcp.server.mcpserver import Context
from mcp.server.mcpserver.exceptions import ToolError
from mcp.server.mcpserver.tools import Tool
from mcp.types import CallToolResult, ToolAnnotations

from ..contract import CODE_IMPORTS, FROM_CODE, META_CODE, SELECT
from ..shaping import answer, results
from . import toolset
from .app import GeneratedServer
from .lazy_tool import Origin, ToolContext
from .signature import signature

if TYPE_CHECKING:
    from .sandbox import Ran

_DYNAMIC = frozenset({"eval", "exec", "compile", "__import__"})  # code from strings would pass the import check
NEXT = "describe_tool(name) shows a tool's Python signature and answer; run_code(code) runs Python that calls it"


def _served(ctx: Context) -> GeneratedServer:
    server = ctx.mcp_server
    if not isinstance(server, GeneratedServer):
        raise ToolError("the meta-tools run only inside a generated server")
    return server


async def search_tools(ctx: Context, query: str, limit: int = 10) -> CallToolResult:
    """Find tools by what they do; offline keyword ranking over names, tags, titles and descriptions."""
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
    vendor = server.name
    schema = dict(data.get("input_schema") or {})
    # The code filters its answers in Python: code mode offers no ``select``.
    schema["properties"] = {k: v for k, v in (schema.get("properties") or {}).items() if k != SELECT}
    data["input_schema"] = schema
    data["python"] = signature(vendor, name, schema)
    data["returns"] = shapes(__name__.split(".")[0]).get(name, "any")
    return results.success(data)


async def run_code(ctx: Context, code: str) -> CallToolResult:
    """Run Python that calls the tools; the last expression's value is the answer, with anything printed."""
    server = _served(ctx)
    refusal = imports_refused(code)
    if refusal:
        return refusal
    from . import sandbox  # the sandbox library loads here, on the first run, never at start-up

    settings = server.dispatcher.settings
    names = [name for name in await toolset.visible_tools(server) if name in server.operations]
    calls = _Calls(server, ctx, settings.code_max_calls, settings.code_max_memory)
    limits = sandbox.SandboxLimits(settings.code_timeout, settings.code_max_memory, settings.code_max_calls + 1000)
    ran = await sandbox.run(code, sandbox.Tools(server.name, names, calls.call), limits)
    return _answer(ran, calls, server.dispatcher.limits, server.dispatcher.vendor.env_prefix)


class _Calls:
    """The tool calls of one run: counted, refused past the limit, each made as a direct call is."""

    def __init__(self, server: GeneratedServer, ctx: Context, most: int, answer_bytes: int) -> None:
        self.server, self.most, self.made, self.over = server, most, 0, False
        # The code's calls: their answers go to the code, not into the model's context, so they may be as large as
        # the sandbox can hold; run_code applies the context's cap to what the code returns.
        origin = Origin(FROM_CODE, replace(server.dispatcher.limits, max_bytes=answer_bytes))
        self.ctx = ToolContext.of(ctx, origin=origin)

    async def call(self, name: str, arguments: dict[str, Any]) -> Any:
        """One tool call: its parsed answer, or ``RuntimeError`` with the tool error's text."""
        if self.made >= self.most:
            self.over = True
            raise RuntimeError(f"the limit of {self.most} tool calls per run_code is reached")
        self.made += 1
        try:
            result = await self.server.call_tool(name, arguments, self.ctx)
        except ToolError as exc:
            raise RuntimeError(f"{name}: {exc}") from None
        if not isinstance(result, CallToolResult):
            raise RuntimeError(f"{name} asked for input that code cannot give")
        if result.is_error:
            raise RuntimeError(f"{name}: {_text(result)}")
        return parsed(result)


def parsed(result: CallToolResult) -> Any:
    """A tool's answer as data: its structured content, else its JSON text parsed, else the text."""
    if result.structured_content is not None:
        return result.structured_content
    first = next((block.text for block in result.content if block.type == "text"), "")
    try:
        return json.loads(first)  # the answer's JSON; a note (the next page's cursor) may follow it
    except ValueError:
        return _text(result)


def _text(result: CallToolResult) -> str:
    return "\n".join(block.text for block in result.content if block.type == "text")


def _answer(ran: Ran, calls: _Calls, limits: answer.AnswerLimits, prefix: str) -> CallToolResult:
    """The run's tool result: the value (saved to a file when over the result budget) and the printed text."""
    printed = _clipped(ran.printed, limits)
    if calls.over:
        return _limit_error(f"the code tried more than {calls.most} tool calls", "CODE_MAX_CALLS", prefix, printed)
    if ran.error is not None:
        if ran.kind == "time":
            return _limit_error(ran.error, "CODE_TIMEOUT", prefix, printed)
        hint = "fix the code and run it again" if ran.kind in ("code", "syntax") else "run it again, or simplify it"
        if "memory limit exceeded" in ran.error:
            hint = f"keep less in memory (the heap limit is {prefix}_CODE_MAX_MEMORY bytes)"
        return results.error(ran.error, hint=hint, details={"printed": printed} if printed else None)
    try:
        data = plain(ran.value)
    except RecursionError:
        return results.error("the code's answer nests too deeply to send", hint="return flatter data")
    meta = {META_CODE: {"tool_calls": calls.made}}
    shown = data if isinstance(data, dict) else {"result": data}
    return answer.sized(shown, meta, limits, note=f"printed:\n{printed}" if printed else "")


def plain(value: Any) -> Any:
    """The code's value as JSON data: keys as text, tuples and sets as lists, anything else as its text."""
    if isinstance(value, dict):
        return {str(key): plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [plain(item) for item in value]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def _limit_error(message: str, setting: str, prefix: str, printed: str) -> CallToolResult:
    return results.error(
        message,
        hint=f"do less in one run, or raise {prefix}_{setting} on the server",
        details={"limit": setting.lower(), **({"printed": printed} if printed else {})},
    )


def _clipped(printed: str, limits: answer.AnswerLimits) -> str:
    """Printed text within the result budget; the whole of a longer one is saved to a file and linked."""
    body = printed.encode("utf-8")
    if len(body) <= limits.max_bytes // 2:
        return printed
    path = limits.save(body, ".txt", limits.folder)
    head = body[: limits.max_bytes // 4].decode("utf-8", "ignore")
    return f"{head}\n[printed output truncated: {len(body):,} bytes; the whole of it is in {path}]"


def imports_refused(code: str) -> CallToolResult | None:
    """A tool error when the code imports a module outside ``CODE_IMPORTS``, runs code from a string, or is not
    Python at all."""
    flags = ast.PyCF_ONLY_AST | ast.PyCF_ALLOW_TOP_LEVEL_AWAIT
    try:
        tree = compile(code, "run_code.py", "exec", flags=flags, dont_inherit=True)
    except (SyntaxError, ValueError, RecursionError, MemoryError) as exc:
        return results.error(f"the code is not valid Python: {exc}", hint="fix the code and run it again")
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and node.id in _DYNAMIC:
            return results.error(f"{node.id}() is not allowed in run_code", hint="write the code out, not in strings")
        modules = [a.name for a in node.names] if isinstance(node, ast.Import) else []
        if isinstance(node, ast.ImportFrom):
            modules = [("." * node.level) + (node.module or "")]
        refused = [m for m in modules if m.split(".")[0] not in CODE_IMPORTS]
        if refused:
            return results.error(
                f"import of {refused[0]!r} is not allowed in run_code",
                hint=f"the code may import only {', '.join(CODE_IMPORTS)}",
            )
    return None


@cache
def shapes(package: str) -> dict[str, Any]:
    """The package's ``shapes.json`` (each tool's answer shape), read on the first describe ({}: none shipped)."""
    try:
        text = resources.files(package).joinpath("shapes.json").read_text(encoding="utf-8")
    except (FileNotFoundError, ModuleNotFoundError):
        return {}
    found: dict[str, Any] = json.loads(text)
    return found


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
        "value of the last expression is the answer, with anything printed. Imports: "
        f"{', '.join(CODE_IMPORTS)}; no files, network or OS; time, memory and tool calls per run are limited."
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
