"""Serving the assembled app with uvicorn: readiness includes the vendor credentials, SIGTERM drains.

Forwarded headers (``X-Forwarded-For``) are believed only from the proxies named by ``--forwarded-allow-ips``;
by default from nobody, so a client's address is the one that connected.
"""

from __future__ import annotations

import contextlib
import math
import signal
import socket
import sys
import time
from collections.abc import Generator
from types import FrameType

import uvicorn
from sse_starlette.sse import AppStatus

from ..app import GeneratedServer, ReadinessCheck
from .asgi import App
from .routes import Ready

LINGER_S = 0.5  # how long a drain waits, with nothing in flight, for a client's follow-up


def configured(server: GeneratedServer) -> ReadinessCheck:
    """Ready when the vendor credentials the server needs are set."""

    async def check() -> str | None:
        return server.dispatcher.missing_credentials()

    return check


class Draining(uvicorn.Server):
    """uvicorn, but SIGTERM/SIGINT drain and return instead of re-raising the signal (which exits non-zero).

    The first signal makes ``/readyz`` answer 503 and refuses new tool calls, while the listener stays open: the
    calls in flight finish and their clients' follow-ups are answered. Once no MCP request has been in flight for
    ``LINGER_S`` (or the grace period is over), uvicorn stops listening and ends. A second signal stops at once.
    """

    def __init__(self, config: uvicorn.Config, ready: Ready, grace: float) -> None:
        super().__init__(config)
        self.ready, self.grace = ready, grace
        self.drain_started = self.quiet_since = 0.0
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
        if self.ready.draining:
            self.handle_exit(sig, frame)
            return
        print(f"draining: {signal.Signals(sig).name}, calls in flight may finish", file=sys.stderr)
        self.ready.draining, self.drain_started = True, time.monotonic()

    async def on_tick(self, counter: int) -> bool:
        """Whether to stop serving: uvicorn's own reasons, or a drain whose requests are done (or out of time)."""
        if await super().on_tick(counter) or not self.ready.draining:
            return self.should_exit
        now = time.monotonic()
        if self.ready.active:
            self.quiet_since = 0.0
        elif not self.quiet_since:
            self.quiet_since = now
        return now - self.drain_started >= self.grace or bool(self.quiet_since and now - self.quiet_since >= LINGER_S)


def serve(
    server: GeneratedServer,
    app: App,
    ready: Ready,
    address: tuple[str, int],
    listener: socket.socket | None = None,
    forwarded_allow_ips: str | None = None,
) -> int:
    """Serve ``app`` until a signal, on ``address`` or on a worker's ``listener``; calls in flight get the drain
    grace period."""
    grace = math.ceil(server.dispatcher.settings.drain_grace)  # uvicorn takes whole seconds
    host, port = address
    config = uvicorn.Config(
        app, host=host, port=port, log_level="warning", timeout_graceful_shutdown=grace,
        proxy_headers=bool(forwarded_allow_ips), forwarded_allow_ips=forwarded_allow_ips or None,
    )  # fmt: skip
    Draining(config, ready, server.dispatcher.settings.drain_grace).run(
        sockets=None if listener is None else [listener]
    )
    return 0
