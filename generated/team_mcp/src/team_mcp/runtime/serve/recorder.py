"""Recording tool calls: each call's one record (``dispatch.record``) feeds the metrics, the JSON log line and,
when a team is served, the audit row — the same outcome in all three.

Never arguments, bodies or secrets: only the record's facts are written.
"""

from __future__ import annotations

import json
import logging
import os
import sys
from collections.abc import Awaitable
from typing import TYPE_CHECKING

from mcp.types import CallToolResult

from ..dispatch.record import CallRecord
from ..dispatch.tool_call import ToolCall
from ..team import audit
from ..team.connections import now_text

if TYPE_CHECKING:  # types only: prometheus-client loads when HTTP mode serves metrics, the store when one is opened
    from ..team.service import Team
    from .metrics import Metrics

LOG = logging.getLogger("mcpgen.calls")


class Recorder:
    """Times each call, and reports its record to metrics (if any), the log (if on) and the audit (if a team)."""

    def __init__(self, metrics: Metrics | None = None, json_log: bool = False) -> None:
        self.metrics = metrics
        self.json_log = json_log
        self.team: Team | None = None
        # httpx2 logs each request's URL, so its arguments, at INFO, where the SDK's default logging prints them
        # (one rich-formatted line per upstream request, a cost on every call); the JSON log says what is safe.
        logging.getLogger("httpx2").setLevel(logging.WARNING)
        if json_log and not LOG.handlers:
            handler = logging.StreamHandler(sys.stderr)
            handler.setFormatter(logging.Formatter("%(message)s"))
            LOG.addHandler(handler)
            LOG.setLevel(logging.INFO)
            LOG.propagate = False

    async def run(self, call: ToolCall, answer: Awaitable[CallToolResult]) -> CallToolResult:
        """Await ``call``'s answer, then close its record and report it."""
        if self.metrics is not None:
            self.metrics.in_flight.inc()
        try:
            result = await answer
        finally:
            if self.metrics is not None:
                self.metrics.in_flight.dec()
        record = call.record
        record.close(result)
        self.report(record)
        if self.team is not None:
            await self.team.record(entry(record))
        return result

    def report(self, call: CallRecord) -> None:
        """Count the call and each upstream answer it heard and, with JSON logs on, write its line."""
        if self.metrics is not None:
            self.metrics.call(call.tool, call.kind, call.outcome, call.seconds)
            for status, retrying in call.answers:
                self.metrics.answer(status, retrying)
        if self.json_log:
            line: dict[str, object] = {"event": "tool_call", "tool": call.tool, "kind": call.kind}
            line |= {"outcome": call.outcome, "who": call.who, "via": call.via, "duration_ms": call.duration_ms}
            line |= {"upstream_status": call.status, "retries": call.retries, "request_id": call.request_id}
            LOG.info(json.dumps(line | {"pid": os.getpid()}, sort_keys=True))


def entry(call: CallRecord) -> audit.Entry:
    """The audit row of one call record (``audit.record`` escapes its text: a caller's name is the caller's data)."""
    duration = round(call.duration_ms)
    return audit.Entry(
        now_text(), call.who, call.tool, call.kind, call.outcome, duration, call.request_id, call.via, call.account
    )
