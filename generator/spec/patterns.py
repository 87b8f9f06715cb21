"""Schema ``pattern``s that pydantic cannot compile: dropped with a warning, so one bad regex sinks nothing.

A pattern lands in ``models.py`` as ``Field(pattern=...)``; one that pydantic-core cannot compile (e.g.
``[[A-Z0-9]{1,18}``, an unclosed class) makes the generated package fail at import. Such a pattern is also
useless to a client, so it leaves the document: its string is then unconstrained, and the run says where.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from typing import Any

from pydantic_core import SchemaError, SchemaValidator, core_schema

from generator.spec.normalize import names_values
from generator.spec.refs import objects, walk


def drop_bad_patterns(document: dict[str, Any], patterns: Iterable[str] | None = None) -> list[tuple[str, str]]:
    """Remove each string ``pattern`` pydantic cannot compile; ``(JSON pointer, why)`` for each.

    ``patterns``: every pattern where a schema can be, when the caller has them already (``normalize.Survey``).
    """
    if patterns is None:
        patterns = {node["pattern"] for node in objects(document, skip=names_values) if _is_pattern(node)}
    if not any(compile_error(pattern) for pattern in patterns):
        return []  # the usual case: no place needs naming, so no pointers are built
    found: list[tuple[str, str]] = []
    for pointer, node in walk(document, skip=names_values):
        pattern = node.get("pattern")
        if isinstance(pattern, str) and (why := compile_error(pattern)):
            del node["pattern"]
            found.append((f"{pointer}/pattern", f"pattern {pattern[:80]!r} dropped: {why}"))
    return found


def _is_pattern(node: dict[str, Any]) -> bool:
    return isinstance(node.get("pattern"), str)


@cache
def compile_error(pattern: str) -> str:
    """Why pydantic (as the generated models use it) cannot compile ``pattern``; empty when it can."""
    try:
        SchemaValidator(core_schema.str_schema(pattern=pattern))
    except SchemaError as exc:
        return str(exc).strip().splitlines()[-1][:160]
    return ""
