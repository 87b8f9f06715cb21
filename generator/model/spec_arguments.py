"""An operation's raw arguments, as the spec states them: parameters, then the request body's fields.

Nothing is named or converted here (see ``generator.model.params``); this only decides what is an argument,
where it goes on the wire, and which body encoding the operation takes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any

from generator.errors import Report
from generator.model import encoding
from generator.model.encoding import PLAIN, Encoding
from generator.model.ir import BodyKind, Location
from generator.model.prose import WHOLE, brief
from generator.spec.refs import Resolver

HEADER_TOKEN = re.compile(r"^[!#$%&'*+.^_`|~0-9A-Za-z-]+$")
# A JSON body's media types, the preferred first (a ``+json`` type ranks as ``text/json``): ties keep the spec's order.
JSON_RANKS = {"application/json": 0, "text/json": 1, "*/*": 2}
HTTP_LOCATIONS = ("path", "query", "header", "cookie")
# Header parameters the OpenAPI specification says to ignore: the body's media type sets ``Content-Type``, the
# client ``Accept``; a model asked for them could only contradict the body (``Authorization``: ``fixed``).
IGNORED_HEADERS = ("content-type", "accept")
DESCRIPTION_LIMIT = WHOLE  # the full text: listings cut their own (``generator.emit.listing``)
BINARY_BODIES = ("application/octet-stream", "*/*", "application/zip", "application/pdf", "application/gzip")
FILE_PART = "file"  # the part a multipart body of files alone is sent in (no property names one)


@dataclass(frozen=True)
class RawArg:
    """An argument before naming: where it goes and its schema as the spec wrote it."""

    wire: str
    location: Location
    required: bool
    schema: Any
    description: str
    is_file: bool = False
    encoding: Encoding = PLAIN  # how the value is serialized (style, explode, content type, part headers)
    nullable: bool = False  # ``null`` is one of its values and a given null is sent (required, or a JSON body field)


@dataclass(frozen=True)
class Body:
    """How an operation takes its request body, and the arguments the body contributes."""

    kind: BodyKind = "none"
    media_type: str | None = None
    required: bool = False
    args: tuple[RawArg, ...] = ()


NO_BODY = Body()


def parameters(
    operation: dict[str, Any], item: dict[str, Any], resolver: Resolver, where: str, report: Report
) -> list[RawArg]:
    """Path-item and operation parameters (the operation's win), skipping ones no request can carry."""
    merged: dict[tuple[str, str], dict[str, Any]] = {}
    for source in (item.get("parameters") or [], operation.get("parameters") or []):
        for index, raw in enumerate(source):
            param = resolver.deref(raw, f"{where} parameters[{index}]")
            if not isinstance(param, dict) or "name" not in param or "in" not in param:
                report.warn(where, f"parameters[{index}] has no name or location; ignored")
                continue
            merged[(str(param["in"]), str(param["name"]))] = param
    args = []
    for (location, name), param in merged.items():
        if location in ("header", "cookie") and not HEADER_TOKEN.match(name):
            report.warn(where, f"{location} parameter {name!r} is not a valid HTTP token; skipped")
        elif location not in HTTP_LOCATIONS:
            report.warn(where, f"parameter {name!r} is in {location!r}, which is not an HTTP location; ignored")
        elif location == "header" and name.lower() in IGNORED_HEADERS:
            said = f"header parameter {name!r} is set by the server, as OpenAPI says; never an argument"
            if not any(p.message == said for p in report.problems):  # once, at the first operation declaring it
                report.warn(where, said)
        else:
            args.append(_parameter(name, location, param, resolver, where))
    return args


def _parameter(name: str, location: Any, param: dict[str, Any], resolver: Resolver, where: str) -> RawArg:
    schema = param.get("schema")
    if schema is None and isinstance(param.get("content"), dict) and param["content"]:
        schema = next(iter(param["content"].values())).get("schema")
    required = location == "path" or bool(param.get("required"))
    description = brief(param.get("description"), DESCRIPTION_LIMIT)
    schema = schema if schema is not None else {"type": "string"}
    nullable = required and encoding.nullable(schema, resolver, where)
    return RawArg(
        name, location, required, schema, description, False, encoding.of_parameter(param, location), nullable
    )


def body(operation: dict[str, Any], resolver: Resolver, where: str) -> Body:
    """The request body: its encoding, and one argument per top-level field (or one for the whole body)."""
    raw = operation.get("requestBody")
    if raw is None:
        return NO_BODY
    found = resolver.deref(raw, f"{where} requestBody")
    content = found.get("content") if isinstance(found, dict) else None
    if not isinstance(content, dict) or not content:
        return NO_BODY
    required = bool(found.get("required"))
    media_type, kind = _pick_media_type(content)
    media = content.get(media_type) or {}
    schema = media.get("schema") or {}
    if media_type.split(";")[0].strip() == "*/*" and _binary_string(resolver.deref(schema, f"{where} requestBody")):
        kind = "raw"  # ``*/*`` is taken as JSON, unless its schema is a file's bytes
    elif kind == "json" and "*" in media_type:
        media_type = "application/json"  # the media type sent: a JSON body's own, a wildcard's as plain JSON
    if kind == "raw":
        if _whole_file(media_type, resolver.deref(schema, f"{where} requestBody")):
            text = f"The file to send as the whole request body ({media_type})."
            return Body(kind, media_type, required, (RawArg("body", "body_whole", required, schema, text, True),))
        whole = RawArg("body", "body_whole", required, {"type": "string"}, f"Request body ({media_type}).")
        return Body(kind, media_type, required, (whole,))
    fields = _body_args(kind, required, schema, resolver, where)
    if kind in ("form", "multipart") and isinstance(media.get("encoding"), dict):
        fields = [_encoded(arg, media["encoding"].get(arg.wire), kind, resolver, where) for arg in fields]
    return Body(kind, media_type, required, tuple(fields))


def _encoded(arg: RawArg, entry: Any, kind: str, resolver: Resolver, where: str) -> RawArg:
    """A form or multipart field with its ``encoding`` entry's facts."""
    if arg.location != "body" or entry is None:
        return arg
    return replace(arg, encoding=encoding.of_field(resolver.deref(entry, f"{where} encoding"), kind, resolver, where))


def _body_args(kind: BodyKind, required: bool, schema: Any, resolver: Resolver, where: str) -> list[RawArg]:
    target = resolver.deref(schema, f"{where} requestBody")
    properties, needed = _object_shape(target, resolver, where)
    if kind == "multipart" and not properties and _is_binary(target, resolver, where):
        # a multipart body whose schema is no object (Jira's attachments: an array of files): files in part ``file``
        return [RawArg(FILE_PART, "body", required, schema, "The file(s) to send, each as a part named 'file'.", True)]
    if not properties or any(k in target for k in ("oneOf", "anyOf")):
        text = target.get("description") if isinstance(target, dict) else None
        return [RawArg("body", "body_whole", required, schema, brief(text, DESCRIPTION_LIMIT) or "The request body.")]
    args = []
    for name, sub in properties.items():
        resolved = resolver.deref(sub, f"{where} requestBody/{name}")
        if isinstance(resolved, dict) and resolved.get("readOnly") is True:
            continue
        is_file = kind == "multipart" and _is_binary(resolved, resolver, where)
        description = brief(resolved.get("description") if isinstance(resolved, dict) else None, DESCRIPTION_LIMIT)
        # An optional body that is sent must still hold its required fields; the tool always sends its body
        # fields, so those are required arguments either way (else a valid call sends an invalid body). A null the
        # schema allows is sent when given: always in a JSON body (it clears a field), else only where required.
        nullable = (name in needed or kind == "json") and encoding.nullable(resolved, resolver, where)
        args.append(RawArg(str(name), "body", name in needed, sub, description, is_file, PLAIN, nullable))
    extra = target.get("additionalProperties")
    if extra is True or (isinstance(extra, dict) and extra):
        args.append(
            RawArg("additional_properties", "body_extra", False, {"type": "object"}, "More top-level body fields.")
        )
    return args


def _object_shape(target: Any, resolver: Resolver, where: str, depth: int = 0) -> tuple[dict[str, Any], set[str]]:
    """Top-level properties and required names of an object body, ``allOf`` members merged in."""
    if not isinstance(target, dict) or depth > 16:
        return {}, set()
    own = target.get("properties")
    shapes = [
        *(_object_shape(resolver.deref(m, f"{where} requestBody/allOf"), resolver, where, depth + 1)
          for m in target.get("allOf") or []),
        (own if isinstance(own, dict) else {}, {str(n) for n in target.get("required") or []}),
    ]  # fmt: skip
    properties: dict[str, Any] = {}
    needed: set[str] = set()
    for sub_properties, sub_needed in shapes:
        for name, schema in sub_properties.items():
            properties[name] = _together(properties[name], schema, resolver, where) if name in properties else schema
        needed |= sub_needed
    return properties, needed


def _together(first: Any, second: Any, resolver: Resolver, where: str) -> Any:
    """One property that two ``allOf`` members both define: both hold, so it takes null only where both allow it
    (rev.ai's ``media_url``: a required string in one member, a nullable one in another). The later member's other
    keywords stand over the earlier's, as before."""
    if not isinstance(first, dict) or not isinstance(second, dict) or "$ref" in first or "$ref" in second:
        return second
    merged = {**first, **second}
    if encoding.nullable(first, resolver, where) and encoding.nullable(second, resolver, where):
        return merged
    merged.pop("nullable", None)
    kinds = merged.get("type")
    if isinstance(kinds, list):
        named = [kind for kind in kinds if kind != "null"]
        merged["type"] = named[0] if len(named) == 1 else named
    return merged


def _pick_media_type(content: dict[str, Any]) -> tuple[str, BodyKind]:
    """The media type a body is sent as, and its kind: JSON first (plain ``application/json`` when listed, then the
    first other JSON type, a wildcard last), then multipart, then a form, else the first one, raw."""
    ranked = sorted((rank, i, m) for i, m in enumerate(content) if (rank := _json_rank(m)) is not None)
    if ranked:
        return ranked[0][2], "json"
    for media_type in content:
        base = media_type.split(";")[0].strip().lower()
        if base == "multipart/form-data":
            return media_type, "multipart"
        if base == "application/x-www-form-urlencoded":
            return media_type, "form"
    return next(iter(content)), "raw"


def _json_rank(media_type: str) -> int | None:
    """Where a media type stands among the JSON ones (``None``: not JSON)."""
    base = media_type.split(";", maxsplit=1)[0].strip().lower()
    return JSON_RANKS["text/json"] if base.endswith("+json") else JSON_RANKS.get(base)


def _whole_file(media_type: str, schema: Any) -> bool:
    """Whether a body that is neither JSON nor a form is a file's bytes: octet-stream, ``*/*``, an image, audio or
    video type, or a ``format: binary`` string (GitHub's release asset, sent as ``application/octet-stream``)."""
    base = media_type.split(";", maxsplit=1)[0].strip().lower()
    return _binary_string(schema) or base in BINARY_BODIES or base.startswith(("image/", "audio/", "video/"))


def _binary_string(schema: Any) -> bool:
    return isinstance(schema, dict) and schema.get("type") in ("string", None) and schema.get("format") == "binary"


def _is_binary(schema: Any, resolver: Resolver, where: str) -> bool:
    if not isinstance(schema, dict):
        return False
    if schema.get("format") in ("binary", "byte") and schema.get("type") == "string":
        return schema.get("format") == "binary"
    items = resolver.deref(schema.get("items"), where) if schema.get("type") == "array" else None
    return isinstance(items, dict) and items.get("format") == "binary"
