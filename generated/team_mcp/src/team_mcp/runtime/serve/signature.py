"""A tool as code calls it: its input schema written as a Python signature, for the code toolset's describe_tool.

``gong.list_all_gong_calls(*, fromDateTime: str | None = None, cursor: str | None = None) -> dict``: keyword
arguments only (the order of a schema's properties is not a contract), required ones first and without a default.
"""

from __future__ import annotations

from typing import Any

SCALARS = {"string": "str", "integer": "int", "number": "float", "boolean": "bool", "null": "None"}


def signature(vendor: str, name: str, schema: dict[str, Any], returns: str = "dict") -> str:
    """``await``-able call of one tool, as a Python signature line; ``returns`` is the answer's type."""
    properties: dict[str, Any] = schema.get("properties") or {}
    required = [key for key in schema.get("required") or [] if key in properties]
    optional = [key for key in properties if key not in required]
    params = [f"{key}: {annotation(properties[key])}" for key in required]
    params += [f"{key}: {annotation(properties[key])} | None = None" for key in optional]
    listed = ", ".join(["*", *params]) if params else ""
    return f"{vendor}.{name}({listed}) -> {_python(returns)}"


def _python(returns: str) -> str:
    """The answer's type as a return annotation: a shared component's name is a ``dict``; unknown is ``Any``."""
    if returns == "any":
        return "Any"
    return returns if returns in ("dict", *SCALARS.values()) or returns.startswith("list[") else "dict"


def annotation(schema: Any) -> str:
    """A JSON schema's Python type: ``str``, ``list[str]``, ``dict``, ``str | int``; ``Any`` when it does not say."""
    if not isinstance(schema, dict):
        return "Any"
    options = schema.get("anyOf") or schema.get("oneOf")
    if isinstance(options, list) and options:
        return " | ".join(dict.fromkeys(annotation(option) for option in options))
    kind = schema.get("type")
    if isinstance(kind, list):
        return " | ".join(dict.fromkeys(annotation({**schema, "type": k}) for k in kind))
    if kind == "array":
        return f"list[{annotation(schema.get('items'))}]"
    if kind == "object":
        return "dict"
    return SCALARS.get(str(kind), "Any")
