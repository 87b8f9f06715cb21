"""Streamable HTTP for a generated server: bearer-token access with expiry, a health check, Host/Origin checks.

Every request to ``/mcp`` must carry ``Authorization: Bearer <token>`` when a token is set (``MCP_SERVER_TOKEN``
or ``--token-file``); ``/healthz`` answers without one and never opens a stream. Binding anywhere but
loopback without a token refuses to start.
"""

from __future__ import annotations

import argparse
import hmac
import ipaddress
import json
import socket
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from mcp.server.transport_security import TransportSecuritySettings

from ..contract import parse_list
from .app import GeneratedServer

TOKEN_ENV = "MCP_SERVER_TOKEN"
HOSTS_ENV = "MCP_ALLOWED_HOSTS"
HEALTH_PATH = "/healthz"
MIN_TOKEN_CHARS = 16
LOOPBACK = ("127.0.0.1", "localhost", "[::1]")
NEW_TOKEN = "python -c 'import secrets; print(secrets.token_urlsafe(32))'"
NO_STORE = (
    "no store (no --store, no {0}, no {1} here): connection URLs, OAuth and the audit trail are off; "
    "`connections create` makes {1}, used from the next start"
)


class StartError(Exception):
    """A reason not to start serving; the message says how to fix it."""


@dataclass(frozen=True)
class Access:
    """Who may connect: the token (None: anyone who can reach a loopback port) and when it stops working."""

    token: str | None = None
    expires_at: datetime | None = None

    def refusal(self, authorization: str | None, now: datetime | None = None) -> tuple[str, str] | None:
        """``(error code, reason)`` when a request must get 401, None when it may pass."""
        if self.token is None:
            return None
        scheme, _, presented = (authorization or "").partition(" ")
        if scheme.lower() != "bearer" or not presented.strip():
            return "", "this server needs an 'Authorization: Bearer <token>' header"
        if not hmac.compare_digest(presented.strip().encode("utf-8"), self.token.encode("utf-8")):
            return "invalid_token", "the bearer token is not valid for this server"
        if self.expires_at is not None and (now or datetime.now(UTC)) >= self.expires_at:
            stamp = self.expires_at.strftime("%Y-%m-%dT%H:%M:%SZ")
            return "invalid_token", f"the bearer token expired at {stamp}; ask the server's operator for a new one"
        return None


def load_access(env: Mapping[str, str], token_file: str | None, expires_at: str | None) -> Access:
    """The token from ``--token-file`` or ``MCP_SERVER_TOKEN``, and its expiry from ``--token-expires-at``."""
    token = env.get(TOKEN_ENV) or None
    if token_file:
        try:
            token = Path(token_file).read_text(encoding="utf-8").strip()
        except (OSError, UnicodeDecodeError) as exc:
            raise StartError(f"cannot read --token-file {token_file}: {type(exc).__name__}") from None
    if token is not None and len(token.strip()) < MIN_TOKEN_CHARS:
        raise StartError(f"the server token is shorter than {MIN_TOKEN_CHARS} characters; make one with {NEW_TOKEN}")
    return Access(token.strip() if token else None, _instant(expires_at) if expires_at else None)


