"""Tools for Data Access."""

from __future__ import annotations

from typing import Annotated

from mcp.server.mcpserver import Context
from mcp.types import CallToolResult
from pydantic import Field

from ..runtime.serve.server import invoke


async def list_all_gumloop_get_pl_runs(
    ctx: Context,
    run_id: Annotated[str, Field(min_length=1)],
    user_id: str | None = None,
    project_id: str | None = None,
    select: str | None = None,
) -> CallToolResult:
    """Retrieve run details

    GET /get_pl_run

    This endpoint can be used to poll for completion and retrieve final flow outputs. Output nodes must
    be used to retrieve outputs.

    Args:
        run_id: ID of the flow run to retrieve
        user_id: The id for the user initiating the flow. Required if project_id is not provided.
        project_id: The id of the project within which the flow is executed. Required if user_id is not
            provided.
        select: A JMESPath expression applied to the JSON answer before the size cap: `calls[].{id: id,
            title: title}`.
    """
    return await invoke(
        ctx,
        "list_all_gumloop_get_pl_runs",
        {
            "run_id": run_id,
            "user_id": user_id,
            "project_id": project_id,
            "select": select,
        },
    )


async def list_all_gumloop_list_workbooks(
    ctx: Context,
    user_id: str | None = None,
    project_id: str | None = None,
    select: str | None = None,
) -> CallToolResult:
    """List workbooks and their saved flows

    GET /list_workbooks

    Args:
        user_id: The user ID for which to list workbooks. Required if project_id is not provided.
        project_id: The project ID for which to list workbooks. Required if user_id is not provided.
        select: A JMESPath expression applied to the JSON answer before the size cap: `calls[].{id: id,
            title: title}`.
    """
    return await invoke(
        ctx,
        "list_all_gumloop_list_workbooks",
        {
            "user_id": user_id,
            "project_id": project_id,
            "select": select,
        },
    )


async def list_all_gumloop_flows(
    ctx: Context,
    user_id: str | None = None,
    project_id: str | None = None,
    select: str | None = None,
) -> CallToolResult:
    """List saved flows

    GET /list_saved_items

    Args:
        user_id: The user ID to for which to list items. Required if project_id is not provided.
        project_id: The project ID for which to list items. Required if user_id is not provided.
        select: A JMESPath expression applied to the JSON answer before the size cap: `calls[].{id: id,
            title: title}`.
    """
    return await invoke(
        ctx,
        "list_all_gumloop_flows",
        {
            "user_id": user_id,
            "project_id": project_id,
            "select": select,
        },
    )


async def get_single_gumloop_automation_by_id(
    ctx: Context,
    saved_item_id: Annotated[str, Field(min_length=1)],
    user_id: str | None = None,
    project_id: str | None = None,
    select: str | None = None,
) -> CallToolResult:
    """Retrieve input schema

    GET /get_inputs

    Args:
        saved_item_id: The ID of the saved item for which to retrieve input schemas.
        user_id: User ID that created the flow. Required if project_id is not provided.
        project_id: Project ID that the flow is under. Required if user_id is not provided.
        select: A JMESPath expression applied to the JSON answer before the size cap: `calls[].{id: id,
            title: title}`.
    """
    return await invoke(
        ctx,
        "get_single_gumloop_automation_by_id",
        {
            "saved_item_id": saved_item_id,
            "user_id": user_id,
            "project_id": project_id,
            "select": select,
        },
    )


async def list_all_gumloop_get_plrun_saved_item_maps(
    ctx: Context,
    workbook_id: str | None = None,
    saved_item_id: str | None = None,
    user_id: str | None = None,
    project_id: str | None = None,
    select: str | None = None,
) -> CallToolResult:
    """Retrieve automation run history

    GET /get_plrun_saved_item_map

    This endpoint retrieves the run history for automations, either by workbook or saved item. Returns
    the 10 most recent runs.

    Args:
        workbook_id: The ID of the workbook to retrieve run history for. Required if saved_item_id is not
            provided.
        saved_item_id: The ID of the saved item to retrieve run history for. Required if workbook_id is not
            provided.
        user_id: The user ID. Required if project_id is not provided.
        project_id: The project ID. Required if user_id is not provided.
        select: A JMESPath expression applied to the JSON answer before the size cap: `calls[].{id: id,
            title: title}`.
    """
    return await invoke(
        ctx,
        "list_all_gumloop_get_plrun_saved_item_maps",
        {
            "workbook_id": workbook_id,
            "saved_item_id": saved_item_id,
            "user_id": user_id,
            "project_id": project_id,
            "select": select,
        },
    )
