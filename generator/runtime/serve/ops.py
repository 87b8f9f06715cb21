"""Operating a server over HTTP: ``/readyz``, ``/metrics``, and a drain on SIGTERM that ends with exit 0.

``/healthz`` (alive) is answered by the transport's guard. ``/readyz`` runs the server's readiness checks (a
list: a store adds its own) and answers 503 while draining. ``/metrics`` sits behind the same access rule as
``/mcp``, or on a port of its own (``METRICS_PORT``) when a scraper cannot send the token.
"""

from __future__ import annotations

import contextlib
import json
import math
import signal
import socket
import sys
from collections.abc import Awaitable, Callable, Generator
from types import FrameType
from typing import TYPE_CHECKING, Any

import uvicorn
from sse_starlette.sse import AppStatus

from ..wire import auth
from .app import GeneratedServer, ReadinessCheck
from .metrics import Metrics

if TYPE_CHECKING:
    from .transport import Access

READY_PATH, METRICS_PATH = "/readyz", "/metrics"
Send = Callable[[dict[str, Any]], Awaitable[None]]


def configured(server: GeneratedServer) -> ReadinessCheck:
    """Ready when the vendor credentials the server needs are set."""

    async def check() -> str | None:
        try:
            auth.resolve(server.dispatcher.vendor.auth, server.dispatcher.settings.env)
        except auth.MissingCredentials as exc:
            return str(exc)
        return None

    return check


class Ready:
    """ASGI middleware in front of everything: ``/readyz`` from the checks, 503 once draining."""

    def __init__(self, app: Any, checks: list[ReadinessCheck]) -> None:
        self.app, self.checks = app, checks
        self.draining = False

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] != READY_PATH:
            await self.app(scope, receive, send)
            return
        reasons = ["draining: the server is shutting down"] if self.draining else []
        for check in self.checks:
            reason = await check()
            if reason:
                reasons.append(reason)
        body = {"status": "not ready", "reasons": reasons} if reasons else {"status": "ready"}
        await respond(send, 503 if reasons else 200, json.dumps(body).encode("utf-8"), "application/json")


class MetricsRoute:
    """ASGI middleware behind the access rule: ``GET /metrics`` in the Prometheus text format."""

    def __init__(self, app: Any, metrics: Metrics, access: Access) -> None:
        self.app, self.metrics, self.access = app, metrics, access

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Send) -> None:
        if scope["type"] == "http" and scope["path"] == METRICS_PATH and scope["method"] in ("GET", "HEAD"):
            headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
            if self.access.refusal(headers.get("authorization")) is not None:
                await respond(send, 401, b"the server token is required for /metrics\n", "text/plain")
                return
            body, content_type = self.metrics.exposition()
            await respond(send, 200, body, content_type)
            return
        await self.app(scope, receive, send)


async def respond(send: Send, status: int, body: bytes, content_type: str) -> None:
    """One whole answer, never cached."""
    headers = [(b"content-type", content_type.encode()), (b"content-length", str(len(body)).encode())]
    await send(
        {"type": "http.response.start", "status": status, "headers": [*headers, (b"cache-control", b"no-store")]}
    )
    await send({"type": "http.response.body", "body": body})


def instrument(server: GeneratedServer, mcp_app: Any, metrics_port: int, host: str, access: Access) -> Any:
    """Metrics on for this server: behind the server token (the returned app) or on their own port (started here)."""
    metrics = Metrics()
    server.observer.metrics = metrics
    limits = server.dispatcher.upstream.limits
    metrics.quota_left.set_function(lambda: -1.0 if limits.day_left is None else float(limits.day_left))
    if metrics_port:
        from prometheus_client import start_http_server

        start_http_server(metrics_port, addr=host, registry=metrics.registry)
        return mcp_app
    return MetricsRoute(mcp_app, metrics, access)


class Draining(uvicorn.Server):
    """uvicorn, but SIGTERM/SIGINT drain and return instead of re-raising the signal (which exits non-zero)."""

    def __init__(self, config: uvicorn.Config, ready: Ready) -> None:
        super().__init__(config)
        self.ready = ready
        # sse-starlette (the SDK's event streams) ends every stream at the first signal, cutting the calls in
        # flight; uvicorn's grace period bounds them instead, then cancels what is left.
        AppStatus.enable_automatic_graceful_drain = False  # what its disable_automatic_graceful_drain() sets

    @contextlib.contextmanager
    def capture_signals(self) -> Generator[None, None, None]:
        """Own the signals while serving; uvicorn stops accepting, waits ``timeout_graceful_shutdown``, returns."""
        previous = {sig: signal.signal(sig, self.drain) for sig in (signal.SIGTERM, signal.SIGINT)}
        try:
            yield
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)

    def drain(self, sig: int, frame: FrameType | None) -> None:
        """First signal: drain; a second one: stop now."""
        if not self.ready.draining:
            print(f"draining: {signal.Signals(sig).name}, calls in flight may finish", file=sys.stderr)
        self.ready.draining = True
        self.handle_exit(sig, frame)


def serve(server: GeneratedServer, app: Any, address: tuple[str, int], listener: socket.socket | None = None) -> int:
    """Serve ``app`` with readiness in front until a signal, on ``address`` or on a worker's ``listener``; calls in
    flight get the drain grace period."""
    ready = Ready(app, [configured(server), *server.readiness])
    grace = math.ceil(server.dispatcher.settings.drain_grace)  # uvicorn takes whole seconds
    host, port = address
    config = uvicorn.Config(ready, host=host, port=port, log_level="warning", timeout_graceful_shutdown=grace)
    Draining(config, ready).run(sockets=None if listener is None else [listener])
    return 0
