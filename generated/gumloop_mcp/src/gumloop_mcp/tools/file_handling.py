"""Tools for File Handling."""

from __future__ import annotations

from typing import Any

from mcp.server.mcpserver import Context
from mcp.types import CallToolResult

from ..runtime.serve.server import invoke


async def create_a_gumloop_download_file(
    ctx: Context,
    file_name: str | None = None,
    run_id: str | None = None,
    saved_item_id: str | None = None,
    user_id: str | None = None,
    project_id: str | None = None,
) -> CallToolResult:
    """Download file

    POST /download_file

    Args:
        file_name: The name of the file to download.
        run_id: The ID of the flow run associated with the file.
        saved_item_id: The saved item ID associated with the file.
        user_id: Optional. The user ID associated with the flow run.
        project_id: Optional. The project ID associated with the flow run.
    """
    return await invoke(
        ctx,
        "create_a_gumloop_download_file",
        {
            "file_name": file_name,
            "run_id": run_id,
            "saved_item_id": saved_item_id,
            "user_id": user_id,
            "project_id": project_id,
        },
    )


async def create_a_gumloop_download_files(
    ctx: Context,
    file_names: list[str] | None = None,
    run_id: str | None = None,
    user_id: str | None = None,
    project_id: str | None = None,
    saved_item_id: str | None = None,
) -> CallToolResult:
    """Download multiple files

    POST /download_files

    Args:
        file_names: An array of file names to download.
        run_id: The ID of the flow run associated with the files.
        user_id: The user ID associated with the files. Required if project_id is not provided.
        project_id: The project ID associated with the files. Required if user_id is not provided.
        saved_item_id: Optional. The saved item ID associated with the files.
    """
    return await invoke(
        ctx,
        "create_a_gumloop_download_files",
        {
            "file_names": file_names,
            "run_id": run_id,
            "user_id": user_id,
            "project_id": project_id,
            "saved_item_id": saved_item_id,
        },
    )


async def create_a_gumloop_upload_file(
    ctx: Context,
    file_name: str | None = None,
    file_content: str | dict[str, Any] | None = None,
    user_id: str | None = None,
    project_id: str | None = None,
    select: str | None = None,
) -> CallToolResult:
    """Upload file

    POST /upload_file

    Args:
        file_name: The name of the file to be uploaded.
        file_content: Base64 encoded content of the file.
        user_id: The user ID associated with the file. Required if project_id is not provided.
        project_id: The project ID associated with the file. Required if user_id is not provided.
        select: A JMESPath expression applied to the JSON answer before the size cap: `calls[].{id: id,
            title: title}`.
    """
    return await invoke(
        ctx,
        "create_a_gumloop_upload_file",
        {
            "file_name": file_name,
            "file_content": file_content,
            "user_id": user_id,
            "project_id": project_id,
            "select": select,
        },
    )


async def create_a_gumloop_upload_files(
    ctx: Context,
    files: list[dict[str, Any]] | None = None,
    user_id: str | None = None,
    project_id: str | None = None,
    select: str | None = None,
) -> CallToolResult:
    """Upload multiple files

    POST /upload_files

    Args:
        files: body parameter 'files'
        user_id: The user ID associated with the files. Required if project_id is not provided.
        project_id: The project ID associated with the files. Required if user_id is not provided.
        select: A JMESPath expression applied to the JSON answer before the size cap: `calls[].{id: id,
            title: title}`.
    """
    return await invoke(
        ctx,
        "create_a_gumloop_upload_files",
        {
            "files": files,
            "user_id": user_id,
            "project_id": project_id,
            "select": select,
        },
    )
