"""Schema ``pattern``s that no reader can compile: dropped with a warning, so one bad regex sinks nothing.

A pattern has two readers in a generated package: pydantic-core's regex engine (``Field(pattern=...)`` in
``models.py``) and Python's ``re`` (the argument rules' ``jsonschema`` check, before anything is sent). A pattern
one of them reads stays: a look-ahead (``^(?!.*[:"]).+$``, AWS) is Python's alone and stays out of ``models.py``
(:func:`pydantic_reads`); ``\\p{L}`` is pydantic's alone. One neither reads (``[[A-Z0-9]{1,18}``, an unclosed
class) is useless to a client too, so it leaves the document: its string is then unconstrained, and the run says
where.
"""

from __future__ import annotations

import re
import warnings
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
    """Why neither pydantic (as the generated models use it) nor Python's ``re`` can compile ``pattern``; empty
    when one can."""
    try:
        with warnings.catch_warnings():  # "Possible nested set" ([[A-Z]): read as ECMAScript reads it
            warnings.simplefilter("ignore", FutureWarning)
            re.compile(pattern)
    except re.error:
        return _pydantic_error(pattern)
    return ""


def pydantic_reads(pattern: str) -> bool:
    """Whether pydantic, as the generated models use it, compiles ``pattern``."""
    return not _pydantic_error(pattern)


@cache
def _pydantic_error(pattern: str) -> str:
    try:
        SchemaValidator(core_schema.str_schema(pattern=pattern))
    except SchemaError as exc:
        return str(exc).strip().splitlines()[-1][:160]
    return ""
