"""Tool arguments built from a tool's input schema alone, the way a careful client would fill them in.

``arguments(schema, full=False)`` fills the required fields with valid example values; ``full=True`` fills
every optional field too (nested objects included) and takes the last branch of an ``anyOf``/``oneOf``
instead of the first, so the two runs exercise different shapes.
"""

from __future__ import annotations

import base64
from typing import Any

MAX_DEPTH = 8
# A server's own ``select`` (every tool with a JSON answer) takes JMESPath, which a filled-in string seldom is: a
# careful client that fills it in asks for the whole answer (``@``).
SELECT, WHOLE = "select", "@"
FORMATS = {
    "date-time": "2024-03-01T10:00:00Z",
    "date": "2024-03-01",
    "time": "10:00:00Z",
    "email": "ada@example.com",
    "uri": "https://example.com/item",
    "url": "https://example.com/item",
    "uuid": "123e4567-e89b-12d3-a456-426614174000",
    "byte": base64.b64encode(b"hello").decode("ascii"),
    "ipv4": "127.0.0.1",
    "hostname": "example.com",
}


def arguments(schema: dict[str, Any], *, full: bool = False) -> dict[str, Any]:
    """Arguments for one tool call: required fields only, or (``full``) every field."""
    value = _value(schema, schema, full=full, depth=0, name="arguments")
    if not isinstance(value, dict):
        return {}
    return value | ({SELECT: WHOLE} if SELECT in value else {})


def _resolve(node: dict[str, Any], root: dict[str, Any]) -> dict[str, Any]:
    seen = 0
    while "$ref" in node and seen < 20:
        pointer = node["$ref"].removeprefix("#/").split("/")
        target: Any = root
        for part in pointer:
            target = target[part.replace("~1", "/").replace("~0", "~")]
        node = {**target, **{k: v for k, v in node.items() if k != "$ref"}}
        seen += 1
    return node


def _value(node: dict[str, Any], root: dict[str, Any], *, full: bool, depth: int, name: str) -> Any:
    node = _resolve(node, root)
    for key in ("anyOf", "oneOf"):
        branches = [b for b in node.get(key, []) if _resolve(b, root).get("type") != "null"]
        if branches:
            return _value(branches[-1] if full else branches[0], root, full=full, depth=depth, name=name)
    if "allOf" in node:
        merged: dict[str, Any] = {}
        for branch in node["allOf"]:
            part = _resolve(branch, root)
            merged = {**merged, **part, "properties": {**merged.get("properties", {}), **part.get("properties", {})}}
            merged["required"] = [*merged.get("required", []), *part.get("required", [])]
        return _value(merged, root, full=full, depth=depth, name=name)
    if "const" in node:
        return node["const"]
    if node.get("enum"):
        return next((v for v in node["enum"] if v is not None), node["enum"][0])
    if full and "default" in node and node["default"] is not None:
        return node["default"]
    kind = node.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), "null")
    if kind is None:
        kind = "object" if "properties" in node else "string"
    return _typed(kind, node, root, full=full, depth=depth, name=name)


def _typed(kind: str, node: dict[str, Any], root: dict[str, Any], *, full: bool, depth: int, name: str) -> Any:
    if kind == "object":
        return _object(node, root, full=full, depth=depth)
    if kind == "array":
        item = node.get("items") or {"type": "string"}
        count = max(1, int(node.get("minItems", 1)))
        values = [_value(item, root, full=full, depth=depth + 1, name=name) for _ in range(count)]
        if node.get("uniqueItems") and count > 1 and all(isinstance(v, str) for v in values):
            values = [f"{v}{i}" if i else v for i, v in enumerate(values)]
        return values
    if kind in ("integer", "number"):
        low, high = node.get("minimum"), node.get("maximum")
        number = low if low is not None else (high if high is not None and high < 1 else 1)
        return int(number) if kind == "integer" else float(number)
    if kind == "boolean":
        return True
    if kind == "null":
        return None
    return _string(node, name)


def _object(node: dict[str, Any], root: dict[str, Any], *, full: bool, depth: int) -> dict[str, Any]:
    properties = node.get("properties", {})
    required = set(node.get("required", []))
    wanted = properties if full and depth < MAX_DEPTH else {k: v for k, v in properties.items() if k in required}
    return {key: _value(sub, root, full=full, depth=depth + 1, name=key) for key, sub in wanted.items()}


def _string(node: dict[str, Any], name: str) -> str:
    text = FORMATS.get(str(node.get("format")), f"example-{name}".replace("_", "-").lower())
    low, high = int(node.get("minLength", 0)), node.get("maxLength")
    if len(text) < low:
        text = text + "x" * (low - len(text))
    if high is not None and len(text) > int(high):
        text = text[: int(high)]
    return text
