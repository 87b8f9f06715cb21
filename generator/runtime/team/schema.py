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
    (  # accounts: each connection or OAuth subject may reach the vendor as an account of its own
        "CREATE TABLE accounts ("
        " name TEXT PRIMARY KEY, kind TEXT NOT NULL, state TEXT NOT NULL, sealed TEXT NOT NULL, key_id TEXT NOT NULL,"
        " base_url TEXT, scopes TEXT, token_expires_at TEXT, refresh_lease TEXT, last_used_at TEXT,"
        " created_at TEXT NOT NULL, updated_at TEXT NOT NULL)",
        "CREATE TABLE account_subjects (subject TEXT PRIMARY KEY, account TEXT NOT NULL)",
        "CREATE TABLE oauth_states ("
        " state_hash TEXT PRIMARY KEY, account TEXT NOT NULL, sealed TEXT NOT NULL, redirect_uri TEXT NOT NULL,"
        " bind_connection TEXT, bind_subject TEXT, expires_at TEXT NOT NULL)",
        "ALTER TABLE connections ADD COLUMN account TEXT",
        "ALTER TABLE audit ADD COLUMN account TEXT",
    ),
    (  # who an account is at the vendor, a version for compare-and-set writes, what a connect link may do, a key check
        "ALTER TABLE accounts ADD COLUMN identity TEXT",
        "ALTER TABLE accounts ADD COLUMN version INTEGER NOT NULL DEFAULT 1",
        "ALTER TABLE oauth_states ADD COLUMN intent TEXT NOT NULL DEFAULT 'new'",
        "CREATE TABLE store_key (id INTEGER PRIMARY KEY, sealed TEXT NOT NULL)",
    ),
    # the vendor an account calls (a suite serves several; '': written by a single-vendor package, its own); a
    # suite's connection binds one account per vendor in ``connections.account`` ("gong=acme,gumloop=beta")
    (
        "ALTER TABLE accounts ADD COLUMN vendor TEXT NOT NULL DEFAULT ''",
        "ALTER TABLE oauth_states ADD COLUMN vendor TEXT NOT NULL DEFAULT ''",  # the binding a connect link makes
    ),
)
VERSION = len(MIGRATIONS)
