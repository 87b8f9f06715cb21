"""The vendor's token endpoint, as this deployment's OAuth client: exchanging a code, refreshing, revoking.

Every call is bounded in time (as a whole) and in the bytes read; an answer that is not a JSON object with an
``access_token`` is refused, and a 4xx refusal is final (the grant is dead: the account must be reconnected).
"""

from __future__ import annotations

import base64
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import anyio
import httpx2

from ..contract import Vendor, VendorOAuth, printable
from ..failures import AccountError, OAuthRefused
from .accounts import AccountSecret, base_url_refusal
from .connections import now_text

TOKEN_DEADLINE_S = 10.0  # one whole token call
MAX_TOKEN_BYTES = 64_000  # a token answer past this is refused, never read further
CALLBACK_PATH = "/oauth/callback"
CONNECT_PATH = "/oauth/connect"  # the page a connect link opens first: what it binds, then on to the vendor


@dataclass(frozen=True)
class Client:
    """This deployment's OAuth client at the vendor, and where the vendor sends the browser back."""

    vendor: Vendor
    authorize_url: str
    token_url: str
    client_id: str
    client_secret: str = field(repr=False)  # never in a log line or a traceback
    redirect_uri: str = ""
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
class Tokens:
    """A token answer, checked."""

    access_token: str
    refresh_token: str
    expires_at: str | None
    scopes: frozenset[str] | None
    base_url: str | None
    identity: str | None = None  # who approved, as the vendor's answer names them (None: it does not say)


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
    return _tokens(status, body, conf or VendorOAuth())


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
                    raise OAuthRefused(f"the vendor's token answer is larger than {MAX_TOKEN_BYTES} bytes", False)
                chunks.append(chunk)
            return response.status_code, b"".join(chunks)


def _tokens(status: int, body: bytes, conf: VendorOAuth) -> Tokens:
    """A token answer checked; a 4xx refusal is final (the grant is dead), anything else may be tried again."""
    final = 400 <= status < 500
    try:
        data: Any = json.loads(body)
    except (ValueError, RecursionError):  # nested past what the parser takes too
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
    scope, base = data.get("scope"), data.get(conf.base_url_field) if conf.base_url_field else None
    granted = frozenset(scope.split()) if isinstance(scope, str) else None
    base_url = base.rstrip("/") if isinstance(base, str) and base_url_refusal(base) is None else None
    who = data.get(conf.identity_field) if conf.identity_field else None
    identity = printable(str(who))[:200] if isinstance(who, str | int) and not isinstance(who, bool) else None
    return Tokens(token, str(data.get("refresh_token") or ""), expires, granted, base_url, identity or None)


def bearer_variable(vendor: Vendor) -> str:
    """The variable an OAuth access token goes in: the vendor's first required bearer scheme's."""
    scheme = next((s for s in vendor.auth if s.type == "bearer" and not s.optional), None)
    if scheme is None:
        raise AccountError(f"{vendor.title} takes no bearer token, so it cannot be connected through OAuth")
    return scheme.env[0]


async def revoke(client: Client, secret: AccountSecret, transport: httpx2.AsyncBaseTransport | None = None) -> bool:
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
