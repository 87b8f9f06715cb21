"""Vendor accounts: a credential (keys, or OAuth tokens) each connection or OAuth subject reaches the vendor with.

An account's secret part -- the credential variables as the server's environment names them, and an OAuth
refresh token -- is sealed (``sealing``) before it reaches the store; the rest (kind, state, granted scopes,
token expiry, base URL, last use, vendor identity, refresh lease) is plain, so ``accounts list`` never needs the
key. Each write of the sealed part bumps the row's ``version``, so a writer that read an older row can tell
(``rotate_keys`` writes compare-and-set on it). The store holds one value sealed under the key it is used with
(``check_key``): a key that does not open it is refused at start, not on every call later.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from ..contract import AuthSpec, Operation, Vendor, printable
from ..failures import AccountError, StoreKeyError
from ..wire.credentials import usable
from .connections import binding, binding_text, now_text
from .sealing import Sealer
from .store import Run, Store

NAME_SHAPE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}")
KEY, OAUTH = "key", "oauth"
ACTIVE, NEEDS_RECONNECT = "active", "needs_reconnect"
COLUMNS = (
    "name, kind, state, base_url, scopes, token_expires_at, last_used_at, created_at, identity, refresh_lease, vendor"
)
KEY_CHECK = "store-key-check"  # the row the store key's check value is sealed to
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
MAX_URL_CHARS = 300


@dataclass(frozen=True)
class Account:
    """What may be shown about an account: never its secret."""

    name: str
    kind: str  # key: keys or a token given by hand; oauth: connected through the vendor's OAuth
    state: str = ACTIVE  # active, or needs_reconnect after a refused refresh
    base_url: str | None = None  # the account's own API host (Gong's per customer), else the server's
    scopes: frozenset[str] | None = None  # granted scopes (None: not told, so every tool)
    token_expires_at: str | None = None
    last_used_at: str | None = None
    created_at: str = ""
    identity: str | None = None  # who the account is at the vendor, as its token answer says (None: not told)
    lease: str | None = None  # until when a refresher holds the account (None: nobody refreshes it)
    vendor: str = ""  # the vendor it calls (a suite's member); "": written by a single-vendor package, its own

    @classmethod
    def from_row(cls, row: tuple[Any, ...]) -> Account:
        """An account from a row of ``COLUMNS``."""
        name, kind, state, base, scopes, expires, used, created, identity, lease, vendor = row
        granted = None if scopes is None else frozenset(str(scopes).split())
        return cls(
            str(name), str(kind), str(state), base or None, granted, expires or None, used or None, str(created),
            identity or None, lease or None, str(vendor or ""),
        )  # fmt: skip

    @property
    def abandoned(self) -> bool:
        """Whether a refresh was left unfinished: its lease lapsed, so the process that held it stopped mid-way
        (the vendor may have rotated the refresh token it spent, and the account may need reconnecting)."""
        return self.lease is not None and self.lease < now_text()


@dataclass(frozen=True)
class AccountSecret:
    """The sealed part of an account."""

    values: dict[str, str]  # credential variables, e.g. GONG_ACCESS_KEY and GONG_ACCESS_KEY_SECRET
    refresh_token: str = ""
    extra: dict[str, str] = field(default_factory=dict)

    def dumps(self) -> bytes:
        """The secret as JSON bytes, to seal."""
        return json.dumps({"values": self.values, "refresh_token": self.refresh_token, "extra": self.extra}).encode()

    @classmethod
    def loads(cls, raw: bytes) -> AccountSecret:
        """A secret from opened JSON bytes."""
        data = json.loads(raw)
        return cls(dict(data["values"]), str(data.get("refresh_token") or ""), dict(data.get("extra") or {}))


def default_variables(operations: Iterable[Operation]) -> tuple[str, ...]:
    """Variables that fill arguments by default (Gumloop's ``user_id``, ``team_id``): an account may carry its own."""
    return tuple(sorted({p.default_env for op in operations for p in op.params if p.default_env}))


# A suite's members by name: each one's facts and operations (a single-vendor package: empty, its own vendor only).
Members = Mapping[str, tuple[Vendor, Mapping[str, Operation]]]


def account_vendor(
    members: Members, asked: str | None, own: Vendor, operations: Iterable[Operation]
) -> tuple[Vendor, tuple[str, ...], str]:
    """The vendor an account being added calls: its facts, its argument-default variables and the name its row
    records. A single-vendor package (no ``members``): its own, recorded as "" (``--vendor`` may only name it); a
    suite: the member ``asked`` names, which it must (``AccountError`` naming the choices)."""
    if not members:
        if asked and asked != own.name:
            raise AccountError(f"--vendor {asked!r}: this server calls only {own.name}")
        return own, default_variables(operations), ""
    if asked is None or asked not in members:
        said = f" {asked!r}" if asked else ""
        raise AccountError(f"--vendor{said}: which vendor the account calls, one of {', '.join(sorted(members))}")
    vendor, ops = members[asked]
    return vendor, default_variables(ops.values()), asked


def credential_from(
    schemes: tuple[AuthSpec, ...], given: Mapping[str, str], defaults: tuple[str, ...] = ()
) -> dict[str, str]:
    """The credential in ``given`` (the environment, or JSON read from stdin): the first complete required scheme,
    any optional ones, and the argument defaults in ``defaults`` that are set; ``AccountError`` naming the
    variables when no required scheme is complete."""
    required = [s for s in schemes if not s.optional]
    chosen = next((s for s in required if usable(s, given)), None)  # the server's own rule for a usable scheme
    if chosen is None and required:
        options = " or ".join(" + ".join(s.env) for s in required)
        raise AccountError(f"no credential given: set {options} (or pipe them as a JSON object on stdin)")
    picked = [chosen, *(s for s in schemes if s.optional and usable(s, given))]
    values = {var: str(given[var]) for scheme in picked if scheme is not None for var in scheme.env if given.get(var)}
    return values | {var: str(given[var]) for var in defaults if given.get(var)}


def base_url_refusal(url: str) -> str | None:
    """Why ``url`` may not be an account's API base URL, or None: the one rule for the admin API, the command line
    and a vendor's OAuth answer. It must be https, or plain http on a loopback host (a vendor of our own, in tests),
    with a host, no user name or password, no query or fragment, and nothing unprintable."""
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:
        parts, host = None, None
    shown = printable(url[:80])
    if len(url) > MAX_URL_CHARS or url != printable(url) or any(c.isspace() for c in url):
        return f"base_url {shown!r}: at most {MAX_URL_CHARS} printable characters, no spaces"
    if parts is None or not host or parts.username is not None or parts.query or parts.fragment:
        return f"base_url {shown!r}: a URL with a host, and no user, query or fragment"
    if parts.scheme == "https" or (parts.scheme == "http" and host in LOOPBACK_HOSTS):
        return None
    return f"base_url {shown!r}: use https:// (plain http only on 127.0.0.1, localhost or [::1])"


def check_name(name: str) -> str:
    """``name`` if it may name an account."""
    if not NAME_SHAPE.fullmatch(name):
        raise AccountError(f"name {name!r}: use letters, digits and . _ @ - (at most 64)")
    return name


def save(store: Store, sealer: Sealer, account: Account, secret: AccountSecret) -> None:
    """Store a new ``account`` with its sealed ``secret`` (``AccountError`` when the name is taken)."""
    with store.transaction() as run:
        write(run, sealer, account, secret)


def write(run: Run, sealer: Sealer, account: Account, secret: AccountSecret, replace: bool = False) -> None:
    """``save`` inside a transaction. Every pending connect link for the name is spent: the name is taken now
    (or connected again), so a link made before cannot bind it to another login. The version goes up by one."""
    check_name(account.name)
    refused = None if account.base_url is None else base_url_refusal(account.base_url)
    if refused:
        raise AccountError(refused)
    sealed, now = sealer.seal(secret.dumps(), account.name), now_text()
    scopes = None if account.scopes is None else " ".join(sorted(account.scopes))
    found = run("SELECT version FROM accounts WHERE name = ?", (account.name,))
    if found and not replace:
        raise AccountError(f"an account named {account.name!r} exists; remove it or pick another name")
    run("DELETE FROM accounts WHERE name = ?", (account.name,))
    run("DELETE FROM oauth_states WHERE account = ?", (account.name,))
    run(
        "INSERT INTO accounts (name, kind, state, sealed, key_id, base_url, scopes, token_expires_at,"
        " refresh_lease, last_used_at, created_at, updated_at, identity, version, vendor)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, ?, ?, ?, ?)",
        (
            account.name, account.kind, account.state, sealed, sealer.current_id, account.base_url, scopes,
            account.token_expires_at, account.last_used_at, account.created_at or now, now, account.identity,
            int(found[0][0]) + 1 if found else 1, account.vendor,
        ),
    )  # fmt: skip


def found(run: Run, name: str) -> Account | None:
    """The account named ``name`` inside a transaction, or None."""
    rows = run(f"SELECT {COLUMNS} FROM accounts WHERE name = ?", (name,))
    return Account.from_row(rows[0]) if rows else None


def get(store: Store, name: str) -> Account | None:
    """The account named ``name``, or None."""
    with store.transaction() as run:
        return found(run, name)


def secret_of(store: Store, sealer: Sealer, name: str) -> AccountSecret:
    """The opened secret of an account; ``AccountError`` when there is none, ``StoreKeyError`` when it does not open."""
    rows = store.query("SELECT sealed FROM accounts WHERE name = ?", (name,))
    if not rows:
        raise AccountError(f"no account named {name!r}")
    return AccountSecret.loads(sealer.open(str(rows[0][0]), name))


def listed(store: Store) -> list[Account]:
    """Every account, by name (no secrets)."""
    return [Account.from_row(row) for row in store.query(f"SELECT {COLUMNS} FROM accounts ORDER BY name")]


def remove(store: Store, name: str) -> list[str]:
    """Delete the account, its subject mappings and pending connects, and revoke the connections bound to it (an
    account added later under the same name must not reach them); the names of those connections."""
    with store.transaction() as run:
        if not run("SELECT 1 FROM accounts WHERE name = ?", (name,)):
            raise AccountError(f"no account named {name!r}")
        rows = run("SELECT name, account FROM connections WHERE account IS NOT NULL ORDER BY name")
        bound = {str(conn): binding(str(text)) for conn, text in rows if name in binding(str(text)).values()}
        run("DELETE FROM accounts WHERE name = ?", (name,))
        run("DELETE FROM account_subjects WHERE account = ?", (name,))
        run("DELETE FROM oauth_states WHERE account = ?", (name,))
        for conn, held in bound.items():  # revoked, and the binding of this account dropped (a suite's others stay)
            kept = binding_text({vendor: other for vendor, other in held.items() if other != name})
            run("UPDATE connections SET revoked_at = COALESCE(revoked_at, ?), account = ? WHERE name = ?",
                (now_text(), kept, conn))  # fmt: skip
    return list(bound)


def abandoned_refreshes(store: Store) -> list[str]:
    """Accounts whose refresh was left unfinished (``Account.abandoned``), by name."""
    rows = store.query("SELECT name FROM accounts WHERE refresh_lease < ? ORDER BY name", (now_text(),))
    return [str(row[0]) for row in rows]


def exists(store: Store) -> bool:
    """Whether any account is stored: a server may then start without process-wide vendor credentials."""
    return bool(store.query("SELECT 1 FROM accounts LIMIT 1"))


accounts_exist = exists


def touch(store: Store, name: str) -> None:
    """Record a use of the account now."""
    store.query("UPDATE accounts SET last_used_at = ? WHERE name = ?", (now_text(), name))


def mark(store: Store, name: str, state: str) -> None:
    """Set the account's state (``needs_reconnect`` after a refused refresh)."""
    store.query("UPDATE accounts SET state = ?, updated_at = ? WHERE name = ?", (state, now_text(), name))


def map_subject(store: Store, subject: str, account: str) -> None:
    """OAuth callers with ``subject`` reach the vendor as ``account`` from their next call on."""
    with store.transaction() as run:
        if not run("SELECT 1 FROM accounts WHERE name = ?", (account,)):
            raise AccountError(f"no account named {account!r}")
        run("DELETE FROM account_subjects WHERE subject = ?", (subject,))
        run("INSERT INTO account_subjects (subject, account) VALUES (?, ?)", (subject, account))


def for_subject(store: Store, subject: str, claims: Mapping[str, Any] | None = None, claim: str = "") -> str | None:
    """The account an OAuth subject calls as: the token's ``claim`` (only when the server names one, its
    ``<PREFIX>_ACCOUNT_CLAIM`` setting) when it names a stored account, else the subject's mapping
    (``accounts map``), else None."""
    claimed = (claims or {}).get(claim) if claim else None
    if isinstance(claimed, str) and NAME_SHAPE.fullmatch(claimed) and get(store, claimed) is not None:
        return claimed
    rows = store.query("SELECT account FROM account_subjects WHERE subject = ?", (subject,))
    return str(rows[0][0]) if rows else None


def bind_connection(run: Run, connection: str, account: str, vendor: str = "") -> None:
    """Calls of ``vendor``'s tools ("": a single-vendor package's) through ``connection`` use ``account`` from the
    next one on; the connection's other vendors keep theirs."""
    rows = run("SELECT account FROM connections WHERE name = ?", (connection,))
    held = binding(str(rows[0][0]) if rows and rows[0][0] else None)
    run("UPDATE connections SET account = ? WHERE name = ?", (binding_text(held | {vendor: account}), connection))


def rotate_keys(store: Store, sealer: Sealer) -> int:
    """Reseal every account, pending connect and the key check under the current key (the old one must still open
    them); how many values were resealed. One transaction: a failure leaves every value as it was. An account is
    written back only if its version is still the one read (compare-and-set): when a replica refreshed it
    meanwhile, the newer row is read again and resealed, never overwritten with the older tokens."""
    count = 0
    with store.transaction() as run:
        for (name,) in run("SELECT name FROM accounts ORDER BY name"):
            count += _reseal(run, sealer, str(name))
        for digest, account, sealed in run("SELECT state_hash, account, sealed FROM oauth_states"):
            fresh = sealer.seal(sealer.open(str(sealed), str(account)), str(account))
            run("UPDATE oauth_states SET sealed = ? WHERE state_hash = ?", (fresh, digest))
            count += 1
        run("DELETE FROM store_key")
        run("INSERT INTO store_key (id, sealed) VALUES (1, ?)", (sealer.seal(b"ok", KEY_CHECK),))
    return count


def _reseal(run: Run, sealer: Sealer, name: str, tries: int = 5) -> int:
    """Reseal one account under the current key, compare-and-set on its version; 1, or 0 when it was removed."""
    for _ in range(tries):
        rows = run("SELECT sealed, version FROM accounts WHERE name = ?", (name,))
        if not rows:
            return 0
        sealed, version = str(rows[0][0]), int(rows[0][1])
        fresh = sealer.seal(sealer.open(sealed, name), name)
        written = run(
            "UPDATE accounts SET sealed = ?, key_id = ?, version = version + 1 WHERE name = ? AND version = ?"
            " RETURNING name",
            (fresh, sealer.current_id, name, version),
        )
        if written:
            return 1
    raise StoreKeyError(f"the account {name!r} kept changing while it was resealed; run `keys rotate` again")


def check_key(store: Store, sealer: Sealer, setting: str) -> None:
    """Refuse a store key that does not open this store's secrets (``StoreKeyError``, one line naming ``setting``);
    the first key used with a store seals a check value that every later start opens."""
    with store.transaction() as run:
        rows = run("SELECT sealed FROM store_key WHERE id = 1")
        if not rows:  # a new store, or one from before the check: its accounts' key ids say which key sealed them
            foreign = sorted({str(r[0]) for r in run("SELECT key_id FROM accounts")} - set(sealer.held))
            if not foreign:
                run("INSERT INTO store_key (id, sealed) VALUES (1, ?)", (sealer.seal(b"ok", KEY_CHECK),))
                return
        kid = foreign[0] if not rows else str(rows[0][0]).partition(".")[2].partition(".")[0]
        try:
            if rows:
                sealer.open(str(rows[0][0]), KEY_CHECK)
                return
        except StoreKeyError:
            pass  # said below, once the transaction is over
    raise StoreKeyError(
        f"{setting} does not open this store's secrets (sealed with key {kid}; this server holds"
        f" {', '.join(sealer.held)}): set the key they were sealed with, or during a rotation the new key in"
        f" {setting} and the old one in {setting}_OLD"
    )
