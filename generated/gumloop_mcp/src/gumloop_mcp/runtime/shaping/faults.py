"""Upstream answers that are not a clean success: HTTP errors, rate-limit headers, and when to try again."""

from __future__ import annotations

import json
import math
import re
import time
from datetime import UTC, datetime
from typing import Any

import httpx2
from mcp.types import CallToolResult

from ..contract import Operation, Vendor, printable
from ..failures import GaveUp, NotSaved, Refused, ResponseTooLarge, RuntimeFailure, TooCompressed, TooSlow
from ..upstream.exchange import Exchange
from ..upstream.retry import RETRY_STATUSES, retry_after
from . import results

HINTS = {
    400: "check the arguments against the tool's input schema and try again",
    401: "the upstream rejected the credentials; check the {prefix}_* credential variables",
    402: "the vendor account has no credits or plan for this call",
    403: "the credentials lack permission for this call{scopes}",
    404: "the resource was not found; check the ids, and {prefix}_BASE_URL",
    405: "the vendor does not allow this method here; check {prefix}_BASE_URL",
    409: "the request conflicts with the resource's current state; read it again before retrying",
    413: "the request is too large for the vendor",
    422: "the vendor could not process these arguments; check their values",
    429: "the vendor's rate limit was reached; {when}",
    503: "the vendor is unavailable for now; {when}",
}
_RATE_SOURCES = {
    "ratelimit-limit": ("ratelimit-limit", "x-ratelimit-limit", "x-rate-limit-limit"),
    "ratelimit-remaining": ("ratelimit-remaining", "x-ratelimit-remaining", "x-rate-limit-remaining"),
    "ratelimit-reset": ("ratelimit-reset", "x-ratelimit-reset", "x-rate-limit-reset", "retry-after"),
}
_COMBINED = re.compile(r"(?:^|[;,\s])(limit|remaining|reset|r|t)=\"?(\d+)")
_POLICY = re.compile(r"(?:^|;)\s*q=(\d+)")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_EPOCH = 1_000_000_000  # larger "reset" values are Unix times, not seconds to wait


def _names(headers: httpx2.Headers) -> list[str]:
    """The header names, lower-cased."""
    return [name.decode("latin-1").lower() for name, _ in headers.raw]


def rate_meta(headers: httpx2.Headers) -> dict[str, int]:
    """The IETF ``ratelimit-*`` fields (reset in seconds from now), from whatever the vendor sends."""
    found: dict[str, int] = {}
    if not any("rate" in name or name == "retry-after" for name in _names(headers)):
        return found  # most answers say nothing of limits: one pass over the names, not a lookup per source
    combined = headers.get("ratelimit", "")
    names = {"limit": "ratelimit-limit", "remaining": "ratelimit-remaining", "r": "ratelimit-remaining"}
    for key, value in _COMBINED.findall(combined):
        found[names.get(key, "ratelimit-reset")] = int(value)
    policy = _POLICY.search(headers.get("ratelimit-policy", ""))
    if policy:
        found["ratelimit-limit"] = int(policy.group(1))
    for name, sources in _RATE_SOURCES.items():
        raw = next((headers[s] for s in sources if s in headers), None)
        if name in found or raw is None:
            continue
        seconds = retry_after(httpx2.Headers({"retry-after": raw})) if name == "ratelimit-reset" else None
        number = _NUMBER.search(raw) if seconds is None else None
        value = seconds if seconds is not None else float(number.group()) if number else None
        if value is None:
            continue
        if name == "ratelimit-reset" and value > _EPOCH:
            value = max(0.0, value - time.time())
        found[name] = math.ceil(value)
    return found


def wait_text(seconds: float | None) -> str:
    """``try again in 3 s (after 12:00:03 UTC)``, or a gentle default when the vendor said nothing."""
    if seconds is None:
        return "wait a few seconds and try again"
    at = datetime.fromtimestamp(time.time() + seconds, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return f"try again in {math.ceil(seconds)} s (after {at})"


def vendor_error(headers: httpx2.Headers, body: bytes) -> tuple[str, str | None]:
    """The vendor's own error message and request id, from a JSON or text error body (its first bytes)."""
    header_id = headers.get("x-request-id") or headers.get("request-id")
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):  # not JSON, or nested deeper than Python's parser goes
        return " ".join(body[:4096].decode("utf-8", "replace").split())[:300], header_id
    if not isinstance(data, dict):
        return json.dumps(data, ensure_ascii=False)[:300], header_id
    request_id = data.get("requestId") or data.get("request_id") or header_id
    message = next((data[k] for k in ("errors", "error", "message", "detail", "title") if data.get(k)), "")
    if isinstance(message, dict):
        message = message.get("message") or json.dumps(message, ensure_ascii=False)
    if isinstance(message, list):
        message = "; ".join(str(m) for m in message)
    return " ".join(str(message).split())[:300], str(request_id) if request_id else None


