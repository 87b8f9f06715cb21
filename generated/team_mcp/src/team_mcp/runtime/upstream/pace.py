"""Client-side pacing: at most ``max_rps`` requests leave per second, across every call of one server.

How long calls waited for their send slots is added to ``PACED`` when a piece of work counts it (``run_code``
does, to say so when it runs out of time); the waits are shared, so one call's wait is time other calls took.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable
from contextvars import ContextVar


class Waited:
    """Seconds the calls of one piece of work spent waiting for send slots, summed."""

    def __init__(self) -> None:
        self.seconds = 0.0


PACED: ContextVar[Waited | None] = ContextVar("paced", default=None)


async def timed(wait: Awaitable[None]) -> None:
    """Await a send-slot wait, adding the time it took to the current ``PACED`` (if any), however it ends."""
    began = time.monotonic()
    try:
        await wait
    finally:
        waited = PACED.get()
        if waited is not None:
            waited.seconds += time.monotonic() - began


class Pacer:
    """Hands out send slots ``1 / max_rps`` seconds apart; with ``max_rps <= 0`` it never waits."""

    def __init__(self, max_rps: float) -> None:
        self.max_rps = max_rps
        self._next_slot = 0.0
        self._lock = asyncio.Lock()

    async def wait(self) -> None:
        """Sleep until this request's slot."""
        if self.max_rps <= 0:
            return
        async with self._lock:
            now = time.monotonic()
            slot = max(now, self._next_slot)
            self._next_slot = slot + 1.0 / self.max_rps
        if slot > now:
            await asyncio.sleep(slot - now)
