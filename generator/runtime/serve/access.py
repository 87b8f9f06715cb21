"""Who may reach ``/mcp`` when a team is served: a connection URL, a bearer (server token, connection secret or
OAuth access token), or nobody; and the RFC 9728 metadata that tells OAuth clients where to get a token.

Each request is decided here and the caller is set for the tool list, the calls and the audit. A connection
path is rewritten to ``/mcp`` before anything else sees it, so no log carries the secret. Wrong secrets are
counted per client address; an address with too many gets 429 while every other address is served as usual.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Mapping
from typing import Any

import jwt

from ..contract import Operation
from ..team import connections
from ..team.caller import CALLER, Caller, kind_scope, needed_scopes
from ..team.oauth import WELL_KNOWN, IssuerDown, Verifier, metadata_url, resource_metadata
from ..team.service import Team
from ..team.store import StoreDown
from .transport import Access, _respond

PREFIX = "/mcp/c/"
MAX_PEEK_BYTES = 1_000_000  # larger bodies are not read for the step-up check; the call itself still checks
log = logging.getLogger("mcpgen.access")


class Throttle:
    """Wrong secrets per client address in a sliding minute; more than ``limit`` blocks that address only."""

    def __init__(self, limit: int = 20, window_s: float = 60.0, max_addresses: int = 10_000) -> None:
        self.limit, self.window_s, self.max_addresses = limit, window_s, max_addresses
        self.failures: dict[str, list[float]] = {}

    def blocked(self, address: str) -> float | None:
        """Seconds until ``address`` may try again, or None."""
        now = time.monotonic()
        recent = [t for t in self.failures.get(address, []) if now - t < self.window_s]
        if recent:
            self.failures[address] = recent
        else:
            self.failures.pop(address, None)
        return self.window_s - (now - recent[0]) if len(recent) >= self.limit else None

    def fail(self, address: str) -> None:
        """Count one wrong secret from ``address``."""
        if address not in self.failures and len(self.failures) >= self.max_addresses:
            self.failures.pop(next(iter(self.failures)))  # forget the oldest address, not the newest attack
        self.failures.setdefault(address, []).append(time.monotonic())


class TeamAccess:
    """ASGI middleware in front of the MCP app when a team is served."""

    def __init__(
        self, app: Any, team: Team, token: Access, verifier: Verifier | None, operations: Mapping[str, Operation]
    ) -> None:
        self.app, self.team, self.token, self.verifier = app, team, token, verifier
        self.operations = operations
        self.throttle = Throttle()

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path, started = scope["path"], time.monotonic()
        status: list[int] = []

        async def sent(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                status.append(message["status"])
            await send(message)

        who = "-"
        if path.startswith(WELL_KNOWN) and self.verifier is not None:
            await self._metadata(sent)
        elif path == "/mcp/c" or path.startswith(PREFIX):
            who = await self._by_connection(scope, receive, sent)
        elif path.rstrip("/") == "/mcp":
            who = await self._by_bearer(scope, receive, sent)
        else:
            await self.app(scope, receive, sent)
        head, at, _secret = path.partition("/mcp/c/")  # also inside RFC 9728 discovery paths that clients derive
        shown = f"{head}/mcp/c/***" if at else path
        elapsed = (time.monotonic() - started) * 1000
        log.info("%s %s %s %s %.0fms", who, scope["method"], shown, status[0] if status else "-", elapsed)

    async def _metadata(self, send: Any) -> None:
        assert self.verifier is not None
        kinds = sorted({kind_scope(op, self.team.vendor) for op in self.operations.values()})
        body = resource_metadata(self.verifier.resource, self.verifier.issuer, kinds)
        await _respond(send, 200, json.dumps(body).encode("utf-8"), {"cache-control": "max-age=300"})

    async def _by_connection(self, scope: dict[str, Any], receive: Any, send: Any) -> str:
        address = (scope.get("client") or ("?", 0))[0]
        wait = self.throttle.blocked(address)
        if wait is not None:
            await _refuse(
                send, 429, "too_many_attempts", "too many wrong connection URLs", {"retry-after": f"{wait:.0f}"}
            )
            return "-"
        secret = scope["path"].removeprefix(PREFIX).removesuffix("/")
        if not secret or "/" in secret or b"%2f" in scope.get("raw_path", b"").lower():
            await _refuse(send, 404, "not_found", "no such connection path")
            return "-"
        found = await self._lookup(secret, address, send)
        if found is None:
            return "-"
        if found.require_bearer and (self.token.token is None or self.token.refusal(_header(scope)) is not None):
            await _refuse(send, 401, "invalid_token", "this connection also needs the server token as a bearer header")
            return found.name
        scope["path"], scope["raw_path"] = "/mcp", b"/mcp"
        await self._serve(Caller(found.name, connection=found), scope, receive, send)
        return found.name

    async def _lookup(self, secret: str, address: str, send: Any) -> connections.Connection | None:
        """The live connection a secret opens; otherwise the refusal is sent and None returned."""
        try:
            found = await self.team.store.call(lambda: connections.lookup(self.team.store, secret))
        except StoreDown as exc:
            self.team.failed(str(exc))
            await _refuse(send, 503, "store_unavailable", "the server's store is unreachable", {"retry-after": "5"})
            return None
        self.team.answered()
        if found is None:
            self.throttle.fail(address)
            await _refuse(send, 401, "invalid_token", "this connection URL is not valid")
            return None
        reason = found.refusal()
        if reason is not None:
            await _refuse(send, 401, "invalid_token", reason)
            return None
        return found

    async def _by_bearer(self, scope: dict[str, Any], receive: Any, send: Any) -> str:
        scheme, _, presented = (_header(scope) or "").partition(" ")
        presented = presented.strip() if scheme.lower() == "bearer" else ""
        if self.token.token is not None and self.token.refusal(_header(scope)) is None:
            await self._serve(Caller("token"), scope, receive, send)
            return "token"
        if connections.SECRET_SHAPE.fullmatch(presented):
            found = await self._lookup(presented, (scope.get("client") or ("?", 0))[0], send)
            if found is not None:
                await self._serve(Caller(found.name, connection=found), scope, receive, send)
            return found.name if found else "-"
        if self.verifier is not None and presented.count(".") == 2:
            return await self._by_oauth(presented, scope, receive, send)
        if self.token.token is None and self.verifier is None:
            await self._serve(Caller("local"), scope, receive, send)  # loopback without a token, as before
            return "local"
        code, reason = self.token.refusal(_header(scope)) or ("", "")
        if not reason:
            code = "invalid_token" if presented else ""
            reason = (
                "the bearer token is not valid" if presented else "this server needs 'Authorization: Bearer <token>'"
            )
        extra = f', error="{code}", error_description="{reason}"' if code else ""
        await _refuse(send, 401, code, reason, self._challenge(extra))
        return "-"

    async def _by_oauth(self, token: str, scope: dict[str, Any], receive: Any, send: Any) -> str:
        assert self.verifier is not None
        try:
            found = await self.verifier.check(token)
        except IssuerDown as exc:
            await _refuse(send, 503, "temporarily_unavailable", str(exc), {"retry-after": "5"})
            return "-"
        except jwt.InvalidTokenError as exc:
            await _refuse(send, 401, "invalid_token", f"the access token is not valid: {exc}", self._challenge())
            return "-"
        caller = Caller(f"oauth:{found.subject}", scopes=found.scopes, vendor=self.team.vendor)
        body, replay = await _peek(receive)
        lacking = self._lacking(caller, body)
        if lacking:
            challenge = self._challenge(f', error="insufficient_scope", scope="{" ".join(lacking)}"')
            await _refuse(send, 403, "insufficient_scope", f"this tool needs the scope {' '.join(lacking)}", challenge)
            return caller.who
        await self._serve(caller, scope, replay, send)
        return caller.who

    def _lacking(self, caller: Caller, body: bytes | None) -> list[str]:
        """Scopes a ``tools/call`` in ``body`` needs beyond the token's (empty: nothing to refuse here)."""
        try:
            message = json.loads(body) if body else None
        except ValueError:
            return []
        if not isinstance(message, dict) or message.get("method") != "tools/call":
            return []
        params = message.get("params")
        op = self.operations.get(params.get("name", "")) if isinstance(params, dict) else None
        return [] if op is None or caller.scopes is None else needed_scopes(op, self.team.vendor, caller.scopes)

    def _challenge(self, extra: str = "") -> dict[str, str]:
        if self.verifier is None:
            return {"www-authenticate": 'Bearer realm="mcp"' + extra}
        where = metadata_url(self.verifier.resource)
        return {"www-authenticate": f'Bearer realm="mcp", resource_metadata="{where}"' + extra}

    async def _serve(self, caller: Caller, scope: dict[str, Any], receive: Any, send: Any) -> None:
        reason = await self.team.down()
        if reason is not None:
            await _refuse(send, 503, "store_unavailable", "the server's store is unreachable", {"retry-after": "5"})
            return
        mark = CALLER.set(caller)
        try:
            await self.app(scope, receive, send)
        finally:
            CALLER.reset(mark)


