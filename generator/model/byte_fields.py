"""Where a JSON body carries base64 file content (``format: byte``), so the runtime can fill it from a file.

Gumloop's ``/upload_file`` takes ``file_content`` and ``/upload_files`` takes ``files[].file_content`` as base64
text; agents should not have to put a file's bytes into their context to send it.
"""

from __future__ import annotations

from typing import Any

from generator.spec.refs import Resolver

MAX_DEPTH = 6
Path = tuple[str, ...]


def byte_paths(
    schema: Any, resolver: Resolver, where: str, depth: int = 0, seen: frozenset[str] = frozenset()
) -> list[Path]:
    """Paths below ``schema`` to base64 strings: property names, with ``[]`` for array items."""
    if not isinstance(schema, dict) or depth > MAX_DEPTH:
        return []
    ref = schema.get("$ref")
    if isinstance(ref, str):
        return [] if ref in seen else byte_paths(resolver.lookup(ref, where), resolver, where, depth + 1, seen | {ref})
    if schema.get("type") == "string" and schema.get("format") == "byte":
        return [()]
    found: list[Path] = []
    if schema.get("type") == "array" or "items" in schema:
        found += [("[]", *p) for p in byte_paths(schema.get("items"), resolver, where, depth + 1, seen)]
    for name, sub in (schema.get("properties") or {}).items():
        found += [(str(name), *p) for p in byte_paths(sub, resolver, where, depth + 1, seen)]
    return found
