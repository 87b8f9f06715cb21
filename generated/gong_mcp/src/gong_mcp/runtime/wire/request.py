"""Tool arguments → one HTTP request: the path, query, headers and cookies by the spec's serialization rules
(``wire.styles``), the server's own values (credential and constant parameters), and a JSON, form, multipart
or raw body."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from pydantic import BaseModel

from ..contract import Fixed, Operation, ParamSpec
from ..failures import BadArgument, UploadError
from . import bodies, styles, uploads


@dataclass
class Request:
    """Everything ``httpx2`` needs to send one call; ``target()`` is the URL with its query."""

    method: str
    url: str
    params: list[tuple[str, str]] = field(default_factory=list)  # pairs still to encode (credentials)
    headers: dict[str, str] = field(default_factory=dict)
    json: Any = None
    data: dict[str, Any] | None = None
    files: list[tuple[str, tuple[Any, ...]]] | None = None
    content: bytes | None = None
    query: list[str] = field(default_factory=list)  # encoded ``k=v`` fragments, in order

    def target(self) -> str:
        """The URL with every query fragment: the arguments' (as serialized) then the credentials'."""
        pairs = [f"{quote(k, safe='')}={quote(v, safe='')}" for k, v in self.params]
        query = "&".join([*self.query, *pairs])
        if not query:
            return self.url
        return f"{self.url}{'&' if '?' in self.url else '?'}{query}"  # a path key may hold a query (``/?Action=X``)

    def close(self) -> None:
        """Close the files opened to stream the body."""
        for _, part in self.files or []:
            if hasattr(part[1], "close"):
                part[1].close()


def plain(value: Any) -> Any:
    """Pydantic models (and lists of them) → JSON-ready data, without unset fields."""
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json", by_alias=True, exclude_unset=True)
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    return value


def _header(name: str, text: str) -> str:
    if "\r" in text or "\n" in text:
        raise BadArgument(f"argument {name!r} contains a line break, which is not allowed in a header")
    if not text.isascii():
        raise BadArgument(f"argument {name!r} contains characters beyond ASCII, which a header cannot carry")
    if any((ord(c) < 32 and c != "\t") or ord(c) == 127 for c in text):
        raise BadArgument(f"argument {name!r} contains a control character, which is not allowed in a header")
    return text


def _explode(spec: ParamSpec, style: str) -> bool:
    return styles.default_explode(style) if spec.explode is None else spec.explode


def _style(spec: ParamSpec) -> str:
    return spec.style or styles.DEFAULT_STYLE.get(spec.location, "form")


def build(
    op: Operation, base_url: str, args: dict[str, Any], env: Mapping[str, str], folder: uploads.Folder, token: str = ""
) -> Request:
    """Place every argument where the operation says it goes, then the server's own values (``token``: the
    credential in use, for parameters that carry it)."""
    # A path key's ``#…`` only keeps keys apart in the spec (``/#X-Amz-Target=…``): never part of a request URL.
    request = Request(op.method, op.path.split("#", 1)[0])
    body: Any = {}
    for spec in op.params:
        value, given = _value(spec, args, env)
        if given:
            body = _place(request, spec, value, body, folder)
    for fixed in op.fixed:
        value = token if fixed.credential else env.get(fixed.env or "") or fixed.value
        if fixed.location == "body":
            body = _fixed_field(body, fixed.wire, value)
        else:
            _place_fixed(request, fixed, value)
    missing = [s.arg for s in op.params if s.location == "path" and "{" + s.wire + "}" in request.url]
    if missing:
        raise BadArgument(f"argument {missing[0]!r} is required: it is part of the path")
    request.url = base_url.rstrip("/") + request.url
    if op.byte_fields and op.body == "json":
        uploads.encode_files(body, op.byte_fields, folder, op.upload)
    if isinstance(body, dict):
        uploads.finish(body, op.upload, {s.wire: s.arg for s in op.params if s.is_file})
    _attach_body(request, op, body)
    return request


def _value(spec: ParamSpec, args: dict[str, Any], env: Mapping[str, str]) -> tuple[Any, bool]:
    """The argument's value, and whether to send it: ``None`` is sent only when the caller gave it (``args`` holds
    only what the caller gave, ``serve.lazy_tool.ToolContext.supplied``) and the argument is ``nullable``."""
    value = plain(args.get(spec.arg))
    if value is None and spec.default_env:
        value = env.get(spec.default_env) or None
    return value, value is not None or (spec.nullable and spec.arg in args)


def _place(request: Request, spec: ParamSpec, value: Any, body: Any, folder: uploads.Folder) -> Any:
    """Put one argument in the path (``request.url`` holds the path until the end), query, headers or body."""
    if spec.media_type and spec.location in ("path", "query", "header", "cookie"):
        value = json.dumps(value, separators=(",", ":"), ensure_ascii=False)  # a ``content`` parameter: JSON text
    elif value is None and spec.location in ("path", "query", "header", "cookie"):
        # A style (RFC 6570) reads null as undefined: no value at all, which a required parameter cannot be.
        raise BadArgument(f"argument {spec.arg!r} is null, but a required {spec.location} parameter needs a value")
    if spec.location == "path":
        request.url = request.url.replace("{" + spec.wire + "}", _segment(spec, value))
    elif spec.location == "query":
        enc = styles.encoder(spec.reserved)
        request.query += styles.query_text(
            styles.query_pairs(_style(spec), _explode(spec, _style(spec)), spec.wire, value, enc)
        )
    elif spec.location == "header":
        request.headers[spec.wire] = _header(spec.arg, styles.header_value(_explode(spec, "simple"), value))
    elif spec.location == "cookie":
        _cookie(request, styles.cookie_pairs(_explode(spec, "form"), spec.wire, value), spec.arg)
    else:
        return _into_body(spec, value, body, folder)
    return body


def _segment(spec: ParamSpec, value: Any) -> str:
    """A path parameter's text: ``.``/``..`` kept from climbing the path, an empty simple value refused."""
    style = _style(spec)
    text = styles.path_value(style, _explode(spec, style), spec.wire, value)
    if not text and style == "simple":
        raise BadArgument(f"argument {spec.arg!r} is empty; a path parameter needs a value")
    return text.replace(".", "%2E") if text in (".", "..") and style == "simple" else text


