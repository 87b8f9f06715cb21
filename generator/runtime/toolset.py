"""How tools reach a client: all of them listed (``full``), or three meta-tools that find, describe and call them.

``dynamic`` keeps ``tools/list`` a few kilobytes however large the API: ``search_tools`` ranks the served tools
offline (BM25 over name, tag, title and description), ``describe_tool`` gives one tool's full schema, scopes and
hints, and ``call_tool`` runs it through the very same registered tool, so validation, filters, scope gating
and errors are those of a direct call. Tools that the filters left out are not registered, so they are neither
found nor callable; tools hidden by scope gating are not found, and calling one says which scope it needs.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable
from typing import Any

from mcp.server.mcpserver import Context
from mcp.server.mcpserver.exceptions import ToolError
from mcp.server.mcpserver.tools import Tool
from mcp.server.mcpserver.utilities.context_injection import find_context_parameter
from mcp.server.mcpserver.utilities.func_metadata import func_metadata
from mcp.types import CallToolResult, ToolAnnotations
from mcp.types import Tool as MCPTool

from . import results
from .contract import META_OPERATION

FULL, DYNAMIC = "full", "dynamic"
TOOLSETS = (FULL, DYNAMIC)
_WORD = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+")
_STOP = frozenset("a an and all by for from in is it of on or the this to with".split())
_FIELDS = (("name", 3.0), ("tag", 2.0), ("title", 2.0), ("description", 1.0))


class LazyTool(Tool):
    """A registered tool whose pydantic argument model is built on its first call instead of at start-up.

    The listing never needs that model (the precomputed schema from ``tools.json`` is served), and building one
    per tool is most of a server's start-up time above importing the SDK.
    """

    @classmethod
    def from_catalog(cls, fn: Any, name: str, entry: dict[str, Any]) -> LazyTool:
        """A tool from its function and its ``tools.json`` entry; nothing is validated or built yet."""
        return cls.model_construct(
            fn=fn,
            name=name,
            title=entry.get("title"),
            description=entry["description"],
            parameters=entry["input_schema"],
            fn_metadata=None,
            is_async=True,
            context_kwarg=None,
            resolved_params={},
            resolver_plans={},
            annotations=ToolAnnotations(**entry["annotations"]),
            icons=None,
            meta=entry["meta"],
        )

    @property
    def output_schema(self) -> dict[str, Any] | None:  # type: ignore[override]
        """Generated tools return ``CallToolResult`` themselves: no structured-output schema."""
        return None

    async def run(self, arguments: dict[str, Any], context: Any, convert_result: bool = False) -> Any:
        """Build the argument model once, then run exactly as an eagerly built tool does."""
        if self.fn_metadata is None:
            self.context_kwarg = find_context_parameter(self.fn)
            skip = [self.context_kwarg] if self.context_kwarg else []
            self.fn_metadata = func_metadata(self.fn, skip_names=skip, structured_output=False)
        return await super().run(arguments, context, convert_result)


def tokens(text: str) -> list[str]:
    """Lower-case word stems of a name, a tag or prose: ``listAllGongCalls`` → ``list gong call``."""
    return [_stem(word) for word in (w.lower() for w in _WORD.findall(text or "")) if word not in _STOP]


def _stem(word: str) -> str:
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


class SearchIndex:
    """BM25 over each tool's weighted fields; built once per server, on the first search."""

    def __init__(self, tools: Iterable[MCPTool], k1: float = 1.2, b: float = 0.75) -> None:
        self.tools = {tool.name: tool for tool in tools}
        self.k1, self.b = k1, b
        self.docs = {name: self._document(tool) for name, tool in self.tools.items()}
        self.lengths = {name: sum(doc.values()) for name, doc in self.docs.items()}
        self.average = sum(self.lengths.values()) / max(len(self.docs), 1)
        counts = Counter(term for doc in self.docs.values() for term in doc)
        n = len(self.docs)
        self.idf = {term: math.log(1 + (n - df + 0.5) / (df + 0.5)) for term, df in counts.items()}

    @staticmethod
    def _document(tool: MCPTool) -> Counter[str]:
        fields = {"name": tool.name, "tag": _facts(tool).get("tag", ""), "title": _extra_title(tool)}
        fields["description"] = tool.description or ""
        doc: Counter[str] = Counter()
        for field, weight in _FIELDS:
            for term in tokens(fields[field]):
                doc[term] += weight
        return doc

    def search(self, query: str, limit: int) -> list[tuple[str, float]]:
        """The best ``limit`` tools for the query, best first, ties by name; tools matching nothing are left out."""
        terms = set(tokens(query))
        scored = []
        for name, doc in self.docs.items():
            norm = self.k1 * (1 - self.b + self.b * self.lengths[name] / (self.average or 1))
            score = sum(self.idf[t] * doc[t] * (self.k1 + 1) / (doc[t] + norm) for t in terms if t in doc)
            if score > 0:
                scored.append((name, round(score, 3)))
        return sorted(scored, key=lambda item: (-item[1], item[0]))[: max(1, limit)]


