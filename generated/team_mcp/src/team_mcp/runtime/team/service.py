"""A deployment's team state for one server process: the store, its health, the audit retention."""

from __future__ import annotations

import logging
import time

from ..failures import StoreDown
from . import audit
from .store import Store

HEALTH_TTL_S = 1.0  # how long a store check is trusted: a lost store is noticed within a second
PRUNE_EVERY_S = 3600.0
log = logging.getLogger("mcpgen.team")


class Team:
    """What the access layer and the calls share: one store, checked at most once a second."""

    def __init__(self, store: Store, retention_days: float, vendor: str) -> None:
        self.store, self.retention_days, self.vendor = store, retention_days, vendor
        self._checked_at, self._down = 0.0, None  # type: tuple[float, str | None]
        self._pruned_at = 0.0

    async def down(self) -> str | None:
        """Why the store cannot be used now (one line), or None; re-checked after ``HEALTH_TTL_S``."""
        if time.monotonic() - self._checked_at < HEALTH_TTL_S:
            return self._down
        try:
            await self.store.call(lambda: self.store.query("SELECT 1"))
            self._down = None
        except StoreDown as exc:
            self._down = str(exc)
        self._checked_at = time.monotonic()
        return self._down

    def answered(self) -> None:
        """A query succeeded just now: the store is up."""
        self._down, self._checked_at = None, time.monotonic()

    def failed(self, reason: str) -> None:
        """A query failed just now: report the store down until the next check."""
        self._down, self._checked_at = reason, time.monotonic()

    async def record(self, entry: audit.Entry) -> None:
        """Append an audit entry (and prune old ones now and then); a lost store is logged, not raised."""
        try:
            await self.store.call(lambda: audit.record(self.store, entry))
            if time.monotonic() - self._pruned_at > PRUNE_EVERY_S:
                self._pruned_at = time.monotonic()
                await self.store.call(lambda: audit.prune(self.store, self.retention_days))
        except StoreDown as exc:
            self.failed(str(exc))
            log.warning("audit entry for %s by %s not recorded: %s", entry.tool, entry.who, exc)