def _cookie(request: Request, pairs: styles.Pairs, name: str) -> None:
    cookie = "; ".join(f"{k}={v}" for k, v in pairs)
    request.headers["Cookie"] = "; ".join(filter(None, (request.headers.get("Cookie"), _header(name, cookie))))


def _place_fixed(request: Request, fixed: Fixed, value: str) -> None:
    """A credential or constant parameter, unless the request already carries one by that name."""
    if not value:
        return
    if fixed.location == "header" and fixed.wire not in request.headers:
        request.headers[fixed.wire] = _header(fixed.wire, value)
    elif fixed.location == "query":
        request.query.append(f"{quote(fixed.wire, safe='')}={quote(value, safe='')}")
    elif fixed.location == "cookie":
        _cookie(request, [(fixed.wire, quote(value, safe=""))], fixed.wire)


def _fixed_field(body: Any, wire: str, value: str) -> Any:
    """The body with the server's value in field ``wire``, over any the arguments put there (``body_extra``)."""
    if value and isinstance(body, dict):
        body[wire] = value
    return body


def _into_body(spec: ParamSpec, value: Any, body: Any, folder: uploads.Folder) -> Any:
    """The body with one argument added: a field, extra fields, the whole body, or a file part."""
    if spec.location == "body_whole":
        return uploads.part(value, spec.arg, folder) if spec.is_file else value  # a file's bytes: the whole body
    if spec.location == "body_extra":
        if not isinstance(value, dict):
            raise BadArgument(f"argument {spec.arg!r} must be an object")
        body.update({k: v for k, v in value.items() if k not in body})
    elif spec.is_file:
        files = value if isinstance(value, list) else None
        body[spec.wire] = (
            [uploads.part(v, spec.arg, folder) for v in files]
            if files is not None
            else uploads.part(value, spec.arg, folder)
        )
    else:
        body[spec.wire] = value
    return body


def _attach_body(request: Request, op: Operation, body: Any) -> None:
    if op.body == "json" and op.body_required and body in ({}, None):
        body = {}  # a required body with no required fields: an empty object, not a missing body
    elif op.body == "none" or body in ({}, None):
        return
    fields = {s.wire: s for s in op.params if s.location == "body"}
    if op.body == "json":
        request.json = body
        if op.media_type:  # the spec's own JSON type (``application/vnd.api+json``), over httpx2's plain one
            request.headers["Content-Type"] = op.media_type
    elif op.body == "form":
        request.content = bodies.form(body, fields)
        request.headers["Content-Type"] = "application/x-www-form-urlencoded"
    elif op.body == "raw" and isinstance(body, uploads.Part):
        file_arg = next(s.arg for s in op.params if s.location == "body_whole")
        request.content = uploads.whole(body, op.upload, file_arg)
        declared = op.media_type or "*/*"
        request.headers["Content-Type"] = body.media_type if "*" in declared else declared
    elif op.body == "raw":
        request.content = body.encode("utf-8") if isinstance(body, str) else json.dumps(body).encode("utf-8")
        request.headers["Content-Type"] = op.media_type or "application/octet-stream"
    elif op.body == "multipart":
        request.files, request.data = [], {}
        try:
            bodies.multipart(body, fields, request.files, request.data)
        except UploadError:
            request.close()
            raise
        if not request.files:  # httpx2 sends fields alone as a urlencoded form: as file-less parts, they stay multipart
            fields_only = request.data or {}
            request.files = [
                (k, (None, v)) for k, vs in fields_only.items() for v in (vs if isinstance(vs, list) else [vs])
            ]
            request.data = {}
