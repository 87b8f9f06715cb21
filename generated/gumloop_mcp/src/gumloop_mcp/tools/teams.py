"""Tools for Teams."""

from __future__ import annotations

from mcp.server.mcpserver import Context
from mcp.types import CallToolResult

from ..runtime.serve.server import invoke


async def list_all_gumloop_teams(
    ctx: Context,
    select: str | None = None,
) -> CallToolResult:
    """List teams

    GET /teams

    List teams the authenticated caller belongs to.

    Args:
        select: A JMESPath expression applied to the JSON answer before the size cap: `calls[].{id: id,
            title: title}`.
    """
    return await invoke(
        ctx,
        "list_all_gumloop_teams",
        {
            "select": select,
        },
    )