def _title(tool: MCPTool) -> str:
    return tool.title or (tool.annotations.title if tool.annotations else None) or ""


def _extra_title(tool: MCPTool) -> str:
    """The title, unless it only repeats the description's first line (that would count those words twice)."""
    title = _title(tool)
    return "" if title.rstrip(".…") == _summary(tool).rstrip(".…") else title


def _facts(tool: MCPTool) -> dict[str, Any]:
    return dict((tool.meta or {}).get(META_OPERATION) or {})


def _summary(tool: MCPTool) -> str:
    return (tool.description or "").split("\n", 1)[0]


async def visible_tools(server: Any) -> dict[str, MCPTool]:
    """The tools a client may find: registered (so past the filters), not hidden by scopes, not meta-tools."""
    listed = await server.listed_tools()
    return {tool.name: tool for tool in listed if tool.name not in META_NAMES}


async def search_tools(ctx: Context, query: str, limit: int = 10) -> CallToolResult:
    """Find tools by what they do; offline keyword ranking over names, tags, titles and descriptions."""
    server = ctx.mcp_server
    index = getattr(server, "search_index", None)
    if index is None:
        index = server.search_index = SearchIndex((await visible_tools(server)).values())
    found = index.search(query, limit)
    if not found:
        return results.error(
            f"no tool matches {query!r}", hint="try other words: a resource (calls, users) and an action (list, create)"
        )
    rows = []
    for name, score in found:
        tool = index.tools[name]
        hints = tool.annotations.read_only_hint if tool.annotations else None
        rows.append({"name": name, "summary": _summary(tool), "read_only": bool(hints), "score": score})
    next_step = "describe_tool(name) shows a tool's arguments; call_tool(name, arguments) runs it"
    return results.success({"tools": rows, "next": next_step})


async def describe_tool(ctx: Context, name: str) -> CallToolResult:
    """A tool's full description, input schema, OAuth scopes and hints."""
    tool = (await visible_tools(ctx.mcp_server)).get(name)
    if tool is None:
        return _unknown(name)
    facts = _facts(tool)
    annotations = tool.annotations.model_dump(by_alias=True, exclude_none=True) if tool.annotations else {}
    described = {
        "name": tool.name,
        "title": _title(tool),
        "description": tool.description,
        "input_schema": tool.input_schema,
        "scopes": facts.pop("scopes", []),
        "hints": annotations,
        "operation": facts,
    }
    return results.success({key: value for key, value in described.items() if value is not None})


async def call_tool(ctx: Context, name: str, arguments: dict[str, Any] | None = None) -> CallToolResult:
    """Run a tool by name with its arguments, exactly as a direct call would."""
    server = ctx.mcp_server
    if name in META_NAMES or name not in server.operations:
        return _unknown(name)
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


def meta_tools(api_title: str) -> list[Tool]:
    """The three meta-tools of the dynamic toolset, with hand-written lean schemas."""
    tools = []
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
