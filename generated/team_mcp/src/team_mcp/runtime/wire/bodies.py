"""Form and multipart bodies by the spec's ``encoding``: each field's style, explode, content type and headers.

A form field without an ``encoding`` entry is sent as the specification's own example sends it: a primitive as
text, a list of primitives as repeated fields (``form``, exploded), an object (or a list of objects) as JSON text.
A multipart part carries its own content type: an object is ``application/json``, a file its media type, a
primitive plain text; an ``encoding`` entry's ``contentType`` and constant headers are sent as the spec says.
"""

from __future__ import annotations

import json
from typing import Any

from ..contract import ParamSpec
from . import styles, uploads

Files = list[tuple[str, tuple[Any, ...]]]
JSON_TYPE = "application/json"


def _nested(value: Any) -> bool:
    return isinstance(value, dict) or (isinstance(value, list) and any(isinstance(v, dict | list) for v in value))


def _json(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def form(body: dict[str, Any], fields: dict[str, ParamSpec]) -> bytes:
    """``application/x-www-form-urlencoded`` text for the body's fields, each by its own encoding."""
    fragments: list[str] = []
    for key, value in body.items():
        spec = fields.get(key)
        enc = styles.encoder(spec.reserved if spec else False)
        if spec is not None and spec.style:
            explode = styles.default_explode(spec.style) if spec.explode is None else spec.explode
            pairs = styles.query_pairs(spec.style, explode, key, value, enc)
        elif _nested(value) or (spec is not None and spec.media_type and "json" in spec.media_type):
            pairs = [(enc(key), enc(_json(value)))]
        else:
            explode = True if spec is None or spec.explode is None else spec.explode
            pairs = styles.query_pairs("form", explode, key, value, enc)
        fragments += styles.query_text(pairs)
    return "&".join(fragments).encode("ascii")


def multipart(body: dict[str, Any], fields: dict[str, ParamSpec], files: Files, data: dict[str, Any]) -> None:
    """Fill ``files`` (parts with a type or headers of their own) and ``data`` (plain text fields)."""
    for key, value in body.items():
        spec = fields.get(key)
        if spec is not None and spec.style:
            explode = styles.default_explode(spec.style) if spec.explode is None else spec.explode
            for name, text in styles.plain_pairs(spec.style, explode, key, value):
                _text(data, name, text)
            continue
        items = (
            value
            if isinstance(value, list) and not (spec and spec.media_type and "json" in spec.media_type)
            else [value]
        )
        for item in items:
            _part(key, item, spec, files, data)


def _text(data: dict[str, Any], name: str, text: str) -> None:
    """A plain text field; a repeated name becomes a list (httpx sends one part per item)."""
    if name in data:
        held = data[name]
        data[name] = [*held, text] if isinstance(held, list) else [held, text]
    else:
        data[name] = text


def _part(key: str, item: Any, spec: ParamSpec | None, files: Files, data: dict[str, Any]) -> None:
    headers = dict(spec.part_headers) if spec else {}
    if isinstance(item, uploads.Part):
        files.append((key, (*item.open(), headers)))
        return
    media_type = spec.media_type if spec and spec.media_type else (JSON_TYPE if isinstance(item, dict | list) else None)
    if media_type is None and not headers:
        _text(data, key, styles.atom(item))
        return
    content = _json(item) if media_type and "json" in media_type else styles.atom(item)
    files.append((key, (None, content.encode("utf-8"), media_type or "text/plain", headers)))
