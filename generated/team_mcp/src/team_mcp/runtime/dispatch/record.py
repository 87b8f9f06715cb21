"""One record per tool call: who called which tool, what the vendor answered, how it ended.

The call log line, the metrics and the audit row are three views of this one record, with one outcome
vocabulary (``ok``, ``tool_error``, ``upstream_<status>``: ``outcome_of``), so they cannot disagree. It travels
with its call (``tool_call.ToolCall``); the upstream fills it in as answers arrive (``CallRecord.heard``, passed
to each send), and the serve layer closes it when the call ends (``CallRecord.close``).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import httpx2
from mcp.types import CallToolResult

from ..contract import DIRECT

# The headers vendors name their request id in, first found wins.
REQUEST_ID_HEADERS = ("x-request-id", "request-id", "x-amzn-requestid", "x-correlation-id")
OK, TOOL_ERROR, UPSTREAM = "ok", "tool_error", "upstream_"  # ``upstream_<status>``: the vendor answered an error


@dataclass
class CallRecord:
    """One tool call as it goes, then as it ended."""

    tool: str
    kind: str
    who: str = "local"
    via: str = DIRECT  # DIRECT, or FROM_CODE for a call made by code mode's sandbox
    account: str | None = None  # the vendor account the call used (None: the server's own credential)
    status: int | None = None  # the last upstream answer's HTTP status
    request_id: str | None = None
    retries: int = 0
    outcome: str = ""
    answers: list[tuple[int | None, bool]] = field(default_factory=list)  # each upstream answer: status, retried
    started: float = field(default_factory=time.perf_counter)
    seconds: float = 0.0

    def heard(self, response: httpx2.Response | None, retrying: bool) -> None:
        """One upstream answer (None: no answer); ``retrying``: the request is sent again."""
        self.retries += retrying
        self.answers.append((response.status_code if response is not None else None, retrying))
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
