"""When to send a request again: which answers and errors, how long to wait, and within what budget."""

from __future__ import annotations

import random
import time
from email.utils import parsedate_to_datetime

import httpx2

from ..contract import Operation
from ..wire.request import Request

RETRY_STATUSES = (429, 503)
# The request never left (no connection): sending it again is safe for any call.
NOT_SENT = (httpx2.ConnectError, httpx2.ConnectTimeout, httpx2.PoolTimeout)
# It may have arrived (the answer was lost or late): only reads and idempotent calls are sent again.
LOST = (httpx2.ReadTimeout, httpx2.ReadError, httpx2.WriteTimeout, httpx2.WriteError, httpx2.RemoteProtocolError)


def may_retry(op: Operation) -> bool:
    """Whether a call may be sent twice: reads, idempotent calls, and calls the vendor config marks safe."""
    return op.read_only or op.idempotent or op.retry_safe


def retry_after(headers: httpx2.Headers) -> float | None:
    """Seconds to wait from ``Retry-After`` (seconds or an HTTP date), if the vendor sent one."""
    value = headers.get("retry-after", "").strip()
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
    except (TypeError, ValueError, IndexError):
        return None


def sent(exc: Exception) -> bool:
    """Whether the request may have reached the vendor (so it counts against the vendor's quota)."""
    return not isinstance(exc, (*NOT_SENT, httpx2.InvalidURL, httpx2.UnsupportedProtocol))


def resend(exc: Exception, retry_allowed: bool) -> bool:
    """Whether a transport error may be retried: never sent, or lost on a call that may be sent twice."""
    return isinstance(exc, NOT_SENT) or (retry_allowed and isinstance(exc, LOST))


def backoff(attempt: int, asked: float | None, slept: float, max_retries: int, max_wait: float) -> float | None:
    """How long to sleep before the next try, or None when retries or the wait budget are spent."""
    if attempt >= max_retries:
        return None
    base = asked if asked is not None else 0.5 * 2**attempt
    delay = base + random.uniform(0, 0.1 + base / 10)  # never earlier than asked; spread the herd
    budget = max_wait - slept
    if base > budget:
        return None
    return min(delay, budget)


def rewind(request: Request) -> None:
    """Files sent by the failed try are read to the end; start them over for the retry."""
    for _, (_, handle, _) in request.files or []:
        if hasattr(handle, "seek"):
            handle.seek(0)
