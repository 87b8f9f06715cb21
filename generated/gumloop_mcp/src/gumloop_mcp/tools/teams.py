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
        select: A JMESPath expression applied to the JSON answer before the size cap, so a big answer comes
            back whole and small: `calls[].id`, `calls[?duration > `3600`].{id: id, title: title}`,
            `length(calls)`.
    """
    return await invoke(
        ctx,
        "list_all_gumloop_teams",
        {
            "select": select,
        },
    )
