"""View models of the package's other files: README rows, ``operations.py`` entries, the self-test's probe."""

from __future__ import annotations

from typing import Any, TypedDict

from generator.emit import workflow_views
from generator.emit.arguments import arguments
from generator.emit.describe import full_text
from generator.emit.escape import pyrepr
from generator.emit.pytypes import arg_annotation
from generator.model.ir import Param, Tool


class ToolRow(TypedDict):
    """A README row and section."""

    name: str
    method: str
    path: str
    tag: str
    scopes: tuple[str, ...]
    hint_text: str
    doc: str


class ParamSpecView(TypedDict):
    """One ``ParamSpec``: its three positional facts and the keywords that differ from the defaults."""

    arg: str
    wire: str
    location: str
    extras: list[tuple[str, Any]]


class OperationView(TypedDict):
    """The runtime's data about one operation, as ``operations.py`` writes it."""

    name: str
    method: str
    path: str
    params: list[ParamSpecView]
    extras: list[tuple[str, Any]]
    workflow: list[tuple[str, str]]


class Probe(TypedDict):
    """A tool the package's own tests can call, its arguments and the path prefix it requests."""

    name: str
    args: dict[str, str]
    path: str


def tool_row(tool: Tool) -> ToolRow:
    """A README row and section."""
    hints = tool.hints
    named = (("read-only", hints.read_only), ("destructive", hints.destructive), ("idempotent", hints.idempotent))
    return {
        "name": tool.name,
        "method": tool.method,
        "path": tool.path,
        "tag": tool.tag,
        "scopes": tool.scopes,
        "hint_text": ", ".join(h for h, on in named if on) or "write",
        "doc": full_text(tool),
    }


def operation_view(tool: Tool) -> OperationView:
    """The runtime's data about one operation; defaults are left out to keep the module short."""
    paging = tool.paging
    extras = [
        ("body", tool.body_kind if tool.body_kind != "none" else None),
        ("media_type", tool.body_media_type if _own_media_type(tool) else None),
        ("body_required", (tool.body_required and tool.body_kind == "json") or None),
        ("tag", tool.tag),
        ("tag_parents", tool.tag_parents or None),
        ("scopes", tool.scopes or None),
        ("read_only", tool.hints.read_only or None),
        ("destructive", tool.hints.destructive or None),
        ("idempotent", tool.hints.idempotent or None),
        ("server_url", tool.server_url),
        ("retry_safe", tool.retry_safe or None),
        ("credits", tool.credits or None),
        ("cursor_arg", paging.cursor_arg if paging else None),
        ("next_cursor", paging.next_cursor if paging else None),
        ("byte_fields", tool.byte_fields or None),
        ("at_most", tool.at_most),
        ("security", tool.security or None),
    ]
    return {
        "name": tool.name,
        "method": tool.method,
        "path": tool.path,
        "params": [param_view(p) for p in tool.params],
        "extras": [(k, v) for k, v in extras if v is not None],
        "workflow": [*workflow_views.constructors(tool, pyrepr), *workflow_views.fixed(tool, pyrepr)],
    }


def _own_media_type(tool: Tool) -> bool:
    """Whether the runtime needs the body's media type: a raw or multipart body's, a JSON body's not plain JSON."""
    json_own = tool.body_kind == "json" and tool.body_media_type != "application/json"
    return tool.body_kind in ("raw", "multipart") or json_own


def param_view(param: Param) -> ParamSpecView:
    """A ``ParamSpec``'s facts; keywords at their defaults are left out."""
    found = param.encoding
    extras = [
        ("is_file", param.is_file or None),
        ("default_env", param.default_env),
        ("style", found.style or None),
        ("explode", found.explode),
        ("reserved", found.reserved or None),
        ("media_type", found.media_type),
        ("part_headers", found.part_headers or None),
        ("nullable", param.nullable or None),
    ]
    return {
        "arg": param.arg,
        "wire": param.wire,
        "location": param.location,
        "extras": [(k, v) for k, v in extras if v is not None],
    }


def probe(tools: tuple[Tool, ...], models: frozenset[str]) -> Probe:
    """A tool the package's own tests can call with simple string arguments."""
    for tool in tools:
        required = [a for a in arguments(tool) if a.required]
        simple = all(a.location == "path" and arg_annotation(a, models) == "str" for a in required)
        if tool.method == "GET" and required and simple:
            return {"name": tool.name, "args": {a.name: "probe-id" for a in required}, "path": tool.path.split("{")[0]}
    tool = next((t for t in tools if not any(p.required for p in t.params)), tools[0])
    return {"name": tool.name, "args": {}, "path": tool.path.split("{")[0]}
