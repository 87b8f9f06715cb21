"""The ways into ``/mcp``, one verifier each: the server token, a connection secret (in the URL or as a bearer),
an OAuth access token. Each takes what was presented and returns a ``Caller``, a ``Refusal``, or None when the
credential is not of its kind. None of them decides what happens when nothing matches: ``access`` does.
"""

from __future__ import annotations

import jwt

from ...failures import IssuerDown, StoreDown
from ...team import connections
from ...team.caller import Caller
from ...team.oauth import Verifier, metadata_url
from ...team.service import Team
from .asgi import Refusal, challenge
from .tokens import ServerToken

Decision = Caller | Refusal | None
RETRY = {"retry-after": "5"}


def store_down() -> Refusal:
    """The answer while the store is unreachable: try again shortly."""
    return Refusal(503, "store_unavailable", "the server's store is unreachable", RETRY)


class TokenWay:
    """``Authorization: Bearer <server token>``: every tool, recorded as ``token``."""

    def __init__(self, token: ServerToken) -> None:
        self.token = token

    def check(self, presented: str) -> Decision:
        """The token's holder, an expiry refusal, or None when ``presented`` is not the token."""
        if not self.token.matches(presented):
            return None
        expired = self.token.expired()
        return Refusal(401, "invalid_token", expired) if expired else Caller("token")


class ConnectionWay:
    """A connection secret, as the last segment of ``/mcp/c/<secret>`` or as a bearer: that connection's tools."""

    def __init__(self, team: Team, token: ServerToken | None) -> None:
        self.team, self.token = team, token

    async def check(self, secret: str, bearer: str = "") -> Decision:
        """The connection's caller, a refusal naming why, or None when no connection has this secret."""
        if not connections.SECRET_SHAPE.fullmatch(secret):
            return None
        try:
            found = await self.team.store.call(lambda: connections.lookup(self.team.store, secret))
        except StoreDown as exc:
            self.team.failed(str(exc))
            return store_down()
        self.team.answered()
        if found is None:
            return None
        reason = found.refusal()
        if reason is not None:
            return Refusal(401, "invalid_token", reason)
        if found.require_bearer and (self.token is None or not bearer or not self.token.matches(bearer)):
            return Refusal(401, "invalid_token", "this connection also needs the server token as a bearer header")
        return Caller(found.name, connection=found)


class OAuthWay:
    """A JWT access token from the configured issuer, for this server's resource URL: the tools its scopes allow."""

    def __init__(self, verifier: Verifier) -> None:
        self.verifier = verifier

    async def check(self, presented: str) -> Decision:
        """The token's subject as a caller with its scopes; a refusal; None when it is not a JWT."""
        if presented.count(".") != 2:
            return None
        try:
            found = await self.verifier.check(presented)
        except IssuerDown as exc:
            return Refusal(503, "temporarily_unavailable", str(exc), RETRY)
        except jwt.InvalidTokenError as exc:
            reason = f"the access token is not valid: {exc}"
            return Refusal(401, "invalid_token", reason, {"www-authenticate": self.challenge("invalid_token", reason)})
        return Caller(f"oauth:{found.subject}", scopes=found.scopes, claims=found.claims)

    def challenge(self, code: str = "", reason: str = "", **extra: str) -> str:
        """A bearer challenge that points OAuth clients at this server's metadata (RFC 9728)."""
        return challenge(metadata=metadata_url(self.verifier.resource), code=code, reason=reason, **extra)
