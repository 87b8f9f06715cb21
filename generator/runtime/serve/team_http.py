"""Serving a team over HTTP: open the store (refuse to start without it), count the limits on it (so every process
sharing it holds them together), then put the access layer in front.

A store is opened only when team features are in use: one is named (``--store`` or ``<PREFIX>_STORE``), OAuth
is configured, or the default SQLite file already exists here (``connections create`` made it). A plain
``--transport http`` with ``MCP_SERVER_TOKEN`` serves as it always did and writes no file.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import Any

from mcp.server.caching import CacheHint

from ..team.counters import StoreCounters
from ..team.oauth import Verifier
from ..team.service import Team
from ..team.store import Store, StoreDown, redacted
from .access import TeamAccess
from .app import GeneratedServer
from .transport import Access, StartError

LIST_TTL_MS = 60_000  # a client may reuse its tool list this long; it differs per caller, so never shared


def open_team(server: GeneratedServer, named: bool) -> Team | None:
    """The store, migrated, or None when no team feature is in use (``named``: a store was asked for).

    ``StartError`` with one line when the store cannot be reached.
    """
    settings = server.dispatcher.settings
    if bool(settings.oauth_issuer) != bool(settings.resource_url):
        raise StartError("OAuth needs both --oauth-issuer and --resource-url (this server's public MCP URL)")
    if not (named or settings.oauth_issuer or Path(settings.store).exists()):
        return None
    try:
        store = Store.open(settings.store)
    except StoreDown as exc:
        raise StartError(f"cannot open the store {redacted(settings.store)}: {exc}") from None
    return Team(store, settings.audit_retention_days, server.dispatcher.vendor.name)


def wrap(server: GeneratedServer, app: Any, team: Team, access: Access) -> TeamAccess:
    """The access layer in front of the MCP app; tool lists become private to each caller."""
    settings = server.dispatcher.settings
    server.team = team
    server.dispatcher.upstream.limits.counters = StoreCounters(team.store)  # pace, quota, credits: shared
    server.readiness.append(team.down)  # /readyz: 503 with the reason while the store is unreachable
    server._lowlevel_server.cache_hints["tools/list"] = CacheHint(ttl_ms=LIST_TTL_MS, scope="private")
    verifier = Verifier(settings.oauth_issuer, settings.resource_url) if settings.oauth_issuer else None
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(message)s"))
    access_log = logging.getLogger("mcpgen.access")
    access_log.addHandler(handler)
    access_log.setLevel(logging.INFO)
    access_log.propagate = False  # one line per request, not one per handler
    return TeamAccess(app, team, access, verifier, server.dispatcher.operations)
