"""One upstream exchange → the tool result: an error, JSON, text, events, or a saved file; large ones truncated."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

import httpx2
from mcp.types import CallToolResult

from ..contract import META_PAGINATION, META_RETRIES, META_STATED, META_TRUNCATED, SELECT, Operation, Vendor
from ..upstream.exchange import Exchange
from ..upstream.receive import OCTETS, is_redirect, media
from ..wire.credentials import Credentials
from . import empty_answer, events, faults, files, fitting, pages, results

if TYPE_CHECKING:  # jmespath loads with the first select, never at start-up (``narrow``)
    from jmespath.parser import ParsedResult

# Streamed JSON answers (OpenAPI 3.2 ``itemSchema``): one JSON value per line (RFC 7464's records too), read whole.
JSON_LINES = frozenset(
    {"application/jsonl", "application/x-ndjson", "application/jsonlines", "application/x-jsonlines",
     "application/json-seq"}
)  # fmt: skip


# Writes a whole body under a folder (body, file suffix, folder), answering the saved path: ``upstream.receive
# .save_body``, given by the dispatcher, so that shaping decides what to save and never writes a file itself.
SaveBody = Callable[[bytes, str, Path], Path]
NOTE_ROOM = 2_000  # bytes of the cap kept for the notes beside a cut answer
FIELDS_SHOWN = 12  # a cut answer names at most this many of a record's fields
NAME_SHOWN = 40  # and at most this much of an oddly named one
STATED_SHOWN = 40  # a note names at most this many of the lists that reached the vendor's limit


@dataclass(frozen=True)
class AnswerLimits:
    """How much of an answer goes into the context, where the rest is saved, and what saves it."""

    max_bytes: int
    folder: Path
    save: SaveBody
    select: ParsedResult | None = None  # the call's ``select``, applied to a JSON answer before the cap

    def narrowed(self, data: Any) -> tuple[Any, str]:
        """``data`` after the call's ``select`` (a text answer as it is), or ``(None, why)`` when it fails."""
        if self.select is None or isinstance(data, str):
            return data, ""
        from . import narrow

        return narrow.applied(self.select, data)

    @property
    def room(self) -> int:
        """Bytes of the cap an answer's JSON may take; the rest is kept for the notes beside it."""
        return self.max_bytes - min(NOTE_ROOM, self.max_bytes // 4)

    def measure(self, data: Any) -> int:
        """Bytes of the answer's JSON after ``select``, as the cap counts them."""
        return fitting.size(self.narrowed(data)[0])


def secrets(creds: Credentials) -> tuple[str, ...]:
    """Every credential value to keep out of results, in each form it may come back in: as set, as sent in a
    header (``Basic dXNl…`` and its token), base64-encoded, percent-encoded and JSON-escaped."""
    sent = [*creds.headers.values(), *creds.params.values()]
    values = {*creds.secrets, *sent, *(v.split(" ", 1)[-1] for v in sent)}
    forms = set(values)
    for value in values:
        forms.add(base64.b64encode(value.encode("utf-8")).decode("ascii"))
        forms.add(quote(value, safe=""))
        forms.add(json.dumps(value, ensure_ascii=False)[1:-1])
    return tuple(sorted(forms, key=len, reverse=True))


def shape(vendor: Vendor, op: Operation, exchange: Exchange, limits: AnswerLimits) -> CallToolResult:
    """The tool result for one upstream answer (the dispatcher withholds the credential from it,
    ``results.withheld``)."""
    response, retries = exchange.response, exchange.retries
    if is_redirect(response.status_code):
        return faults.redirected(vendor, op, response)
    if response.status_code >= 400:
        return empty_answer.empty(vendor, op, exchange) or faults.failure(vendor, op, exchange)
    meta: dict[str, Any] = dict(faults.rate_meta(response.headers))
    if retries:
        meta[META_RETRIES] = retries
    kind = media(response)
    if exchange.saved is not None and exchange.spilled:
        return _spilled(exchange.saved, exchange.body, kind, meta, limits)
    if exchange.saved is not None:
        return files.saved(exchange.saved, kind or OCTETS, response.headers, op, meta)
    body = exchange.body
    if kind == events.MEDIA:
        return sized(events.collected(decoded(response, body)), meta, limits)
    if not body:
        return results.success({"status": response.status_code, "body": None}, meta=meta)
    if "json" in kind or (not kind and body[:1] in (b"{", b"[")):
        return _json(vendor, op, exchange, meta, limits)
    return sized(decoded(response, body), meta, limits, "", body)


def decoded(response: httpx2.Response, body: bytes) -> str:
    """A text body in the charset its answer names (UTF-8 when it names none, or one Python does not know)."""
    try:
        return body.decode(response.charset_encoding or "utf-8", "replace")
    except LookupError:
        return body.decode("utf-8", "replace")


def _spilled(path: Path, head: bytes, kind: str, meta: dict[str, Any], limits: AnswerLimits) -> CallToolResult:
    """An answer too large to read into memory, saved whole as it arrived: a text one's first bytes, a JSON one's
    size and file only (its first bytes would end inside a record)."""
    media_type = "application/json" if "json" in kind else kind or "text/plain"
    size = path.stat().st_size
    if media_type != "application/json":
        note = (
            "The answer was too large to read into memory, so it was written to the file as it arrived and is shown "
            "here only in part: read the file, or ask for less (filters, a smaller page)."
        )
        return results.preview(path, size, head, cap=limits.max_bytes, media_type=media_type, meta=meta, note=note)
    note = (
        f"The answer is {size:,} bytes of JSON, too large to read into memory: it was written whole to {path} as it "
        "arrived, and none of it is shown here, since a part would end inside a record. Ask for less: filters, a "
        "smaller page, a shorter time range."
    )
    facts = {"size_bytes": size, "saved_to": str(path), "cap_bytes": limits.max_bytes}
    return results.cut(None, path, media_type, note, {**meta, META_TRUNCATED: facts})


def _json(
    vendor: Vendor, op: Operation, exchange: Exchange, meta: dict[str, Any], limits: AnswerLimits
) -> CallToolResult:
    response, body = exchange.response, exchange.body
    try:
        data = json.loads(body) if media(response) not in JSON_LINES else _lines(body)
    except (ValueError, RecursionError) as exc:
        what = "JSON nested too deeply to read" if isinstance(exc, RecursionError) else "invalid JSON"
        return results.error(
            f"{vendor.title} answered {response.status_code} to {op.method} {op.path} with {what} "
            f"({len(body)} bytes starting {body[:40]!r})",
            hint="try again; if it persists, report it to the vendor",
            details={"status": response.status_code},
        )
    said = stated_note(op, data, meta)
    if op.cursor_arg and isinstance(data, dict):
        cursor = pages.next_cursor(op, data)
        meta[META_PAGINATION] = {"pages_read": 1, "more": cursor is not None, "next_cursor": cursor}
        page_bytes = len(body) if limits.select is None else limits.measure(data)
        fit = pages.pages_that_fit(limits.room, page_bytes) if cursor else 0
        told = "\n".join(part for part in (said, pages.note(op, cursor, fit=fit)) if part)
        return sized(data, meta, limits, told, body)
    return sized(data, meta, limits, said, body)


def stated_note(op: Operation, data: Any, meta: dict[str, Any]) -> str:
    """When a list in the answer reaches the most the vendor says it returns: which, and what that leaves out."""
    if op.at_most is None:
        return ""
    most, words = op.at_most
    full = fitting.full_lists(data, most)
    if not full:
        return ""
    meta[META_STATED] = {"at_most": most, "reached": full}
    said = f' ("{words}")' if words else ""
    left = "Older ones" if "recent" in words.lower() else f"Items past the first {most}"
    more = len(full) - STATED_SHOWN
    shown = ", ".join(full[:STATED_SHOWN]) + (f" and {more} more" if more > 0 else "")
    return (
        f"{op.name} returns at most {most} per list, as the vendor states{said}; {len(full)} list(s) here "
        f"reached {most}: {shown}. {left} are not in this answer, and this tool cannot return them."
    )


def _lines(body: bytes) -> list[Any]:
    """A JSON Lines (or JSON text sequence) answer as the list of its values."""
    return [json.loads(line) for line in (raw.strip(b"\x1e \t\r") for raw in body.split(b"\n")) if line]


def sized(
    data: Any, meta: dict[str, Any], limits: AnswerLimits, note: str = "", body: bytes | None = None
) -> CallToolResult:
    """``data`` as a result; over the size cap, the whole records that fit and a note on the rest, the whole answer
    saved to a file (text: its first bytes)."""
    if limits.select is not None and not isinstance(data, str):
        data, failed = limits.narrowed(data)
        if failed:
            return results.error(
                failed, hint=f"fix the expression, or leave {SELECT} out", details={"argument": SELECT}
            )
        body = None
    if body is None:
        text = data if isinstance(data, str) else json.dumps(data, ensure_ascii=False, separators=(",", ":"))
        body = text.encode("utf-8")
    if len(body) <= limits.max_bytes:
        return results.success(data, meta=meta, note=note)
    media_type = "text/plain" if isinstance(data, str) else "application/json"
    path = limits.save(body, ".json" if "json" in media_type else ".txt", limits.folder)
    if isinstance(data, str):
        return results.preview(path, len(body), body, cap=limits.max_bytes, media_type=media_type, meta=meta, note=note)
    shown = fitting.fit(data, limits.room)
    facts = {"size_bytes": len(body), "saved_to": str(path), "cap_bytes": limits.max_bytes}
    if shown.where:
        facts |= {"records": shown.where, "shown": shown.shown, "total": shown.total}
    paged = bool((meta.get(META_PAGINATION) or {}).get("more"))
    told = "\n".join(part for part in (cut_note(shown, len(body), path, limits.max_bytes, paged), note) if part)
    return results.cut(shown.data, path, media_type, told, {**meta, META_TRUNCATED: facts})


def cut_note(shown: fitting.Fit, size: int, path: Path, cap: int, paged: bool = False) -> str:
    """What an answer over the cap shows, of how much, and the two ways to the rest: ``select``, or the file; of a
    page with more after it, that the next page's cursor does not reach the records left out of this one."""
    what = f"The answer is {size:,} bytes, over the {cap:,}-byte cap"
    if shown.where:
        what += (
            f": it shows {shown.shown} of the {shown.total} records in {shown.where}, each whole, in order "
            f"(the rest are left out)"
        )
    else:
        what += ": none of it is shown"
    # A vendor's field names, as JMESPath spells them (an odd one quoted, its control characters escaped), cut short.
    names = [name if fitting.plain_name(name) else json.dumps(name[:NAME_SHOWN]) for name in shown.fields]
    fields = f"; each record's fields: {', '.join(names[:FIELDS_SHOWN])}" if names else ""
    if len(shown.fields) > FIELDS_SHOWN:
        fields += ", …"
    example = _example(shown)
    then = (
        " Do this before following the next page's cursor: it does not reach the records left out of this page."
        if paged
        else ""
    )
    return (
        f"{what}. To get it all here, call again with the same arguments and {SELECT}, a JMESPath expression that "
        f"keeps only what you need{fields}{example}.{then} The whole answer is saved to {path} ({size:,} bytes)."
    )


def _example(shown: fitting.Fit) -> str:
    if not shown.where or not shown.fields:
        return ""
    keys = ", ".join(f"{name}: {name}" for name in shown.fields[:2] if fitting.plain_name(name))
    if not keys:
        return ""
    return f" (e.g. {SELECT}={json.dumps(f'{shown.where}[].{{{keys}}}')})"
