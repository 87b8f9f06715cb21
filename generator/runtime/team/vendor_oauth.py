"""Connecting an account through the vendor's own OAuth: authorization code with PKCE, tokens exchanged and
refreshed at the vendor's token endpoint.

``start`` keeps a fresh ``state`` (hashed) with the PKCE verifier (sealed) in the store and answers the link to
open; the callback ``finish``es it: the state is taken from the store and deleted in one transaction, so it is
used once, whichever replica the browser comes back to. Every token call is bounded in time (as a whole) and
in the bytes read; an answer that is not a JSON object with an ``access_token`` is refused.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

import anyio
import httpx2

from ..contract import Vendor, printable
from . import accounts
from .accounts import OAUTH, Account, AccountError, Secret
from .connections import now_text
from .sealing import Sealer
from .store import Store

STATE_TTL_S = 600  # a connect link works this long, once
TOKEN_DEADLINE_S = 10.0  # one whole token call
MAX_TOKEN_BYTES = 64_000  # a token answer past this is refused, never read further
CALLBACK_PATH = "/oauth/callback"


class OAuthRefused(Exception):
    """The vendor refused a token call, or answered something that is not a token; one line, no secrets."""

    def __init__(self, reason: str, final: bool = True) -> None:
        super().__init__(reason)
        self.final = final  # the grant is dead (reconnect); False: the vendor could not be reached, try again


@dataclass(frozen=True)
class Client:
    """This deployment's OAuth client at the vendor, and where the vendor sends the browser back."""

    vendor: Vendor
    authorize_url: str
    token_url: str
    client_id: str
    client_secret: str
    redirect_uri: str
    revoke_url: str = ""

    @classmethod
    def from_env(cls, vendor: Vendor, env: Mapping[str, str], public_url: str) -> Client | None:
        """The client from the vendor config, each part overridable by ``<PREFIX>_OAUTH_*`` (the secret is only
        read from there); None when the vendor offers no OAuth or a part is missing."""
        conf, prefix = vendor.oauth, f"{vendor.env_prefix}_OAUTH_"
        if conf is None or not public_url:
            return None
        parts = ("authorize_url", "token_url", "client_id", "revoke_url")
        pick = {k: env.get(prefix + k.upper()) or getattr(conf, k) for k in parts}
        if not all(pick[k] for k in parts[:3]):
            return None
        secret = env.get(prefix + "CLIENT_SECRET", "")
        return cls(vendor, **pick, client_secret=secret, redirect_uri=public_url.rstrip("/") + CALLBACK_PATH)


@dataclass(frozen=True)
class Pending:
    """A connect in progress, as its state row holds it."""

    account: str
    verifier: str
    redirect_uri: str
    bind_connection: str | None = None
    bind_subject: str | None = None


@dataclass(frozen=True)
class Tokens:
    """A token answer, checked."""

    access_token: str
    refresh_token: str
    expires_at: str | None
    scopes: frozenset[str] | None
    base_url: str | None


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


async def token_call(
    client: Client, params: dict[str, str], transport: httpx2.AsyncBaseTransport | None = None
) -> Tokens:
    """POST to the token endpoint (client secret as Basic when there is one) and check the answer."""
    conf = client.vendor.oauth
    params = {**params, "client_id": client.client_id}
    headers = {"accept": "application/json"}
    if client.client_secret:
        pair = f"{client.client_id}:{client.client_secret}".encode()
        headers["authorization"] = "Basic " + base64.b64encode(pair).decode("ascii")
    in_query = conf is not None and conf.token_params == "query"
    try:
        with anyio.fail_after(TOKEN_DEADLINE_S):
            status, body = await _post(client.token_url, params, headers, in_query, transport)
    except (TimeoutError, httpx2.HTTPError, httpx2.InvalidURL) as exc:
        raise OAuthRefused(f"the vendor's token endpoint could not be reached: {type(exc).__name__}", False) from None
    return _tokens(status, body, conf.base_url_field if conf else "")


