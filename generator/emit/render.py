"""Stage 4, render: IR → ``{relative path: text}`` in memory. Templates only loop and print.

Every spec-derived literal goes through ``pyrepr`` and every docstring through ``docstring``: a spec is
untrusted input, and its text must come out inert.
"""

from __future__ import annotations

import json
import math
import re
import textwrap
from collections.abc import Callable
from importlib import resources
from typing import Any

import jinja2

from generator.emit import listing as lean
from generator.emit import workflow_views
from generator.emit.models import Answer, models_text
from generator.errors import Report
from generator.model.ir import Param, Server, Tool
from generator.runtime.contract import META_OPERATION

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def pyrepr(value: Any) -> str:
    """A Python literal for JSON-like data; the only way spec text enters code."""
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError("non-finite number in spec data")
    if isinstance(value, dict):
        return "{" + ", ".join(f"{pyrepr(k)}: {pyrepr(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(pyrepr(v) for v in value) + "]"
    if isinstance(value, tuple):
        return "(" + "".join(f"{pyrepr(v)}, " for v in value).rstrip(" ") + ")"
    if value is None or isinstance(value, bool | int | float | str):
        return repr(value)
    raise TypeError(f"cannot emit {type(value).__name__} as a literal")


def pyrepr_toml(value: str) -> str:
    """A TOML basic string."""
    return json.dumps(str(value), ensure_ascii=False)


def docstring(text: Any) -> str:
    """Text that is safe inside a triple-quoted docstring: no closing quotes, no escapes, no controls.

    Backslashes are doubled (so nothing is an escape), every run of three quotes is broken up, and a quote at the
    very end is escaped so it cannot merge with the closing quotes. Trailing white space goes (ruff W291).
    """
    text = _CONTROL.sub(" ", str(text or ""))
    text = text.replace("\\", "\\\\").replace('"""', '\\"\\"\\"')
    lines = [line.rstrip() for line in text.split("\n")]
    text = "\n".join(lines)
    return text[:-1] + '\\"' if text.endswith('"') and not text.endswith('\\"') else text


def md(text: Any) -> str:
    """Text that cannot break a Markdown table cell or open raw HTML."""
    return str(text or "").replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;")


def _template_source(name: str) -> str:
    return resources.files("generator.templates").joinpath(name).read_text(encoding="utf-8")


def make_environment() -> jinja2.Environment:
    """The one Jinja environment, shared by the generator and the tests."""
    env = jinja2.Environment(
        loader=jinja2.FunctionLoader(_template_source),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,
    )
    env.filters.update(pyrepr=pyrepr, pyrepr_toml=pyrepr_toml, docstring=docstring, md=md)
    return env


def render(server: Server, report: Report, models: Callable[[], Answer] | None = None) -> dict[str, str]:
    """All files of one package, relative to its folder, as text.

    ``models`` gives ``models.py`` and its problems, and is called last, so that a worker can write it
    meanwhile; without it the models are generated here.
    """
    env = make_environment()
    src = f"src/{server.package}"
    modules = module_views(server.tools)
    files = {
        "pyproject.toml": env.get_template("package/pyproject.toml.j2").render(server=server),
        "README.md": env.get_template("package/README.md.j2").render(
            server=server, tools=[tool_view(t) for t in server.tools]
        ),
        "tests/test_server.py": env.get_template("package/tests/test_server.py.j2").render(
            server=server, tools=server.tools, probe=probe(server.tools)
        ),
        f"{src}/__init__.py": env.get_template("package/__init__.py.j2").render(server=server),
        f"{src}/__main__.py": env.get_template("package/__main__.py.j2").render(server=server),
        f"{src}/server.py": env.get_template("package/server.py.j2").render(server=server),
        f"{src}/vendor.py": env.get_template("package/vendor.py.j2").render(server=server),
        f"{src}/operations.py": env.get_template("package/operations.py.j2").render(
            operations=[operation_view(t) for t in server.tools],
            spec_imports=sorted(["Operation", *workflow_views.classes(list(server.tools))]),
        ),
        f"{src}/tools/__init__.py": env.get_template("package/tools_init.py.j2").render(modules=modules),
        f"{src}/tools.json": json.dumps(catalog(server), indent=1, sort_keys=True, ensure_ascii=False) + "\n",
    }
    for module in modules:
        files[f"{src}/tools/{module['name']}.py"] = env.get_template("package/tool_module.py.j2").render(module=module)
    for name, text in runtime_files():
        files[f"{src}/runtime/{name}"] = text
    text, problems = models() if models else models_text(server.models)
    for where, message in problems:
        report.error(where, message)
    files[f"{src}/models.py"] = text
    return dict(sorted(files.items()))


