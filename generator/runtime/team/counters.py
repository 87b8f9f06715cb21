"""Shared counters on the store: the primitive that limits across processes build on.

``take(store, key, limit, window_s)`` counts one use of ``key`` in the current fixed window (``window_s``
seconds, aligned to the epoch) in a single atomic statement, so every process sharing the store sees the same
count: SQLite serializes writers on one host, PostgreSQL across replicas. Pacing (``window_s=1``), a daily
quota (``window_s=86400``) and a budget (``window_s=0``: one window forever) are each one key.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from .store import Store

UPSERT = (
    "INSERT INTO counters (key, window_start, used) VALUES (?, ?, 1) ON CONFLICT (key) DO UPDATE SET"
    " used = CASE WHEN counters.window_start = excluded.window_start THEN counters.used + 1 ELSE 1 END,"
    " window_start = excluded.window_start RETURNING used"
)


@dataclass(frozen=True)
class Taken:
    """The outcome of one ``take``: allowed or not, uses so far in this window, when the window ends."""

    allowed: bool
    used: int
    resets_at: float  # epoch seconds; ``inf`` for a budget


def take(store: Store, key: str, limit: int, window_s: float, now: float | None = None) -> Taken:
    """Count one use of ``key``; not allowed once more than ``limit`` were counted in this window."""
    moment = time.time() if now is None else now
    start = int(moment // window_s * window_s) if window_s > 0 else 0
    used = int(
        store.query(
            UPSERT,
            (
                key,
                start,
            ),
        )[0][0]
    )
    return Taken(used <= limit, used, start + window_s if window_s > 0 else float("inf"))


def give_back(store: Store, key: str) -> None:
    """Undo one ``take`` whose use did not happen (the request was never sent)."""
    store.query("UPDATE counters SET used = used - 1 WHERE key = ? AND used > 0", (key,))


def left(store: Store, key: str, limit: int, window_s: float, now: float | None = None) -> int:
    """Uses left in the current window (without counting one)."""
    moment = time.time() if now is None else now
    start = int(moment // window_s * window_s) if window_s > 0 else 0
    rows = store.query("SELECT used FROM counters WHERE key = ? AND window_start = ?", (key, start))
    return max(0, limit - (int(rows[0][0]) if rows else 0))
