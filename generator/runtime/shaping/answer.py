"""One upstream exchange → the tool result: an error, JSON, text, events, or a saved file; large ones truncated."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mcp.types import CallToolResult

from ..contract import META_PAGINATION, META_RETRIES, Operation, Vendor
from ..upstream.exchange import Exchange
from ..upstream.receive import OCTETS, media
from ..wire.auth import Credentials
from . import events, faults, files, pages, results

# Streamed JSON answers (OpenAPI 3.2 ``itemSchema``): one JSON value per line (RFC 7464's records too), read whole.
JSON_LINES = frozenset(
    {"application/jsonl", "application/x-ndjson", "application/jsonlines", "application/x-jsonlines",
     "application/json-seq"}
)  # fmt: skip


@dataclass(frozen=True)
class Limits:
    """How much of an answer goes into the context, and where the rest is saved."""

    max_bytes: int
    folder: Path


def secrets(creds: Credentials) -> tuple[str, ...]:
    """Every credential value to scrub: the raw values and the header values built from them."""
    built = [*creds.headers.values(), *(v.split(" ", 1)[-1] for v in creds.headers.values())]
    return (*creds.secrets, *built, *creds.params.values())


def shape(vendor: Vendor, op: Operation, exchange: Exchange, hidden: tuple[str, ...], limits: Limits) -> CallToolResult:
    """The tool result for one upstream answer; ``hidden`` are the credential values to keep out of it."""
    response, retries = exchange.response, exchange.retries
    if response.status_code >= 400:
        return faults.failure(vendor, op, response, hidden, retries)
    meta: dict[str, Any] = dict(faults.rate_meta(response.headers))
    if retries:
        meta[META_RETRIES] = retries
    kind = media(response)
    if exchange.saved is not None:
        return files.saved(exchange.saved, kind or OCTETS, response.headers, op, meta)
    if kind == events.MEDIA:
        return sized(events.collected(response.text), meta, limits)
    if not response.content:
        return results.success({"status": response.status_code, "body": None}, meta=meta)
    if "json" in kind or (not kind and response.content[:1] in (b"{", b"[")):
        return _json(vendor, op, exchange, meta, limits)
    return sized(response.text, meta, limits, "", response.content)


def _json(vendor: Vendor, op: Operation, exchange: Exchange, meta: dict[str, Any], limits: Limits) -> CallToolResult:
    response, body = exchange.response, exchange.response.content
    try:
        data = json.loads(body) if media(response) not in JSON_LINES else _lines(body)
    except ValueError:
        return results.error(
            f"{vendor.title} answered {response.status_code} to {op.method} {op.path} with invalid JSON "
            f"({len(body)} bytes starting {body[:40]!r})",
            hint="try again; if it persists, report it to the vendor",
            details={"status": response.status_code},
        )
    if op.cursor_arg and isinstance(data, dict):
        cursor = pages.next_cursor(op, data)
        meta[META_PAGINATION] = {"pages_read": 1, "more": cursor is not None, "next_cursor": cursor}
        return sized(data, meta, limits, pages.note(op, cursor), body)
    return sized(data, meta, limits, "", body)


def _lines(body: bytes) -> list[Any]:
    """A JSON Lines (or JSON text sequence) answer as the list of its values."""
    return [json.loads(line) for line in (raw.strip(b"\x1e \t\r") for raw in body.split(b"\n")) if line]


def sized(data: Any, meta: dict[str, Any], limits: Limits, note: str = "", body: bytes | None = None) -> CallToolResult:
    """``data`` as a result, or a truncated view plus a saved file when it is over the size cap."""
    if body is None:
        text = data if isinstance(data, str) else json.dumps(data, ensure_ascii=False, separators=(",", ":"))
        body = text.encode("utf-8")
    if len(body) <= limits.max_bytes:
        return results.success(data, meta=meta, note=note)
    media_type = "text/plain" if isinstance(data, str) else "application/json"
    return results.truncated(
        body, cap=limits.max_bytes, folder=limits.folder, media_type=media_type, meta=meta, note=note
    )
