"""Tools for Settings."""

from __future__ import annotations

from typing import Annotated

from mcp.server.mcpserver import Context
from mcp.types import CallToolResult
from pydantic import Field

from ...runtime.serve.server import invoke


async def list_all_gong_workspaces(
    ctx: Context,
    select: str | None = None,
) -> CallToolResult:
    """List all company workspaces (/v2/workspaces)

    GET /v2/workspaces

    Returns a list of all workspaces including their details.

    When accessed through a Bearer token authorization method, this endpoint requires the scope
    'api:workspaces:read'.

    Args:
        select: A JMESPath expression applied to the JSON answer before the size cap: `calls[].{id: id,
            title: title}`.
    """
    return await invoke(
        ctx,
        "list_all_gong_workspaces",
        {
            "select": select,
        },
    )


async def list_all_gong_settings_trackers(
    ctx: Context,
    workspace_id: Annotated[str | None, Field(validation_alias="workspaceId")] = None,
    select: str | None = None,
) -> CallToolResult:
    """Retrieve tracker details (/v2/settings/trackers)

    GET /v2/settings/trackers

    Retrieves details of all keyword trackers in the system or in a given workspace.

    When accessed through a Bearer token authorization method, this endpoint requires the
    'api:settings:trackers:read' scope.

    Args:
        workspace_id: The ID of the workspace the keyword trackers are in. When empty, all trackers in all
            workspaces are returned.
        select: A JMESPath expression applied to the JSON answer before the size cap: `calls[].{id: id,
            title: title}`.
    """
    return await invoke(
        ctx,
        "list_all_gong_settings_trackers",
        {
            "workspaceId": workspace_id,
            "select": select,
        },
    )


async def list_all_gong_settings_scorecards(
    ctx: Context,
    select: str | None = None,
) -> CallToolResult:
    """Retrieve scorecards details (/v2/settings/scorecards)

    GET /v2/settings/scorecards

    Retrieve all the scorecards within the Gong system.

    When accessed through a Bearer token authorization method, this endpoint requires the scope
    'api:settings:scorecards:read'.

    Args:
        select: A JMESPath expression applied to the JSON answer before the size cap: `calls[].{id: id,
            title: title}`.
    """
    return await invoke(
        ctx,
        "list_all_gong_settings_scorecards",
        {
            "select": select,
        },
    )


async def list_all_gong_settings_briefs(
    ctx: Context,
    workspace_id: Annotated[str | None, Field(validation_alias="workspaceId")] = None,
    select: str | None = None,
) -> CallToolResult:
    """Retrieve AI brief settings - BETA (/v2/settings/briefs)

    GET /v2/settings/briefs

    Retrieves settings of all AI briefs in the system or in a specified workspace.

    Required authorization scope: 'api:ai-briefer:read'.

    Args:
        workspace_id: The ID of the workspace the AI briefs are in. When empty, all briefs in all workspaces
            are returned.
        select: A JMESPath expression applied to the JSON answer before the size cap: `calls[].{id: id,
            title: title}`.
    """
    return await invoke(
        ctx,
        "list_all_gong_settings_briefs",
        {
            "workspaceId": workspace_id,
            "select": select,
        },
    )
