"""Tool-surface locks: the facts an agent depends on, per tool, recorded next to each vendor config.

A lock (``openapi/<vendor>.lock.json``) holds the spec's sha256 and, per tool, its operation, scopes,
annotations, a hash of each schema it lists, and one entry per argument (nested fields included) with its
type and whether it is required. Facts only: no descriptions, summaries or titles, so no vendor prose.
The same *surface* is built from an in-memory generation, which makes ``check`` and ``diff`` one
comparison (``generator.surface.diff``).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any, TypeGuard

from generator.emit.arguments import input_schema
from generator.emit.catalog import catalog
from generator.errors import FatalError
from generator.model.config import VendorConfig
from generator.model.ir import Server, Tool
from generator.model.prose import brief

LOCK_VERSION = 1
SCHEMA_KEYS = ("input_schema", "output_schema")
MAX_DEPTH = 12
MEMORY_ONLY = frozenset({"response_fields"})
LOCKED_DESCRIPTION = 240  # a response's descriptions count to this length in its hash, as in every lock so far
CONSTRAINTS = (
    "minLength",
    "maxLength",
    "pattern",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
    "minItems",
    "maxItems",
    "uniqueItems",
    "minProperties",
    "maxProperties",
    "const",
    "default",
)


def lock_path(config: VendorConfig) -> Path:
    """Where a vendor's lock lives: beside its config, ``<name>.lock.json``."""
    return Path(config.source_dir) / f"{config.name}.lock.json"