def runtime_files() -> list[tuple[str, str]]:
    """Every module of ``generator.runtime`` (relative name, text), copied verbatim into each package."""
    root = resources.files("generator.runtime")
    found: list[tuple[str, str]] = []
    stack = [(root, "")]
    while stack:
        folder, prefix = stack.pop()
        for entry in folder.iterdir():
            if entry.is_dir() and entry.name != "__pycache__":
                stack.append((entry, f"{prefix}{entry.name}/"))
            elif entry.name.endswith(".py"):
                found.append((prefix + entry.name, entry.read_text(encoding="utf-8")))
    return sorted(found)


def catalog(server: Server) -> dict[str, Any]:
    """What ``tools/list`` serves for each tool, computed once here instead of at every start-up; see ``lean``."""
    entries = {}
    for tool in server.tools:
        entries[tool.name] = {
            "description": lean.unpath(tool.description, tool.path),
            "input_schema": lean.listing_schema(tool.input_schema),
            "annotations": lean.annotations(tool.hints, lean.unpath(tool.hints.title, tool.path)),
            "meta": meta(tool),
        }
    return entries


def meta(tool: Tool) -> dict[str, Any]:
    """The tool's ``_meta``: facts under one namespaced key."""
    facts: dict[str, Any] = {"method": tool.method, "path": tool.path, "tag": tool.tag, "scopes": list(tool.scopes)}
    if tool.conditional_scopes:
        facts["conditional_scopes"] = list(tool.conditional_scopes)
    if tool.credits:
        facts["consumes_credits"] = True
    if tool.deprecated:
        facts["deprecated"] = True
    facts.update(workflow_views.meta(tool))
    return {META_OPERATION: facts}


def module_views(tools: tuple[Tool, ...]) -> list[dict[str, Any]]:
    """Tool functions grouped by module, each module with exactly the imports it uses."""
    grouped: dict[str, list[Tool]] = {}
    for tool in tools:
        grouped.setdefault(tool.module, []).append(tool)
    views = []
    for name, members in sorted(grouped.items()):
        functions = [function_view(t) for t in members]
        code = " ".join(p["signature"] for f in functions for p in f["params"])
        views.append({"name": name, "tag": members[0].tag, "functions": functions, "imports": imports(code)})
    return views


def imports(code: str) -> list[str]:
    """Import lines for the names a module's signatures use, sorted as ruff's isort wants them."""
    typing_names = [n for n in ("Annotated", "Any", "Literal") if re.search(rf"\b{n}\b", code)]
    lines = [f"from typing import {', '.join(typing_names)}", ""] if typing_names else []
    lines += ["from mcp.server.mcpserver import Context", "from mcp.types import CallToolResult"]
    if "Field(" in code:
        lines.append("from pydantic import Field")
    lines.append("")
    lines.append("from .. import models" if "models." in code else "")
    lines.append("from ..runtime.server import invoke")
    return [line for i, line in enumerate(lines) if line or (i and lines[i - 1])]


def function_view(tool: Tool) -> dict[str, Any]:
    """One tool function: signature lines, the argument map and a Google-style docstring."""
    ordered = sorted(tool.params, key=lambda p: not p.required)
    return {"name": tool.name, "params": [param_view(p) for p in ordered], "docstring": function_doc(tool, ordered)}


