"""The HTTP transport's flags. Serving HTTP is ``http.serving``, which the CLI loads only for ``--transport http``:
uvicorn, JWT verification and the store stay out of a stdio server's start-up.
"""

from __future__ import annotations

import argparse

from .http.exposure import FORWARDED_ENV, HOSTS_ENV
from .http.tokens import TOKEN_ENV


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The HTTP transport's flags."""
    group = parser.add_argument_group("HTTP transport")
    group.add_argument("--token-file", help=f"file holding the bearer token clients must send (or set {TOKEN_ENV})")
    group.add_argument("--token-expires-at", help="ISO time after which the token is refused, e.g. 2026-12-31T23:59Z")
    group.add_argument("--allowed-hosts", help=f"Host names clients use, comma-separated; '*' to skip (or {HOSTS_ENV})")
    group.add_argument("--allowed-origins", help="extra browser Origins allowed, comma-separated")
    group.add_argument(
        "--forwarded-allow-ips",
        help=f"proxies whose X-Forwarded-For is believed, comma-separated (or {FORWARDED_ENV}; default: none)",
    )
    group.add_argument("--stateful", action="store_true", help="keep MCP sessions in memory (one replica only)")
    group.add_argument(
        "--json-response",
        action="store_true",
        help="answer each call with plain JSON instead of an event stream (no progress notifications)",
    )
