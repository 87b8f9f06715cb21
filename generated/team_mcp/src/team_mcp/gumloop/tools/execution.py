"""Tools for Execution."""

from __future__ import annotations

from typing import Any

from mcp.server.mcpserver import Context
from mcp.types import CallToolResult

from ...runtime.serve.server import invoke


async def create_a_gumloop_flow_run(
    ctx: Context,
    saved_item_id: str,
    user_id: str | None = None,
    project_id: str | None = None,
    additional_properties: dict[str, Any] | None = None,
    wait: bool = False,
    timeout_s: float = 45.0,
    select: str | None = None,
) -> CallToolResult:
    """Start flow run

    POST /start_pipeline

    This endpoint is used to trigger a flow run via API

    Args:
        saved_item_id: The id for the saved flow.
        user_id: The id for the user initiating the flow.
        project_id: (Optional) The id of the project within which the flow is executed.
        additional_properties: More top-level body fields.
        wait: Poll list_all_gumloop_get_pl_runs until the job reaches DONE, FAILED, TERMINATED and return
            the final state (default false: return at once with the job id).
        timeout_s: With wait: give up waiting after this many seconds (at most 300); the job goes on.
        select: A JMESPath expression applied to the JSON answer before the size cap: `calls[].{id: id,
            title: title}`.
    """
    return await invoke(
        ctx,
        "create_a_gumloop_flow_run",
        {
            "saved_item_id": saved_item_id,
            "user_id": user_id,
            "project_id": project_id,
            "additional_properties": additional_properties,
            "wait": wait,
            "timeout_s": timeout_s,
            "select": select,
        },
    )


async def create_a_gumloop_kill_pipeline(
    ctx: Context,
    run_id: str,
    user_id: str | None = None,
    project_id: str | None = None,
    select: str | None = None,
) -> CallToolResult:
    """Kill flow run

    POST /kill_pipeline

    This endpoint is used to kill a flow run and all its subflow runs.

    Args:
        run_id: The ID of the pipeline run to kill.
        user_id: The user ID. Required if project_id is not provided.
        project_id: The project ID. Required if user_id is not provided.
        select: A JMESPath expression applied to the JSON answer before the size cap: `calls[].{id: id,
            title: title}`.
    """
    return await invoke(
        ctx,
        "create_a_gumloop_kill_pipeline",
        {
            "run_id": run_id,
            "user_id": user_id,
            "project_id": project_id,
            "select": select,
        },
    )
