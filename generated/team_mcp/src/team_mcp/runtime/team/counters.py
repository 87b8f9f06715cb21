"""Shared counters on the store: the limits every process of a deployment holds together.

``take(store, key, limit, window_s)`` counts one use of ``key`` in the current fixed window (window number
``now // window_s``) in a single atomic statement, unless ``limit`` uses are counted there already, so every
process sharing the store sees the same count: SQLite serializes writers on one host, PostgreSQL across replicas.
``StoreCounters`` is the upstream layer's ``Counters`` protocol on a store; serve hands it to the dispatcher.
"""

from __future__ import annotations

import time

from ..failures import LimitsDown, StoreDown
from ..upstream.limits import Taken, window_of
from .store import Store

# A new window starts at 1; the current one counts on while under the limit; at the limit nothing is updated, so
# nothing is returned (both SQLite and PostgreSQL skip RETURNING for a row the DO UPDATE ... WHERE leaves alone).
UPSERT = (
    "INSERT INTO counters (key, window_start, used) VALUES (?, ?, 1) ON CONFLICT (key) DO UPDATE SET"
    " used = CASE WHEN counters.window_start = excluded.window_start THEN counters.used + 1 ELSE 1 END,"
    " window_start = excluded.window_start"
    " WHERE counters.window_start <> excluded.window_start OR counters.used < ? RETURNING used"
)


def take(store: Store, key: str, limit: int, window_s: float, now: float | None = None) -> Taken:
    """Count one use of ``key``; not allowed (and not counted) once ``limit`` are counted in this window."""
    window = window_of(window_s, time.time() if now is None else now)
    rows = store.query(UPSERT, (key, window, limit)) if limit > 0 else []
    used = int(rows[0][0]) if rows else limit
    return Taken(bool(rows), used, window, (window + 1) * window_s)


def give_back(store: Store, key: str, taken: Taken) -> None:
    """Undo one allowed ``take`` whose use did not happen (the request was never sent), in its own window only."""
    if taken.allowed:
        sql = "UPDATE counters SET used = used - 1 WHERE key = ? AND window_start = ? AND used > 0"
        store.query(sql, (key, taken.window))


class StoreCounters:
    """The counters every process sharing ``store`` sees; a lost store raises ``LimitsDown`` with the reason."""

    shared = True

    def __init__(self, store: Store) -> None:
        self.store = store

    async def take(self, key: str, limit: int, window_s: float) -> Taken:
        """``take`` in a worker thread."""
        try:
            return await self.store.call(lambda: take(self.store, key, limit, window_s))
        except StoreDown as exc:
            raise LimitsDown(str(exc)) from None

    async def give_back(self, key: str, taken: Taken) -> None:
        """``give_back`` in a worker thread."""
        try:
            await self.store.call(lambda: give_back(self.store, key, taken))
        except StoreDown as exc:
            raise LimitsDown(str(exc)) from None
