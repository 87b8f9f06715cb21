"""The audit trail: one row per tool call (who, tool, kind, outcome, duration, the vendor's request id).

Never arguments, bodies or secrets: a row is facts about a call, not its content.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta

from .connections import now_text
from .store import Store

FIELDS = ("at", "who", "tool", "kind", "outcome", "duration_ms", "request_id", "account")


@dataclass(frozen=True)
class Entry:
    """One tool call as recorded."""

    at: str
    who: str
    tool: str
    kind: str
    outcome: str  # ok, tool error, or "upstream <status>"
    duration_ms: int
    request_id: str | None = None
    account: str | None = None  # the vendor account the call used (None: the server's own credential)

    def as_dict(self) -> dict[str, object]:
        """The entry as JSON-ready data."""
        return asdict(self)


def record(store: Store, entry: Entry) -> None:
    """Append one entry."""
    store.query(
        f"INSERT INTO audit ({', '.join(FIELDS)}) VALUES ({', '.join('?' for _ in FIELDS)})",
        tuple(getattr(entry, name) for name in FIELDS),
    )


def read(store: Store, since: str | None = None, who: str | None = None, limit: int = 1000) -> list[Entry]:
    """Entries since an ISO time and/or by one caller, oldest first (the newest ``limit`` of them)."""
    where, params = ["at >= ?"], [since or ""]
    if who:
        where.append("who = ?")
        params.append(who)
    rows = store.query(
        f"SELECT {', '.join(FIELDS)} FROM audit WHERE {' AND '.join(where)} ORDER BY at DESC LIMIT {int(limit)}",
        params,
    )
    return [Entry(str(r[0]), str(r[1]), str(r[2]), str(r[3]), str(r[4]), int(r[5]), r[6], r[7]) for r in reversed(rows)]


def prune(store: Store, retention_days: float, now: datetime | None = None) -> int:
    """Delete entries older than the retention; how many went (0 days: keep everything)."""
    if retention_days <= 0:
        return 0
    cutoff = now_text((now or datetime.now(UTC)) - timedelta(days=retention_days))
    with store.transaction() as run:
        count = int(run("SELECT COUNT(*) FROM audit WHERE at < ?", (cutoff,))[0][0])
        run("DELETE FROM audit WHERE at < ?", (cutoff,))
    return count


def since_text(text: str, now: datetime | None = None) -> str:
    """``--since`` as store time: an ISO time, or an age such as ``90m``, ``24h``, ``7d``."""
    units = {"s": 1, "m": 60, "h": 3600, "d": 86400}
    if text and text[-1] in units and text[:-1].replace(".", "", 1).isdigit():
        return now_text((now or datetime.now(UTC)) - timedelta(seconds=float(text[:-1]) * units[text[-1]]))
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return now_text(moment if moment.tzinfo else moment.replace(tzinfo=UTC))
