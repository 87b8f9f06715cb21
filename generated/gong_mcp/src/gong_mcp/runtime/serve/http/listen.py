"""Serving the assembled app with uvicorn: readiness includes the vendor credentials, SIGTERM drains, and the
connections are bounded (``guard``: a cap below the file limit, a deadline for each request head).

Forwarded headers (``X-Forwarded-For``) are believed only from the proxies named by ``--forwarded-allow-ips``;
by default from nobody, so a client's address is the one that connected.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
import socket
import sys
import time
from collections.abc import Generator
from types import FrameType

import uvicorn
from sse_starlette.sse import AppStatus

from ..app import GeneratedServer, ReadinessCheck
from . import guard
from .asgi import App
from .routes import Ready

LINGER_S = 0.5  # how long a drain waits, with nothing in flight, for a client's follow-up
ENDING_S = 2.0  # of the grace, kept to write the answers of the calls cut at its end and to exit


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
    The process exits within the grace: ``ENDING_S`` before its end the calls still running are cut (each answers
    that it was), and uvicorn gets what is left of it to write those answers.
    """

    def __init__(self, config: uvicorn.Config, ready: Ready, grace: float, server: GeneratedServer) -> None:
        super().__init__(config)
        self.ready, self.grace, self.server = ready, grace, server
        self.drain_started = self.quiet_since = 0.0
        # sse-starlette (the SDK's event streams) ends every stream at the first signal, cutting the calls in
        # flight; the grace bounds them instead, then cuts what is left.
        AppStatus.enable_automatic_graceful_drain = False  # what its disable_automatic_graceful_drain() sets

    async def serve(self, sockets: list[socket.socket] | None = None) -> None:
        """uvicorn's serve, on a loop whose errors (a failed accept, a failed log line) are one line each."""
        asyncio.get_running_loop().set_exception_handler(guard.last_resort)
        await super().serve(sockets)

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
        if self.quiet_since and now - self.quiet_since >= LINGER_S:
            return True
        ending = min(ENDING_S, self.grace / 2)
        if now - self.drain_started < self.grace - ending:
            return False
        cut = self.server.cutoff.cut(
            f"the server shut down while this call was running: it had {self.grace:g} s after SIGTERM to finish, "
            "and was cut; it may or may not have reached the vendor"
        )
        print(f"draining: the grace is over, {cut} call(s) cut", file=sys.stderr)
        self.config.timeout_graceful_shutdown = max(0, int(ending - 0.5))  # what is left for their answers
        return True


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
    settings = server.dispatcher.settings
    limits = guard.bounds(settings.head_timeout, settings.max_connections, guard.raise_file_limit())
    host, port = address
    config = uvicorn.Config(
        app, host=host, port=port, log_level="warning", http=guard.protocol(limits), timeout_graceful_shutdown=1,
        backlog=limits.backlog,
        proxy_headers=bool(forwarded_allow_ips), forwarded_allow_ips=forwarded_allow_ips or None,
    )  # fmt: skip
    guard.plain_logging()
    Draining(config, ready, settings.drain_grace, server).run(sockets=None if listener is None else [listener])
    return 0
