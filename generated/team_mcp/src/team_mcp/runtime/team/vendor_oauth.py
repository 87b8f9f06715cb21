"""Connecting an account through the vendor's own OAuth: authorization code with PKCE (the token endpoint's calls
are ``vendor_client``'s).

``start`` keeps a fresh ``state`` (hashed) with the PKCE verifier (sealed) in the store and answers the link to
open; the callback ``finish``es it: the state is taken from the store and deleted in one transaction, so it is
used once, whichever replica the browser comes back to.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
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
from .store import Store
from .vendor_client import Client, Tokens, bearer_variable, revoke, token_call

STATE_TTL_S = 600  # a connect link works this long, once
MAX_PENDING = 5  # connect links per account that work at once (the newest); a caller cannot fill the store


@dataclass(frozen=True)
class Pending:
    """A connect in progress, as its state row holds it."""

    account: str
    verifier: str
    redirect_uri: str
    bind_connection: str | None = None
    bind_subject: str | None = None


def _digest(state: str) -> str:
    return hashlib.sha256(state.encode("utf-8")).hexdigest()


def start(
    store: Store, sealer: Sealer, client: Client, account: str, bind: tuple[str | None, str | None] = (None, None)
) -> str:
    """Keep a new pending connect for ``account`` (bound, on success, to a connection and/or an OAuth subject);
    the vendor's authorize link to open."""
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
            " expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (_digest(state), account, sealer.seal(verifier.encode(), account), client.redirect_uri, *bind, expires),
        )
    return authorize_link(client, state, verifier)


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


def take(store: Store, sealer: Sealer, state: str) -> Pending | None:
    """The pending connect of ``state``, deleted as it is read (used once); None when unknown or expired."""
    with store.transaction() as run:
        rows = run(
            "SELECT account, sealed, redirect_uri, bind_connection, bind_subject, expires_at FROM oauth_states"
            " WHERE state_hash = ?",
            (_digest(state),),
        )
        if not rows:
            return None
        run("DELETE FROM oauth_states WHERE state_hash = ?", (_digest(state),))
    account, sealed, redirect, connection, subject, expires = (str(v) if v is not None else None for v in rows[0])
    if account is None or sealed is None or redirect is None or (expires or "") < now_text():
        return None
    return Pending(account, sealer.open(sealed, account).decode(), redirect, connection, subject)


def keep(
    store: Store, sealer: Sealer, vendor: Vendor, name: str, tokens: Tokens, before: AccountSecret | None
) -> Account:
    """Store an OAuth account's tokens (keeping values such as a user id it already had); the account."""
    values = {**(before.values if before else {}), bearer_variable(vendor): tokens.access_token}
    refresh = tokens.refresh_token or (before.refresh_token if before else "")
    old = accounts.get(store, name)
    account = Account(
        name, OAUTH, accounts.ACTIVE, tokens.base_url or (old.base_url if old else None),
        tokens.scopes if tokens.scopes is not None else (old.scopes if old else None), tokens.expires_at,
        old.last_used_at if old else None, old.created_at if old else "",
    )  # fmt: skip
    accounts.save(store, sealer, account, AccountSecret(values, refresh, before.extra if before else {}), replace=True)
    return account


async def finish(
    store: Store,
    sealer: Sealer,
    client: Client,
    state: str,
    code: str,
    transport: httpx2.AsyncBaseTransport | None = None,
) -> Account:
    """The callback's work: take the pending connect (once), exchange the code, store the tokens, bind the
    connection or subject that asked; ``OAuthRefused`` with the reason otherwise."""
    pending = await store.call(lambda: take(store, sealer, state))
    if pending is None:
        raise OAuthRefused("this connect link is unknown, used or expired; start the connect again")
    params = {"grant_type": "authorization_code", "code": code, "redirect_uri": pending.redirect_uri}
    if client.vendor.oauth is None or client.vendor.oauth.pkce:
        params["code_verifier"] = pending.verifier
    tokens = await token_call(client, params, transport)

    def stored() -> Account:
        before = _secret_or_none(store, sealer, pending.account)
        account = keep(store, sealer, client.vendor, pending.account, tokens, before)
        if pending.bind_connection:
            accounts.bind_connection(store, pending.bind_connection, pending.account)
        if pending.bind_subject:
            accounts.map_subject(store, pending.bind_subject, pending.account)
        return account

    return await store.call(stored)


def _secret_or_none(store: Store, sealer: Sealer, name: str) -> AccountSecret | None:
    try:
        return accounts.secret_of(store, sealer, name)
    except AccountError:
        return None


async def remove(store: Store, sealer: Sealer, client: Client | None, name: str) -> bool:
    """Delete an account, first revoking an OAuth account's tokens at the vendor where it has an endpoint; whether
    they were revoked there."""
    account = await store.call(lambda: accounts.get(store, name))
    if account is None:
        raise AccountError(f"no account named {name!r}")
    revoked = False
    if account.kind == OAUTH and client is not None:
        revoked = await revoke(client, await store.call(lambda: accounts.secret_of(store, sealer, name)))
    await store.call(lambda: accounts.remove(store, name))
    return revoked
