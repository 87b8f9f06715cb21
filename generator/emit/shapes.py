"""The shape of each tool's answer (``shapes.json``), for the code toolset's ``describe_tool``.

Code that chains tools needs to know where the data is in an answer (``calls[].duration``) without reading one
first. A shape is the success response's schema as Python sees the parsed JSON: objects become dicts of their
fields' shapes, arrays a one-item list, scalars a type name (``str``, ``int``, ``float``, ``bool``). It is read
only when a tool is described, so it costs nothing at start-up.
"""

from __future__ import annotations

from typing import Any

from generator.model.ir import Server

MAX_DEPTH = 6  # deeper objects are shown as ``dict``: answers nest shallowly, and a shape is read by a model
SCALARS = {"string": "str", "integer": "int", "number": "float", "boolean": "bool", "null": "None"}


def shapes(server: Server) -> dict[str, Any]:
    """Each tool's answer shape, by tool name; tools without a JSON success schema are left out."""
    return {tool.name: shape(tool.response_schema) for tool in server.tools if tool.response_schema}


def shape(schema: dict[str, Any]) -> Any:
    """One schema's shape; ``$ref`` resolved in the schema's own ``$defs``, cycles and depth cut to ``dict``."""
    return _shape(schema, schema.get("$defs") or {}, 0, frozenset())


def _shape(schema: Any, defs: dict[str, Any], depth: int, seen: frozenset[str]) -> Any:
    if not isinstance(schema, dict):
        return "any"
    ref = schema.get("$ref")
    if isinstance(ref, str):
        name = ref.rsplit("/", 1)[-1]
        if name in seen or name not in defs:
            return "dict"
        return _shape(defs[name], defs, depth, seen | {name})
    for key in ("allOf", "anyOf", "oneOf"):
        options = [s for s in schema.get(key) or [] if isinstance(s, dict) and s.get("type") != "null"]
        if options:
            return _shape(options[0], defs, depth, seen)
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), "any")
    if kind == "array" or "items" in schema:
        return [_shape(schema.get("items"), defs, depth + 1, seen)]
    if kind == "object" or "properties" in schema:
        fields = schema.get("properties") or {}
        if not fields or depth >= MAX_DEPTH:
            return "dict"
        return {name: _shape(sub, defs, depth + 1, seen) for name, sub in fields.items()}
    return SCALARS.get(str(kind), "any")
