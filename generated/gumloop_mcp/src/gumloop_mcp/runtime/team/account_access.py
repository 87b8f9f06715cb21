"""Which vendor account a call uses, fresh: each call's account lookup (``AccountCredentials.for_caller``) and the
caller binding.

A caller's account is its own (an OAuth subject's, by ``accounts map`` or, where the server names one, a token
claim) or its connection's. An OAuth account's
token is refreshed ``REFRESH_AHEAD_S`` before it expires, by one process only: a refresher first takes the
account's lease -- one conditional ``UPDATE ... RETURNING`` that succeeds only while no live lease is held and
the expiry is still the one it read, atomic on SQLite and PostgreSQL alike, as ``counters.take`` is -- and every
other process waits for the new expiry and reads the new token. So a rotating refresh token is spent once. The
new tokens are written by the one ``UPDATE`` that releases the lease, and only while this process still holds it
(``released``); a process that dies in between leaves a lease that lapses, which the next start reports.
A refusal marks the account ``needs_reconnect``, and its calls answer with a link to connect it again.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Mapping
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any

import anyio
import httpx2

from ..contract import Operation, Vendor
from ..failures import AccountError, MissingCredentials, OAuthRefused, StoreDown, StoreKeyError
from ..visibility import Sight
from ..wire import credentials
from . import accounts
from .accounts import ACTIVE, NEEDS_RECONNECT, OAUTH, Account, AccountSecret
from .caller import Caller
from .connections import binding, now_text
from .sealing import Sealer
from .store import Store
from .vendor_client import TOKEN_DEADLINE_S, Client, token_call
from .vendor_oauth import NEW, RELINK, start, with_tokens

REFRESH_AHEAD_S = 120.0  # a token this close to its expiry is refreshed before the call
LEASE_S = TOKEN_DEADLINE_S + 5.0  # a refresher that died leaves a lease that lapses after this long
WAIT_STEP_S = 0.05
TOUCH_EVERY_S = 60.0  # an account's last use is written at most this often by one process
KEY_CHECK_EVERY_S = 1.0  # readiness opens the store's key check at most this often (as it checks the store)


def due(account: Account, ahead_s: float = REFRESH_AHEAD_S) -> bool:
    """Whether an OAuth account's token expires within ``ahead_s``."""
    soon = now_text(datetime.now(UTC) + timedelta(seconds=ahead_s))
    return (
        account.kind == OAUTH
        and account.state == ACTIVE
        and bool(account.token_expires_at)
        and (str(account.token_expires_at) <= soon)
    )


def take_lease(store: Store, name: str, seen_expiry: str | None) -> str | None:
    """The lease this process now holds to refresh ``name`` (no live lease, and nobody refreshed since
    ``seen_expiry``), or None."""
    now = datetime.now(UTC)
    lease = now_text(now + timedelta(seconds=LEASE_S))
    rows = store.query(
        "UPDATE accounts SET refresh_lease = ? WHERE name = ? AND (refresh_lease IS NULL OR refresh_lease < ?)"
        " AND COALESCE(token_expires_at, '') = ? RETURNING name",
        (lease, name, now_text(now), seen_expiry or ""),
    )
    return lease if rows else None


async def fresh(
    store: Store, sealer: Sealer, client: Client | None, name: str, transport: httpx2.AsyncBaseTransport | None = None
) -> tuple[Account, AccountSecret]:
    """The account and its secret, its token refreshed first when due (by this process or another)."""
    deadline = time.monotonic() + LEASE_S + TOKEN_DEADLINE_S
    while True:
        account = await store.call(lambda: accounts.get(store, name))
        if account is None:
            raise AccountError(f"the account {name!r} was removed")
        if client is None or not due(account):
            return account, await store.call(lambda: accounts.secret_of(store, sealer, name))
        lease = await store.call(partial(take_lease, store, name, account.token_expires_at))
        if lease is not None:
            return await _refresh(store, sealer, client, account, lease, transport)
        if time.monotonic() > deadline:
            raise OAuthRefused("the account's token is being refreshed elsewhere; try again", final=False)
        await anyio.sleep(WAIT_STEP_S)


async def _refresh(
    store: Store,
    sealer: Sealer,
    client: Client,
    account: Account,
    lease: str,
    transport: httpx2.AsyncBaseTransport | None,
) -> tuple[Account, AccountSecret]:
    name = account.name
    secret = await store.call(lambda: accounts.secret_of(store, sealer, name))
    try:
        if not secret.refresh_token:
            raise OAuthRefused("the account's token expired and it holds no refresh token")
        params = {"grant_type": "refresh_token", "refresh_token": secret.refresh_token}
        tokens = await token_call(client, params, transport)
    except OAuthRefused as exc:
        final = exc.final

        def release() -> None:
            if final:
                accounts.mark(store, name, NEEDS_RECONNECT)
            store.query("UPDATE accounts SET refresh_lease = NULL WHERE name = ? AND refresh_lease = ?", (name, lease))

        await store.call(release)
        raise
    renewed, sealed = with_tokens(client.vendor, name, tokens, secret, account)
    await store.call(lambda: released(store, sealer, renewed, sealed, lease))
    return renewed, sealed


