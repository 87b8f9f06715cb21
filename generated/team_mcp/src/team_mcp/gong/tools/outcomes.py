"""Tools for Outcomes."""

from __future__ import annotations

from mcp.server.mcpserver import Context
from mcp.types import CallToolResult

from ...runtime.serve.server import invoke


async def list_all_gong_call_outcomes(
    ctx: Context,
    select: str | None = None,
) -> CallToolResult:
    """List call outcomes (/v2/call-outcomes)

    GET /v2/call-outcomes

    Use this endpoint to retrieve the list of available call outcomes defined in Gong.
    Call outcomes are used to categorize the result of a call (e.g., "Connected", "No Answer") and are
    set in the Dialer setup page.

    When accessed through a Bearer token authorization method, this endpoint requires the scope
    'api:call-outcomes:read'.

    Args:
        select: A JMESPath expression applied to the JSON answer before the size cap: `calls[].{id: id,
            title: title}`.
    """
    return await invoke(
        ctx,
        "list_all_gong_call_outcomes",
        {
            "select": select,
        },
    )
