"""The HTTP app of a generated server, assembled in one place and in a fixed order.

    access log → /healthz → /readyz → /metrics → RFC 9728 metadata → extra routes → /mcp (access → MCP app)

Everything else is 404. The MCP SDK's app keeps its own Host/Origin checks and its lifespan (which runs the
session manager); a team's store, when one is in use, counts the limits for every process that shares it.
"""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mcp.server.transport_security import TransportSecuritySettings

from ...contract import printable
from ...failures import StartError, StoreDown
from ...team.counters import StoreCounters
from ...team.oauth import WELL_KNOWN, Verifier, resource_metadata
from ...team.service import Team
from ...team.store import Store, redacted
from ...visibility import kind_scope
from ..app import GeneratedServer
from . import listen
from .access import PREFIX, Access, Ways, peek
from .account_routes import configured, mount
from .asgi import App, Message, Receive, Refusal, Scope, Send, refuse
from .routes import HEALTH_PATH, METRICS_PATH, READY_PATH, Health, Metadata, MetricsRoute, Ready
from .session_cap import SessionCap
from .tokens import ServerToken
from .ways import ConnectionWay, OAuthWay, TokenWay

access_log = logging.getLogger("mcpgen.access")


@dataclass
class Plan:
    """What one worker serves: decided before it starts, from flags and settings."""

    token: ServerToken | None
    checks: TransportSecuritySettings
    open: bool
    stateful: bool = False
    json_response: bool = False
    host: str = "127.0.0.1"
    port: int = 8000
    named: bool = False  # a store was asked for (``--store`` or ``<PREFIX>_STORE``)
    health: dict[str, Any] = field(default_factory=dict)
    extra: Mapping[str, App] = field(default_factory=dict)  # path prefix → app (admin API, vendor callback)


def wants_store(server: GeneratedServer, named: bool) -> bool:
    """Whether team features are in use: a store was named, OAuth is on, or the default store file exists here
    (``connections create`` made it). ``StartError`` when OAuth is half configured."""
    settings = server.dispatcher.settings
    if bool(settings.oauth_issuer) != bool(settings.resource_url):
        raise StartError("OAuth needs both --oauth-issuer and --resource-url (this server's public MCP URL)")
    return named or bool(settings.oauth_issuer) or Path(settings.store).exists()


def open_team(server: GeneratedServer, named: bool) -> Team | None:
    """The store, migrated, or None when no team feature is in use (``named``: a store was asked for).

    ``StartError`` with one line when the store cannot be reached.
    """
    settings = server.dispatcher.settings
    if not wants_store(server, named):
        return None
    try:
        store = Store.open(settings.store)
    except StoreDown as exc:
        raise StartError(f"cannot open the store {redacted(settings.store)}: {exc}") from None
    return Team(store, settings.audit_retention_days, server.dispatcher.vendor.name)


def assemble(server: GeneratedServer, plan: Plan, team: Team | None, metrics: Any = None) -> tuple[App, Ready]:
    """The whole app, and its readiness route (the drain sets it to 503)."""
    mcp_app = server.streamable_http_app(
        stateless_http=not plan.stateful,
        json_response=plan.json_response,  # an event stream per call carries progress notifications
        transport_security=plan.checks,
        host=plan.host,
    )
    extra, accounts = dict(plan.extra), None
    if team is not None:
        accounts = mount(server, team.store)  # StoreKeyError (one line) when the store key is not usable
        extra |= accounts.routes()
        join(server, team)  # before the readiness list is made: /readyz watches the store
    ready = Ready([configured(server, team.store) if team else listen.configured(server), *server.readiness])
    routes: dict[str, App] = {HEALTH_PATH: Health(plan.health), READY_PATH: ready}
    if metrics is not None:
        routes[METRICS_PATH] = MetricsRoute(metrics, plan.token)
    ways = Ways(TokenWay(plan.token) if plan.token else None, open=plan.open)
    if team is not None:
        ways.connection = ConnectionWay(team, plan.token)
        settings = server.dispatcher.settings
        if settings.oauth_issuer:
            verifier = Verifier(settings.oauth_issuer, settings.resource_url)
            ways.oauth = OAuthWay(verifier)
            kinds = sorted({kind_scope(op, team.vendor) for op in server.operations.values()})
            routes[WELL_KNOWN] = Metadata(resource_metadata(verifier.resource, verifier.issuer, kinds))
    claim = server.dispatcher.settings.account_claim
    sessions = SessionCap() if plan.stateful else None  # one caller cannot hold the SDK's every session
    access = Access(mcp_app, ways, team, server.operations, bool(accounts and accounts.source), claim, sessions)
    app: App = Router(mcp_app, routes, extra, access, ready)
    return (AccessLog(app) if team is not None else app), ready


