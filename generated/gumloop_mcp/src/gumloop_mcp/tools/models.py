"""Tools for Models."""

from __future__ import annotations

from mcp.server.mcpserver import Context
from mcp.types import CallToolResult

from ..runtime.serve.server import invoke


async def list_all_gumloop_models(
    ctx: Context,
    team_id: str | None = None,
    select: str | None = None,
) -> CallToolResult:
    """List models

    GET /models

    List the LLMs and preset model chains available to the caller, grouped for display in a model
    picker.

    Args:
        team_id: Scope model availability to a specific team. When omitted, uses the authenticated user's
            default organization.
        select: A JMESPath expression applied to the JSON answer before the size cap: `calls[].{id: id,
            title: title}`.
    """
    return await invoke(
        ctx,
        "list_all_gumloop_models",
        {
            "team_id": team_id,
            "select": select,
        },
    )
