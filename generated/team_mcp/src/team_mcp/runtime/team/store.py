"""The store every process of one deployment shares: a SQLite file (one host) or PostgreSQL (replicas).

``Store.open(url)`` connects and applies the schema's migrations under a lock, so two processes starting at
once apply each migration exactly once. Every query is short; each thread keeps its own connection and drops
it on failure, so a store that comes back is used again without a restart. A failure raises ``StoreDown``
with one line that never contains the password.

SQL is written with ``?`` placeholders; for PostgreSQL they become ``%s``.
"""

from __future__ import annotations

import random
import re
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Protocol, TypeVar

import anyio.to_thread

from ..failures import StoreDown
from .schema import MIGRATIONS, VERSION

T = TypeVar("T")
Row = tuple[Any, ...]
BUSY_TIMEOUT_S = 5.0  # SQLite: wait this long for another process's write lock
CONNECT_TIMEOUT_S = 3  # PostgreSQL: a store that does not answer is down, not slow
LOCK_ID = 7_206_130  # PostgreSQL advisory lock that serializes migrations across replicas


class Run(Protocol):
    """Run one statement inside a transaction: rows of a query (empty for other statements)."""

    def __call__(self, sql: str, params: Sequence[Any] = ()) -> list[Row]: ...


def redacted(url: str) -> str:
    """The store's address without a password: ``postgresql://user:***@host/db``."""
    return re.sub(r"(//[^:/@]+:)[^@]*@", r"\1***@", url)


def is_postgres(url: str) -> bool:
    """Whether ``url`` names a PostgreSQL server rather than a SQLite file."""
    return url.startswith(("postgresql://", "postgres://"))


class Store:
    """One store: ``run``/``query`` in a thread of their own from async code, ``transaction`` for several."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.postgres = is_postgres(url)
        self._local = threading.local()
        self._epoch = 0  # bumped on any failure: every thread's older connection is replaced, not tried

    @classmethod
    def open(cls, url: str) -> Store:
        """Connect and bring the schema up to date; ``StoreDown`` with the reason when that fails."""
        store = cls(url)
        store.migrate()
        return store

    def _connect(self) -> Any:
        if self.postgres:
            import psycopg

            return psycopg.connect(self.url, connect_timeout=CONNECT_TIMEOUT_S, autocommit=True)
        path = Path(self.url.removeprefix("sqlite:///").removeprefix("sqlite://"))
        if path.parent != Path() and not path.parent.is_dir():
            raise StoreDown(f"store {self.url}: the folder {path.parent} does not exist")
        conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False)
        conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
        _wal(conn)
        return conn

    def _connection(self) -> Any:
        conn = getattr(self._local, "conn", None)
        if conn is not None and getattr(self._local, "epoch", -1) != self._epoch:
            self._drop()
            conn = None
        if conn is None:
            conn = self._local.conn = self._connect()
            self._local.epoch = self._epoch
        return conn

    def _drop(self) -> None:
        conn, self._local.conn = getattr(self._local, "conn", None), None
        if conn is not None:
            try:
                conn.close()
            except Exception:  # closing a broken connection may fail too; it is gone either way
                pass

    @contextmanager
    def transaction(self) -> Iterator[Run]:
        """Statements that commit together (SQLite: under the write lock from the start)."""
        try:
            conn = self._connection()
            if self.postgres:
                with conn.transaction():
                    yield self._runner(conn)
            else:
                conn.execute("BEGIN IMMEDIATE")
                try:
                    yield self._runner(conn)
                except BaseException:
                    conn.execute("ROLLBACK")
                    raise
                conn.execute("COMMIT")
        except StoreDown:
            raise
        except Exception as exc:
            if not _is_driver_error(exc):
                raise
            self._drop()
            self._epoch += 1
            raise StoreDown(f"store {redacted(self.url)} failed: {_one_line(exc)}") from None

    def _runner(self, conn: Any) -> Run:
        def run(sql: str, params: Sequence[Any] = ()) -> list[Row]:
            cursor = conn.execute(sql.replace("?", "%s") if self.postgres else sql, tuple(params))
            return [tuple(row) for row in cursor.fetchall()] if cursor.description else []

        return run

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        """One statement in its own transaction; its rows."""
        with self.transaction() as run:
            return run(sql, params)

    async def call(self, work: Callable[[], T]) -> T:
        """Run blocking store work in a worker thread so the event loop keeps serving."""
        return await anyio.to_thread.run_sync(work)

    def migrate(self) -> None:
        """Apply the migrations this store lacks, one process at a time; refuse a schema newer than ours."""
        with self.transaction() as run:
            if self.postgres:
                run("SELECT pg_advisory_xact_lock(?)", (LOCK_ID,))
            run("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
            have = int(run("SELECT COALESCE(MAX(version), 0) FROM schema_version")[0][0])
            if have > VERSION:
                raise StoreDown(f"store {redacted(self.url)} has schema v{have}; this server knows up to v{VERSION}")
            for version in range(have + 1, VERSION + 1):
                for statement in MIGRATIONS[version - 1]:
                    run(statement)
                run("INSERT INTO schema_version (version) VALUES (?)", (version,))

    def version(self) -> int:
        """The schema version the store holds (``schema.VERSION`` when current)."""
        return int(self.query("SELECT COALESCE(MAX(version), 0) FROM schema_version")[0][0])

    def close(self) -> None:
        """Close this thread's connection (others close with their threads)."""
        self._drop()


def _wal(conn: sqlite3.Connection) -> None:
    """Put the file in WAL mode (readers never wait for the writer), waiting a bounded time for other processes.

    The mode is stored in the file, so only the first open changes it; but processes that start together race for
    it, and SQLite answers "database is locked" at once, without its busy timeout, to all but one of them.
    """
    deadline = time.monotonic() + BUSY_TIMEOUT_S
    while True:
        try:
            if str(conn.execute("PRAGMA journal_mode").fetchone()[0]).lower() != "wal":
                conn.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(random.uniform(0.01, 0.05))


def _is_driver_error(exc: Exception) -> bool:
    if isinstance(exc, sqlite3.Error | OSError):
        return True
    return type(exc).__module__.startswith("psycopg")


def _one_line(exc: Exception) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text[:200]
