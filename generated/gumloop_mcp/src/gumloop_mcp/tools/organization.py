"""Tools for Organization."""

from __future__ import annotations

from typing import Annotated, Literal

from mcp.server.mcpserver import Context
from mcp.types import CallToolResult
from pydantic import Field

from ..runtime.serve.server import invoke


async def list_all_gumloop_audit_logs(
    ctx: Context,
    organization_id: Annotated[str, Field(min_length=1)],
    start_time: Annotated[str, Field(min_length=1)],
    end_time: Annotated[str, Field(min_length=1)],
    user_id: str | None = None,
    page: int | None = None,
    page_size: int | None = None,
    select: str | None = None,
) -> CallToolResult:
    """Retrieve audit logs

    GET /get_audit_logs

    This endpoint retrieves audit logs for all users in an organization for a specified time period.

    Args:
        organization_id: The ID of the organization to retrieve audit logs for.
        start_time: Start timestamp for log filtering (ISO format).
        end_time: End timestamp for log filtering (ISO format).
        user_id: Your user id -- you must be an organization admin to retrieve organization logs.
        page: Page number for pagination.
        page_size: Number of records per page.
        select: A JMESPath expression applied to the JSON answer before the size cap: `calls[].{id: id,
            title: title}`.
    """
    return await invoke(
        ctx,
        "list_all_gumloop_audit_logs",
        {
            "organization_id": organization_id,
            "start_time": start_time,
            "end_time": end_time,
            "user_id": user_id,
            "page": page,
            "page_size": page_size,
            "select": select,
        },
    )


async def create_a_gumloop_manage_workspace_user(
    ctx: Context,
    organization_id: str,
    workspace_id: str,
    action: Literal["add", "remove"],
    user_email: str,
    user_id: str | None = None,
    is_admin: bool | None = None,
    select: str | None = None,
) -> CallToolResult:
    """Manage workspace users

    POST /manage_workspace_users

    This endpoint allows organization administrators to add or remove users from a workspace.

    Args:
        organization_id: The ID of the organization that the workspace belongs to.
        workspace_id: The ID of the workspace to manage users for.
        action: The action to perform - either 'add' or 'remove' a user.
        user_email: The email address of the target user to add or remove.
        user_id: Your user id -- you must be an organization admin to manage workspace users.
        is_admin: When adding a user, specify whether they should have admin privileges (default is false).
        select: A JMESPath expression applied to the JSON answer before the size cap: `calls[].{id: id,
            title: title}`.
    """
    return await invoke(
        ctx,
        "create_a_gumloop_manage_workspace_user",
        {
            "organization_id": organization_id,
            "workspace_id": workspace_id,
            "action": action,
            "user_email": user_email,
            "user_id": user_id,
            "is_admin": is_admin,
            "select": select,
        },
    )


async def create_a_gumloop_manage_permission_group_user(
    ctx: Context,
    organization_id: str,
    group_id: str,
    action: Literal["add", "remove"],
    user_email: str,
    user_id: str | None = None,
    select: str | None = None,
) -> CallToolResult:
    """Manage custom role users

    POST /manage_permission_group_users

    This endpoint allows organization administrators to add or remove users from a custom role (formerly
    "permission group"). Adding a user to a role does not remove them from any other role they belong
    to.

    Args:
        organization_id: The ID of the organization that the custom role belongs to.
        group_id: The ID of the custom role to manage users for.
        action: The action to perform - either 'add' or 'remove' a user.
        user_email: The email address of the target user to add or remove.
        user_id: Your user id -- you must be an organization admin to manage custom role users.
        select: A JMESPath expression applied to the JSON answer before the size cap: `calls[].{id: id,
            title: title}`.
    """
    return await invoke(
        ctx,
        "create_a_gumloop_manage_permission_group_user",
        {
            "organization_id": organization_id,
            "group_id": group_id,
            "action": action,
            "user_email": user_email,
            "user_id": user_id,
            "select": select,
        },
    )


