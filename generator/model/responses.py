"""What an operation answers on success: its kind, and the lean JSON Schema of its first 2xx JSON response.

The generated server does not list output schemas, but an agent reads the fields an upstream answers with,
so a lock records a hash of each success response schema and ``diff`` compares their fields.
"""

from __future__ import annotations

import json
import re
from typing import Any

from generator.model.ir import ResponseKind
from generator.model.schemas import SchemaConverter
from generator.runtime.contract import NothingFound
from generator.spec.refs import RefError, Resolver


def response_kind(operation: dict[str, Any], resolver: Resolver, where: str) -> ResponseKind:
    """What a successful response carries: json, text, binary or nothing."""
    for status, raw in sorted((operation.get("responses") or {}).items()):
        if not str(status).startswith("2"):
            continue
        response = resolver.deref(raw, f"{where} responses/{status}")
        content = response.get("content") if isinstance(response, dict) else None
        if not content:
            continue
        media = str(next(iter(content))).lower()
        if "json" in media or media == "*/*":
            return "json"
        return "text" if media.startswith("text/") else "binary"
    return "empty"


def success_schema(operation: dict[str, Any], resolver: Resolver, where: str) -> dict[str, Any] | None:
    """The converted schema of the first 2xx JSON response, with its shared components under ``$defs``."""
    try:
        for status, raw in sorted((operation.get("responses") or {}).items()):
            if not str(status).startswith("2"):
                continue
            response = resolver.deref(raw, f"{where} responses/{status}")
            schema = _json_schema(response)
            if schema is not None:
                return _converted(schema, resolver, where)
    except (RefError, RecursionError):
        return None  # broken refs are reported where arguments use them; an unreadable response stays unlocked
    return None


def _json_schema(response: Any) -> Any:
    content = response.get("content") if isinstance(response, dict) else None
    if not isinstance(content, dict):
        return None
    for media, body in content.items():
        if ("json" in str(media).lower() or media == "*/*") and isinstance(body, dict) and "schema" in body:
            return body["schema"]
    return None


def _converted(schema: Any, resolver: Resolver, where: str) -> dict[str, Any]:
    """The converted schema, once per distinct schema text: many operations answer with the same component.

    The result depends on the schema and the document only, and is shared, read-only, by the tools that answer it.
    """
    try:
        key = ("success_schema", json.dumps(schema, ensure_ascii=False))
    except (TypeError, ValueError):
        return _convert(schema, resolver, where)
    if key not in resolver.memo:
        resolver.memo[key] = _convert(schema, resolver, where)
    converted: dict[str, Any] = resolver.memo[key]
    return converted


def _convert(schema: Any, resolver: Resolver, where: str) -> dict[str, Any]:
    converter = SchemaConverter(resolver, where, drop_read_only=False)
    converter.survey(schema)
    converted = converter.convert(schema)
    if converter.defs:
        converted["$defs"] = dict(sorted(converter.defs.items()))
    return converted


def nothing_found(
    operation: dict[str, Any], resolver: Resolver, where: str, read_only: bool, schema: dict[str, Any] | None
) -> NothingFound | None:
    """The spec's own word that a read answers "nothing found" with 404 (its description: "No calls found for the
    specified period", "no results"): an empty list, when the success answer has one list to leave empty."""
    raw = (operation.get("responses") or {}).get("404")
    try:
        response = resolver.deref(raw, f"{where} responses/404") if raw is not None else None
    except (RefError, RecursionError):
        return None
    said = response.get("description") if isinstance(response, dict) else None
    if not read_only or not isinstance(said, str) or not re.search(NothingFound().message, said):
        return None
    field = list_field(schema)
    return NothingFound(list_field=field) if field is not None else None


def list_field(schema: dict[str, Any] | None) -> str | None:
    """Where a success answer holds its list: ``""`` when it is one, else its only array field (None: neither)."""
    if not isinstance(schema, dict):
        return None
    if schema.get("type") == "array":
        return ""
    properties = schema.get("properties")
    arrays = [k for k, v in (properties or {}).items() if isinstance(v, dict) and v.get("type") == "array"]
    return arrays[0] if len(arrays) == 1 else None
