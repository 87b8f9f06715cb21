"""What each tool call did, for metrics and one JSON log line: tool, kind, outcome, duration, vendor request id.

Never arguments, bodies or secrets: only the facts below are recorded.
"""

from __future__ import annotations

import json
import logging
import os
import sys
import time
from collections.abc import Awaitable
from contextvars import ContextVar
from dataclasses import dataclass
from typing import TYPE_CHECKING

import httpx2
from mcp.types import CallToolResult

from ..contract import Operation

if TYPE_CHECKING:  # prometheus-client is imported only when HTTP mode serves metrics
    from .metrics import Metrics

LOG = logging.getLogger("mcpgen.calls")
_REQUEST_ID_HEADERS = ("x-request-id", "request-id", "x-amzn-requestid", "x-correlation-id")


@dataclass
class Call:
    """One tool call as it goes: the last upstream status and request id, the retries."""

    status: int | None = None
    request_id: str | None = None
    retries: int = 0


_CURRENT: ContextVar[Call | None] = ContextVar("mcpgen_call", default=None)


def outcome(result: CallToolResult, call: Call) -> str:
    """``ok``, ``upstream_<status>`` for a vendor error status, or ``tool_error``."""
    if not result.is_error:
        return "ok"
    return f"upstream_{call.status}" if call.status is not None and call.status >= 400 else "tool_error"


class Observer:
    """Times each call, hears its upstream answers, and reports it to metrics (if any) and the log (if on)."""

    def __init__(self, metrics: Metrics | None = None, json_log: bool = False) -> None:
        self.metrics = metrics
        self.json_log = json_log
        # httpx2 logs each request's URL, so its arguments, at INFO, where the SDK's default logging prints them
        # (one rich-formatted line per upstream request, a cost on every call); the JSON log says what is safe.
        logging.getLogger("httpx2").setLevel(logging.WARNING)
        if json_log and not LOG.handlers:
            handler = logging.StreamHandler(sys.stderr)
            handler.setFormatter(logging.Formatter("%(message)s"))
            LOG.addHandler(handler)
            LOG.setLevel(logging.INFO)
            LOG.propagate = False

    def upstream(self, response: httpx2.Response | None, retrying: bool) -> None:
        """The upstream's observer: count the status, a retry, a 429; note the request id for the call's line."""
        call = _CURRENT.get()
        status = response.status_code if response is not None else None
        if call is not None:
            call.status, call.retries = status, call.retries + retrying
            headers = response.headers if response is not None else {}
            call.request_id = next((headers[h] for h in _REQUEST_ID_HEADERS if h in headers), call.request_id)
        if self.metrics is not None:
            self.metrics.upstream.labels(str(status) if status else "none").inc()
            self.metrics.retries.inc(retrying)
            self.metrics.throttled.inc(status == 429)

    async def run(self, op: Operation, answer: Awaitable[CallToolResult]) -> CallToolResult:
        """Await one call's answer, timed and recorded."""
        call, started = Call(), time.perf_counter()
        token = _CURRENT.set(call)
        if self.metrics is not None:
            self.metrics.in_flight.inc()
        try:
            result = await answer
        finally:
            _CURRENT.reset(token)
            if self.metrics is not None:
                self.metrics.in_flight.dec()
        self.report(op, result, call, time.perf_counter() - started)
        return result

    def report(self, op: Operation, result: CallToolResult, call: Call, seconds: float) -> None:
        """Count the call and, with JSON logs on, write its line."""
        kind, said = op.kind, outcome(result, call)
        if self.metrics is not None:
            self.metrics.calls.labels(op.name, kind, said).inc()
            self.metrics.latency.labels(op.name, kind).observe(seconds)
        if self.json_log:
            line: dict[str, object] = {"event": "tool_call", "tool": op.name, "kind": kind, "outcome": said}
            line |= {"duration_ms": round(seconds * 1000, 1), "upstream_status": call.status}
            line |= {"retries": call.retries, "request_id": call.request_id, "pid": os.getpid()}
            LOG.info(json.dumps(line, sort_keys=True))
