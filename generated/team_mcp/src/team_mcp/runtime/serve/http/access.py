"""Who may reach ``/mcp``: deny unless a way in allows.

A request is decided once, here: a connection path (``/mcp/c/<secret>``) by its secret; otherwise by its bearer
(the server token, a connection secret, an OAuth access token, in that order). With no credential it is served
only when the server is ``open`` (loopback, one person: see ``exposure``); otherwise 401 with a challenge. A wrong
credential is counted (``throttle``) after it was looked up, so a valid one is never refused for others' guesses.
The caller is set for the tool list, the calls and the audit; a connection path is rewritten to ``/mcp`` before
the MCP app sees it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ...contract import Operation
from ...failures import StoreDown
from ...team import account_access
from ...team.caller import CALLER, Caller
from ...team.service import Team
from ...visibility import kind_scope, token_lacks
from .asgi import App, Message, Receive, Refusal, Scope, Send, bearer, challenge, json_value, refuse
from .session_cap import SessionCap
from .throttle import Throttle
from .ways import ConnectionWay, Decision, OAuthWay, TokenWay, store_down

PREFIX = "/mcp/c/"
MAX_PEEK_BYTES = 1_000_000  # larger bodies are not read for the step-up check; the call itself still checks


@dataclass
class Ways:
    """The ways in this server offers; ``open``: a request with no credential is served (loopback, one person)."""

    token: TokenWay | None = None
    connection: ConnectionWay | None = None
    oauth: OAuthWay | None = None
    open: bool = False


class Access:
    """ASGI app in front of the MCP app for ``/mcp`` and ``/mcp/c/<secret>``."""

    def __init__(
        self,
        app: App,
        ways: Ways,
        team: Team | None,
        operations: Mapping[str, Operation],
        accounts: bool = False,
        claim: str = "",
        sessions: SessionCap | None = None,
    ) -> None:
        self.app, self.ways, self.team, self.operations = app, ways, team, operations
        self.accounts = accounts  # vendor accounts are in use: each caller is bound to its account
        self.claim = claim  # the OAuth token claim that may name a caller's account ("": not read)
        self.sessions = sessions  # --stateful: each caller's open sessions, capped
        self.throttle = Throttle()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        decided = await self.decide(scope)
        if isinstance(decided, Refusal):
            await refuse(send, decided)
            return
        scope.setdefault("state", {})["caller"] = decided.who  # for the access log line
        if self.accounts and self.team is not None:
            bound = await self.bound(decided)
            if isinstance(bound, Refusal):
                await refuse(send, bound)
                return
            decided = bound
        if decided.scopes is not None and self.team is not None:
            body, receive = await peek(receive)
            lacking = self.lacking(decided, body)
            if lacking:
                await refuse(send, self.step_up(lacking))
                return
        if self.team is not None and await self.team.down() is not None:
            await refuse(send, store_down())
            return
        mark = CALLER.set(decided)
        try:
            if self.sessions is not None:
                await self.sessions.serve(decided.who, self.app, scope, receive, send)
            else:
                await self.app(scope, receive, send)
        finally:
            CALLER.reset(mark)

    async def bound(self, caller: Caller) -> Caller | Refusal:
        """``caller`` with its vendor account and the scopes that account was granted."""
        assert self.team is not None
        bound = caller.account is not None or (caller.connection is not None and caller.connection.account)
        if not bound and caller.scopes is None:
            return caller  # no account named and no OAuth subject to map: nothing to look up
        store = self.team.store
        try:
            return await store.call(lambda: account_access.account_for(store, caller, caller.claims, self.claim))
        except StoreDown as exc:
            self.team.failed(str(exc))
            return store_down()

    async def decide(self, scope: Scope) -> Caller | Refusal:
        """The caller this request speaks for, or why it is refused."""
        path, presented = scope["path"], bearer(scope)
        if path.startswith(PREFIX) or path == PREFIX.rstrip("/"):
            secret = path.removeprefix(PREFIX).removesuffix("/")
            if self.ways.connection is None:
                return Refusal(404, "not_found", "this server has no connection URLs (it keeps no store)")
            if not secret or "/" in secret or b"%2f" in scope.get("raw_path", b"").lower():
                return Refusal(404, "not_found", "no such connection path")
            scope["path"], scope["raw_path"] = "/mcp", b"/mcp"
            return self.counted(scope, secret, await self.by_secret(secret, presented), "this connection URL")
        if not presented:
            return Caller("local") if self.ways.open else self.unauthenticated()
        return self.counted(scope, presented, await self.by_bearer(presented), "the bearer token")

    async def by_secret(self, secret: str, presented: str) -> Decision:
        """A connection URL's secret."""
        return await self.ways.connection.check(secret, presented) if self.ways.connection else None

    async def by_bearer(self, presented: str) -> Decision:
        """A bearer, tried against each way in, in a fixed order."""
        if self.ways.token is not None and (found := self.ways.token.check(presented)) is not None:
            return found
        if self.ways.connection is not None and (found := await self.ways.connection.check(presented)) is not None:
            return found
        return await self.ways.oauth.check(presented) if self.ways.oauth else None

    def counted(self, scope: Scope, presented: str, found: Decision, what: str) -> Caller | Refusal:
        """The decision, when there is one; a wrong credential is counted and refused (429 past the throttle)."""
        if isinstance(found, Caller) or (isinstance(found, Refusal) and found.code != "invalid_token"):
            return found
        throttled = self.throttle.wrong(scope, presented, "credentials")
        if throttled is not None:
            return throttled
        if isinstance(found, Refusal):
            return found
        reason = f"{what} is not valid"
        return Refusal(401, "invalid_token", reason, {"www-authenticate": self.challenge("invalid_token", reason)})

    def unauthenticated(self) -> Refusal:
        """No credential where one is needed: say which header to send, and where OAuth clients learn how."""
        reason = "this server needs 'Authorization: Bearer <token>' (or a connection URL)"
        return Refusal(401, "", reason, {"www-authenticate": self.challenge()})

    def challenge(self, code: str = "", reason: str = "", **extra: str) -> str:
        """The server's bearer challenge (with RFC 9728 metadata when OAuth is on)."""
        if self.ways.oauth is not None:
            return self.ways.oauth.challenge(code, reason, **extra)
        return challenge(code=code, reason=reason, **extra)

    def lacking(self, caller: Caller, body: bytes | None) -> list[str]:
        """Scopes a ``tools/call`` in ``body`` needs beyond the token's (empty: nothing to refuse here)."""
        try:
            message = json_value(body) if body else None
        except ValueError:
            return []
        if not isinstance(message, dict) or message.get("method") != "tools/call":
            return []
        params = message.get("params")
        op = self.operations.get(params.get("name", "")) if isinstance(params, dict) else None
        if op is None or caller.scopes is None or self.team is None:
            return []
        vendor = self.team.vendor
        return [kind_scope(op, vendor)] if token_lacks(op, vendor, caller.scopes) else []

    def step_up(self, lacking: list[str]) -> Refusal:
        """403 with the scope to ask for (the MCP authorization spec's step-up)."""
        wanted = " ".join(lacking)
        www = self.challenge("insufficient_scope", f"this tool needs the scope {wanted}", scope=wanted)
        return Refusal(403, "insufficient_scope", f"this tool needs the scope {wanted}", {"www-authenticate": www})


async def peek(receive: Receive) -> tuple[bytes | None, Receive]:
    """The request body (None past ``MAX_PEEK_BYTES``) and a ``receive`` that hands the same messages on."""
    messages: list[Message] = []
    chunks: list[bytes] = []
    size, more = 0, True
    while more and size <= MAX_PEEK_BYTES:
        message = await receive()
        messages.append(message)
        chunks.append(bytes(message.get("body", b"")))
        size += len(chunks[-1])
        more = message["type"] == "http.request" and bool(message.get("more_body", False))

    async def replay() -> Message:
        return messages.pop(0) if messages else await receive()

    return (None if more else b"".join(chunks)), replay