def failure(vendor: Vendor, op: Operation, exchange: Exchange) -> CallToolResult:
    """An upstream 4xx/5xx as a tool error: status, vendor message, request id, and what to do next (any credential
    the vendor echoes is withheld from it with every other result, ``results.withheld``)."""
    response, retries = exchange.response, exchange.retries
    status = response.status_code
    message, request_id = vendor_error(response.headers, exchange.body)
    wait = retry_after(response.headers)
    meta = rate_meta(response.headers)
    if wait is None and status in RETRY_STATUSES and "ratelimit-reset" in meta:
        wait = float(meta["ratelimit-reset"])
    text = f"{vendor.title} answered HTTP {status} to {op.method} {op.path}"
    text += f": {message}" if message else " with no error message"
    if request_id:
        text += f" (request id {request_id})"
    if retries:
        text += f"; still failing after {retries} retr{'y' if retries == 1 else 'ies'}"
    scopes = f" (it needs scope {', '.join(op.scopes)})" if op.scopes else ""
    default = "the vendor failed; try again later" if status >= 500 else "check the arguments and try again"
    hint = HINTS.get(status, default).format(prefix=vendor.env_prefix, scopes=scopes, when=wait_text(wait))
    details: dict[str, Any] = {"status": status, "request_id": request_id, "retries": retries}
    if wait is not None:
        details["retry_after_s"] = math.ceil(wait)
    return results.error(text, hint=hint, meta=meta or None, details=details)


def redirected(vendor: Vendor, op: Operation, response: httpx2.Response) -> CallToolResult:
    """A 3xx as a tool error naming where it points: it is never followed, so the credentials never go there."""
    status, location = response.status_code, printable(response.headers.get("location", ""))[:500]
    where = f"a redirect to {location}" if location else "a redirect with no Location"
    return results.error(
        f"{vendor.title} answered HTTP {status} to {op.method} {op.path}: {where}; it was not followed, and the "
        "credentials were not sent there",
        hint=f"if the API has moved, set {vendor.env_prefix}_BASE_URL to its new address; otherwise report it to "
        "the vendor",
        details={"status": status, "location": location or None, "retries": 0},
    )


def failed(vendor: Vendor, op: Operation, exc: RuntimeFailure | OSError) -> CallToolResult:
    """The one tool error for a call that failed before its answer could be shaped: worded for the vendor when the
    request went wrong upstream, else the failure's own message, hint and details (an ``OSError``: a file argument
    that could not be read while sending)."""
    match exc:
        case OSError():
            return results.error(f"cannot send {op.method} {op.path}: {exc}", hint="check the file arguments")
        case GaveUp():
            return _unreachable(vendor, op, exc)
        case ResponseTooLarge():
            return _too_large(vendor, op, exc.limit, exc.variable)
        case TooCompressed():
            return results.error(
                f"{vendor.title}'s answer to {op.method} {op.path} was stopped: {exc.message}; nothing was kept",
                hint="ask for less (filters, a smaller page); if the answer is genuine, report it to the vendor",
            )
        case TooSlow():
            return _too_slow(vendor, op, exc.seconds)
        case NotSaved():
            return _not_saved(vendor, op, exc.where, exc.message)
        case Refused() if exc.tries:
            earlier = f"; {exc.tries} earlier request(s) of this call were answered 429/503 or lost"
            return results.error(f"{exc.message}{earlier}", hint=exc.hint)
    return results.error(exc.message, hint=exc.hint, details=exc.details or None)


def _unreachable(vendor: Vendor, op: Operation, exc: GaveUp) -> CallToolResult:
    """A timeout, refused or reset connection, or a URL that cannot be used, as a tool error."""
    cause, where, retries, prefix = exc.cause, exc.where, exc.retries, vendor.env_prefix
    if isinstance(cause, httpx2.ConnectTimeout):
        message, hint = f"connecting to {where} timed out", f"check {prefix}_BASE_URL and the network, then retry"
    elif isinstance(cause, httpx2.TimeoutException):
        message = f"{op.method} {op.path} timed out waiting for {vendor.title}"
        hint = f"try again later, or raise {prefix}_READ_TIMEOUT (--read-timeout)"
    else:
        detail = str(cause).strip() or type(cause).__name__
        message = f"cannot reach {where}: {type(cause).__name__}: {detail}"
        hint = f"check {prefix}_BASE_URL and the network, then retry"
    if retries:
        message += f" (also on {retries} retr{'y' if retries == 1 else 'ies'})"
    return results.error(message, hint=hint, details={"status": None, "retries": retries})


def _too_large(vendor: Vendor, op: Operation, limit: int, variable: str) -> CallToolResult:
    """An answer over the download limit, or over the output folder's cap (nothing was kept)."""
    what = "the download limit" if variable == "MAX_DOWNLOAD_BYTES" else "the output folder's cap"
    return results.error(
        f"{vendor.title} answered {op.method} {op.path} with over {limit:,} bytes, {what}; nothing was kept",
        hint=f"raise {vendor.env_prefix}_{variable} if it should be saved",
    )


def _too_slow(vendor: Vendor, op: Operation, seconds: float) -> CallToolResult:
    """An answer that did not arrive whole within the deadline (endless, or trickling); nothing was kept."""
    return results.error(
        f"{vendor.title}'s answer to {op.method} {op.path} did not arrive whole within {seconds:g} s, the answer "
        "deadline; it was cut off and nothing was kept",
        hint=f"try again later, or raise {vendor.env_prefix}_ANSWER_TIMEOUT (--answer-timeout)",
    )


def _not_saved(vendor: Vendor, op: Operation, folder: str, reason: str) -> CallToolResult:
    """An answer too large to give whole that could not be written to disk; nothing was kept."""
    return results.error(
        f"{vendor.title}'s answer to {op.method} {op.path} is too large to give here whole, and saving it under "
        f"{printable(folder)} failed: {printable(reason)}; nothing was kept",
        hint=f"set {vendor.env_prefix}_OUTPUT_DIR to a writable folder with room, or ask for less (filters, a "
        "smaller page)",
    )