def schema_hash(schema: Any) -> str:
    """A stable sha256 of a JSON value (sorted keys, no whitespace)."""
    text = json.dumps(schema, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def surface(server: Server) -> dict[str, Any]:
    """The tool surface of one generated server; ``for_lock`` of it is what ``mcpgen lock`` writes.

    Each tool's success response (``Tool.response_schema``) adds its hash, and its fields in memory only
    (``response_fields``), so a diff of two specs can name them while a lock stays small.
    """
    listed = catalog(server)
    tools = {}
    for tool in sorted(server.tools, key=lambda t: t.name):
        facts = tool_facts(tool, listed.get(tool.name, {}))
        response = tool.response_schema
        if response is not None:
            facts["response_schema_sha256"] = schema_hash(_as_locked(response))
            facts["response_fields"] = flatten(response)
        tools[tool.name] = facts
    return {
        "lock_version": LOCK_VERSION,
        "vendor": server.vendor,
        "spec": {"name": server.spec_name, "sha256": server.spec_sha256},
        "tools": tools,
    }


def _as_locked(node: Any) -> Any:
    """A response schema as its hash reads it: each description cut to ``LOCKED_DESCRIPTION`` characters.

    The IR keeps descriptions whole for ``describe_tool``; a lock records the surface, and the same spec must keep
    the same lock.
    """
    if isinstance(node, list):
        return [_as_locked(item) for item in node]
    if not isinstance(node, dict):
        return node
    return {
        key: brief(value, LOCKED_DESCRIPTION) if key == "description" and isinstance(value, str) else _as_locked(value)
        for key, value in node.items()
    }


def for_lock(document: dict[str, Any]) -> dict[str, Any]:
    """A surface without its in-memory-only parts (response fields)."""
    tools = {
        name: {k: v for k, v in facts.items() if k not in MEMORY_ONLY} for name, facts in document["tools"].items()
    }
    return {**document, "tools": tools}


def tool_facts(tool: Tool, listed: dict[str, Any]) -> dict[str, Any]:
    """One tool's facts; ``listed`` is its ``tools.json`` entry (what ``tools/list`` serves)."""
    schemas = {key: listed[key] for key in SCHEMA_KEYS if isinstance(listed.get(key), dict)}
    schemas.setdefault("input_schema", input_schema(tool))
    facts: dict[str, Any] = {
        "operation_id": tool.operation_id,
        "method": tool.method,
        "path": tool.path,
        "scopes": sorted(tool.scopes),
        "conditional_scopes": sorted(tool.conditional_scopes),
        "annotations": {
            "read_only": tool.hints.read_only,
            "destructive": tool.hints.destructive,
            "idempotent": tool.hints.idempotent,
            "open_world": tool.hints.open_world,
        },
        "deprecated": tool.deprecated,
        "credits": tool.credits,
    }
    for key, schema in sorted(schemas.items()):
        facts[f"{key}_sha256"] = schema_hash(schema)
    facts["arguments"] = flatten(schemas["input_schema"])
    return facts


def flatten(schema: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Every property and nested field of a schema (arguments, response fields): ``{"filter.fromDate": {...}}``.

    Arrays add ``[]`` to the path (``filter.userIds[]``); ``$ref`` into ``$defs`` is followed once per
    branch, so a recursive model ends in a ``ref:Name`` type instead of looping.
    """
    fields: dict[str, dict[str, Any]] = {}
    _walk(schema, "", schema.get("$defs") or {}, fields, frozenset(), required=True, depth=0)
    fields.pop("", None)
    return dict(sorted(fields.items()))


def _walk(
    schema: Any,
    where: str,
    defs: dict[str, Any],
    fields: dict[str, dict[str, Any]],
    seen: frozenset[str],
    required: bool,
    depth: int,
) -> None:
    if not isinstance(schema, dict) or depth > MAX_DEPTH:
        return
    ref = schema.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/$defs/"):
        name = ref.removeprefix("#/$defs/")
        if name in seen:
            fields[where] = {"type": f"ref:{name}", "required": required}
            return
        merged = {**(defs.get(name) or {}), **{k: v for k, v in schema.items() if k != "$ref"}}
        _walk(merged, where, defs, fields, seen | {name}, required, depth + 1)
        return
    fields[where] = {**describe(schema), "required": required}
    for key in ("allOf", "anyOf", "oneOf"):
        for branch in schema.get(key) or []:
            _walk_children(branch, where, defs, fields, seen, depth + 1)
    _walk_children(schema, where, defs, fields, seen, depth)


def _walk_children(
    schema: Any, where: str, defs: dict[str, Any], fields: dict[str, dict[str, Any]], seen: frozenset[str], depth: int
) -> None:
    if not isinstance(schema, dict):
        return
    ref = schema.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/$defs/") and ref.removeprefix("#/$defs/") not in seen:
        name = ref.removeprefix("#/$defs/")
        _walk_children(defs.get(name), where, defs, fields, seen | {name}, depth + 1)
        return
    needed = set(schema.get("required") or [])
    for prop, sub in (schema.get("properties") or {}).items():
        child = f"{where}.{prop}" if where else str(prop)
        _walk(sub, child, defs, fields, seen, prop in needed, depth + 1)
    items = schema.get("items")
    if isinstance(items, dict):
        _walk(items, f"{where}[]", defs, fields, seen, True, depth + 1)


def describe(schema: dict[str, Any]) -> dict[str, Any]:
    """The facts of one schema node: its type (``string``, ``integer|null``, ``oneOf``), format, enum."""
    facts: dict[str, Any] = {"type": type_name(schema)}
    if isinstance(schema.get("format"), str):
        facts["format"] = schema["format"]
    enum = schema.get("enum")
    if isinstance(enum, list):
        facts["enum"] = sorted({json.dumps(v, sort_keys=True) if not isinstance(v, str) else v for v in enum})
    if schema.get("additionalProperties") not in (None, False):
        facts["additional_properties"] = True
    limits = {key: schema[key] for key in CONSTRAINTS if key in schema and not isinstance(schema[key], dict | list)}
    if limits:
        facts["constraints"] = limits
    return facts


def type_name(schema: dict[str, Any]) -> str:
    """``string``, ``integer|null``, ``anyOf(object|null)``; ``any`` when the schema says nothing."""
    kind = schema.get("type")
    if isinstance(kind, list):
        return "|".join(sorted(str(k) for k in kind))
    if isinstance(kind, str):
        return kind
    for key in ("oneOf", "anyOf", "allOf"):
        branches = schema.get(key)
        if isinstance(branches, list) and branches:
            inner = sorted({type_name(b) if isinstance(b, dict) else "any" for b in branches})
            return f"{key}({'|'.join(inner)})"
    if "properties" in schema:
        return "object"
    if "$ref" in schema:
        return f"ref:{str(schema['$ref']).rsplit('/', 1)[-1]}"
    return "any"


def dumps(document: dict[str, Any]) -> str:
    """The committed text of a lock: sorted keys, one line per argument, a trailing newline.

    A value whose compact form fits in ``INLINE`` characters stays on one line, so a review diff shows one
    changed line per changed argument.
    """
    return _dump(for_lock(document), 0) + "\n"


INLINE = 120


def _dump(value: Any, level: int) -> str:
    compact = json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(", ", ": "))
    if not isinstance(value, dict | list) or not value or len(compact) + level <= INLINE:
        return compact
    pad, inner = " " * level, " " * (level + 1)
    if isinstance(value, list):
        return "[\n" + ",\n".join(inner + _dump(v, level + 1) for v in value) + f"\n{pad}]"
    rows = [f"{inner}{json.dumps(k, ensure_ascii=False)}: {_dump(value[k], level + 1)}" for k in sorted(value)]
    return "{\n" + ",\n".join(rows) + f"\n{pad}}}"


def read_lock(path: Path) -> dict[str, Any] | None:
    """A lock from disk, or ``None`` when there is none yet; a damaged lock is a one-line error."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise FatalError(path.as_posix(), f"cannot read lock: {exc}") from None
    except json.JSONDecodeError as exc:
        raise FatalError(f"{path.as_posix()}:{exc.lineno}:{exc.colno}", f"invalid lock JSON: {exc.msg}") from None
    if not is_lock(document):
        raise FatalError(path.as_posix(), f"not an mcpgen lock (expected lock_version {LOCK_VERSION} and tools)")
    return document


def is_lock(document: Any) -> TypeGuard[dict[str, Any]]:
    """Whether a decoded JSON value is a lock this version understands."""
    return (
        isinstance(document, dict)
        and document.get("lock_version") == LOCK_VERSION
        and isinstance(document.get("tools"), dict)
    )


def write_lock(path: Path, document: dict[str, Any]) -> bool:
    """Write a lock atomically; returns whether the text changed."""
    text = dumps(document)
    try:
        if path.exists() and path.read_text(encoding="utf-8") == text:
            return False
        scratch = path.with_name(f".{path.name}.tmp")
        scratch.write_text(text, encoding="utf-8")
        scratch.replace(path)
    except OSError as exc:
        raise FatalError(path.as_posix(), f"cannot write lock: {exc.strerror or exc}") from None
    return True