def released(store: Store, sealer: Sealer, account: Account, secret: AccountSecret, lease: str) -> None:
    """Write a refresh's new tokens in the step that releases its lease: only while this process still holds it
    (``OAuthRefused`` otherwise: it lapsed, and another process refreshed or the account was removed)."""
    scopes = None if account.scopes is None else " ".join(sorted(account.scopes))
    written = store.query(
        "UPDATE accounts SET sealed = ?, key_id = ?, token_expires_at = ?, scopes = ?, base_url = ?, state = ?,"
        " refresh_lease = NULL, version = version + 1, updated_at = ? WHERE name = ? AND refresh_lease = ?"
        " RETURNING name",
        (
            sealer.seal(secret.dumps(), account.name), sealer.current_id, account.token_expires_at, scopes,
            account.base_url, ACTIVE, now_text(), account.name, lease,
        ),
    )  # fmt: skip
    if not written:
        raise OAuthRefused(f"the account {account.name!r} was refreshed too slowly and another process took over; "
                           "call again", final=False)  # fmt: skip


def account_for(store: Store, caller: Caller, claims: Mapping[str, Any] | None = None, claim: str = "") -> Caller:
    """``caller`` with its account and the scopes that account was granted (for the tool list and the calls);
    the access layer calls this once per request, in a worker thread. ``claim``: the token claim that may name
    the account (the server's ``<PREFIX>_ACCOUNT_CLAIM``; empty: only ``accounts map``)."""
    name = caller.account_name
    if name is None and caller.who.startswith("oauth:"):
        name = accounts.for_subject(store, caller.who.removeprefix("oauth:"), claims, claim)
    if name is None:
        return _vendor_grants(store, caller)
    found = accounts.get(store, name)
    return replace(caller, account=name, granted=found.scopes if found is not None else None)


def _vendor_grants(store: Store, caller: Caller) -> Caller:
    """``caller`` with the scopes each vendor account its connection binds in a suite was granted (each narrows
    only its own vendor's tools: ``Sight.of_vendor``)."""
    held = binding(caller.connection.account) if caller.connection is not None else {}
    grants = []
    for vendor, name in sorted(held.items()):
        found = accounts.get(store, name) if vendor else None
        if found is not None and found.scopes is not None:
            grants.append((vendor, found.scopes))
    return replace(caller, granted_by=tuple(grants)) if grants else caller


def own_name(store: Store, caller: Caller, vendor: str = "") -> str:
    """The account name a caller with none gets when it connects one: its connection's name, or its subject's (in
    a suite, with the ``vendor`` it calls after it); never an account that exists already (someone else's), which
    would get this person's tokens."""
    who = caller.connection.name if caller.connection is not None else caller.who.removeprefix("oauth:")
    who = f"{who[:48]}-{vendor}" if vendor else who
    mark = hashlib.sha256(caller.who.encode("utf-8")).hexdigest()
    if not accounts.NAME_SHAPE.fullmatch(who):
        return f"subject-{mark[:16]}"
    return who if accounts.get(store, who) is None else f"{who[:48]}-{mark[:12]}"


