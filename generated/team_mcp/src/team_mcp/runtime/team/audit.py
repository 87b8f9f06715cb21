"""The audit trail: one row per tool call (who, tool, kind, outcome, duration, the vendor's request id, and whether
the call came straight from the client or from code in ``run_code``).

Never arguments, bodies or secrets: a row is facts about a call, not its content. Every text field is written
(and shown) with control characters escaped, so a caller's name holding a newline cannot forge a row.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from ..contract import DIRECT, printable
from .connections import now_text

if TYPE_CHECKING:  # a type only: the store and its driver load when a store is opened
    from .store import Store

FIELDS = ("at", "who", "tool", "kind", "outcome", "duration_ms", "request_id", "via", "account")


@dataclass(frozen=True)
class Entry:
    """One tool call as recorded."""

    at: str
    who: str
    tool: str
    kind: str
    outcome: str  # ok, tool_error, or upstream_<status> (``dispatch.record``'s vocabulary)
    duration_ms: int
    request_id: str | None = None
    via: str = DIRECT  # DIRECT, or FROM_CODE: made by code in run_code
    account: str | None = None  # the vendor account the call used (None: the server's own credential)

    def as_dict(self) -> dict[str, object]:
        """The entry as JSON-ready data."""
        return asdict(self)

    def printable(self) -> Entry:
        """The entry with control characters (newlines included) escaped in every text field."""
        at, who, tool, kind, outcome = (printable(t) for t in (self.at, self.who, self.tool, self.kind, self.outcome))
        request_id = None if self.request_id is None else printable(self.request_id)
        account = None if self.account is None else printable(self.account)
        return Entry(at, who, tool, kind, outcome, self.duration_ms, request_id, printable(self.via), account)


def record(store: Store, entry: Entry) -> None:
    """Append one entry, its text escaped (:meth:`Entry.printable`)."""
    clean = entry.printable()
    store.query(
        f"INSERT INTO audit ({', '.join(FIELDS)}) VALUES ({', '.join('?' * len(FIELDS))})",
        tuple(getattr(clean, name) for name in FIELDS),
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
    return [
        Entry(str(r[0]), str(r[1]), str(r[2]), str(r[3]), str(r[4]), int(r[5]), r[6], str(r[7]), r[8])
        for r in reversed(rows)
    ]


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
