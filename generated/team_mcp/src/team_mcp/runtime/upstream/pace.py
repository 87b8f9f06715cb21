"""Client-side pacing: at most ``max_rps`` requests leave per second, across every call of one server."""

from __future__ import annotations

import asyncio
import time


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
