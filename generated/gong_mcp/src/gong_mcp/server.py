"""The Gong MCP server: ``create_server()`` for code and tests, ``main()`` for the ``gong-mcp`` command."""

from __future__ import annotations

from .operations import OPERATIONS
from .runtime.serve.app import GeneratedServer
from .runtime.serve.cli import parse_args, run
from .runtime.serve.server import build_server, load_catalog
from .runtime.settings import Settings
from .tools import TOOLS
from .vendor import VENDOR


def create_server(settings: Settings | None = None) -> GeneratedServer:
    """Build the server; settings default to the ``GONG_*`` environment variables."""
    return build_server(VENDOR, OPERATIONS, TOOLS, load_catalog(__package__), settings or Settings.from_env(VENDOR))


def main(argv: list[str] | None = None) -> int:
    """Run the server over stdio (default) or streamable HTTP."""
    args = parse_args("gong-mcp", argv, VENDOR)
    settings = Settings.from_env(VENDOR).with_args(args)
    return run(create_server(settings), args)