def _instant(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise StartError(f"--token-expires-at {text!r} is not an ISO time like 2026-12-31T23:59:00Z") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def is_loopback(host: str) -> bool:
    """Whether binding to ``host`` keeps the server reachable from this machine only."""
    if host.strip("[]") == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def host_checks(host: str, allowed_hosts: str | None, allowed_origins: str | None) -> TransportSecuritySettings:
    """DNS-rebinding protection stays on: Host and Origin must name this server (``*`` hosts: the proxy checks)."""
    hosts = list(parse_list(allowed_hosts))
    if hosts == ["*"]:
        return TransportSecuritySettings(enable_dns_rebinding_protection=False)
    wildcard = host in ("0.0.0.0", "::", "")
    if wildcard and not hosts:
        raise StartError(
            f"binding to {host or 'every address'} needs --allowed-hosts (or {HOSTS_ENV}): the host names clients "
            "use, e.g. mcp.example.com, so that DNS-rebinding protection knows them; '*' leaves the Host check "
            "to a proxy in front"
        )
    names = [*hosts, *([] if wildcard else [host if ":" not in host else f"[{host.strip('[]')}]"]), *LOOPBACK]
    origins = list(parse_list(allowed_origins))
    for name in dict.fromkeys(names):
        origins += [f"http://{name}", f"https://{name}", f"http://{name}:*", f"https://{name}:*"]
    return TransportSecuritySettings(
        enable_dns_rebinding_protection=True,
        allowed_hosts=[form for name in dict.fromkeys(names) for form in (name, f"{name}:*")],
        allowed_origins=list(dict.fromkeys(origins)),
    )


class Guard:
    """ASGI middleware: the health check, then the bearer token, then the MCP app."""

    def __init__(self, app: Any, access: Access, health: dict[str, Any]) -> None:
        self.app = app
        self.access = access
        self.health = json.dumps(health).encode("utf-8")

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if scope["path"] == HEALTH_PATH and scope["method"] in ("GET", "HEAD"):
            await _respond(send, 200, self.health, {})
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        refused = self.access.refusal(headers.get("authorization"))
        if refused is None:
            await self.app(scope, receive, send)
            return
        code, reason = refused
        challenge = 'Bearer realm="mcp"' + (f', error="{code}", error_description="{reason}"' if code else "")
        body = json.dumps({"error": code or "unauthorized", "error_description": reason}).encode("utf-8")
        await _respond(send, 401, body, {"www-authenticate": challenge})


async def _respond(send: Any, status: int, body: bytes, headers: dict[str, str]) -> None:
    pairs = {"content-type": "application/json", "content-length": str(len(body)), "cache-control": "no-store"}
    pairs.update(headers)
    raw = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in pairs.items()]
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": body})


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The HTTP transport's flags."""
    group = parser.add_argument_group("HTTP transport")
    group.add_argument("--token-file", help=f"file holding the bearer token clients must send (or set {TOKEN_ENV})")
    group.add_argument("--token-expires-at", help="ISO time after which the token is refused, e.g. 2026-12-31T23:59Z")
    group.add_argument("--allowed-hosts", help=f"Host names clients use, comma-separated; '*' to skip (or {HOSTS_ENV})")
    group.add_argument("--allowed-origins", help="extra browser Origins allowed, comma-separated")
    group.add_argument("--stateful", action="store_true", help="keep MCP sessions in memory (one replica only)")
    group.add_argument(
        "--json-response",
        action="store_true",
        help="answer each call with plain JSON instead of an event stream (no progress notifications)",
    )


def serve_http(server: GeneratedServer, args: argparse.Namespace, env: Mapping[str, str], tools: int) -> int:
    """Serve streamable HTTP at ``/mcp`` until stopped, in ``--workers`` processes; 2 when the settings are unsafe."""
    from . import workers

    try:
        access = load_access(env, args.token_file, args.token_expires_at)
        if access.token is None and not server.dispatcher.settings.oauth_issuer and not is_loopback(args.host):
            raise StartError(
                f"refusing to serve on {args.host} without a token: set {TOKEN_ENV} (or pass --token-file) to a "
                f"secret clients send as 'Authorization: Bearer <token>'; make one with {NEW_TOKEN}"
            )
        checks = host_checks(args.host, args.allowed_hosts or env.get(HOSTS_ENV), args.allowed_origins)
        settings = server.dispatcher.settings
        refused = workers.refusal(settings.workers, args.stateful, settings.metrics_port)
        if refused:
            raise StartError(refused)
    except StartError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if settings.workers > 1:  # once, before the fork (one process warns after its store opened)
        _warn(access)

    def serve_one(listener: socket.socket | None) -> int:  # in each worker: its own store, app and metrics
        return _serve_one(server, args, env, (access, checks, tools), listener)

    return workers.supervise(settings.workers, serve_one, args.host, args.port)


def _warn(access: Access) -> None:
    if access.token is None:
        print(f"warning: no {TOKEN_ENV}; anyone on this machine can call the tools", file=sys.stderr)
    elif access.refusal(f"Bearer {access.token}") is not None:
        print("warning: the token has already expired; every request will get 401", file=sys.stderr)


def _serve_one(
    server: GeneratedServer,
    args: argparse.Namespace,
    env: Mapping[str, str],
    checked: tuple[Access, TransportSecuritySettings, int],
    listener: socket.socket | None,
) -> int:
    from . import ops, team_http

    access, checks, tools = checked
    store_env = f"{server.dispatcher.vendor.env_prefix}_STORE"
    try:
        team = team_http.open_team(server, named=bool(getattr(args, "store", None) or env.get(store_env)))
    except StartError as exc:
        print(f"error: {exc}", file=sys.stderr)  # the one line a refusal to start prints
        return 2
    if listener is None:
        _warn(access)
    app = server.streamable_http_app(
        stateless_http=not args.stateful,
        json_response=args.json_response,  # an event stream per call carries progress notifications
        transport_security=checks,
        host=args.host,
    )
    health = {"status": "ok", "server": server.name, "tools": tools, "stateless": not args.stateful}
    if team is None:
        guarded_app: Any = Guard(app, access, health)
        print(f"note: {NO_STORE.format(store_env, server.dispatcher.settings.store)}", file=sys.stderr)
    else:
        guarded_app = team_http.wrap(server, app, team, access)  # the team layer checks /mcp's callers
    metered = ops.instrument(server, guarded_app, server.dispatcher.settings.metrics_port, args.host, access)
    return ops.serve(server, Guard(metered, Access(), health), (args.host, args.port), listener)
