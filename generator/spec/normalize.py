"""Stage 2, normalize: repair serializer artifacts that real specs carry and openapi-pydantic rejects.

Each repair is counted and reported; nothing vendor-specific is named here: the same artifacts come from
swagger-core/springdoc in many vendors' specs.
"""

from __future__ import annotations

import copy
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from generator.errors import FatalError
from generator.spec import v32

# Keys whose values are maps from user-chosen names to nodes: their keys are names, never keywords.
NAME_MAPS = frozenset(
    {
        "properties",
        "patternProperties",
        "paths",
        "schemas",
        "responses",
        "parameters",
        "examples",
        "requestBodies",
        "headers",
        "securitySchemes",
        "links",
        "callbacks",
        "content",
        "encoding",
        "variables",
        "mapping",
        "definitions",
        "$defs",
        "webhooks",
        "pathItems",
    }
)
# The specification's style names, by case: ``FORM`` → ``form``, ``deepobject`` → ``deepObject``.
STYLES = {
    name.lower(): name
    for name in ("matrix", "label", "form", "simple", "spaceDelimited", "pipeDelimited", "deepObject", "cookie")
}
# Serializer artifacts: keys that are never part of OpenAPI or JSON Schema.
ARTIFACT_KEYS = frozenset({"exampleSetFlag", "types"})
# Keys whose values are values (examples, defaults), not schemas: a ``pattern`` under one constrains nothing.
NOT_SCHEMAS = frozenset({"example", "examples", "default", "enum", "const"})
_EXTENSIONS_DROPPED = frozenset({"paths", "responses"})  # name maps whose x- keys are not names
SUPPORTED = {"3.0": "3.0.4", "3.1": "3.1.2"}
_VERSION = re.compile(r"^(3\.[012])\.(\d+)$")


def names_values(key: object) -> bool:
    """Whether what ``key`` holds is data (an example, a default, an extension), never a schema."""
    return key in NOT_SCHEMAS or str(key).startswith("x-")


def check_version(document: dict[str, Any]) -> str:
    """Return the spec's ``major.minor`` (3.0, 3.1 or 3.2), or fail with a clear reason."""
    if "swagger" in document:
        raise FatalError("#/swagger", "Swagger 2.0 is not supported; convert the spec to OpenAPI 3 first")
    version = document.get("openapi")
    match = _VERSION.match(str(version)) if isinstance(version, str) else None
    if not match:
        raise FatalError("#/openapi", f"unsupported OpenAPI version {version!r}; expected 3.0.x, 3.1.x or 3.2.x")
    return match.group(1)


@dataclass
class Survey:
    """What the stages after this one look for in every object, gathered by the same walk as the repairs.

    A large spec is hundreds of thousands of objects, and each walk over them costs 0.1-0.2 s (GitHub's):
    so ``refs.dangling`` and ``patterns.drop_bad_patterns`` are handed these sets instead of walking again,
    and walk only when a target does not resolve or a pattern does not compile, to name the places.
    """

    refs: set[str] = field(default_factory=set)  # every local ``$ref`` target, anywhere
    patterns: set[str] = field(default_factory=set)  # every string ``pattern`` where a schema can be
    skipped: list[tuple[str, str]] = field(default_factory=list)  # ``(where, why)``: what could not be read


def normalize(
    document: dict[str, Any], *, in_place: bool = False, survey: Survey | None = None
) -> tuple[dict[str, Any], list[str]]:
    """Return the repaired document and one note per kind of repair made.

    The repairs go into a deep copy, unless the caller owns ``document`` and says so with ``in_place``
    (the pipeline does: copying a 1,000-operation spec costs more than repairing it). A ``survey`` is filled
    from the repaired document on the way.
    """
    minor = check_version(document)
    doc = document if in_place else copy.deepcopy(document)
    counts: Counter[str] = Counter()
    survey = survey or Survey()
    if minor == "3.2":  # read as 3.1 plus what a tool needs from 3.2 (``generator.spec.v32``)
        survey.skipped += v32.lower(doc)
        minor = "3.1"
    survey.skipped += v32.inline_path_items(doc)
    exact = _pick_version(doc["openapi"], minor)
    if exact != doc["openapi"]:
        counts[f"version {doc['openapi']} read as {exact}"] += 1
        doc["openapi"] = exact
    _walk(doc, counts, survey, in_name_map=False, parent_key="", schema=True)
    components = doc.get("components")
    if isinstance(components, dict) and components.get("extensions") == {}:
        del components["extensions"]
        counts["empty components.extensions removed"] += 1
    notes = [f"{what} ({n}x)" if n > 1 else what for what, n in sorted(counts.items())]
    return doc, notes


def _pick_version(version: str, minor: str) -> str:
    exact = SUPPORTED[minor]
    if not version.startswith(f"{minor}."):  # 3.2, lowered to 3.1
        return exact
    patch = int(version.split(".")[2])
    return version if patch <= int(exact.split(".")[2]) else exact


def _walk(node: Any, counts: Counter[str], survey: Survey, *, in_name_map: bool, parent_key: str, schema: bool) -> None:
    """Repair ``node`` and what it holds; ``schema``: no key on the way here names values (``names_values``)."""
    if isinstance(node, list):
        for item in node:
            if isinstance(item, (dict, list)):
                _walk(item, counts, survey, in_name_map=False, parent_key=parent_key, schema=schema)
        return
    if not isinstance(node, dict):
        return
    if in_name_map and parent_key in _EXTENSIONS_DROPPED:
        for key in [k for k in node if isinstance(k, str) and k.startswith("x-")]:
            del node[key]
            counts[f"x- key removed from {parent_key}"] += 1
    elif not in_name_map:
        if not ARTIFACT_KEYS.isdisjoint(node):
            for key in [k for k in node if k in ARTIFACT_KEYS]:
                del node[key]
                counts[f"non-standard key {key!r} removed"] += 1
        style = node.get("style")
        canonical = STYLES.get(style.lower()) if isinstance(style, str) else None
        if canonical and style != canonical and ("in" in node or parent_key in {"encoding", "headers"}):
            node["style"] = canonical
            counts["parameter style spelled as the specification does"] += 1
    ref = node.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/"):
        survey.refs.add(ref)
    pattern = node.get("pattern")
    if schema and isinstance(pattern, str):
        survey.patterns.add(pattern)
    for key, value in node.items():
        if isinstance(value, (dict, list)):
            inner = schema and not names_values(key)
            if in_name_map:
                _walk(value, counts, survey, in_name_map=False, parent_key=parent_key, schema=inner)
            else:
                _walk(value, counts, survey, in_name_map=key in NAME_MAPS, parent_key=key, schema=inner)
