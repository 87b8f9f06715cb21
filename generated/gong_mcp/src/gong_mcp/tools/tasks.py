"""Tools for Tasks."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Literal

from mcp.server.mcpserver import Context
from mcp.types import CallToolResult
from pydantic import Field

from ..runtime.serve.server import invoke

if TYPE_CHECKING:
    from .. import models


async def create_a_gong_task(
    ctx: Context,
    filter: models.ReminderFilter,
    select: str | None = None,
) -> CallToolResult:
    """List user's tasks (/v2/tasks)

    POST /v2/tasks

    Retrieves a list of Engage tasks assigned to a specific user, supporting filters for task type,
    action, and status.
    Results include detailed metadata for each task, such as ownership, creation and due dates,
    associated contacts, flows, accounts, and opportunities.

    When accessed through a Bearer token authorization method, this endpoint requires the scope
    'api:tasks:read'.

    Args:
        filter: Reminder filter criteria
        select: A JMESPath expression applied to the JSON answer before the size cap: `calls[].{id: id,
            title: title}`.
    """
    return await invoke(
        ctx,
        "create_a_gong_task",
        {
            "filter": filter,
            "select": select,
        },
    )


async def update_a_gong_task_by_id(
    ctx: Context,
    task_id: Annotated[int, Field(validation_alias="taskId")],
    user_id: Annotated[str, Field(validation_alias="userId")],
    status: Literal["OPEN", "DONE", "DISMISSED"] | None = None,
    due_date: Annotated[str | None, Field(validation_alias="dueDate")] = None,
    priority: str | None = None,
    select: str | None = None,
) -> CallToolResult:
    """Update task (/v2/tasks/{taskId})

    PATCH /v2/tasks/{taskId}

    Use this endpoint to update the status or due date of an existing Engage task.
    The task status can be changed to OPEN, DONE, or DISMISSED.
    This is useful for managing task workflows such as marking tasks complete or rescheduling them based
    on user actions or system events.

    When accessed through a Bearer token authorization method, this endpoint requires the scope
    'api:tasks:write'.

    Args:
        task_id: path parameter 'taskId'
        user_id: The id of the Gong user who owns the task
        status: (Optional) Sets a new status for the task
        due_date: (Optional) Sets a new due date and time for the task in ISO-8601 format ISO-8601 format
            (e.g., '2018-02-18T02:30:00-07:00' or '2018-02-18T08:00:00Z', where Z stands for UTC).
        priority: (Optional) Sets a new priority for the task
        select: A JMESPath expression applied to the JSON answer before the size cap: `calls[].{id: id,
            title: title}`.
    """
    return await invoke(
        ctx,
        "update_a_gong_task_by_id",
        {
            "taskId": task_id,
            "userId": user_id,
            "status": status,
            "dueDate": due_date,
            "priority": priority,
            "select": select,
        },
    )
