"""Tool modules: one async function per tool, with its signature, argument map and Google-style docstring."""

from __future__ import annotations

import re
import textwrap
from functools import lru_cache
from typing import TypedDict

from generator.emit.arguments import Arg, arguments
from generator.emit.describe import full_text, summary
from generator.emit.escape import docstring, pyrepr
from generator.emit.pytypes import arg_annotation
from generator.model.ir import Tool

WRAP = 100
_REWRITTEN_SPACE = re.compile(r"[\t\x0b\x0c\r]")


class SignatureParamView(TypedDict):
    """One parameter line of a tool function, and the listed name its value is sent under."""

    signature: str
    arg: str
    py_name: str


class FunctionView(TypedDict):
    """One tool function."""

    name: str
    params: list[SignatureParamView]
    docstring: str


class ModuleView(TypedDict):
    """One ``tools/<module>.py``: the tools of one tag."""

    name: str
    tag: str
    functions: list[FunctionView]
    imports: list[str]


def module_views(tools: tuple[Tool, ...], models: frozenset[str]) -> list[ModuleView]:
    """Tool functions grouped by module, each module with exactly the imports it uses."""
    grouped: dict[str, list[Tool]] = {}
    for tool in tools:
        grouped.setdefault(tool.module, []).append(tool)
    views: list[ModuleView] = []
    for name, members in sorted(grouped.items()):
        functions = [function_view(t, models) for t in members]
        code = " ".join(p["signature"] for f in functions for p in f["params"])
        views.append({"name": name, "tag": members[0].tag, "functions": functions, "imports": imports(code)})
    return views


def imports(code: str) -> list[str]:
    """Import lines for the names a module's signatures use, sorted as ruff's isort wants them."""
    uses_models = "models." in code
    typing_names = [n for n in ("Annotated", "Any", "Literal") if re.search(rf"\b{n}\b", code)]
    typing_names = ["TYPE_CHECKING", *typing_names] if uses_models else typing_names
    lines = [f"from typing import {', '.join(typing_names)}", ""] if typing_names else []
    lines += ["from mcp.server.mcpserver import Context", "from mcp.types import CallToolResult"]
    if "Field(" in code:
        lines.append("from pydantic import Field")
    lines.append("")
    lines.append("from ..runtime.serve.server import invoke")
    if uses_models:  # imported on the first call that needs it (runtime/serve/lazy_tool.py), not at start-up
        lines += ["", "if TYPE_CHECKING:", "    from .. import models"]
    return [line for i, line in enumerate(lines) if line or (i and lines[i - 1])]


def function_view(tool: Tool, models: frozenset[str]) -> FunctionView:
    """One tool function: signature lines, the argument map and a Google-style docstring."""
    ordered = sorted(arguments(tool), key=lambda a: not a.required)
    return {
        "name": tool.name,
        "params": [param_view(a, models) for a in ordered],
        "docstring": function_doc(tool, ordered),
    }


def param_view(arg: Arg, models: frozenset[str]) -> SignatureParamView:
    """The signature line of one argument; an alias when the Python name differs from the listed one."""
    annotation = arg_annotation(arg, models)
    fixed = arg.default is not None  # a real default (e.g. ``wait: bool = False``) needs no ``| None``
    if not arg.required and not fixed and not annotation.endswith("| None") and annotation != "Any":
        annotation = f"{annotation} | None"
    constraints = [f"validation_alias={pyrepr(arg.name)}"] if arg.py_name != arg.name else []
    if arg.nonempty_items and annotation.startswith("list[str]"):
        annotation = annotation.replace("list[str]", "list[Annotated[str, Field(min_length=1)]]", 1)
    if arg.nonempty:
        constraints.append("min_length=1")
    if constraints:
        annotation = f"Annotated[{annotation}, Field({', '.join(constraints)})]"
    default = "" if arg.required else f" = {pyrepr(arg.default)}"
    return {"signature": f"{arg.py_name}: {annotation}{default}", "arg": arg.name, "py_name": arg.py_name}


def function_doc(tool: Tool, args: list[Arg]) -> str:
    """Summary, the operation, the full description, and one line per argument, indented for a function."""
    first, text = summary(tool), full_text(tool)
    lines = [first or tool.hints.title, "", f"{tool.method} {tool.path}"]
    if text and text != first:
        lines += ["", *_wrap(text)]
    if args:
        lines += ["", "Args:"]
        for arg in args:
            about = arg.description or f"{arg.location} parameter {arg.wire!r}"
            lines += ["    " + line for line in _wrap(f"{arg.py_name}: {about}", indent=4)]
    body = [docstring(line) for line in lines]
    return "\n".join(("    " + line) if i and line else line for i, line in enumerate(body)) + "\n    "


@lru_cache(maxsize=1 << 14)  # a large spec documents the same argument in hundreds of tools
def _wrap(text: str, indent: int = 0) -> tuple[str, ...]:
    out: list[str] = []
    for paragraph in text.split("\n"):
        if _fits(paragraph):
            out.append(paragraph)
        else:
            out += textwrap.wrap(paragraph, WRAP, subsequent_indent=" " * indent, break_long_words=False) or [""]
    return tuple(out)


def _fits(paragraph: str) -> bool:
    """Whether ``textwrap.wrap`` would give back the paragraph unchanged, as one line.

    It would when the paragraph fits the width, has no white space that textwrap rewrites (tabs, vertical tabs,
    form feeds, carriage returns), and does not end in white space (which it drops).
    """
    return len(paragraph) <= WRAP and not paragraph[-1:].isspace() and not _REWRITTEN_SPACE.search(paragraph)
