"""The Gong and Gumloop MCP server: ``create_server()`` for code and tests, ``main()`` for the ``team-mcp`` command.

Each vendor's tools, operations and models are in its own sub-package (``gong``, ``gumloop``); each call goes out
through its vendor's settings (``GONG_*``, ``GUMLOOP_*``), the suite's own are ``TEAM_*``.
"""

from __future__ import annotations

import argparse

from .gong.operations import OPERATIONS as GONG_OPERATIONS
from .gong.tools import TOOLS as GONG_TOOLS
from .gong.vendor import VENDOR as GONG
from .gumloop.operations import OPERATIONS as GUMLOOP_OPERATIONS
from .gumloop.tools import TOOLS as GUMLOOP_TOOLS
from .gumloop.vendor import VENDOR as GUMLOOP
from .runtime.contract import Vendor
from .runtime.serve.server import load_catalog
from .runtime.serve.suite import Member, SuiteServer, build_suite, run_suite
from .runtime.settings import Settings

SUITE = Vendor(
    name="team",
    title="Gong and Gumloop",
    env_prefix="TEAM",
    base_url="",
    auth=(),
    version="0.1.0",
    spec_sha256="a8e171467dce8210f38ef6cca7b3155d0a9f5c1f903d466164219a2492eb4b06",
    toolset="full",
    mcpgen="0.1.0",
)
MEMBERS = (
    Member(GONG, GONG_OPERATIONS, GONG_TOOLS),
    Member(GUMLOOP, GUMLOOP_OPERATIONS, GUMLOOP_TOOLS),
)


def create_server(settings: Settings | None = None, args: argparse.Namespace | None = None) -> SuiteServer:
    """Build the server; the suite's settings default to the ``TEAM_*`` variables, each vendor's are its own."""
    return build_suite(SUITE, MEMBERS, load_catalog(__package__), settings or Settings.from_env(SUITE), args)


def main(argv: list[str] | None = None) -> int:
    """Run the server over stdio (default) or streamable HTTP."""
    return run_suite("team-mcp", argv, SUITE, MEMBERS, create_server)
