"""``--stateful``: at most ``PER_CALLER`` MCP sessions open for each caller, so one caller cannot fill the SDK's
session cap (10,000, for everyone) and the memory behind it.

A session is counted for its caller when the answer to a request that named none carries an ``mcp-session-id``
(the SDK opened one); it is forgotten when its caller ends it (``DELETE``), when a request finds it gone (404),
or once it has been idle as long as the SDK keeps an idle session. A caller at its cap gets 429 naming the cap
and what to do: end a session, or reuse one.
"""

from __future__ import annotations

import time
from typing import Any

from mcp.server.streamable_http_manager import DEFAULT_SESSION_IDLE_TIMEOUT

from .asgi import App, Message, Receive, Refusal, Scope, Send, refuse

PER_CALLER = 50  # sessions one caller may hold open at once
SESSION_HEADER = b"mcp-session-id"
SWEEP_EVERY_S = 60.0  # every caller's idle sessions are forgotten at most this often


class SessionCap:
    """The open sessions of each caller (by ``Caller.who``), and the gate that refuses one past ``per_caller``."""

    def __init__(self, per_caller: int = PER_CALLER, idle_s: float = DEFAULT_SESSION_IDLE_TIMEOUT) -> None:
        self.per_caller, self.idle_s = per_caller, idle_s
        self.open: dict[str, dict[str, float]] = {}  # caller -> session id -> when it was last used
        self.swept = time.monotonic()

    def held(self, who: str) -> int:
        """How many sessions ``who`` holds now (idle ones past the SDK's timeout are forgotten first; every
        caller's, a minute apart, so callers who never come back are not kept)."""
        now = time.monotonic()
        swept = list(self.open) if now - self.swept > SWEEP_EVERY_S else [who]
        self.swept = now if len(swept) > 1 else self.swept
        for caller in swept:
            sessions = self.open.get(caller, {})
            for sid in [sid for sid, seen in sessions.items() if now - seen > self.idle_s]:
                del sessions[sid]
            if not sessions:
                self.open.pop(caller, None)
        return len(self.open.get(who, {}))

    async def serve(self, who: str, app: App, scope: Scope, receive: Receive, send: Send) -> None:
        """Serve one ``/mcp`` request of ``who`` through ``app``, counting the sessions it opens and ends."""
        named = _header(scope, SESSION_HEADER)
        if named is None and scope.get("method") == "POST" and self.held(who) >= self.per_caller:
            reason = (
                f"{who} holds {self.per_caller} open MCP sessions, the most one caller may; end one (DELETE /mcp"
                " with its mcp-session-id) or reuse one"
            )
            await refuse(send, Refusal(429, "too_many_sessions", reason, {"retry-after": "60"}))
            return
        if named is not None and named in self.open.get(who, {}):
            self.open[who][named] = time.monotonic()

        async def counted(message: Message) -> None:
            if message["type"] == "http.response.start":
                self._saw(who, named, scope.get("method"), int(message["status"]), message.get("headers") or [])
            await send(message)

        await app(scope, receive, counted)

    def _saw(self, who: str, named: str | None, method: object, status: int, headers: list[Any]) -> None:
        """An answer's head: a session it opened is counted; one ended (DELETE) or gone (404) is forgotten."""
        if named is None:
            opened = next((v.decode("latin-1") for k, v in headers if k.lower() == SESSION_HEADER), None)
            if opened is not None and status < 400:
                self.open.setdefault(who, {})[opened] = time.monotonic()
        elif method == "DELETE" or status == 404:
            self.open.get(who, {}).pop(named, None)


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key.lower() == name:
            return bytes(value).decode("latin-1")
    return None
