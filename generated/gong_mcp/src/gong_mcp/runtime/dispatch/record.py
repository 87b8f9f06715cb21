"""One record per tool call: who called which tool, what the vendor answered, how it ended.

The call log line, the metrics and the audit row are three views of this one record, with one outcome
vocabulary (``ok``, ``tool_error``, ``upstream_<status>``: ``outcome_of``), so they cannot disagree. The upstream
fills it in as answers arrive (``heard``); the serve layer opens it (``opened``) and closes it when the call ends
(``CallRecord.close``).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

import httpx2
from mcp.types import CallToolResult

from ..contract import Operation

# The headers vendors name their request id in, first found wins.
REQUEST_ID_HEADERS = ("x-request-id", "request-id", "x-amzn-requestid", "x-correlation-id")
OK, TOOL_ERROR, UPSTREAM = "ok", "tool_error", "upstream_"  # ``upstream_<status>``: the vendor answered an error


@dataclass
class CallRecord:
    """One tool call as it goes, then as it ended."""

    tool: str
    kind: str
    who: str = "local"
    via: str = "direct"  # direct, or ``code`` for a call made by code mode's sandbox
    account: str | None = None  # the vendor account the call used (None: the server's own credential)
    status: int | None = None  # the last upstream answer's HTTP status
    request_id: str | None = None
    retries: int = 0
    outcome: str = ""
    started: float = field(default_factory=time.perf_counter)
    seconds: float = 0.0

    def heard(self, response: httpx2.Response | None, retrying: bool) -> None:
        """One upstream answer (None: no answer); ``retrying``: the request is sent again."""
        self.retries += retrying
        if response is None:
            return
        self.status = response.status_code
        headers = response.headers
        self.request_id = next((headers[h] for h in REQUEST_ID_HEADERS if h in headers), self.request_id)

    def close(self, result: CallToolResult) -> None:
        """The call's outcome and duration, from its result."""
        self.seconds = time.perf_counter() - self.started
        self.outcome = outcome_of(result, self.status)
        if self.request_id is None and isinstance(result.structured_content, dict):
            found = result.structured_content.get("request_id")
            self.request_id = str(found) if found else None

    @property
    def duration_ms(self) -> float:
        """The call's duration in milliseconds, to a tenth."""
        return round(self.seconds * 1000, 1)


def outcome_of(result: CallToolResult, status: int | None) -> str:
    """``ok``, ``upstream_<status>`` when the vendor answered an error status, else ``tool_error``."""
    if not result.is_error:
        return OK
    return f"{UPSTREAM}{status}" if status is not None and status >= 400 else TOOL_ERROR


RECORD: ContextVar[CallRecord | None] = ContextVar("mcpgen_call_record", default=None)


@contextmanager
def opened(op: Operation, who: str, via: str = "direct", account: str | None = None) -> Iterator[CallRecord]:
    """A new record for a call of ``op`` by ``who`` (``via``: ``direct``, or ``code`` from code mode), current
    while the call runs (calls made inside it, by a workflow, are part of it)."""
    record = CallRecord(op.name, op.kind, who, via, account)
    mark = RECORD.set(record)
    try:
        yield record
    finally:
        RECORD.reset(mark)


def heard(response: httpx2.Response | None, retrying: bool) -> None:
    """The upstream's observer: the current call's record hears each answer."""
    record = RECORD.get()
    if record is not None:
        record.heard(response, retrying)