def param_view(param: Param) -> dict[str, str]:
    """The signature line of one argument; an alias when the Python name differs from the listed one."""
    annotation = param.annotation
    fixed = param.default is not None  # a real default (e.g. ``wait: bool = False``) needs no ``| None``
    if not param.required and not fixed and not annotation.endswith("| None") and annotation != "Any":
        annotation = f"{annotation} | None"
    if param.py_name != param.arg:
        annotation = f"Annotated[{annotation}, Field(validation_alias={pyrepr(param.arg)})]"
    default = "" if param.required else f" = {pyrepr(param.default)}"
    return {"signature": f"{param.py_name}: {annotation}{default}", "arg": param.arg, "py_name": param.py_name}


def function_doc(tool: Tool, params: list[Param]) -> str:
    """Summary, the operation, the full description, and one line per argument, indented for a function."""
    lines = [tool.summary or tool.hints.title, "", f"{tool.method} {tool.path}"]
    if tool.doc and tool.doc != tool.summary:
        lines += ["", *_wrap(tool.doc)]
    if params:
        lines += ["", "Args:"]
        for param in params:
            text = param.description or f"{param.location} parameter {param.wire!r}"
            lines += ["    " + line for line in _wrap(f"{param.py_name}: {text}", indent=4)]
    body = [docstring(line) for line in lines]
    return "\n".join(("    " + line) if i and line else line for i, line in enumerate(body)) + "\n    "


def _wrap(text: str, indent: int = 0) -> list[str]:
    out: list[str] = []
    for paragraph in text.split("\n"):
        out += textwrap.wrap(paragraph, 100, subsequent_indent=" " * indent, break_long_words=False) or [""]
    return out


def tool_view(tool: Tool) -> dict[str, Any]:
    """A README row and section."""
    hints = [
        h
        for h, on in (
            ("read-only", tool.hints.read_only),
            ("destructive", tool.hints.destructive),
            ("idempotent", tool.hints.idempotent),
        )
        if on
    ]
    return {**tool.__dict__, "hint_text": ", ".join(hints) or "write"}


def operation_view(tool: Tool) -> dict[str, Any]:
    """The runtime's data about one operation; defaults are left out to keep the module short."""
    extras = [
        ("body", tool.body_kind if tool.body_kind != "none" else None),
        ("media_type", tool.body_media_type if tool.body_kind in ("raw", "multipart") else None),
        ("body_required", (tool.body_required and tool.body_kind == "json") or None),
        ("tag", tool.tag),
        ("scopes", tool.scopes or None),
        ("read_only", tool.hints.read_only or None),
        ("destructive", tool.hints.destructive or None),
        ("idempotent", tool.hints.idempotent or None),
        ("server_url", tool.server_url),
        ("retry_safe", tool.retry_safe or None),
        ("credits", tool.credits or None),
        ("cursor_arg", tool.cursor_arg),
        ("next_cursor", tool.next_cursor),
        ("byte_fields", tool.byte_fields or None),
    ]
    return {
        "name": tool.name,
        "method": tool.method,
        "path": tool.path,
        "params": [p for p in tool.params if p.location != "local"],
        "extras": [(k, v) for k, v in extras if v is not None],
        "workflow": workflow_views.constructors(tool, pyrepr),
    }


def probe(tools: tuple[Tool, ...]) -> dict[str, Any]:
    """A tool the package's own tests can call with simple string arguments."""
    for tool in tools:
        required = [p for p in tool.params if p.required]
        if tool.method == "GET" and required and all(p.location == "path" and p.annotation == "str" for p in required):
            prefix = tool.path.split("{")[0]
            return {"name": tool.name, "args": {p.arg: "probe-id" for p in required}, "path": prefix}
    tool = next((t for t in tools if not any(p.required for p in t.params)), tools[0])
    return {"name": tool.name, "args": {}, "path": tool.path.split("{")[0]}
