"""Connecting an account through the vendor's own OAuth: authorization code with PKCE (the token endpoint's calls
are ``vendor_client``'s).

``start`` keeps a fresh ``state`` (hashed) with the PKCE verifier (sealed) in the store and answers the link to
open: a page of this server (``CONNECT_PATH``) that names the account and who it will be bound to, then leads
on to the vendor (``opened``). The callback ``finish``es it: the state is taken from the store and deleted in
one transaction, so it is used once, whichever replica the browser comes back to.

What a link may do is decided when it is made (its ``intent``) and checked again when it completes, in the
transaction that stores the tokens: a ``NEW`` link makes an account that does not exist (one made meanwhile by
anyone else spends it); a ``RELINK`` link reconnects an existing account only with the vendor identity it was
connected with; an ``ADMIN`` link (the operator's ``accounts connect``, the admin API) may do either. Storing an
account spends every other pending link for its name.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode

import httpx2

from ..contract import Vendor
from ..failures import AccountError, OAuthRefused
from . import accounts
from .accounts import OAUTH, Account, AccountSecret
from .connections import now_text
from .sealing import Sealer
from .store import Run, Store
from .vendor_client import CONNECT_PATH, Client, Tokens, bearer_variable, revoke, token_call

STATE_TTL_S = 600  # a connect link works this long, once
MAX_PENDING = 5  # connect links per account that work at once (the newest); a caller cannot fill the store
NEW, RELINK, ADMIN = "new", "relink", "admin"


@dataclass(frozen=True)
class Pending:
    """A connect in progress, as its state row holds it."""

    account: str
    verifier: str
    redirect_uri: str
    bind_connection: str | None = None
    bind_subject: str | None = None
    intent: str = NEW
    vendor: str = ""  # the vendor it connects, as a connection binds it ("": a single-vendor package's own)

    @property
    def for_whom(self) -> str:
        """Who the link binds the account to, in words for its page."""
        if self.bind_connection:
            return f"the connection {self.bind_connection!r}"
        if self.bind_subject:
            return f"the OAuth subject {self.bind_subject!r}"
        return "the server's operator, who binds it to connections or OAuth subjects"


@dataclass(frozen=True)
class Connected:
    """A finished connect: the account, and who it is bound to."""

    account: Account
    for_whom: str


def _digest(state: str) -> str:
    return hashlib.sha256(state.encode("utf-8")).hexdigest()


def start(
    store: Store,
    sealer: Sealer,
    client: Client,
    account: str,
    bind: tuple[str | None, str | None] = (None, None),
    intent: str = ADMIN,
    vendor: str = "",
) -> str:
    """Keep a new pending connect for ``account`` (bound, on success, to a connection and/or an OAuth subject; in a
    suite, as the connection's account for ``vendor``); the link to open: this server's page for it."""
    accounts.check_name(account)
    state, verifier = secrets.token_urlsafe(32), secrets.token_urlsafe(64)
    expires = now_text(datetime.now(UTC) + timedelta(seconds=STATE_TTL_S))
    with store.transaction() as run:
        run("DELETE FROM oauth_states WHERE expires_at < ?", (now_text(),))
        run(
            "DELETE FROM oauth_states WHERE account = ? AND state_hash NOT IN (SELECT state_hash FROM oauth_states"
            f" WHERE account = ? ORDER BY expires_at DESC LIMIT {MAX_PENDING - 1})",
            (account, account),
        )
        run(
            "INSERT INTO oauth_states (state_hash, account, sealed, redirect_uri, bind_connection, bind_subject,"
            " expires_at, intent, vendor) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (_digest(state), account, sealer.seal(verifier.encode(), account), client.redirect_uri, *bind, expires,
             intent, vendor),
        )  # fmt: skip
    return page_link(client, state)


def page_link(client: Client, state: str) -> str:
    """This server's page for one connect (beside the callback the vendor sends the browser back to)."""
    base = client.redirect_uri.rsplit("/oauth/", 1)[0]
    return f"{base}{CONNECT_PATH}?{urlencode({'state': state})}"


def authorize_link(client: Client, state: str, verifier: str) -> str:
    """The vendor's authorize URL for one connect."""
    conf = client.vendor.oauth
    query = {
        "response_type": "code",
        "client_id": client.client_id,
        "redirect_uri": client.redirect_uri,
        "state": state,
    }
    if conf is not None and conf.scopes:
        query["scope"] = " ".join(conf.scopes)
    if conf is None or conf.pkce:
        challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
        query |= {"code_challenge": challenge, "code_challenge_method": "S256"}
    joiner = "&" if "?" in client.authorize_url else "?"
    return client.authorize_url + joiner + urlencode(query)


def _pending(run: Run, sealer: Sealer, state: str, spend: bool) -> Pending | None:
    rows = run(
        "SELECT account, sealed, redirect_uri, bind_connection, bind_subject, expires_at, intent, vendor"
        " FROM oauth_states WHERE state_hash = ?",
        (_digest(state),),
    )
    if not rows:
        return None
    if spend:
        run("DELETE FROM oauth_states WHERE state_hash = ?", (_digest(state),))
    account, sealed, redirect, connection, subject, expires, intent, vendor = (
        str(v) if v is not None else None for v in rows[0]
    )
    if account is None or sealed is None or redirect is None or (expires or "") < now_text():
        return None
    verifier = sealer.open(sealed, account).decode()
    return Pending(account, verifier, redirect, connection, subject, intent or NEW, vendor or "")


def take(store: Store, sealer: Sealer, state: str) -> Pending | None:
    """The pending connect of ``state``, deleted as it is read (used once); None when unknown or expired."""
    with store.transaction() as run:
        return _pending(run, sealer, state, spend=True)


def opened(
    store: Store, sealer: Sealer, clients: Mapping[str, Client], state: str
) -> tuple[Pending, Client, str] | None:
    """A connect link's page: its pending connect (not spent), the client of the vendor it connects (``clients``
    by the vendor a link records) and the vendor link to go on to; None when unknown, used, expired or its vendor's
    OAuth is not configured here."""
    with store.transaction() as run:
        pending = _pending(run, sealer, state, spend=False)
    client = clients.get(pending.vendor) if pending is not None else None
    if pending is None or client is None:
        return None
    return pending, client, authorize_link(client, state, pending.verifier)


def with_tokens(
    vendor: Vendor, name: str, tokens: Tokens, before: AccountSecret | None, old: Account | None, recorded: str = ""
) -> tuple[Account, AccountSecret]:
    """An OAuth account with ``tokens`` (keeping values such as a user id it already had); a new one records the
    vendor ``recorded`` (a suite's member; "": a single-vendor package's own)."""
    values = {**(before.values if before else {}), bearer_variable(vendor): tokens.access_token}
    refresh = tokens.refresh_token or (before.refresh_token if before else "")
    account = Account(
        name, OAUTH, accounts.ACTIVE, tokens.base_url or (old.base_url if old else None),
        tokens.scopes if tokens.scopes is not None else (old.scopes if old else None), tokens.expires_at,
        old.last_used_at if old else None, old.created_at if old else "",
        tokens.identity or (old.identity if old else None), vendor=old.vendor if old else recorded,
    )  # fmt: skip
    return account, AccountSecret(values, refresh, before.extra if before else {})


def kept(store: Store, sealer: Sealer, vendor: Vendor, pending: Pending, tokens: Tokens) -> Account:
    """Store a finished connect's tokens and bind who asked, in one transaction that checks again what the link
    may do (``OAuthRefused`` saying why not); the account."""
    name = pending.account
    with store.transaction() as run:
        old = accounts.found(run, name)
        refusal = _refusal(pending, old, tokens, vendor.title)
        if refusal:
            raise OAuthRefused(refusal)
        sealed = run("SELECT sealed FROM accounts WHERE name = ?", (name,))
        before = AccountSecret.loads(sealer.open(str(sealed[0][0]), name)) if sealed else None
        account, secret = with_tokens(vendor, name, tokens, before, old, pending.vendor)
        accounts.write(run, sealer, account, secret, replace=True)
        if pending.bind_connection:
            accounts.bind_connection(run, pending.bind_connection, name, pending.vendor)
        if pending.bind_subject:
            run("DELETE FROM account_subjects WHERE subject = ?", (pending.bind_subject,))
            run("INSERT INTO account_subjects (subject, account) VALUES (?, ?)", (pending.bind_subject, name))
    return account


def _refusal(pending: Pending, old: Account | None, tokens: Tokens, title: str) -> str:
    """Why a finished connect may not be stored ("" when it may)."""
    name = pending.account
    if pending.vendor and old is not None and old.vendor != pending.vendor:  # never one vendor's tokens on another's
        return f"the account {name!r} calls {old.vendor or 'another vendor'}, not {title}"
    if pending.intent == NEW and old is not None:
        return f"an account named {name!r} was made after this link was; start the connect again"
    if pending.intent == RELINK and old is None:
        return f"the account {name!r} was removed after this link was made"
    if pending.intent == RELINK and old is not None and (not old.identity or old.identity != tokens.identity):
        was = old.identity or "not recorded"
        return (
            f"this {title} login ({tokens.identity or 'not named by ' + title}) is not the one the account {name!r}"
            f" was connected with ({was}); only that login, or the server's admin, can reconnect it"
        )
    return ""


async def finish(
    store: Store,
    sealer: Sealer,
    client: Client,
    state: str,
    code: str,
    transport: httpx2.AsyncBaseTransport | None = None,
    clients: Mapping[str, Client] | None = None,
) -> Connected:
    """The callback's work: take the pending connect (once), exchange the code with ``client`` (a suite: the one
    of ``clients`` for the vendor the link connects), store the tokens, bind the connection or subject that asked;
    ``OAuthRefused`` with the reason otherwise (tokens it may not keep are revoked at the vendor where it has an
    endpoint)."""
    pending = await store.call(lambda: take(store, sealer, state))
    if pending is None:
        raise OAuthRefused("this connect link is unknown, used or expired; start the connect again")
    chosen = (clients or {}).get(pending.vendor) if pending.vendor else client
    if chosen is None:
        raise OAuthRefused(f"this server has no OAuth client for {pending.vendor}; start the connect again")
    client = chosen
    params = {"grant_type": "authorization_code", "code": code, "redirect_uri": pending.redirect_uri}
    if client.vendor.oauth is None or client.vendor.oauth.pkce:
        params["code_verifier"] = pending.verifier
    tokens = await token_call(client, params, transport)
    try:
        account = await store.call(lambda: kept(store, sealer, client.vendor, pending, tokens))
    except OAuthRefused:
        values = {bearer_variable(client.vendor): tokens.access_token}
        await revoke(client, AccountSecret(values, tokens.refresh_token), transport)
        raise
    return Connected(account, pending.for_whom)


async def remove(store: Store, sealer: Sealer, client: Client | None, name: str) -> tuple[bool, list[str]]:
    """Delete an account, first revoking an OAuth account's tokens at the vendor where it has an endpoint; whether
    they were revoked there, and the connections bound to it (revoked with it)."""
    account = await store.call(lambda: accounts.get(store, name))
    if account is None:
        raise AccountError(f"no account named {name!r}")
    revoked = False
    if account.kind == OAUTH and client is not None:
        revoked = await revoke(client, await store.call(lambda: accounts.secret_of(store, sealer, name)))
    bound = await store.call(lambda: accounts.remove(store, name))
    return revoked, bound
