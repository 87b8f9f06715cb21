"""Fetching an upstream spec that may be anything: an error page, HTML, a truncated or foreign document.

Everything here raises :class:`FatalError` with one line naming the URL and the reason, so a bad download
never reaches a pin, a lock or a mirror. Local paths are read as they are (they were chosen by a person).
"""

from __future__ import annotations

from typing import Any

from generator.errors import FatalError
from generator.spec.download import download
from generator.spec.load import decode, read_bytes

HTML_STARTS = (b"<!doctype", b"<html", b"<head", b"<body", b"<?xml")


def fetch(location: str) -> bytes:
    """The bytes of a spec at a path or http(s) URL (within a deadline and a size cap), refusing error answers,
    HTML and truncated bodies."""
    if not location.startswith(("http://", "https://")):
        return read_bytes(location)
    got = download(location)
    _refuse_page(location, got.body, got.media)
    if got.declared and got.declared.isdigit() and int(got.declared) != len(got.body):
        raise FatalError(location, f"truncated download: {len(got.body)} of {got.declared} bytes")
    return got.body


def _refuse_page(location: str, raw: bytes, media: str) -> None:
    if not raw.strip():
        raise FatalError(location, "upstream answered an empty body, not a spec")
    if media in ("text/html", "application/xhtml+xml") or raw.lstrip()[:9].lower().startswith(HTML_STARTS):
        raise FatalError(location, f"upstream answered an HTML page ({media or 'no content type'}), not a spec")


def openapi_document(location: str, raw: bytes) -> dict[str, Any]:
    """Decode ``raw`` and check that it is an OpenAPI 3 document with paths (not any JSON or YAML)."""
    document = decode(location, raw)
    version = document.get("openapi")
    if not isinstance(version, str) or not version.startswith("3."):
        raise FatalError(location, "not an OpenAPI 3 document (no `openapi: 3.x` at the top)")
    if not isinstance(document.get("paths"), dict) or not document["paths"]:
        raise FatalError(location, "an OpenAPI document without paths: truncated, or not the vendor's spec")
    return document
