"""The listing diet: what ``tools/list`` serves, without what an agent does not need to call a tool.

Agents pay for every listed byte. The full text stays in the package's README and docstrings; the listing
keeps types, required fields, enums, formats, bounds and short descriptions, and drops:

- a top-level ``title`` (the same words are ``annotations.title``, which every tool has with all four hints);
- an array's ``items.description`` when the array has its own (it restates it in the singular);
- property descriptions past ``LISTING_DESCRIPTION`` characters (cut at a sentence or a word, marked ``…``);
- bounds that bound nothing (``minLength: 0``, ``maxItems: 2147483647``, int32/int64 limits);
- a ``(/path)`` suffix the spec's summaries repeat (the path is in ``operations.py``, the README and ``describe_tool``);
- duplicated object schemas within one tool: each shape listed twice or more moves to ``$defs`` once;
- the descriptions of the server's own arguments (``select``, ``max_pages``, ``wait``, ``timeout_s``), the same on
  every tool that has them: the server's instructions say each once, a tool's job facts are in its description and
  ``_meta``, and answers over the size cap or with more pages say how to use them (``arguments.input_schema`` with
  ``listed``; ``describe_tool``, the docstrings and the README keep them).

It also rewrites a ``type`` array (``["string", "null"]``, from OpenAPI 3.1 or ``nullable``) as ``anyOf``
branches of one type each: the same schema, in the form clients that map tool schemas onto a single-type
dialect (Gemini's function declarations) accept; the MCP Inspector's ``--strict`` flags the array form.
"""

from __future__ import annotations

import json
import re
from typing import Any

from generator.model.ir import Hints
from generator.model.prose import brief

LISTING_DESCRIPTION = 110
HOIST_MIN_BYTES = 200
_NO_BOUND = {"minLength": 0, "minItems": 0, "minProperties": 0}
_MAX_KEYS = ("maxLength", "maxItems", "maxProperties", "maximum")
_WIDTHS = (2**31 - 1, 2**63 - 1)
_SUBSCHEMA_LISTS = ("allOf", "anyOf", "oneOf", "prefixItems")
_WORDS = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+")
_JSON_TYPES = frozenset({"string", "number", "integer", "boolean", "object", "array", "null"})
_ANNOTATIONS = ("description", "title", "default", "examples", "deprecated", "readOnly", "writeOnly")


def tool_annotations(hints: Hints, title: str) -> dict[str, Any]:
    """All five tool annotations, on every tool: clients differ in what they assume when one is missing."""
    return {
        "title": title,
        "read_only_hint": hints.read_only,
        "destructive_hint": hints.destructive,
        "idempotent_hint": hints.idempotent,
        "open_world_hint": hints.open_world,
    }


def unpath(text: str, path: str) -> str:
    """Text without the `` (/v2/calls)`` suffix that only repeats the operation's path."""
    return text.replace(f" ({path})", "")


def listing_schema(schema: dict[str, Any], limit: int | None = LISTING_DESCRIPTION) -> dict[str, Any]:
    """A tool's input schema as listed: trimmed descriptions, no repeated item text, no duplicated shapes.

    With ``limit=None`` the descriptions are kept whole (what ``describe_tool`` shows); the rest is the same.
    """
    out: dict[str, Any] = _trim(schema, limit)  # a new tree: every dict and list in it is built anew
    for _ in range(20):  # each round hoists one shape; nested repeats surface after their parent moves
        if not _hoist_one(out):
            break
    return out


def cuts(schema: Any, limit: int = LISTING_DESCRIPTION) -> bool:
    """Whether listing ``schema`` changes any description in it (shortens it, or makes it plain text)."""
    if isinstance(schema, list):
        return any(cuts(item, limit) for item in schema)
    if not isinstance(schema, dict):
        return False
    return any(
        brief(value, limit) != value if key == "description" and isinstance(value, str) else cuts(value, limit)
        for key, value in schema.items()
    )


def _trim(node: Any, limit: int | None) -> Any:
    if isinstance(node, list):
        return [_trim(item, limit) for item in node]
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] = {}
    for key, value in node.items():
        if _unbounded(key, value):
            continue
        if key == "description" and isinstance(value, str):
            out[key] = brief(value, limit) if limit else value
        elif key in ("properties", "patternProperties", "$defs") and isinstance(value, dict):
            out[key] = {name: _trim(sub, limit) for name, sub in value.items()}
        else:
            out[key] = _trim(value, limit)
    items = out.get("items")
    if isinstance(items, dict) and "description" in items and out.get("description"):
        del items["description"]
    return _single_types(out)