def _header(scope: dict[str, Any], name: bytes = b"authorization") -> str | None:
    for key, value in scope.get("headers", []):
        if key.lower() == name:
            return str(value.decode("latin-1"))
    return None


async def _peek(receive: Any) -> tuple[bytes | None, Any]:
    """The request body (None past ``MAX_PEEK_BYTES``) and a ``receive`` that hands the same messages on."""
    messages: list[dict[str, Any]] = []
    size, more = 0, True
    while more and size <= MAX_PEEK_BYTES:
        message = await receive()
        messages.append(message)
        size += len(message.get("body", b""))
        more = message["type"] == "http.request" and message.get("more_body", False)

    async def replay() -> dict[str, Any]:
        return messages.pop(0) if messages else await receive()

    body = b"".join(m.get("body", b"") for m in messages) if not more else None
    return body, replay


async def _refuse(send: Any, status: int, code: str, reason: str, headers: dict[str, str] | None = None) -> None:
    extra = dict(headers or {})
    reason = reason.replace('"', "'")
    if status == 401 and "www-authenticate" not in extra:
        extra["www-authenticate"] = f'Bearer realm="mcp", error="{code}", error_description="{reason}"'
    body = json.dumps({"error": code or "unauthorized", "error_description": reason}).encode("utf-8")
    await _respond(send, status, body, extra)
