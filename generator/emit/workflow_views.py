"""Vendor workflows, IR → render: the runtime constructors in ``operations.py`` and the facts in ``_meta``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import fields
from typing import Any

from generator.model.ir import Tool

# Tool attribute → the runtime class (in ``runtime/contract.py``) that carries the same fields.
CLASSES = {"job": "Job", "upload": "Upload", "flow_inputs": "FlowInputs", "download": "Download"}


def constructors(tool: Tool, pyrepr: Callable[[Any], str]) -> list[tuple[str, str]]:
    """``(keyword, code)`` pairs such as ``("job", "Job(status='...', ...)")``; defaults are left out."""
    found = []
    for attribute, cls in CLASSES.items():
        value = getattr(tool, attribute)
        if value is None:
            continue
        given = [
            f"{f.name}={_code(getattr(value, f.name), pyrepr)}"
            for f in fields(value)
            if getattr(value, f.name) != f.default
        ]
        found.append((attribute, f"{cls}({', '.join(given)})"))
    return found


def _code(value: Any, pyrepr: Callable[[Any], str]) -> str:
    """A literal; tuples of several items without the trailing comma that would make ruff explode them."""
    if isinstance(value, tuple) and len(value) > 1:
        return "(" + ", ".join(pyrepr(v) for v in value) + ")"
    return pyrepr(value)


def fixed(tool: Tool, pyrepr: Callable[[Any], str]) -> list[tuple[str, str]]:
    """``("fixed", "(Fixed(...), ...)")`` for a tool with credential or constant parameters; defaults left out."""
    if not tool.fixed:
        return []
    made = []
    for item in tool.fixed:
        given = [pyrepr(item.location), pyrepr(item.wire)]
        given += [
            f"{f.name}={pyrepr(getattr(item, f.name))}" for f in fields(item)[2:] if getattr(item, f.name) != f.default
        ]
        made.append(f"Fixed({', '.join(given)})")
    return [("fixed", "(" + ", ".join(made) + ",)")]


def classes(tools: list[Tool]) -> list[str]:
    """The runtime classes the rendered operations use, for the import line."""
    found = [cls for attribute, cls in CLASSES.items() if any(getattr(t, attribute) for t in tools)]
    return sorted([*found, *(["Fixed"] if any(t.fixed for t in tools) else [])])


def meta(tool: Tool) -> dict[str, Any]:
    """What a client may show about a tool's workflow, beside the operation facts."""
    facts: dict[str, Any] = {}
    if tool.job:
        facts["job"] = {"status_tool": tool.job.status_tool, "terminal_states": list(tool.job.terminal)}
    if tool.upload and tool.upload.max_bytes:
        facts["max_upload_bytes"] = tool.upload.max_bytes
    if tool.upload and tool.upload.skill:
        facts["skill_package"] = True
    if tool.flow_inputs:
        facts["inputs_listed_by"] = tool.flow_inputs.schema_tool
    if tool.download or tool.response_kind == "binary":
        facts["saves_files"] = True
    return facts
