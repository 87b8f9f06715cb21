"""Serving streamable HTTP: the checks made before starting, then one app per worker.

Closed by default: every request to ``/mcp`` needs a credential (the server token, a connection URL or an OAuth
token) unless the server listens on loopback for one person (``exposure``). ``/healthz`` and ``/readyz`` answer
without one; ``/metrics`` needs the server token, or a port of its own.
"""

from __future__ import annotations

import argparse
import socket
import sys
from collections.abc import Mapping
from typing import Any

from ...contract import parse_list
from ...failures import StartError, StoreKeyError
from .. import workers
from ..app import GeneratedServer
from . import exposure, stack
from .exposure import FORWARDED_ENV, HOSTS_ENV
from .listen import serve
from .tokens import TOKEN_ENV, load_token

NO_STORE = (
    "no store (no --store, no {0}, no {1} here): connection URLs, OAuth and the audit trail are off; "
    "`connections create` makes {1}, used from the next start"
)


def plan(server: GeneratedServer, args: argparse.Namespace, env: Mapping[str, str], tools: int) -> stack.Plan:
    """What every worker will serve; ``StartError`` (one line) when the settings are unsafe or wrong."""
    settings = server.dispatcher.settings
    token = load_token(env, args.token_file, args.token_expires_at)
    hosts = exposure.hosts(args.allowed_hosts, env.get(HOSTS_ENV))
    named = bool(getattr(args, "store", None) or env.get(f"{server.dispatcher.vendor.env_prefix}_STORE"))
    facts = exposure.Exposure(
        args.host, hosts, stack.wants_store(server, named), settings.public_url, bool(settings.oauth_issuer),
        token is not None,
    )  # fmt: skip
    refused = facts.refusal() or workers.refusal(settings.workers, args.stateful, settings.metrics_port)
    if refused:
        raise StartError(refused)
    checks = exposure.host_checks(args.host, hosts, parse_list(args.allowed_origins))
    health = {"status": "ok", "server": server.name, "tools": tools, "stateless": not args.stateful}
    return stack.Plan(
        token, checks, facts.open(), args.stateful, args.json_response, args.host, args.port, named, health
    )


def serve_http(server: GeneratedServer, args: argparse.Namespace, env: Mapping[str, str], tools: int) -> int:
    """Serve streamable HTTP at ``/mcp`` until stopped, in ``--workers`` processes; 2 when the settings are unsafe."""
    try:
        planned = plan(server, args, env, tools)
        forwarded = exposure.proxies(args.forwarded_allow_ips, env.get(FORWARDED_ENV))
    except StartError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if server.dispatcher.settings.workers > 1:  # once, before the fork (one process warns after its store opened)
        _warn(planned)

    def serve_one(listener: socket.socket | None) -> int:  # in each worker: its own store, app and metrics
        return _serve_one(server, planned, env, listener, forwarded)

    return workers.supervise(server.dispatcher.settings.workers, serve_one, args.host, args.port)


def _warn(planned: stack.Plan) -> None:
    if planned.open:
        print(f"warning: no {TOKEN_ENV}; anyone on this machine can call the tools (loopback only)", file=sys.stderr)
    elif planned.token is not None and planned.token.expired():
        print("warning: the token has already expired; every request will get 401", file=sys.stderr)


def _serve_one(
    server: GeneratedServer,
    planned: stack.Plan,
    env: Mapping[str, str],
    listener: socket.socket | None,
    forwarded: str | None,
) -> int:
    settings = server.dispatcher.settings
    store_env = f"{server.dispatcher.vendor.env_prefix}_STORE"
    try:
        team = stack.open_team(server, planned.named)
    except StartError as exc:
        print(f"error: {exc}", file=sys.stderr)  # the one line a refusal to start prints
        return 2
    if listener is None:
        _warn(planned)
    if team is None:
        print(f"note: {NO_STORE.format(store_env, settings.store)}", file=sys.stderr)
    try:
        app, ready = stack.assemble(server, planned, team, _metrics(server, settings.metrics_port, planned.host))
    except StoreKeyError as exc:
        print(f"error: {exc}", file=sys.stderr)  # the store key is missing or wrong: one line, no start
        return 2
    return serve(server, app, ready, (planned.host, planned.port), listener, forwarded)


def _metrics(server: GeneratedServer, port: int, host: str) -> Any:
    """Metrics for this process: on their own port (started here, None returned) or for the ``/metrics`` route."""
    from ..metrics import Metrics

    metrics = Metrics()
    server.recorder.metrics = metrics
    limits = server.dispatcher.upstream.limits
    metrics.quota_left.set_function(lambda: -1.0 if limits.day_left is None else float(limits.day_left))
    if port:
        from prometheus_client import start_http_server

        start_http_server(port, addr=host, registry=metrics.registry)
        return None
    return metrics
