"""One tool's full story for ``describe_tool``, in the dynamic and the code toolsets alike.

The listing keeps descriptions short; the package's ``details.json`` holds what it left out: the description and
input schema uncut, and the answer's shape, one row per field grouped under its parent's path (see the generator's
``emit/shapes.py``). The file is read on the first describe or search, never at start-up, and kept.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

from mcp.types import Tool as MCPTool

from ..contract import Operation
from ..flows.jobs import waited_shapes
from ..shaping.files import SAVED_FILE
from .search import answer_of, facts, title

PACKAGE = __name__.split(".")[0]  # the generated package this runtime was copied into


@cache
def details(package: str = PACKAGE) -> dict[str, Any]:
    """The package's ``details.json``, read once ({}: none shipped, as in the generator's own source tree)."""
    try:
        text = resources.files(package).joinpath("details.json").read_text(encoding="utf-8")
    except (FileNotFoundError, ModuleNotFoundError):
        return {}
    found: dict[str, Any] = json.loads(text)
    return found


def described(tool: MCPTool, op: Operation, known: dict[str, Any]) -> dict[str, Any]:
    """What ``describe_tool`` answers: name, title, the full description and input schema, scopes, hints, the
    operation, and the answer's shape (with the shapes a ``wait=true`` call answers, for a job's start tool)."""
    own = known.get(tool.name) or {}
    listed = facts(tool)
    listed.pop("scopes", None)
    annotations = tool.annotations.model_dump(by_alias=True, exclude_none=True) if tool.annotations else {}
    operation = {"method": op.method, "path": op.path, **({"tag": op.tag} if op.tag else {}), **listed}
    found = {
        "name": tool.name,
        "title": title(tool),
        "description": own.get("description") or tool.description,
        "input_schema": own.get("input_schema") or uncut(tool.input_schema, own.get("descriptions") or {}),
        "scopes": list(op.scopes),
        "hints": annotations,
        "operation": operation,
        **answer(tool.name, op, known),
    }
    return {key: value for key, value in found.items() if value is not None}


def uncut(schema: dict[str, Any], whole: dict[str, str]) -> dict[str, Any]:
    """The listed input schema with each description it cut put back whole (``whole``: JSON pointer → text)."""
    if not whole:
        return schema
    out: dict[str, Any] = json.loads(json.dumps(schema))
    for pointer, text in whole.items():
        steps = [step.replace("~1", "/").replace("~0", "~") for step in pointer.split("/")[1:]]
        node: Any = out
        for step in steps[:-1]:
            node = _step(node, step)
        if isinstance(node, dict) and steps:
            node[steps[-1]] = text
    return out


def _step(node: Any, step: str) -> Any:
    """One JSON-pointer step down (None where there is nothing)."""
    if isinstance(node, list):
        return node[int(step)] if step.isdigit() and int(step) < len(node) else None
    return node.get(step) if isinstance(node, dict) else None


def answer(name: str, op: Operation, known: dict[str, Any]) -> dict[str, Any]:
    """The answer's type and rows (``returns_type``, ``returns``, ``returns_defs``), and ``returns_when`` for the
    arguments that change it; without a schema in the spec, a line that says so."""
    own = answer_of(known, name)
    if "returns_type" not in own:
        note = "the spec gives no JSON schema for this answer: text comes as text, and a file is saved (returns_when)"
        return {
            "returns_type": "any",
            "returns_note": note,
            "returns_when": {"the answer is a file": grouped(SAVED_FILE)},
        }
    found = dict(own)
    if op.job is not None:
        status = answer_of(known, op.job.status_tool).get("returns") or {}
        shapes = waited_shapes(op.job, own.get("returns") or {}, status)
        found["returns_when"] = {when: grouped(rows) for when, rows in shapes.items()}
    if isinstance(found.get("returns"), dict):
        found["returns"] = grouped(found["returns"])
    return found


def grouped(rows: dict[str, str]) -> dict[str, dict[str, str]]:
    """Rows by their parent's path (``.``: the answer itself), each field under its own name: the path is said once
    for its fields, not in every row (``calls[].parties[]`` → ``{"userId": …, "name": …}``)."""
    found: dict[str, dict[str, str]] = {}
    for path, row in rows.items():
        parent, _, leaf = path.rpartition(".")
        found.setdefault(parent or ".", {})[leaf] = row
    return found
