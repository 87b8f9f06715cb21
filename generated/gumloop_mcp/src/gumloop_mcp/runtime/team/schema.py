"""The store's versioned schema: migration N is applied once, in order, under a lock, and recorded.

Plain portable SQL (SQLite and PostgreSQL alike): text times in ISO 8601 UTC, which sort as times.
Append a migration to change the schema; never edit one that has shipped.
"""

from __future__ import annotations

MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (
        "CREATE TABLE connections ("
        " name TEXT PRIMARY KEY, secret_hash TEXT NOT NULL UNIQUE, methods TEXT NOT NULL, tags TEXT NOT NULL,"
        " include_tools TEXT NOT NULL, exclude_tools TEXT NOT NULL, expires_at TEXT, require_bearer INTEGER NOT NULL,"
        " created_at TEXT NOT NULL, revoked_at TEXT)",
        "CREATE TABLE audit ("
        " at TEXT NOT NULL, who TEXT NOT NULL, tool TEXT NOT NULL, kind TEXT NOT NULL, outcome TEXT NOT NULL,"
        " duration_ms INTEGER NOT NULL, request_id TEXT)",
        "CREATE INDEX audit_at ON audit (at)",
        "CREATE TABLE counters (key TEXT PRIMARY KEY, window_start BIGINT NOT NULL, used BIGINT NOT NULL)",
    ),
    ("ALTER TABLE audit ADD COLUMN via TEXT NOT NULL DEFAULT 'direct'",),  # calls made by code in run_code: 'code'
)
VERSION = len(MIGRATIONS)