def _single_types(node: dict[str, Any]) -> dict[str, Any]:
    """``{"type": [A, B], ...}`` → ``{"anyOf": [{"type": A, ...}, {"type": B, ...}]}``, annotations kept outside."""
    kinds = node.get("type")
    if not isinstance(kinds, list) or not kinds or not all(isinstance(k, str) and k in _JSON_TYPES for k in kinds):
        return node
    if not enum_allows_null(node) and len(kinds) > 1:
        kinds = [k for k in kinds if k != "null"]  # ``null`` in the type but not in the enum: not a value
    if len(kinds) == 1:
        return {**node, "type": kinds[0]}
    outside = {k: v for k, v in node.items() if k in _ANNOTATIONS}
    inside = {k: v for k, v in node.items() if k not in _ANNOTATIONS and k != "type"}
    union = inside.pop("anyOf", None)  # a union of its own as well: both must hold
    branches = []
    for kind in kinds:
        branch = {"type": kind} if kind == "null" else {"type": kind, **inside}
        if kind != "null" and isinstance(branch.get("enum"), list):
            branch["enum"] = [value for value in branch["enum"] if value is not None]
        branches.append(branch)
    if union is not None:
        return {**outside, "allOf": [{"anyOf": branches}, {"anyOf": union}]}
    return {**outside, "anyOf": branches}


def enum_allows_null(schema: dict[str, Any]) -> bool:
    """Whether the schema's ``enum`` (if any) lets ``null`` through: JSON Schema asks both it and ``type`` to."""
    enum = schema.get("enum")
    return not isinstance(enum, list) or None in enum


def _unbounded(key: str, value: Any) -> bool:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    if _NO_BOUND.get(key) == value:
        return True
    return (key in _MAX_KEYS and value in _WIDTHS) or (key == "minimum" and -value - 1 in _WIDTHS)


def _shape(node: dict[str, Any]) -> str:
    return json.dumps({k: v for k, v in node.items() if k != "description"}, sort_keys=True, ensure_ascii=False)


def _slots(node: Any, holder: str = "") -> Any:
    """Every subschema position below ``node``: ``(container, key, holder name)``; ``$defs`` entries excluded."""
    if isinstance(node, list):
        for index, item in enumerate(node):
            if isinstance(item, dict):
                yield node, index, holder
                yield from _slots(item, holder)
        return
    if not isinstance(node, dict):
        return
    for key, value in node.items():
        if key in ("properties", "patternProperties") and isinstance(value, dict):
            for name, sub in value.items():
                if isinstance(sub, dict):
                    yield value, name, str(name)
                    yield from _slots(sub, str(name))
        elif key == "$defs" and isinstance(value, dict):
            for sub in value.values():
                yield from _slots(sub, holder)
        elif key in ("items", "additionalProperties", "not") and isinstance(value, dict):
            yield node, key, holder
            yield from _slots(value, holder)
        elif key in _SUBSCHEMA_LISTS and isinstance(value, list):
            yield from _slots(value, holder)


def _hoist_one(schema: dict[str, Any]) -> bool:
    """Move the largest object shape that occurs twice or more into ``$defs``; False when there is none."""
    found: dict[str, list[tuple[Any, Any, str]]] = {}
    for container, key, holder in _slots(schema):
        node = container[key]
        if "properties" in node and "$ref" not in node:
            found.setdefault(_shape(node), []).append((container, key, holder))
    repeated = [(len(shape), shape) for shape, places in found.items() if len(places) > 1]
    repeated = [item for item in repeated if item[0] >= HOIST_MIN_BYTES]
    if not repeated:
        return False
    _, shape = max(repeated)
    places = found[shape]
    defs = schema.setdefault("$defs", {})
    name = _def_name([holder for _, _, holder in places], defs)
    defs[name] = json.loads(shape)
    for container, key, _ in places:
        description = container[key].get("description")
        container[key] = {"$ref": f"#/$defs/{name}", **({"description": description} if description else {})}
    schema["$defs"] = dict(sorted(defs.items()))
    return True


def _def_name(holders: list[str], taken: dict[str, Any]) -> str:
    """The words the holders' names end with in common (``callsAccess``, ``dealsAccess`` → ``Access``)."""
    split = [[w.lower() for w in _WORDS.findall(h)] for h in holders if h]
    common: list[str] = []
    if split:
        for column in zip(*(reversed(s) for s in split), strict=False):
            if len(set(column)) != 1:
                break
            common.insert(0, column[0])
    words: list[str] = common or (split[0] if split else []) or ["shape"]
    base = "".join(w.capitalize() for w in words)
    name, n = base, 2
    while name in taken:
        name, n = f"{base}{n}", n + 1
    return name