def join(server: GeneratedServer, team: Team) -> None:
    """The server serves a team: limits counted on the store, calls audited, readiness watching the store."""
    server.join(team)
    server.dispatcher.upstream.limits.counters = StoreCounters(team.store)  # pace, quota, credits: shared
    server.readiness.append(team.down)  # /readyz: 503 with the reason while the store is unreachable


class Router:
    """Exact routes (GET/HEAD), metadata routes by prefix, extra routes by prefix, then ``/mcp`` through access.

    While draining, ``/mcp`` still answers (a client's follow-up, such as the tool list it fetches to check a
    result, must not find the door shut), but a new tool call gets 503 and is sent elsewhere.
    """

    def __init__(
        self, mcp_app: App, routes: dict[str, App], extra: dict[str, App], access: Access, ready: Ready
    ) -> None:
        self.mcp_app, self.routes, self.extra, self.access, self.ready = mcp_app, routes, extra, access, ready

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.mcp_app(scope, receive, send)  # the lifespan runs the SDK's session manager
            return
        path = scope["path"]
        route = self.routes.get(path) or self.routes.get(WELL_KNOWN if path.startswith(WELL_KNOWN) else "")
        if route is not None and scope["method"] in ("GET", "HEAD"):
            await route(scope, receive, send)
        elif extra := next((a for p, a in self.extra.items() if path == p or path.startswith(p + "/")), None):
            await extra(scope, receive, send)
        elif path.rstrip("/") == "/mcp" or path.startswith(PREFIX.rstrip("/")):
            self.ready.active += 1
            try:
                await self.mcp(scope, receive, send)
            finally:
                self.ready.active -= 1
        else:
            await refuse(send, Refusal(404, "not_found", f"nothing is served at {printable(path)[:200]}"))

    async def mcp(self, scope: Scope, receive: Receive, send: Send) -> None:
        """``/mcp`` through access; while draining, a new tool call is refused with 503."""
        if self.ready.draining and scope["method"] == "POST":
            body, receive = await peek(receive)
            if body is not None and b'"tools/call"' in body:
                reason = "the server is shutting down; send the call again (another replica will answer)"
                await refuse(send, Refusal(503, "draining", reason, {"retry-after": "1", "connection": "close"}))
                return
        await self.access(scope, receive, send)


class AccessLog:
    """One line per request on stderr: who, method, path (a connection's secret masked), status, milliseconds."""

    def __init__(self, app: App) -> None:
        self.app = app
        if not access_log.handlers:
            handler = logging.StreamHandler(sys.stderr)
            handler.setFormatter(logging.Formatter("%(asctime)s %(message)s"))
            access_log.addHandler(handler)
            access_log.setLevel(logging.INFO)
            access_log.propagate = False  # one line per request, not one per handler

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path, started, status = scope["path"], time.monotonic(), [0]

        async def sent(message: Message) -> None:
            if message["type"] == "http.response.start":
                status[0] = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, sent)
        finally:
            head, at, _secret = path.partition(PREFIX)  # also inside discovery paths that clients derive
            shown = printable(f"{head}{PREFIX}***" if at else path)[:300]
            who = printable(str(scope.get("state", {}).get("caller", "-")))
            elapsed = (time.monotonic() - started) * 1000
            access_log.info("%s %s %s %s %.0fms", who, scope["method"], shown, status[0] or "-", elapsed)
