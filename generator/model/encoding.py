"""How one argument is serialized, as the spec states it: a parameter's ``style``/``explode``/``allowReserved``
or ``content``; a form or multipart field's ``encoding`` entry; and whether ``null`` is a value it takes.

Only what differs from the location's default is kept (``style=""``, ``explode=None``), so a spec that states
the defaults generates what one that leaves them out does.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from generator.spec.refs import Resolver

DEFAULT_STYLE = {"path": "simple", "query": "form", "header": "simple", "cookie": "form", "body": "form"}
STYLES_BY_LOCATION = {
    "path": ("simple", "label", "matrix"),
    "query": ("form", "spaceDelimited", "pipeDelimited", "deepObject"),
    "header": ("simple",),
    "cookie": ("form",),
    "body": ("form", "spaceDelimited", "pipeDelimited", "deepObject"),
}


@dataclass(frozen=True)
class Encoding:
    """One argument's serialization facts (the runtime's ``ParamSpec`` fields of the same names)."""

    style: str = ""
    explode: bool | None = None
    reserved: bool = False
    media_type: str | None = None
    part_headers: tuple[tuple[str, str], ...] = ()


PLAIN = Encoding()


def of_parameter(param: dict[str, Any], location: str) -> Encoding:
    """A parameter's: its style and explode where they differ from the defaults, or its ``content`` type."""
    content = param.get("content")
    if param.get("schema") is None and isinstance(content, dict) and content:
        return Encoding(media_type=str(next(iter(content))))
    return _styled(param, location)


def of_field(entry: Any, kind: str, resolver: Resolver, where: str) -> Encoding:
    """A form or multipart field's ``encoding`` entry: style and explode (form bodies, or multipart when
    stated), its part's content type and constant headers (multipart)."""
    if not isinstance(entry, dict):
        return PLAIN
    styled = _stated(entry) if ("style" in entry or "explode" in entry) else PLAIN
    media_type = entry.get("contentType")
    concrete = isinstance(media_type, str) and "*" not in media_type and "," not in media_type
    headers = _constant_headers(entry.get("headers"), resolver, where) if kind == "multipart" else ()
    return Encoding(styled.style, styled.explode, styled.reserved, media_type if concrete else None, headers)


def _styled(node: dict[str, Any], location: str) -> Encoding:
    default = DEFAULT_STYLE[location]
    style = node.get("style") if node.get("style") in STYLES_BY_LOCATION[location] else default
    explode = node.get("explode")
    explode_default = style in ("form", "deepObject")
    kept = explode if isinstance(explode, bool) and explode != explode_default else None
    return Encoding("" if style == default else str(style), kept, node.get("allowReserved") is True)


def _stated(entry: dict[str, Any]) -> Encoding:
    """A field's stated style, kept even when it is ``form``: a stated style is serialized as it says (an
    unstated one leaves an object as JSON text, as the specification's own form example does)."""
    style = entry.get("style") if entry.get("style") in STYLES_BY_LOCATION["body"] else "form"
    explode = entry.get("explode")
    kept = explode if isinstance(explode, bool) and explode != (style in ("form", "deepObject")) else None
    return Encoding(str(style), kept, entry.get("allowReserved") is True)


def _constant_headers(headers: Any, resolver: Resolver, where: str) -> tuple[tuple[str, str], ...]:
    """A part's headers that have one value (a default, a single enum value or a const); others need input."""
    found = []
    for name, header in (headers or {}).items() if isinstance(headers, dict) else ():
        resolved = resolver.deref(header, f"{where} encoding headers")
        schema = resolver.deref(resolved.get("schema"), where) if isinstance(resolved, dict) else None
        value = constant(schema)
        if value is not None and str(name).lower() != "content-type":
            found.append((str(name), value))
    return tuple(found)


def constant(schema: Any) -> str | None:
    """The one value a schema allows or defaults to (``const``, a single ``enum`` value, a ``default``), as text."""
    if not isinstance(schema, dict):
        return None
    enum = schema.get("enum")
    for value in (schema.get("const"), enum[0] if isinstance(enum, list) and len(enum) == 1 else None):
        if isinstance(value, str | int | float) and not isinstance(value, bool):
            return str(value)
    default = schema.get("default")
    return str(default) if isinstance(default, str | int | float) and not isinstance(default, bool) else None


def nullable(schema: Any, resolver: Resolver, where: str) -> bool:
    """Whether ``null`` is a value the schema takes (``nullable: true``, a ``null`` type, or a null member)."""
    target = resolver.deref(schema, where)
    if not isinstance(target, dict):
        return False
    kinds = target.get("type")
    if target.get("nullable") is True or kinds == "null" or (isinstance(kinds, list) and "null" in kinds):
        return True
    members = [resolver.deref(m, where) for key in ("anyOf", "oneOf") for m in _listed(target.get(key))]
    return any(isinstance(m, dict) and m.get("type") == "null" for m in members)


def _listed(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []
