"""Tools for Library."""

from __future__ import annotations

from typing import Annotated

from mcp.server.mcpserver import Context
from mcp.types import CallToolResult
from pydantic import Field

from ..runtime.serve.server import invoke


async def list_all_gong_library_folders(
    ctx: Context,
    workspace_id: Annotated[str | None, Field(validation_alias="workspaceId")] = None,
    select: str | None = None,
) -> CallToolResult:
    """Retrieve Library folders (/v2/library/folders)

    GET /v2/library/folders

    Use this endpoint to retrieve a list of public library folders. We do not allow retrieval of either
    private or archived folders.

    When accessed through a Bearer token authorization method, this endpoint requires the scope
    'api:library:read'.

    Args:
        workspace_id: Workspace identifier. We will retrieve folders which are related to this specific
            workspace.
        select: A JMESPath expression applied to the JSON answer before the size cap: `calls[].{id: id,
            title: title}`.
    """
    return await invoke(
        ctx,
        "list_all_gong_library_folders",
        {
            "workspaceId": workspace_id,
            "select": select,
        },
    )


async def list_all_gong_library_folder_contents(
    ctx: Context,
    folder_id: Annotated[str | None, Field(validation_alias="folderId")] = None,
    select: str | None = None,
) -> CallToolResult:
    """List of calls in a specific folder (/v2/library/folder-content)

    GET /v2/library/folder-content

    Given a folder id, this endpoint retrieves a list of calls in it.

    When accessed through a Bearer token authorization method, this endpoint requires the scope
    'api:library:read'.

    Args:
        folder_id: Gong's unique numeric identifier for the folder (up to 20 digits).
        select: A JMESPath expression applied to the JSON answer before the size cap: `calls[].{id: id,
            title: title}`.
    """
    return await invoke(
        ctx,
        "list_all_gong_library_folder_contents",
        {
            "folderId": folder_id,
            "select": select,
        },
    )
