"""Downloading a spec over http(s) with bounds: a total deadline and a size cap, whatever the host does.

A host that sends one byte every 20 s never trips a per-read timeout; the deadline here covers the whole
download, first byte to last. Both bounds have defaults and can be set for one run: ``MCPGEN_DOWNLOAD_TIMEOUT``
(seconds) and ``MCPGEN_DOWNLOAD_MAX_BYTES``. Every failure is a :class:`FatalError` naming the URL and the
reason in one line; nothing is returned, so nothing is written.
"""

from __future__ import annotations

import http.client
import os
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass

from generator.errors import FatalError

MAX_SPEC_BYTES = 64 * 1024 * 1024
DEADLINE_S = 120.0  # the whole download
READ_TIMEOUT_S = 30.0  # one read; a shorter deadline shortens it too
CHUNK = 64 * 1024
DEADLINE_VAR, MAX_BYTES_VAR = "MCPGEN_DOWNLOAD_TIMEOUT", "MCPGEN_DOWNLOAD_MAX_BYTES"


@dataclass(frozen=True)
class Downloaded:
    """A finished download: the body, its media type, and the length the host declared (if any)."""

    body: bytes
    media: str
    declared: str | None


@dataclass(frozen=True)
class DownloadBounds:
    """How long a download may take in all, and how many bytes it may hold."""

    seconds: float
    max_bytes: int

    @classmethod
    def from_env(cls) -> DownloadBounds:
        """The defaults, or ``MCPGEN_DOWNLOAD_TIMEOUT`` / ``MCPGEN_DOWNLOAD_MAX_BYTES`` when set."""
        return cls(_number(DEADLINE_VAR, DEADLINE_S), int(_number(MAX_BYTES_VAR, MAX_SPEC_BYTES)))


def _number(variable: str, default: float) -> float:
    raw = os.environ.get(variable, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        value = 0.0
    if value <= 0:
        raise FatalError(variable, f"{raw!r} is not a positive number")
    return value


def download(url: str, bounds: DownloadBounds | None = None) -> Downloaded:
    """GET ``url`` within ``bounds`` (default: ``DownloadBounds.from_env()``); raises ``FatalError`` naming the URL
    and the bound that was hit, or the host's failure."""
    bounds = bounds or DownloadBounds.from_env()
    found: list[Downloaded | FatalError] = []
    # A thread, so that the deadline holds even while one read blocks; it ends by itself soon after.
    worker = threading.Thread(target=_fetch_into, args=(url, bounds, found), daemon=True, name="mcpgen-download")
    worker.start()
    worker.join(bounds.seconds)
    if not found:
        raise FatalError(
            url, f"download stopped at the {bounds.seconds:g} s deadline (the whole download; {DEADLINE_VAR})"
        )
    if isinstance(found[0], FatalError):
        raise found[0]
    return found[0]


def _fetch_into(url: str, bounds: DownloadBounds, found: list[Downloaded | FatalError]) -> None:
    try:
        found.append(_fetch(url, bounds))
    except FatalError as exc:
        found.append(exc)


def _fetch(url: str, bounds: DownloadBounds) -> Downloaded:
    deadline = time.monotonic() + bounds.seconds
    try:
        with urllib.request.urlopen(url, timeout=min(READ_TIMEOUT_S, bounds.seconds)) as response:
            body = _read(url, response, bounds, deadline)
            return Downloaded(
                body, (response.headers.get_content_type() or "").lower(), response.headers.get("Content-Length")
            )
    except urllib.error.HTTPError as exc:
        raise FatalError(url, f"cannot download spec: upstream answered HTTP {exc.code} {exc.reason}") from None
    except http.client.IncompleteRead as exc:
        raise FatalError(
            url, f"cannot download spec: truncated download: {len(exc.partial)} bytes, then the connection closed"
        ) from None
    except (urllib.error.URLError, TimeoutError, OSError, http.client.HTTPException, ValueError) as exc:
        reason = getattr(exc, "reason", None) or exc
        raise FatalError(url, f"cannot download spec: upstream unreachable: {reason}") from None


def _read(url: str, response: http.client.HTTPResponse, bounds: DownloadBounds, deadline: float) -> bytes:
    """The body, chunk by chunk as it arrives, until the end, the cap or the deadline."""
    body = bytearray()
    while chunk := response.read1(CHUNK):
        body += chunk
        if len(body) > bounds.max_bytes:
            raise FatalError(url, f"download stopped past {bounds.max_bytes:,} bytes, the size cap ({MAX_BYTES_VAR})")
        if time.monotonic() > deadline:
            raise FatalError(
                url, f"download stopped at the {bounds.seconds:g} s deadline (the whole download; {DEADLINE_VAR})"
            )
    return bytes(body)
