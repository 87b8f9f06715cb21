"""OAuth 2.1 resource server: verify JWT access tokens from one issuer, for this server's resource URL.

The issuer's metadata (RFC 8414, else OpenID discovery) names its JWKS. ``KeySet`` fetches the keys, keeps them
for ``JWKS_LIFESPAN_S``, and fetches again at once when a token names a key id it has not seen (rotation) --
at most once per ``REFETCH_COOLDOWN_S``, so a stream of made-up key ids cannot turn the server into a client
that hammers the issuer. (PyJWT's ``PyJWKClient`` counts its cooldown from *any* fetch, the first included, so
a key rotated soon after the server first fetched was refused for 30 seconds.) Only asymmetric algorithms are
accepted, so ``alg: none`` and an HS256 token "signed" with the public key fail. Every network wait is bounded
by ``FETCH_DEADLINE_S`` as a whole, not per read: an issuer that is down or slow makes the request fail with
503, never hang.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

import anyio
import httpx2
import jwt

from ..contract import parse_words
from ..failures import IssuerDown

ALGORITHMS = ("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA")
LEEWAY_S = 30
FETCH_TIMEOUT_S = 3.0  # each connect/read
FETCH_DEADLINE_S = 5.0  # one whole fetch, however slowly the issuer trickles its answer
JWKS_LIFESPAN_S = 300  # keys are fetched again after this long, and at once for an unknown key id
REFETCH_COOLDOWN_S = 10.0  # at most one unknown-key-id fetch this often
RETRY_AFTER_S = 5.0  # an issuer that failed to answer is not asked again for this long
WELL_KNOWN = "/.well-known/oauth-protected-resource"


@dataclass(frozen=True)
class Verified:
    """A valid token's subject and scopes (the token itself is kept nowhere and never sent upstream)."""

    subject: str
    scopes: frozenset[str]
    client_id: str
    claims: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)  # for an account claim


def metadata_urls(issuer: str) -> list[str]:
    """Where an issuer's metadata may be: RFC 8414 (path after the well-known part), then OpenID discovery."""
    scheme, _, rest = issuer.rstrip("/").partition("://")
    host, _, path = rest.partition("/")
    suffix = f"/{path}" if path else ""
    return [
        f"{scheme}://{host}/.well-known/oauth-authorization-server{suffix}",
        f"{issuer.rstrip('/')}/.well-known/openid-configuration",
    ]


def scopes_of(claims: dict[str, Any]) -> frozenset[str]:
    """The token's scopes: ``scope`` (space-separated) or ``scp`` (a list)."""
    raw = claims.get("scope", claims.get("scp", ""))
    parts = parse_words(raw) if isinstance(raw, str) else [str(part) for part in raw or ()]
    return frozenset(parts)


class KeySet:
    """The issuer's signing keys by key id: cached, refreshed when old, fetched again once for an unknown id."""

    def __init__(self, uri: str) -> None:
        self.uri = uri
        self._keys: dict[str, jwt.PyJWK] = {}
        self._fetched_at = self._forced_at = self._down_until = float("-inf")
        self._down_reason = ""
        self._lock = anyio.Lock()  # one fetch at a time; waiters then see its keys

    async def key(self, kid: str) -> jwt.PyJWK:
        """The key named ``kid``; ``jwt.InvalidTokenError`` when the issuer has none, ``IssuerDown``."""
        async with self._lock:
            now = time.monotonic()
            if now - self._fetched_at >= JWKS_LIFESPAN_S:
                await self._fetch(keep_old=True)
            elif kid not in self._keys and now - self._forced_at >= REFETCH_COOLDOWN_S:
                self._forced_at = now
                await self._fetch(keep_old=False)
        found = self._keys.get(kid)
        if found is None:
            raise jwt.InvalidTokenError(f"the issuer has no signing key with id {kid!r}")
        return found

    async def _fetch(self, keep_old: bool) -> None:
        """Fetch the keys; while the issuer is down, answer from memory for ``RETRY_AFTER_S`` instead of waiting
        again (requests queued behind this one would otherwise wait one deadline each), and keep serving keys
        that merely grew old."""
        if time.monotonic() < self._down_until:
            if keep_old and self._keys:
                return
            raise IssuerDown(self._down_reason)
        try:
            await self._load()
        except IssuerDown as exc:
            self._down_until, self._down_reason = time.monotonic() + RETRY_AFTER_S, str(exc)
            if not (keep_old and self._keys):
                raise

    async def _load(self) -> None:
        data = await fetch_json(self.uri)
        if not isinstance(data, dict):
            raise IssuerDown(f"the OAuth issuer's keys at {self.uri} are not a JSON object")
        try:
            keys = jwt.PyJWKSet.from_dict(data).keys
        except jwt.PyJWTError as exc:
            raise IssuerDown(f"the OAuth issuer's keys at {self.uri} are not usable: {exc}") from None
        self._keys = {k.key_id: k for k in keys if k.key_id and k.public_key_use in ("sig", None)}
        self._fetched_at = time.monotonic()


