"""Connections: a secret URL per person, with its own tool filters and expiry; only a hash of the secret is kept.

A secret is 32 random bytes from ``secrets`` (43 URL-safe characters). It has far more entropy than a password,
so a plain SHA-256 is the right way to store it: no slow KDF is needed to stop guessing, and the lookup is by
hash. The row found is compared again in constant time.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from ..contract import parse_list
from ..failures import ManagementError
from ..visibility import Filters

if TYPE_CHECKING:  # a type only: the store and its driver load when a store is opened
    from .store import Store

SECRET_BYTES = 32
SECRET_SHAPE = re.compile(r"[A-Za-z0-9_-]{43}")  # what token_urlsafe(32) makes, and nothing else
NAME_SHAPE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}")
ACCOUNT_VENDOR = "SELECT vendor FROM accounts WHERE name = ?"
COLUMNS = (
    "name, methods, tags, include_tools, exclude_tools, expires_at, require_bearer, created_at, revoked_at, account"
)


def digest(secret: str) -> str:
    """The stored form of a secret."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def now_text(moment: datetime | None = None) -> str:
    """A UTC instant as sortable ISO text (the store's one time format)."""
    return (moment or datetime.now(UTC)).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _names(text: str) -> frozenset[str]:
    return frozenset(parse_list(text))


@dataclass(frozen=True)
class Connection:
    """One person's connection: which tools it may see and call, and until when."""

    name: str
    methods: frozenset[str] = frozenset()
    tags: frozenset[str] = frozenset()
    include: frozenset[str] = frozenset()
    exclude: frozenset[str] = frozenset()
    expires_at: str | None = None
    require_bearer: bool = False
    created_at: str = ""
    revoked_at: str | None = None
    account: str | None = None  # its account binding (``binding``); None: the server's own credential

    @classmethod
    def from_row(cls, row: tuple[object, ...]) -> Connection:
        """A connection from a row of ``COLUMNS``."""
        name, methods, tags, include, exclude, expires, bearer, created, revoked, account = (
            str(v) if v else "" for v in row
        )
        return cls(
            name, _names(methods), _names(tags), _names(include), _names(exclude),
            expires or None, bearer not in ("", "0"), created, revoked or None, account or None,
        )  # fmt: skip

    def bound(self, vendor: str = "") -> str | None:
        """The account its calls of ``vendor``'s tools use ("": a single-vendor package's one), or None."""
        return binding(self.account).get(vendor)

    @property
    def filters(self) -> Filters:
        """Which tools this connection may see and call, as the one visibility rule reads them."""
        return Filters(self.methods, self.tags, self.include, self.exclude)

    def refusal(self, now: datetime | None = None) -> str | None:
        """Why this connection may not be used now (revoked, expired), or None."""
        if self.revoked_at:
            return f"connection {self.name!r} was revoked at {self.revoked_at[:19]}Z"
        if self.expires_at and now_text(now) >= self.expires_at:
            return f"connection {self.name!r} expired at {self.expires_at[:19]}Z"
        return None


def binding(text: str | None) -> dict[str, str]:
    """A connection's stored account binding as vendor → account: a single-vendor package's one account (``acme``,
    vendor ""), or a suite's one per vendor (``gong=acme,gumloop=beta``). Names never hold ``=`` or ``,``."""
    if not text:
        return {}
    if "=" not in text:
        return {"": text}
    return dict(part.split("=", 1) for part in text.split(",") if "=" in part)


def binding_text(bound: dict[str, str]) -> str | None:
    """The stored form of ``bound`` (``binding``'s inverse), sorted by vendor; None when empty."""
    if not bound:
        return None
    if set(bound) == {""}:
        return bound[""]
    return ",".join(f"{vendor}={bound[vendor]}" for vendor in sorted(bound))


def new_secret() -> str:
    """A fresh connection secret."""
    return secrets.token_urlsafe(SECRET_BYTES)


def lookup(store: Store, secret: str) -> Connection | None:
    """The connection a presented secret opens (revoked and expired ones too: the caller says why), or None."""
    if not SECRET_SHAPE.fullmatch(secret):
        return None
    hashed = digest(secret)
    rows = store.query(f"SELECT secret_hash, {COLUMNS} FROM connections WHERE secret_hash = ?", (hashed,))
    if not rows or not hmac.compare_digest(str(rows[0][0]), hashed):
        return None
    return Connection.from_row(rows[0][1:])


def create(store: Store, conn: Connection) -> str:
    """Store a new connection; its secret, which is never stored and cannot be shown again."""
    if not NAME_SHAPE.fullmatch(conn.name):
        raise ManagementError(f"name {conn.name!r}: use letters, digits and . _ @ - (at most 64)")
    secret = new_secret()
    with store.transaction() as run:
        if run("SELECT 1 FROM connections WHERE name = ?", (conn.name,)):
            raise ManagementError(f"a connection named {conn.name!r} exists; revoke it or pick another name")
        for vendor, account in binding(conn.account).items():
            refused = _bind_refusal(run(ACCOUNT_VENDOR, (account,)), account, vendor)
            if refused:
                raise ManagementError(refused)
        run(
            "INSERT INTO connections (secret_hash, name, methods, tags, include_tools, exclude_tools, expires_at,"
            " require_bearer, created_at, revoked_at, account) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?)",
            (
                digest(secret), conn.name, ",".join(sorted(conn.methods)), ",".join(sorted(conn.tags)),
                ",".join(sorted(conn.include)), ",".join(sorted(conn.exclude)), conn.expires_at,
                int(conn.require_bearer), now_text(), conn.account,
            ),
        )  # fmt: skip
    return secret


def _bind_refusal(rows: list[tuple[object, ...]], account: str, vendor: str) -> str | None:
    """Why ``account`` (its rows of ``ACCOUNT_VENDOR``) may not be bound for ``vendor`` ("": the package's own)."""
    if not rows:
        return f"no account named {account!r} (`accounts add` or `accounts connect` first)"
    held = str(rows[0][0] or "")
    if vendor and held != vendor:
        return f"the account {account!r} calls {held or 'another vendor'}, not {vendor}: bind it as {held}={account}"
    return None


def listed(store: Store) -> list[Connection]:
    """Every connection, by name; secrets are not stored, so none can be shown."""
    return [Connection.from_row(row) for row in store.query(f"SELECT {COLUMNS} FROM connections ORDER BY name")]


def revoke(store: Store, name: str) -> None:
    """Refuse the connection from the next request on, on every process that uses this store."""
    with store.transaction() as run:
        if not run("SELECT 1 FROM connections WHERE name = ?", (name,)):
            raise ManagementError(f"no connection named {name!r}")
        run("UPDATE connections SET revoked_at = ? WHERE name = ? AND revoked_at IS NULL", (now_text(), name))


def rotate(store: Store, name: str) -> str:
    """A new secret for a live connection; the old URL stops working at once."""
    secret = new_secret()
    with store.transaction() as run:
        rows = run("SELECT revoked_at FROM connections WHERE name = ?", (name,))
        if not rows:
            raise ManagementError(f"no connection named {name!r}")
        if rows[0][0]:
            raise ManagementError(f"connection {name!r} is revoked; create a new one")
        run("UPDATE connections SET secret_hash = ? WHERE name = ?", (digest(secret), name))
    return secret
