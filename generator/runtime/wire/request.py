"""Tool arguments → one HTTP request: encoded path, query, headers, and a JSON, form or multipart body."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from pydantic import BaseModel

from ..contract import Operation, ParamSpec
from . import uploads


class BadArgument(Exception):
    """An argument that cannot be sent as given; the message names it."""


@dataclass
class Request:
    """Everything ``httpx2`` needs to send one call."""

    method: str
    url: str
    params: list[tuple[str, str]] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)
    json: Any = None
    data: dict[str, Any] | None = None
    files: list[tuple[str, tuple[str, Any, str]]] | None = None
    content: bytes | None = None

    def close(self) -> None:
        """Close the files opened to stream the body."""
        for _, (_, handle, _) in self.files or []:
            handle.close()


def plain(value: Any) -> Any:
    """Pydantic models (and lists of them) → JSON-ready data, without unset fields."""
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json", by_alias=True, exclude_unset=True)
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    return value


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict | list):
        return json.dumps(value, separators=(",", ":"))
    return str(value)


def _header(name: str, value: Any) -> str:
    text = _text(value)
    if "\r" in text or "\n" in text:
        raise BadArgument(f"argument {name!r} contains a line break, which is not allowed in a header")
    if any((ord(c) < 32 and c != "\t") or ord(c) == 127 for c in text):
        raise BadArgument(f"argument {name!r} contains a control character, which is not allowed in a header")
    return text


def _segment(name: str, value: Any) -> str:
    """One path segment: every reserved character escaped, and ``.``/``..`` kept from climbing the path."""
    text = _text(value)
    if not text:
        raise BadArgument(f"argument {name!r} is empty; a path parameter needs a value")
    encoded = quote(text, safe="")
    return encoded.replace(".", "%2E") if encoded in (".", "..") else encoded


def build(op: Operation, base_url: str, args: dict[str, Any], env: dict[str, str], folder: uploads.Folder) -> Request:
    """Place every argument where the operation says it goes."""
    request = Request(op.method, op.path)
    body: Any = {}
    for spec in op.params:
        value = plain(args.get(spec.arg))
        if value is None and spec.default_env:
            value = env.get(spec.default_env) or None
        if value is not None:
            body = _place(request, spec, value, body, folder)
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


def _place(request: Request, spec: ParamSpec, value: Any, body: Any, folder: uploads.Folder) -> Any:
    """Put one argument in the path (``request.url`` holds the path until the end), query, headers or body."""
    if spec.location == "path":
        request.url = request.url.replace("{" + spec.wire + "}", _segment(spec.arg, value))
    elif spec.location == "query":
        values = value if isinstance(value, list) else [value]
        request.params.extend((spec.wire, _text(v)) for v in values)
    elif spec.location == "header":
        request.headers[spec.wire] = _header(spec.arg, value)
    elif spec.location == "cookie":
        cookie = f"{spec.wire}={quote(_header(spec.arg, value), safe='')}"
        request.headers["Cookie"] = "; ".join(filter(None, (request.headers.get("Cookie"), cookie)))
    else:
        return _into_body(spec, value, body, folder)
    return body


def _into_body(spec: ParamSpec, value: Any, body: Any, folder: uploads.Folder) -> Any:
    """The body with one argument added: a field, extra fields, the whole body, or a file part."""
    if spec.location == "body_whole":
        return value
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
    if op.body == "json":
        request.json = body
    elif op.body == "form":
        request.data = {k: _text(v) for k, v in body.items()}
    elif op.body == "raw":
        request.content = body.encode("utf-8") if isinstance(body, str) else json.dumps(body).encode("utf-8")
        request.headers["Content-Type"] = op.media_type or "application/octet-stream"
    elif op.body == "multipart":
        request.files, request.data = [], {}
        for key, value in body.items():
            for item in value if isinstance(value, list) else [value]:
                if isinstance(item, uploads.Part):
                    _open(request, key, item)
                else:
                    request.data[key] = _text(item)


def _open(request: Request, key: str, part: uploads.Part) -> None:
    """Open one file part to stream; if it cannot be opened, close the ones already open."""
    try:
        request.files = [*(request.files or []), (key, part.open())]
    except uploads.UploadError:
        request.close()
        raise