async def _post(
    url: str,
    params: dict[str, str],
    headers: dict[str, str],
    in_query: bool,
    transport: httpx2.AsyncBaseTransport | None,
) -> tuple[int, bytes]:
    timeout = httpx2.Timeout(TOKEN_DEADLINE_S)
    async with httpx2.AsyncClient(timeout=timeout, transport=transport, trust_env=False) as http:
        form = {"params": params} if in_query else {"data": params}
        async with http.stream("POST", url, headers=headers, **form) as response:  # type: ignore[arg-type]
            chunks, size = [], 0
            async for chunk in response.aiter_bytes():
                size += len(chunk)
                if size > MAX_TOKEN_BYTES:
                    raise OAuthRefused(f"the vendor's token answer is larger than {MAX_TOKEN_BYTES} bytes")
                chunks.append(chunk)
            return response.status_code, b"".join(chunks)


def _tokens(status: int, body: bytes, base_url_field: str) -> Tokens:
    """A token answer checked; a 4xx refusal is final (the grant is dead), anything else may be tried again."""
    final = 400 <= status < 500
    try:
        data: Any = json.loads(body)
    except ValueError:
        data = None
    if not isinstance(data, dict):
        raise OAuthRefused(f"the vendor's token endpoint answered {status} with something that is not JSON", final)
    token, code = data.get("access_token"), data.get("error")
    if status >= 400 or not isinstance(token, str) or not token:
        told = printable(code[:80]) if isinstance(code, str) else "no access_token"
        raise OAuthRefused(f"the vendor refused the token request ({status}: {told})", final)
    lifetime = data.get("expires_in")
    expires = None
    if isinstance(lifetime, int | float) and not isinstance(lifetime, bool) and 0 < lifetime < 10**9:
        expires = now_text(datetime.now(UTC) + timedelta(seconds=float(lifetime)))
    scope, base = data.get("scope"), data.get(base_url_field) if base_url_field else None
    granted = frozenset(scope.split()) if isinstance(scope, str) else None
    base_url = base.rstrip("/") if isinstance(base, str) and _acceptable(base) else None
    return Tokens(token, str(data.get("refresh_token") or ""), expires, granted, base_url)


def _acceptable(url: str) -> bool:
    """An account base URL must be https, or plain http on a loopback host (a vendor of our own, in tests)."""
    return url.startswith(("https://", "http://127.0.0.1:", "http://localhost:")) and len(url) < 300


def bearer_variable(vendor: Vendor) -> str:
    """The variable an OAuth access token goes in: the vendor's first required bearer scheme's."""
    scheme = next((s for s in vendor.auth if s.type == "bearer" and not s.optional), None)
    if scheme is None:
        raise AccountError(f"{vendor.title} takes no bearer token, so it cannot be connected through OAuth")
    return scheme.env[0]


def keep(store: Store, sealer: Sealer, vendor: Vendor, name: str, tokens: Tokens, before: Secret | None) -> Account:
    """Store an OAuth account's tokens (keeping values such as a user id it already had); the account."""
    values = {**(before.values if before else {}), bearer_variable(vendor): tokens.access_token}
    refresh = tokens.refresh_token or (before.refresh_token if before else "")
    old = accounts.get(store, name)
    account = Account(
        name, OAUTH, accounts.ACTIVE, tokens.base_url or (old.base_url if old else None),
        tokens.scopes if tokens.scopes is not None else (old.scopes if old else None), tokens.expires_at,
        old.last_used_at if old else None, old.created_at if old else "",
    )  # fmt: skip
    accounts.save(store, sealer, account, Secret(values, refresh, before.extra if before else {}), replace=True)
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


def _secret_or_none(store: Store, sealer: Sealer, name: str) -> Secret | None:
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


async def revoke(client: Client, secret: Secret, transport: httpx2.AsyncBaseTransport | None = None) -> bool:
    """Revoke an account's tokens at the vendor (RFC 7009) where it has an endpoint; whether it was done."""
    if not client.revoke_url:
        return False
    access = secret.values.get(bearer_variable(client.vendor), "")
    tokens = [t for t in (secret.refresh_token, access) if t]
    headers = {}
    if client.client_secret:
        pair = f"{client.client_id}:{client.client_secret}".encode()
        headers["authorization"] = "Basic " + base64.b64encode(pair).decode("ascii")
    try:
        with anyio.fail_after(TOKEN_DEADLINE_S):
            async with httpx2.AsyncClient(timeout=TOKEN_DEADLINE_S, transport=transport, trust_env=False) as http:
                for token in tokens:
                    data = {"token": token, "client_id": client.client_id}
                    answer = await http.post(client.revoke_url, data=data, headers=headers)
                    if answer.status_code >= 400:
                        return False
    except (TimeoutError, httpx2.HTTPError, httpx2.InvalidURL):
        return False
    return True