async def create_a_gumloop_export_data(
    ctx: Context,
    export_fields: list[str],
    start_date: str,
    end_date: str,
    user_id: str | None = None,
    data_type: Literal["workflows", "agents", "agent_interactions", "credit_logs"] | None = None,
    category_filter: str | None = None,
    export_level: Literal["workspace", "organization"] | None = None,
    include_all_workspaces: bool | None = None,
    include_personal_workspaces: bool | None = None,
    workspace_ids: list[str] | None = None,
    entity_ids: list[str] | None = None,
    wait: bool = False,
    timeout_s: float = 45.0,
    select: str | None = None,
) -> CallToolResult:
    """Export data

    POST /export_data

    This endpoint allows enterprise organization administrators to create and initiate a comprehensive
    data export for their organization or specific workspaces.

    The export supports four data types:
    - **Workflow data** (`data_type: "workflows"`): Includes workflow runs, workbook details, user
    information, and other organizational data.
    - **Agent data** (`data_type: "agents"`): Includes agent configurations, metadata, tools, and
    creator information.
    - **Agent interaction data** (`data_type: "agent_interactions"`): Includes agent interaction data
    with timestamps, credit costs, trigger types, and message counts.
    - **Credit log data** (`data_type: "credit_logs"`): Includes credit transaction history with
    charges, balances, categories, and user attribution.

    The available `export_fields` depend on the selected `data_type`. See the field descriptions below
    for details.

    **Scoping requirement:** For non-credit-log exports, at least one scoping parameter must be
    provided: `workspace_ids`, `include_all_workspaces`, `include_personal_workspaces`, or `entity_ids`.
    Requests that omit all scoping parameters will receive a `400` error.

    **Note:** Credit log exports work differently from workflow and agent exports. When `data_type` is
    `"credit_logs"`, the following parameters are **not applicable** and will be ignored:
    `export_level`, `workspace_ids`, `include_all_workspaces`, `include_personal_workspaces`, and
    `entity_ids`. Credit log exports are always scoped to the entire organization. Use `category_filter`
    to filter by credit log category.

    Args:
        export_fields: Array of fields to include in the export. The available fields depend on the
            `data_type`. **Workflow fields** (when `data_type` is `"workflows"`): - `workbook_id` - The
            workbook identifier - `workbook_name` - The workbook name - `workbook_created_ts` - Workbook
            creation timestamp - `user_id` - The user identifier - `user_email` - The user's email address -
            `workspace_id` - The workspace identifier - `workspace_name` - The workspace name - `run_id` -
            The flow run identifier - `credit_cost` - Credits consumed by the run - `pl_run_created_ts` -
            Flow run creation timestamp - `pl_run_finished_ts` - Flow run completion timestamp - `pipeline`
            - The full pipeline configuration (JSON) **Agent fields** (when `data_type` is `"agents"`): -
            `agent_id` - The agent identifier - `agent_name` - The agent name - `agent_description` - The
            agent description - `agent_model` - The model used by the agent - `agent_system_prompt` - The
            agent's system prompt - `agent_created_ts` - Agent creation timestamp - `agent_tools` - Tools
            configured for the agent (JSON) - `agent_metadata` - Additional agent metadata (JSON) -
            `creator_email` - Email of the user who created the agent - `workspace_id` - The workspace
            identifier - `workspace_name` - The workspace name **Agent interaction fields** (when
            `data_type` is `"agent_interactions"`): - `interaction_id` - Unique identifier for the chat
            session - `agent_id` - The agent identifier - `agent_name` - The agent name - `interaction_type`
            - Type of interaction (e.g., chat, slack, api, triggered) - `interaction_name` - Display name of
            the chat session - `trigger_type` - For triggered interactions, the specific trigger type (e.g.,
            time_based, polling_new_record_salesforce). Null for non-triggered interactions. -
            `interaction_created_ts` - Chat session creation timestamp - `user_email` - Email of the user
            who initiated the chat - `credit_cost` - Total credits consumed (LLM + tool + flow) -
            `llm_credit_cost` - Credits consumed by LLM calls only - `tool_credit_cost` - Credits consumed
            by tool calls - `flow_credit_cost` - Credits consumed by pipeline runs - `message_count` -
            Number of messages in the conversation - `workspace_id` - The workspace identifier -
            `workspace_name` - The workspace name **Credit log fields** (when `data_type` is
            `"credit_logs"`): - `user_email` - Email of the user associated with the credit log entry -
            `permission_group_id` - Custom role ID(s) the user belongs to (semicolon-separated if multiple)
            (disabled by default) - `permission_group_name` - Custom role name(s) the user belongs to
            (semicolon-separated if multiple) (disabled by default) - `timestamp` - When the credit
            transaction occurred - `category` - The category of the credit log (e.g., PIPELINE_RUN,
            AGENT_RUN) - `type` - The specific type of credit charge - `name` - Display name of the credit
            log entry - `amount` - Number of credits charged or adjusted - `balance` - Credit balance after
            the transaction - `log_id` - Unique identifier for the credit log entry - `project_id` - The
            project identifier (disabled by default) Not all combinations of selected fields are guaranteed
            to produce data for every row.
        start_date: Start date for the export in ISO 8601 format (e.g., `2025-01-01T00:00:00Z`).
        end_date: End date for the export in ISO 8601 format (e.g., `2025-12-31T23:59:59Z`).
        user_id: The ID of the user requesting the export.
        data_type: The type of data to export. Use `"workflows"` to export workflow run data, `"agents"` to
            export agent configuration data, `"agent_interactions"` to export agent interaction data, or
            `"credit_logs"` to export credit transaction history. Defaults to `"workflows"`.
        category_filter: **Only applicable when `data_type` is `"credit_logs"`.** Optional filter to export
            only credit logs matching a specific category (e.g., `"PIPELINE_RUN"`, `"AGENT_RUN"`,
            `"CUSTOM_NODE_RD"`, `"EXTERNAL_GUMCP_CALL"`). When omitted, all categories are included.
        export_level: The scope of the export. Use `"organization"` to export across the entire
            organization, or `"workspace"` to export from a single workspace (requires exactly one ID in
            `workspace_ids`). Defaults to `"organization"`. **Not applicable when `data_type` is
            `"credit_logs"`.**
        include_all_workspaces: Whether to include all workspaces in the organization. When `true`, also
            sets `include_personal_workspaces` to `true`. **Not applicable when `data_type` is
            `"credit_logs"`.**
        include_personal_workspaces: Whether to include personal workspaces in the export. Ignored if
            `include_all_workspaces` is `true`. **Not applicable when `data_type` is `"credit_logs"`.**
        workspace_ids: An optional array of workspace IDs to include in the export. When `export_level` is
            `"workspace"`, exactly one workspace ID is required. Ignored if `include_all_workspaces` is
            `true`. **Not applicable when `data_type` is `"credit_logs"`.**
        entity_ids: An optional array of specific entity IDs to filter the export. For workflow exports
            (`data_type: "workflows"`), these are workbook IDs. For agent exports (`data_type: "agents"`)
            and agent interaction exports (`data_type: "agent_interactions"`), these are agent IDs. When
            provided, only data for the specified entities will be included. **Not applicable when
            `data_type` is `"credit_logs"`.**
        wait: Poll list_all_gumloop_export_status until the job reaches COMPLETED, FAILED and return the
            final state (default false: return at once with the job id).
        timeout_s: With wait: give up waiting after this many seconds (at most 300); the job goes on.
        select: A JMESPath expression applied to the JSON answer before the size cap: `calls[].{id: id,
            title: title}`.
    """
    return await invoke(
        ctx,
        "create_a_gumloop_export_data",
        {
            "export_fields": export_fields,
            "start_date": start_date,
            "end_date": end_date,
            "user_id": user_id,
            "data_type": data_type,
            "category_filter": category_filter,
            "export_level": export_level,
            "include_all_workspaces": include_all_workspaces,
            "include_personal_workspaces": include_personal_workspaces,
            "workspace_ids": workspace_ids,
            "entity_ids": entity_ids,
            "wait": wait,
            "timeout_s": timeout_s,
            "select": select,
        },
    )


async def list_all_gumloop_export_status(
    ctx: Context,
    data_export_id: Annotated[str, Field(min_length=1)],
    user_id: str | None = None,
    download: bool | None = None,
    select: str | None = None,
) -> CallToolResult:
    """Get data export status

    GET /export_status

    This endpoint retrieves the status of a data export job and optionally downloads the export file (as
    CSV) if the export has completed successfully.

    Use the `data_export_id` returned by the Export data endpoint to check progress.

    Args:
        data_export_id: The unique identifier of the data export job to check (returned by the Export data
            endpoint).
        user_id: The ID of the user requesting the export status.
        download: Set to `true` to download the export file directly when the export is completed. When
            `true` and the export state is `COMPLETED`, the response will be a CSV file download instead of
            JSON.
        select: A JMESPath expression applied to the JSON answer before the size cap: `calls[].{id: id,
            title: title}`.
    """
    return await invoke(
        ctx,
        "list_all_gumloop_export_status",
        {
            "data_export_id": data_export_id,
            "user_id": user_id,
            "download": download,
            "select": select,
        },
    )
