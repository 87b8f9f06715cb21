"""The routes beside ``/mcp``: ``/healthz`` (alive), ``/readyz`` (ready, or 503 with reasons, and while draining),
``/metrics`` (behind the server token, or on a port of its own), and the RFC 9728 metadata when OAuth is on.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from ..app import ReadinessCheck
from .asgi import Receive, Refusal, Scope, Send, bearer, refuse, respond, respond_json
from .tokens import TOKEN_ENV, ServerToken

if TYPE_CHECKING:  # prometheus-client is imported only when metrics are served
    from ..metrics import Metrics

HEALTH_PATH, READY_PATH, METRICS_PATH = "/healthz", "/readyz", "/metrics"


class Health:
    """``/healthz``: the process answers; never opens a stream, needs no credential."""

    def __init__(self, facts: dict[str, Any]) -> None:
        self.body = json.dumps(facts).encode("utf-8")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await respond(send, 200, self.body)


class Ready:
    """``/readyz``: every readiness check, and 503 once draining; ``active`` counts MCP requests being answered,
    so a drain knows when the last one is done."""

    def __init__(self, checks: list[ReadinessCheck]) -> None:
        self.checks = checks
        self.draining = False
        self.active = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        reasons = ["draining: the server is shutting down"] if self.draining else []
        for check in self.checks:
            reason = await check()
            if reason:
                reasons.append(reason)
        body = {"status": "not ready", "reasons": reasons} if reasons else {"status": "ready"}
        await respond_json(send, 503 if reasons else 200, body)


class MetricsRoute:
    """``/metrics`` in the Prometheus text format, for the holder of the server token only."""

    def __init__(self, metrics: Metrics, token: ServerToken | None) -> None:
        self.metrics, self.token = metrics, token

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.token is None:
            reason = f"/metrics needs the server token ({TOKEN_ENV}), or serve it on its own port (--metrics-port)"
            await refuse(send, Refusal(401, "", reason))
            return
        presented = bearer(scope)
        if not presented or not self.token.matches(presented) or self.token.expired():
            await refuse(send, Refusal(401, "invalid_token" if presented else "", "the server token is required"))
            return
        body, content_type = self.metrics.exposition()
        await respond(send, 200, body, content_type=content_type)


class Metadata:
    """RFC 9728 protected-resource metadata: where OAuth clients get a token for this server."""

    def __init__(self, document: dict[str, Any]) -> None:
        self.body = json.dumps(document).encode("utf-8")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await respond(send, 200, self.body, {"cache-control": "max-age=300"})
