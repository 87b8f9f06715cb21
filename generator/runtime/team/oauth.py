"""OAuth 2.1 resource server: verify JWT access tokens from one issuer, for this server's resource URL.

The issuer's metadata (RFC 8414, else OpenID discovery) names its JWKS; PyJWT's ``PyJWKClient`` fetches and
caches the keys and fetches again when a token names a key id it has not seen (rotation). Only asymmetric
algorithms are accepted, so ``alg: none`` and an HS256 token "signed" with the public key fail. Every network
wait is bounded; an issuer that cannot be reached makes the request fail with 503, not hang.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import anyio.to_thread
import httpx2
import jwt
from mcp.server.auth.provider import AccessToken

ALGORITHMS = ("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA")
LEEWAY_S = 30
FETCH_TIMEOUT_S = 3.0
JWKS_LIFESPAN_S = 300  # keys are fetched again after this long, and at once for an unknown key id
WELL_KNOWN = "/.well-known/oauth-protected-resource"


class IssuerDown(Exception):
    """The issuer's metadata or keys could not be fetched in time; the message says which."""


@dataclass(frozen=True)
class Verified:
    """A valid token's subject and scopes (the token itself is kept nowhere and never sent upstream)."""

    subject: str
    scopes: frozenset[str]
    client_id: str


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
    parts = raw.split() if isinstance(raw, str) else [str(part) for part in raw or ()]
    return frozenset(parts)


class Verifier:
    """Verifies access tokens; ``verify_token`` also makes it an SDK ``TokenVerifier``."""

    def __init__(self, issuer: str, resource: str) -> None:
        self.issuer, self.resource = issuer, resource
        self._keys: jwt.PyJWKClient | None = None

    async def _jwks(self) -> jwt.PyJWKClient:
        if self._keys is not None:
            return self._keys
        async with httpx2.AsyncClient(timeout=FETCH_TIMEOUT_S) as client:
            for url in metadata_urls(self.issuer):
                try:
                    response = await client.get(url)
                except httpx2.HTTPError as exc:
                    raise IssuerDown(
                        f"the OAuth issuer's metadata at {url} did not answer: {type(exc).__name__}"
                    ) from None
                if response.status_code == 200 and isinstance(data := _json(response), dict) and data.get("jwks_uri"):
                    if data.get("issuer", self.issuer).rstrip("/") != self.issuer.rstrip("/"):
                        raise IssuerDown(f"the metadata at {url} names another issuer")
                    self._keys = jwt.PyJWKClient(
                        str(data["jwks_uri"]), cache_keys=True, lifespan=JWKS_LIFESPAN_S, timeout=int(FETCH_TIMEOUT_S)
                    )
                    return self._keys
        raise IssuerDown(f"no OAuth metadata with a jwks_uri found for issuer {self.issuer}")

    async def check(self, token: str) -> Verified:
        """The token's subject and scopes; ``jwt.InvalidTokenError`` (why) or ``IssuerDown``."""
        header = jwt.get_unverified_header(token)
        if header.get("alg") not in ALGORITHMS:
            raise jwt.InvalidAlgorithmError(f"algorithm {header.get('alg')!r} is not accepted")
        keys = await self._jwks()
        try:
            key = await anyio.to_thread.run_sync(keys.get_signing_key_from_jwt, token)
        except jwt.PyJWKClientConnectionError as exc:
            raise IssuerDown(f"the OAuth issuer's keys did not answer: {exc}") from None
        except jwt.PyJWKClientError as exc:
            raise jwt.InvalidTokenError(str(exc)) from None
        claims = jwt.decode(
            token, key.key, algorithms=list(ALGORITHMS), audience=self.resource, issuer=self.issuer,
            leeway=LEEWAY_S, options={"require": ["exp", "iss", "aud", "sub"]},
        )  # fmt: skip
        return Verified(str(claims["sub"]), scopes_of(claims), str(claims.get("client_id") or claims.get("azp") or ""))

    async def verify_token(self, token: str) -> AccessToken | None:
        """The SDK's ``TokenVerifier`` protocol: an ``AccessToken``, or None when the token is not valid."""
        try:
            found = await self.check(token)
        except (jwt.InvalidTokenError, IssuerDown):
            return None
        return AccessToken(token=token, client_id=found.client_id, scopes=sorted(found.scopes), subject=found.subject)


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
