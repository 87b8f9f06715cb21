"""What the last upstream exchange of the current call returned (status, the vendor's request id), for the audit."""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass

import httpx2


@dataclass
class Trace:
    """Filled in by the dispatcher as a call goes; read once the call is done."""

    status: int | None = None
    request_id: str | None = None

    def saw(self, response: httpx2.Response) -> None:
        """Keep the status and request id of one upstream answer."""
        self.status = response.status_code
        self.request_id = response.headers.get("x-request-id") or response.headers.get("request-id") or self.request_id


TRACE: ContextVar[Trace | None] = ContextVar("mcpgen_trace", default=None)
