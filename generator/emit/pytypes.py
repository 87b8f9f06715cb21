"""JSON Schema → the Python type expression a generated tool function declares for an argument."""

from __future__ import annotations

from typing import Any

from generator.emit.arguments import Arg
from generator.emit.listing import enum_allows_null
from generator.model import naming
from generator.spec.refs import schema_name

MAX_LITERALS = 64
SIMPLE = {"string": "str", "integer": "int", "number": "float", "boolean": "bool"}
FILE = "str | dict[str, Any]"  # a local path, or inline content the runtime decodes


def arg_annotation(arg: Arg, models: frozenset[str]) -> str:
    """An argument's annotation: a local one's own type, a file's path-or-content, else its declared schema's."""
    if arg.python_type is not None or arg.param is None:
        return arg.python_type or "Any"
    if arg.param.is_file:
        return f"list[{FILE}]" if arg.param.schema.get("type") == "array" else FILE
    return annotation(arg.param.declared, models)


def annotation(raw: Any, models: frozenset[str]) -> str:
    """The annotation for a raw OpenAPI schema; ``$ref``s become ``models.X`` when ``X`` was generated."""
    if not isinstance(raw, dict):
        return "Any"
    base = _base(raw, models)
    kinds = raw.get("type")
    nullable = raw.get("nullable") is True or (isinstance(kinds, list) and "null" in kinds and enum_allows_null(raw))
    if nullable and base != "Any":
        return f"{base} | None"
    return base


def _base(raw: dict[str, Any], models: frozenset[str]) -> str:
    ref = raw.get("$ref")
    if isinstance(ref, str):
        name = naming.class_name(schema_name(ref))
        return f"models.{name}" if name in models else "Any"
    kind = raw.get("type")
    if isinstance(kind, list):
        kinds = [k for k in kind if k != "null"]
        kind = kinds[0] if len(kinds) == 1 else None
    enum = raw.get("enum")
    if kind == "string" and raw.get("format") == "byte":
        return "str | dict[str, Any]"  # base64 text, or a file object the runtime reads and encodes
    if kind == "string" and isinstance(enum, list) and 0 < len(enum) <= MAX_LITERALS:
        values = [v for v in enum if isinstance(v, str)]
        if len(values) == len(enum):
            return "Literal[" + ", ".join(repr(v) for v in values) + "]"
    if isinstance(kind, str) and kind in SIMPLE:  # a spec may give ``type`` a non-string (codat.io accounting)
        return SIMPLE[kind]
    if kind == "array":
        return f"list[{annotation(raw.get('items'), models)}]"
    if kind == "object" or "properties" in raw:
        return "dict[str, Any]"
    return "Any"
