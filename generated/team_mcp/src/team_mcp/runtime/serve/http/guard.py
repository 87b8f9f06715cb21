"""Connections that cannot exhaust the process: a file limit raised at start, a cap on open connections below it,
a deadline for each request's head, and an event loop that no failed log line or accept can stop.

uvicorn's h11 protocol is the one piece of uvicorn's internals leaned on (``GuardedH11``, its ``cycle``,
``connections`` and ``on_response_complete``); ``tests/hostile/test_http_process.py`` floods and trickles a real
process, so a uvicorn that changes them fails there, loudly.
"""

from __future__ import annotations

import asyncio
import functools
import json
import logging
import resource
import sys
from dataclasses import dataclass
from typing import Any, cast

from uvicorn.config import Config
from uvicorn.protocols.http.h11_impl import H11Protocol
from uvicorn.server import ServerState

from ...contract import printable

RESERVED_FILES = 64  # descriptors kept for the store, upstream calls, saved answers and logs, however low the limit
BUSY = json.dumps({"error": "busy", "error_description": "too many open connections; try again in a second"}).encode(
    "utf-8"
)
REFUSAL = (
    b"HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/json\r\nretry-after: 1\r\n"
    b"connection: close\r\ncontent-length: " + str(len(BUSY)).encode("ascii") + b"\r\n\r\n" + BUSY
)


@dataclass(frozen=True)
class ConnectionBounds:
    """How long a request's head may take to arrive, how many connections may be open at once, and how many may
    wait to be accepted (asyncio accepts up to that many at a time, before any is refused: they need room too)."""

    head_seconds: float
    most: int
    backlog: int = 2048


def raise_file_limit() -> int:
    """Raise the soft open-file limit to the hard one (as far as the system lets); the soft limit now in force."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard == resource.RLIM_INFINITY or soft < hard:
        wanted = hard if hard != resource.RLIM_INFINITY else max(soft, 65_536)
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))
            soft = wanted
        except (ValueError, OSError):
            pass  # a system that refuses keeps the soft limit, and the cap follows it
    return soft


def bounds(head_seconds: float, asked: int, files: int) -> ConnectionBounds:
    """The bounds for a process allowed ``files`` descriptors: at most ``asked`` connections (0: as many as the
    file limit allows), always leaving a quarter of the descriptors, and at least ``RESERVED_FILES``, to the rest;
    a quarter of what is left is the accept backlog."""
    reserved = max(RESERVED_FILES, files // 4)
    room = max(8, files - reserved)
    return ConnectionBounds(head_seconds, min(asked, room) if asked > 0 else room, min(2048, reserved // 4))


def protocol(limits: ConnectionBounds) -> type[asyncio.Protocol]:
    """uvicorn's ``http`` setting: ``GuardedH11`` held to ``limits``."""
    return cast(type[asyncio.Protocol], functools.partial(GuardedH11, limits=limits))


class GuardedH11(H11Protocol):
    """uvicorn's h11 protocol, plus: past ``limits.most`` open connections a new one gets 503 and is closed at once
    (the ones open are served); a connection whose next request head has not arrived ``limits.head_seconds``
    after it opened, or after its last answer, is closed (slow or silent clients, half-sent requests, trickled
    bodies after a refusal)."""

    def __init__(
        self,
        config: Config,
        server_state: ServerState,
        app_state: dict[str, Any],
        _loop: asyncio.AbstractEventLoop | None = None,
        *,
        limits: ConnectionBounds,
    ) -> None:
        super().__init__(config, server_state, app_state, _loop)
        self.limits = limits
        self.refused = False
        self.head_timer: asyncio.TimerHandle | None = None
        self.awaited: object = None  # the request cycle that was current when the head timer was armed

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        """Refuse past the cap, else serve and start the head timer."""
        if len(self.connections) >= self.limits.most:
            self.refused = True
            cast(asyncio.Transport, transport).write(REFUSAL)
            transport.close()
            return
        super().connection_made(cast(asyncio.Transport, transport))
        self.arm()

    def connection_lost(self, exc: Exception | None) -> None:
        """Forget the connection (a refused one was never counted)."""
        self.disarm()
        if not self.refused:
            super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        """Bytes of a refused connection are dropped; others are parsed, and a new request's head stops the timer."""
        if not self.refused:
            super().data_received(data)

    def handle_events(self) -> None:
        """uvicorn's parsing; once a new request's head has arrived, its deadline is met."""
        super().handle_events()
        if self.head_timer is not None and self.cycle is not self.awaited:
            self.disarm()

    def on_response_complete(self) -> None:
        """After each answer the next head has the same deadline (a pipelined one may already be here)."""
        self.arm()
        super().on_response_complete()

    def arm(self) -> None:
        """Start (again) the wait for the next request's head."""
        self.disarm()
        self.awaited = self.cycle
        self.head_timer = self.loop.call_later(self.limits.head_seconds, self.too_slow)

    def disarm(self) -> None:
        """Stop waiting for a head."""
        if self.head_timer is not None:
            self.head_timer.cancel()
            self.head_timer = None

    def too_slow(self) -> None:
        """No head in time: close the connection (a request being answered is never cut)."""
        self.head_timer = None
        if self.cycle is self.awaited and not self.transport.is_closing():
            self.transport.close()


def last_resort(loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
    """The loop's exception handler: one escaped line on stderr, and nothing it does may raise (asyncio's own
    handler logs a traceback, which may open files: with none left, that failure stopped the loop)."""
    try:
        exc = context.get("exception")
        told = f"{context.get('message', 'error')}: {type(exc).__name__}: {exc}" if exc else context.get("message")
        sys.stderr.write(f"warning: {printable(str(told))[:500]}\n")
    except Exception:  # the last resort has nowhere left to report to
        pass


class PlainHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """A log line on stderr, control characters escaped; a failure to write is dropped, never raised."""

    def format(self, record: logging.LogRecord) -> str:
        """``LEVEL logger: message``, on one line (a traceback's lines escaped into it)."""
        return printable(f"{record.levelname} {record.name}: {super().format(record)}")

    def handleError(self, record: logging.LogRecord) -> None:
        """Drop the line: reporting the failure could fail the same way."""


def plain_logging() -> None:
    """Every log line of the serving process goes through ``PlainHandler`` (the SDK's rich handler renders
    tracebacks by reading files, and raises when it cannot)."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        root.removeHandler(handler)
    root.addHandler(PlainHandler(sys.stderr))