async def fetch_json(url: str) -> Any:
    """The JSON at ``url`` (None when not 200 or not JSON); ``IssuerDown`` when it does not answer in time."""
    try:
        with anyio.fail_after(FETCH_DEADLINE_S):
            async with httpx2.AsyncClient(timeout=FETCH_TIMEOUT_S, follow_redirects=False) as client:
                response = await client.get(url)
    except (httpx2.HTTPError, TimeoutError) as exc:
        raise IssuerDown(f"the OAuth issuer at {url} did not answer in time: {type(exc).__name__}") from None
    return _json(response) if response.status_code == 200 else None


class Verifier:
    """Verifies access tokens against the issuer's published keys."""

    def __init__(self, issuer: str, resource: str) -> None:
        self.issuer, self.resource = issuer, resource
        self._keys: KeySet | None = None

    async def _jwks(self) -> KeySet:
        if self._keys is not None:
            return self._keys
        for url in metadata_urls(self.issuer):
            data = await fetch_json(url)
            if isinstance(data, dict) and data.get("jwks_uri"):
                if str(data.get("issuer", self.issuer)).rstrip("/") != self.issuer.rstrip("/"):
                    raise IssuerDown(f"the metadata at {url} names another issuer")
                self._keys = KeySet(str(data["jwks_uri"]))
                return self._keys
        raise IssuerDown(f"no OAuth metadata with a jwks_uri found for issuer {self.issuer}")

    async def check(self, token: str) -> Verified:
        """The token's subject and scopes; ``jwt.InvalidTokenError`` (why) or ``IssuerDown``."""
        header = jwt.get_unverified_header(token)
        if header.get("alg") not in ALGORITHMS:
            raise jwt.InvalidAlgorithmError(f"algorithm {header.get('alg')!r} is not accepted")
        kid = header.get("kid")
        if not isinstance(kid, str) or not kid:
            raise jwt.InvalidTokenError("the token names no key id")
        key = await (await self._jwks()).key(kid)
        claims = jwt.decode(
            token, key.key, algorithms=list(ALGORITHMS), audience=self.resource, issuer=self.issuer,
            leeway=LEEWAY_S, options={"require": ["exp", "iss", "aud", "sub"]},
        )  # fmt: skip
        client = str(claims.get("client_id") or claims.get("azp") or "")
        return Verified(str(claims["sub"]), scopes_of(claims), client, claims)


def _json(response: httpx2.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return None


def resource_metadata(resource: str, issuer: str, scopes: list[str]) -> dict[str, Any]:
    """This server's RFC 9728 protected-resource metadata."""
    return {
        "resource": resource,
        "authorization_servers": [issuer],
        "scopes_supported": scopes,
        "bearer_methods_supported": ["header"],
    }


def metadata_url(resource: str) -> str:
    """Where the metadata of ``resource`` is served: the well-known path with the resource's path after it."""
    scheme, _, rest = resource.partition("://")
    host, _, path = rest.partition("/")
    return f"{scheme}://{host}{WELL_KNOWN}{'/' + path.rstrip('/') if path.strip('/') else ''}"
