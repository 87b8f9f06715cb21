"""The shape of a tool's answer, for ``describe_tool``: one row per field, as deep as the spec goes.

Code that chains tools needs to know where the data is in an answer (``calls[].metaData.duration``) and what each
value is without reading one first. A shape is the success response's schema as rows, keyed by the field's path in
the parsed JSON (``[]`` steps into a list); each row says the Python type, ``| None`` where the spec lets the value
be null, the format, the allowed values, the unit the description states, whether the object leaves it out when it
lists required fields, and the field's description, uncut::

    "calls[].interaction.speakers[].talkTime": "float (double), unit seconds: Talk duration in seconds"

A component the schema shares (``$defs``) is described once under its own name and referred to by it, so a cycle
(a comment's replies are comments) ends and a large shared object is not repeated at every place it appears.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

SCALARS = {"string": "str", "integer": "int", "number": "float", "boolean": "bool", "null": "None"}
Rows = dict[str, str]
_UNIT = re.compile(r"\b(?:in|of) (milliseconds|seconds|minutes|hours|days|bytes|cents|percent)\b", re.IGNORECASE)
_MAX_ROWS = 2000  # a schema this large is cut at a field boundary, and the cut is a row that says so


@dataclass
class AnswerShape:
    """One answer's rows and the rows of each shared component they refer to, by name."""

    kind: str = "any"  # the answer's own type: ``dict``, ``list[dict]``, ``str``
    rows: Rows = field(default_factory=dict)
    defs: dict[str, Rows] = field(default_factory=dict)
    promised: bool = False  # some object in it lists required fields; when none does, any field may be missing


UNPROMISED = (
    "the spec marks no field of this answer as required: any field may be missing or null (read with .get() and "
    "check for None)"
)


def answer_shape(schema: dict[str, Any]) -> AnswerShape:
    """The rows of one success schema, with the ``$defs`` it refers to described once each."""
    defs = schema.get("$defs") or {}
    walker = _Walker(defs if isinstance(defs, dict) else {})
    shape = AnswerShape(walker.kind(_merged(schema)), walker.rows(schema))
    while walker.wanted:
        name = sorted(walker.wanted)[0]
        walker.wanted.discard(name)
        shape.defs[name] = walker.rows(walker.defs[name])
    shape.promised = walker.promised
    return shape


class _Walker:
    def __init__(self, defs: dict[str, Any]) -> None:
        self.defs = defs
        self.wanted: set[str] = set()
        self.done: set[str] = set()
        self.count = 0
        self.promised = False

    def rows(self, schema: Any) -> Rows:
        out: Rows = {}
        self._into(out, "", schema, required=True, shown=False)
        return out

    def _into(self, out: Rows, path: str, schema: Any, *, required: bool, shown: bool = True) -> None:
        schema = _merged(schema)
        if shown:
            if self.count >= _MAX_ROWS:
                out.setdefault("…", "more fields than a description shows; the spec's response schema has them all")
                return
            self.count += 1
            out[path] = _row(self.kind(schema), schema, required)
        if "$ref" in schema:
            return
        items = schema.get("items")
        if isinstance(items, dict):  # the list's row names the item type; the item's own row only adds its facts
            self._into(out, f"{path}[]", items, required=True, shown=_adds(items, schema))
        stated = schema.get("required")
        self.promised = self.promised or isinstance(stated, list)
        for name, sub in (schema.get("properties") or {}).items():
            needed = not isinstance(stated, list) or name in stated
            self._into(out, f"{path}.{name}" if path else str(name), sub, required=needed)

    def kind(self, schema: dict[str, Any]) -> str:
        """The Python type of one schema: ``str``, ``list[dict]``, ``Occurrence`` (a shared component)."""
        ref = schema.get("$ref")
        if isinstance(ref, str):
            name = ref.rsplit("/", 1)[-1]
            if name not in self.defs:
                return "dict"
            if name not in self.done:
                self.done.add(name)
                self.wanted.add(name)
            return name
        options = _options(schema)
        if options:
            return " | ".join(dict.fromkeys(self.kind(_merged(option)) for option in options))
        kinds = [k for k in _types(schema) if k != "null"]
        if kinds == ["array"] or (not kinds and "items" in schema):
            return f"list[{self.kind(_merged(schema.get('items') or {}))}]"
        if kinds == ["object"] or (not kinds and "properties" in schema):
            return "dict"
        return " | ".join(SCALARS.get(k, "dict" if k == "object" else "list") for k in kinds) or "any"


def _row(kind: str, schema: dict[str, Any], required: bool) -> str:
    facts = [kind + (" | None" if _nullable(schema) else "")]
    text = schema.get("description")
    if isinstance(schema.get("format"), str):
        facts[0] += f" ({schema['format']})"
    enum = [value for value in schema.get("enum") or [] if value is not None]
    if enum:
        facts.append("one of " + ", ".join(str(value) for value in enum))
    unit = _UNIT.search(text) if isinstance(text, str) else None
    if unit:
        facts.append(f"unit {unit.group(1).lower()}")
    if not required:
        facts.append("may be left out")
    head = ", ".join(facts)
    return f"{head}: {' '.join(text.split())}" if isinstance(text, str) and text.strip() else head


def _merged(schema: Any) -> dict[str, Any]:
    """``allOf`` parts merged into one schema (their properties together); anything else as it is."""
    if not isinstance(schema, dict):
        return {}
    parts = [part for part in schema.get("allOf") or [] if isinstance(part, dict)]
    if not parts:
        return schema
    merged: dict[str, Any] = {k: v for k, v in schema.items() if k != "allOf"}
    properties: dict[str, Any] = {}
    for each in (_merged(part) for part in parts):
        properties.update(each.get("properties") or {})
        merged = {**each, **merged}
    if properties:
        merged["properties"] = {**properties, **(schema.get("properties") or {})}
    return merged


def _options(schema: dict[str, Any]) -> list[dict[str, Any]]:
    """The non-null branches of an ``anyOf``/``oneOf``."""
    for key in ("anyOf", "oneOf"):
        options = [s for s in schema.get(key) or [] if isinstance(s, dict) and _types(s) != ["null"]]
        if options:
            return options
    return []


def _types(schema: dict[str, Any]) -> list[str]:
    kind = schema.get("type")
    return [str(k) for k in kind] if isinstance(kind, list) else [str(kind)] if isinstance(kind, str) else []


def _nullable(schema: dict[str, Any]) -> bool:
    if "null" in _types(schema) or schema.get("nullable") is True:
        return True
    return any(
        isinstance(s, dict) and _types(s) == ["null"] for key in ("anyOf", "oneOf") for s in schema.get(key) or []
    )


def _adds(items: dict[str, Any], array: dict[str, Any]) -> bool:
    """Whether an item's row says more than its list's: a description of its own, a format or allowed values."""
    text = items.get("description")
    return bool(items.get("enum") or items.get("format") or (text and text != array.get("description")))
