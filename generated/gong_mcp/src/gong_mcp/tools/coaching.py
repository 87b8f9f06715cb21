"""Tools for Coaching."""

from __future__ import annotations

from typing import Annotated

from mcp.server.mcpserver import Context
from mcp.types import CallToolResult
from pydantic import Field

from ..runtime.serve.server import invoke


async def list_all_gong_coaching(
    ctx: Context,
    workspace_id: Annotated[int, Field(validation_alias="workspace-id")],
    manager_id: Annotated[int, Field(validation_alias="manager-id")],
    from_: Annotated[str, Field(validation_alias="from", min_length=1)],
    to: Annotated[str, Field(min_length=1)],
    select: str | None = None,
) -> CallToolResult:
    """List all coaching metrics (/v2/coaching)

    GET /v2/coaching

    List all of the coaching metrics of a manager.

    When accessed through a Bearer token authorization method, this endpoint requires the scope
    'api:coaching:read'.

    Args:
        workspace_id: query parameter 'workspace-id'
        manager_id: query parameter 'manager-id'
        from_: Association time filter - only the associations made after that time will be listed. The time
            is in the ISO-8601 format (e.g., '2018-02-18T02:30:00-07:00' or '2018-02-18T08:00:00Z', where Z
            stands for UTC); if not specified all association events will be listed.
        to: Association time filter - only the associations made after that time will be listed. The time is
            in the ISO-8601 format (e.g., '2018-02-18T02:30:00-07:00' or '2018-02-18T08:00:00Z', where Z
            stands for UTC); if not specified all association events will be listed.
        select: A JMESPath expression applied to the JSON answer before the size cap: `calls[].{id: id,
            title: title}`.
    """
    return await invoke(
        ctx,
        "list_all_gong_coaching",
        {
            "workspace-id": workspace_id,
            "manager-id": manager_id,
            "from": from_,
            "to": to,
            "select": select,
        },
    )
