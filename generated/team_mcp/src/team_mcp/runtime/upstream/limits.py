"""The limits upstream requests live under: a pace (requests per second), a daily quota and a credit budget.

Each is a fixed-window counter behind the ``Counters`` protocol: kept in this process's memory
(``LocalCounters``: stdio, or no store), or on the store every process of a deployment shares (the team layer's,
injected by serve). Shared pacing takes one slot per ``1 / max_rps`` seconds and sends in the first half of the
slot (one granted later is left unused), so any one-second window holds at most ``max_rps + 1`` requests however
many processes send, unless a request takes half a slot to travel from the check to the vendor. A request refused
a slot waits for the next one, for at most ``PACE_WAIT_S``. A use taken for a request never sent is given back.
"""

from __future__ import annotations

import asyncio
import random
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol

import anyio

from ..contract import DEFAULT_TIMEOUT_S, Vendor
from ..failures import LimitsDown, Refused
from ..settings import Settings
from .pace import Pacer, timed

DAY_S = 86_400.0
PACE_WAIT_S = DEFAULT_TIMEOUT_S  # longer than this for a send slot, and the call is refused
PACE, DAY, CREDITS = "pace", "day", "credits"


@dataclass(frozen=True)
class Taken:
    """One use asked of a counter: allowed or not, uses so far, which window, when the window ends (epoch s)."""

    allowed: bool
    used: int
    window: int  # the window's number since the epoch
    resets_at: float


def window_of(window_s: float, now: float) -> int:
    """The number of the fixed window ``now`` falls in (windows of ``window_s`` seconds from the epoch)."""
    return int(now // window_s)


def utc(moment: float) -> str:
    """An epoch time as people read it: ``2026-12-02 00:00 UTC``."""
    return datetime.fromtimestamp(moment, UTC).strftime("%Y-%m-%d %H:%M UTC")


class Counters(Protocol):
    """Fixed-window counters; ``shared`` when other processes count on the same ones. Raise ``LimitsDown``."""

    shared: bool

    async def take(self, key: str, limit: int, window_s: float) -> Taken: ...

    async def give_back(self, key: str, taken: Taken) -> None: ...


class LocalCounters:
    """The counters of one process, in memory."""

    shared = False

    def __init__(self) -> None:
        self._used: dict[str, tuple[int, int]] = {}  # key → (window, uses)

    async def take(self, key: str, limit: int, window_s: float) -> Taken:
        """Count one use of ``key`` in the current window, unless ``limit`` are counted already."""
        window = window_of(window_s, time.time())
        start, used = self._used.get(key, (window, 0))
        used = used if start == window else 0
        allowed = used < limit
        self._used[key] = (window, used + allowed)
        return Taken(allowed, used + allowed, window, (window + 1) * window_s)

    async def give_back(self, key: str, taken: Taken) -> None:
        """Undo one allowed ``take`` of this window."""
        window, used = self._used.get(key, (-1, 0))
        if taken.allowed and window == taken.window and used > 0:
            self._used[key] = (window, used - 1)


class RateLimits:
    """Every upstream request passes ``admit`` (the day's quota, then the pace); credit calls also ``take(CREDITS)``."""

    def __init__(self, settings: Settings, vendor: Vendor, counters: Counters | None = None) -> None:
        self.settings, self.vendor = settings, vendor
        self.counters: Counters = counters or LocalCounters()
        self.pacer = Pacer(settings.max_rps)
        self.day_left: int | None = None  # requests left today, as last counted (None: no quota, or none yet)

    @property
    def scope(self) -> str:
        """Who shares these limits, for messages."""
        return "across every server process sharing its store" if self.counters.shared else "in this server process"

    async def admit(self) -> Taken | None:
        """Count one request against the day's quota, then wait for its send slot; the day's use (to give back if
        the request is never sent). Raises ``Refused`` before anything is sent."""
        quota = self.settings.daily_quota
        day = await self.take(DAY, quota, DAY_S) if quota > 0 else None
        if day is not None:
            self.day_left = max(0, quota - day.used)
        if day is not None and not day.allowed:
            raise Refused(
                f"the daily quota of {quota} {self.vendor.title} API requests {self.scope} is spent; no request was "
                f"sent; it resets at {utc(day.resets_at)}",
                hint=f"call again after {utc(day.resets_at)}, or raise {self.vendor.env_prefix}_DAILY_QUOTA if the "
                "vendor allows more",
            )
        try:
            await timed(self._pace())
        except BaseException:
            await self.unsent(DAY, day)
            raise
        return day

    async def take(self, name: str, limit: int, window_s: float) -> Taken:
        """One use of this vendor's counter ``name``; ``Refused`` when the shared counters are unreachable."""
        try:
            return await self.counters.take(f"{self.vendor.name}:{name}", limit, window_s)
        except LimitsDown as exc:
            raise Refused(
                f"the shared limits cannot be checked, so no request was sent: {exc}", hint="try again shortly"
            ) from None

    async def unsent(self, name: str, taken: Taken | None) -> None:
        """The use ``taken`` of counter ``name`` did not happen: give it back (even while the call is cancelled)."""
        if taken is None or not taken.allowed:
            return
        with anyio.CancelScope(shield=True):
            try:
                await self.counters.give_back(f"{self.vendor.name}:{name}", taken)
            except LimitsDown:
                pass  # the store is gone: the use stays counted, which errs on the safe side

    async def _pace(self) -> None:
        rps = self.settings.max_rps
        if rps <= 0:
            return
        if not self.counters.shared:
            await self.pacer.wait()
            return
        deadline = time.monotonic() + PACE_WAIT_S
        while True:
            slot = await self.take(PACE, 1, 1.0 / rps)
            if slot.allowed and time.time() < slot.resets_at - 0.5 / rps:
                return
            # Granted late in its window (a busy loop or store): sent now, it could land beside the next window's
            # request and make a second of max_rps + 2, so it is left unused. Or refused: the next window.
            wait = max(0.0, slot.resets_at - time.time()) + random.uniform(0, 0.002)
            if time.monotonic() + wait > deadline:
                raise Refused(
                    f"no send slot came within {PACE_WAIT_S:.0f} s under the limit of {rps:g} requests per second "
                    f"{self.scope}; no request was sent",
                    hint="the server is busy: call again shortly",
                )
            await asyncio.sleep(wait)
