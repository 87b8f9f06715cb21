"""What each operation answers on success, as lean JSON Schema: the other half of a tool's surface.

The generated server does not list output schemas, but an agent reads the fields an upstream answers with,
so a lock records a hash of each success response schema and ``diff`` compares their fields.
"""

from __future__ import annotations

from typing import Any

from generator.model.config import VendorConfig
from generator.model.schemas import SchemaConverter
from generator.spec.load import load_spec
from generator.spec.normalize import normalize
from generator.spec.refs import RefError, Resolver
from generator.spec.structure import iter_operations

Endpoint = tuple[str, str]


def response_schemas(config: VendorConfig) -> dict[Endpoint, dict[str, Any]]:
    """``{(METHOD, path): schema}`` for every operation whose success response has a JSON schema."""
    spec = load_spec(config.spec_location(), config.spec.sha256)
    document, _ = normalize(spec.document)
    resolver = Resolver(document)
    found = {}
    for method, path, operation, _ in iter_operations(document):
        schema = success_schema(operation, resolver, f"{method} {path}")
        if schema:
            found[(method, path)] = schema
    return found


def success_schema(operation: dict[str, Any], resolver: Resolver, where: str) -> dict[str, Any] | None:
    """The converted schema of the first 2xx JSON response, with its shared components under ``$defs``."""
    try:
        for status, raw in sorted((operation.get("responses") or {}).items()):
            if not str(status).startswith("2"):
                continue
            response = resolver.deref(raw, f"{where} responses/{status}")
            schema = _json_schema(response)
            if schema is not None:
                return _convert(schema, resolver, where)
    except (RefError, RecursionError):
        return None  # the parse stage reports broken refs; a response we cannot read is left unlocked
    return None


def _json_schema(response: Any) -> Any:
    content = response.get("content") if isinstance(response, dict) else None
    if not isinstance(content, dict):
        return None
    for media, body in content.items():
        if ("json" in str(media).lower() or media == "*/*") and isinstance(body, dict) and "schema" in body:
            return body["schema"]
    return None


def _convert(schema: Any, resolver: Resolver, where: str) -> dict[str, Any]:
    converter = SchemaConverter(resolver, where, drop_read_only=False)
    converter.survey(schema)
    converted = converter.convert(schema)
    if converter.defs:
        converted["$defs"] = dict(sorted(converter.defs.items()))
    return converted
