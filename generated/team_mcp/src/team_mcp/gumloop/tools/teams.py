"""Tools for Teams."""

from __future__ import annotations

from mcp.server.mcpserver import Context
from mcp.types import CallToolResult

from ...runtime.serve.server import invoke


async def list_all_gumloop_teams(
    ctx: Context,
) -> CallToolResult:
    """List teams

    GET /teams

    List teams the authenticated caller belongs to.
    """
    return await invoke(
        ctx,
        "list_all_gumloop_teams",
        {},
    )