class AccountCredentials:
    """Vendor accounts on a store, looked up for each call's caller (``for_caller``): the caller's account, fresh,
    or a tool error that says how to connect one (with the link when the vendor's OAuth is configured)."""

    def __init__(
        self, store: Store, vendor: Vendor, env: Mapping[str, str], public_url: str, suite: Vendor | None = None
    ) -> None:
        self.store, self.vendor, self.suite = store, vendor, suite  # suite: the package ``vendor`` is a member of
        self.binds = vendor.name if suite is not None else ""  # the key of a connection's binding it reads
        self.key = (suite or vendor).env_prefix  # one store, one key: the package's ``<PREFIX>_STORE_KEY``
        self.sealer = Sealer.from_env(env, self.key)  # StoreKeyError: account-bound serving refuses to start
        self.client = Client.from_env(vendor, env, public_url)
        self.transport: httpx2.AsyncBaseTransport | None = None  # the token endpoint's (tests: an in-process one)
        self.touched: dict[str, float] = {}  # account -> when this process last wrote its last use
        self.key_checked: tuple[float, str | None] = (-KEY_CHECK_EVERY_S, None)  # when, and the refusal then
        try:
            credentials.resolve(vendor.auth, env)
            self.process = True
        except MissingCredentials:
            self.process = False

    def check_key(self) -> None:
        """``StoreKeyError`` (one line) when the store key does not open this store's secrets."""
        accounts.check_key(self.store, self.sealer, f"{self.key}_STORE_KEY")

    async def key_ready(self) -> str | None:
        """Readiness: why the store key no longer opens the store (a rotation finished while this process holds
        only the old key), or None; checked at most every ``KEY_CHECK_EVERY_S``. A lost store is the store
        check's to report."""
        when, refusal = self.key_checked
        if time.monotonic() - when >= KEY_CHECK_EVERY_S:
            try:
                await self.store.call(self.check_key)
                refusal = None
            except StoreKeyError as exc:
                refusal = str(exc)
            except StoreDown:
                refusal = None
            self.key_checked = (time.monotonic(), refusal)
        return refusal

    def for_caller(self, caller: Caller | None) -> credentials.AccountSource:
        """The account lookup of one call by ``caller`` (None: stdio, or a server without team access)."""
        return partial(self.bound, caller)

    async def bound(self, caller: Caller | None, op: Operation) -> credentials.Bound | None:
        """The credential ``caller``'s account gives a call of ``op`` (None: the process's own); else
        ``MissingCredentials`` saying how to connect one."""
        name = caller.account_of(self.binds) if caller is not None else None
        if name is None:
            if self.process or caller is None:
                return None
            raise await self._unconnected(caller, None, f"{caller.who} has no {self.vendor.title} account connected")
        try:
            account, secret = await fresh(self.store, self.sealer, self.client, name, self.transport)
        except (AccountError, StoreKeyError) as exc:
            hint = "ask the server's admin to add or reconnect the account"
            raise MissingCredentials(str(exc), hint=hint) from None
        except OAuthRefused as exc:
            if not exc.final:  # the vendor did not answer: the grant may well be alive
                raise MissingCredentials(str(exc), hint="try again shortly") from None
            raise await self._unconnected(caller, name, f"the {self.vendor.title} account {name!r}: {exc}") from None
        if self.suite is not None and account.vendor != self.vendor.name:  # never one vendor's key sent to another
            held = account.vendor or "no vendor recorded"
            hint = f"bind a {self.vendor.title} account for {self.vendor.name} (`accounts list` shows each one's)"
            raise MissingCredentials(f"the account {name!r} calls {held}, not {self.vendor.title}", hint=hint)
        if account.state == NEEDS_RECONNECT:
            raise await self._unconnected(caller, name, f"the {self.vendor.title} account {name!r} needs reconnecting")
        if not Sight(granted=account.scopes).allows(op):
            raise self._ungranted(account, op)
        if time.monotonic() - self.touched.get(name, -TOUCH_EVERY_S) >= TOUCH_EVERY_S:
            self.touched[name] = time.monotonic()
            await self.store.call(lambda: accounts.touch(self.store, name))
        unset = {spec.default_env: "" for spec in op.params if spec.default_env}  # never the process's user or team
        return credentials.Bound(name, unset | secret.values, account.base_url)

    def _ungranted(self, account: Account, op: Operation) -> MissingCredentials:
        lacking = " ".join(sorted(set(op.scopes) - (account.scopes or frozenset())))
        return MissingCredentials(
            f"the {self.vendor.title} account {account.name!r} was not granted the scope {lacking}",
            hint="reconnect the account granting that scope",
        )

    def admin_hint(self) -> str:
        """What to ask the server's admin for when no connect link can be offered."""
        if self.suite is None:
            return f"ask the server's admin to run `{self.vendor.name}-mcp accounts add` or `accounts connect`"
        command, vendor = f"{self.suite.name}-mcp", self.vendor.name
        return (
            f"ask the server's admin to add a {self.vendor.title} account (`{command} accounts add NAME --vendor"
            f" {vendor}`) and give you a connection that binds it (`{command} connections create --account"
            f" {vendor}=NAME ...`)"
        )

    async def _unconnected(self, caller: Caller | None, name: str | None, message: str) -> MissingCredentials:
        """The tool error for a caller whose account is missing or dead: with a fresh connect link when possible."""
        client, store = self.client, self.store
        oauth = caller is not None and caller.who.startswith("oauth:") and self.suite is None  # a suite: connections
        subject = caller.who.removeprefix("oauth:") if caller is not None and oauth else None
        connection = caller.connection.name if caller is not None and caller.connection is not None else None
        if client is None or caller is None or not (subject or connection or name):
            return MissingCredentials(message, hint=self.admin_hint())
        asking: Caller = caller

        def connect_link() -> tuple[str, str | None]:
            if name is None:
                account = own_name(store, asking, self.binds)
                return account, start(store, self.sealer, client, account, (connection, subject), NEW, self.binds)
            found = accounts.get(store, name)  # reconnecting needs the login it was connected with: known, or none
            if found is None or not found.identity:
                return name, None
            return name, start(store, self.sealer, client, name, (connection, subject), RELINK, self.binds)

        account, link = await store.call(connect_link)
        if link is None:
            hint = (
                f"ask the server's admin to reconnect it (`{self.vendor.name}-mcp accounts connect {account}`):"
                f" {self.vendor.title} did not say which login connected it, so nobody else may"
            )
            return MissingCredentials(message, hint=hint)
        again = f" with the {self.vendor.title} login it was connected with" if name else ""
        hint = f"open this link to connect your {self.vendor.title} account{again}, then call again: {link}"
        return MissingCredentials(message, hint=hint, details={"connect_url": link, "account": account})
