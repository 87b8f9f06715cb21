"""Tools for Agents."""

from __future__ import annotations

from typing import Annotated, Any

from mcp.server.mcpserver import Context
from mcp.types import CallToolResult
from pydantic import Field

from ..runtime.serve.server import invoke


async def list_all_gumloop_agents(
    ctx: Context,
    team_id: str | None = None,
    search: str | None = None,
    creator: str | None = None,
    has_triggers: bool | None = None,
    tool: str | None = None,
    flow: str | None = None,
    select: str | None = None,
) -> CallToolResult:
    """List agents

    GET /agents

    List agents the caller has access to. Filter by team, search by name, or narrow to agents that use a
    specific tool or trigger.

    Args:
        team_id: Scope the listing to a single team. When omitted, returns agents owned by the authenticated
            user.
        search: Case-insensitive substring match against the agent name.
        creator: Filter to agents created by this user ID.
        has_triggers: When `true`, only returns agents that have at least one active trigger configured.
        tool: Filter to agents that use the specified MCP server as a tool.
        flow: Filter to agents that use the specified saved flow as a tool.
        select: A JMESPath expression applied to the JSON answer before the size cap: `calls[].{id: id,
            title: title}`.
    """
    return await invoke(
        ctx,
        "list_all_gumloop_agents",
        {
            "team_id": team_id,
            "search": search,
            "creator": creator,
            "has_triggers": has_triggers,
            "tool": tool,
            "flow": flow,
            "select": select,
        },
    )


async def create_a_gumloop_agent(
    ctx: Context,
    name: str,
    model_name: str,
    description: str | None = None,
    system_prompt: str | None = None,
    tools: list[dict[str, Any]] | None = None,
    resources: list[dict[str, Any]] | None = None,
    skill_ids: list[str] | None = None,
    metadata: dict[str, Any] | None = None,
    folder_id: str | None = None,
    is_active: bool | None = None,
    agent_id: str | None = None,
    team_id: str | None = None,
    select: str | None = None,
) -> CallToolResult:
    """Create agent

    POST /agents

    Create a new agent. The authenticated caller must have permission to create agents on the target
    team.

    Args:
        name: Display name for the agent.
        model_name: ID of the LLM the agent runs on. Use `GET /models` to discover valid values.
        description: body parameter 'description'
        system_prompt: body parameter 'system_prompt'
        tools: Tools the agent can call. Each tool is an object whose shape depends on the tool type.
        resources: Resources attached to the agent.
        skill_ids: IDs of skills to attach to the agent. Attachment happens inside the create transaction,
            so an invalid ID fails the whole request (no orphaned agent). Omit to attach none. The caller
            must hold `INVOKE` on each skill. After creation, manage skills with `PATCH
            /agents/{agent_id}/skills`.
        metadata: Arbitrary key/value metadata stored on the agent.
        folder_id: ID of the folder to place the agent in.
        is_active: Whether the agent is active. Defaults to `true`.
        agent_id: Optional caller-supplied agent ID. When omitted, the server generates one.
        team_id: ID of the team to create the agent under. When omitted, the agent is owned by the
            authenticated user.
        select: A JMESPath expression applied to the JSON answer before the size cap: `calls[].{id: id,
            title: title}`.
    """
    return await invoke(
        ctx,
        "create_a_gumloop_agent",
        {
            "name": name,
            "model_name": model_name,
            "description": description,
            "system_prompt": system_prompt,
            "tools": tools,
            "resources": resources,
            "skill_ids": skill_ids,
            "metadata": metadata,
            "folder_id": folder_id,
            "is_active": is_active,
            "agent_id": agent_id,
            "team_id": team_id,
            "select": select,
        },
    )


async def get_single_gumloop_agent_by_id(
    ctx: Context,
    agent_id: Annotated[str, Field(min_length=1)],
    select: str | None = None,
) -> CallToolResult:
    """Retrieve agent

    GET /agents/{agent_id}

    Retrieve a single agent by ID.

    Args:
        agent_id: ID of the agent to retrieve.
        select: A JMESPath expression applied to the JSON answer before the size cap: `calls[].{id: id,
            title: title}`.
    """
    return await invoke(
        ctx,
        "get_single_gumloop_agent_by_id",
        {
            "agent_id": agent_id,
            "select": select,
        },
    )


async def update_a_gumloop_agent_by_id(
    ctx: Context,
    agent_id: Annotated[str, Field(min_length=1)],
    name: str | None = None,
    model_name: str | None = None,
    description: str | None = None,
    system_prompt: str | None = None,
    tools: list[dict[str, Any]] | None = None,
    resources: list[dict[str, Any]] | None = None,
    metadata: dict[str, Any] | None = None,
    is_active: bool | None = None,
    team_id: str | None = None,
    select: str | None = None,
) -> CallToolResult:
    """Update agent

    PATCH /agents/{agent_id}

    Update an existing agent. Only fields included in the request body are changed; omitted fields are
    left untouched.

    This endpoint edits document fields only. To attach or detach skills, use `PATCH
    /agents/{agent_id}/skills`; to manage MCP servers, use the agent MCP server endpoints.

    Args:
        agent_id: ID of the agent to update.
        name: body parameter 'name'
        model_name: ID of the LLM the agent runs on. Use `GET /models` to discover valid values.
        description: body parameter 'description'
        system_prompt: body parameter 'system_prompt'
        tools: When provided, replaces the agent's tool list.
        resources: When provided, replaces the agent's resource list.
        metadata: body parameter 'metadata'
        is_active: body parameter 'is_active'
        team_id: When provided, transfers ownership of the agent to this team.
        select: A JMESPath expression applied to the JSON answer before the size cap: `calls[].{id: id,
            title: title}`.
    """
    return await invoke(
        ctx,
        "update_a_gumloop_agent_by_id",
        {
            "agent_id": agent_id,
            "name": name,
            "model_name": model_name,
            "description": description,
            "system_prompt": system_prompt,
            "tools": tools,
            "resources": resources,
            "metadata": metadata,
            "is_active": is_active,
            "team_id": team_id,
            "select": select,
        },
    )


async def update_a_gumloop_skill(
    ctx: Context,
    agent_id: Annotated[str, Field(min_length=1)],
    attach: list[str] | None = None,
    detach: list[str] | None = None,
    select: str | None = None,
) -> CallToolResult:
    """Attach or detach agent skills

    PATCH /agents/{agent_id}/skills

    Attach and/or detach skills on an agent using deltas. This is **not** a replace-list: skills you
    don't mention are left untouched.

    - The operation is idempotent. Re-attaching a skill that's already attached (or detaching one that
    isn't) is reported under `already_attached` / `already_detached` rather than failing.
    - A skill ID may not appear in both `attach` and `detach`.
    - Up to 100 unique skill IDs total (`attach` + `detach`) per request.
    - Attaching requires `INVOKE` permission on the skill. Detaching is permissive so stale attachments
    can always be removed.

    Args:
        agent_id: ID of the agent whose skills to update.
        attach: Skill IDs to attach. Ignored if already attached.
        detach: Skill IDs to detach. Ignored if not attached.
        select: A JMESPath expression applied to the JSON answer before the size cap: `calls[].{id: id,
            title: title}`.
    """
    return await invoke(
        ctx,
        "update_a_gumloop_skill",
        {
            "agent_id": agent_id,
            "attach": attach,
            "detach": detach,
            "select": select,
        },
    )


async def list_all_gumloop_agents_mcp_servers(
    ctx: Context,
    agent_id: Annotated[str, Field(min_length=1)],
    select: str | None = None,
) -> CallToolResult:
    """List agent MCP servers

    GET /agents/{agent_id}/mcp-servers

    List the MCP servers (connectors) attached to an agent. Sensitive fields such as `secret_id` and
    `mcp_server_url` are scrubbed from the response.

    Args:
        agent_id: ID of the agent.
        select: A JMESPath expression applied to the JSON answer before the size cap: `calls[].{id: id,
            title: title}`.
    """
    return await invoke(
        ctx,
        "list_all_gumloop_agents_mcp_servers",
        {
            "agent_id": agent_id,
            "select": select,
        },
    )


async def update_a_gumloop_mcp_server_by_id(
    ctx: Context,
    agent_id: Annotated[str, Field(min_length=1)],
    server_id: Annotated[str, Field(min_length=1)],
    body: dict[str, Any] | None = None,
    select: str | None = None,
) -> CallToolResult:
    """Attach or update an agent MCP server

    PUT /agents/{agent_id}/mcp-servers/{server_id}

    Attach an MCP server (connector) to an agent, or update its configuration if it's already attached
    (upsert).

    The `server_id` is validated against the caller's MCP catalog. Catalog identity fields (`type`,
    `server_id`, `secret_id`, `mcp_server_url`) always come from the catalog and cannot be spoofed via
    the request body — the body carries only free-form connector configuration (e.g. approval mode, tool
    restrictions); any identity keys in it are ignored.

    Attach may succeed before OAuth is completed; `auth_status` reflects the catalog's authentication
    state.

    Args:
        agent_id: ID of the agent.
        server_id: ID of the MCP server from the caller's catalog.
        body: Free-form connector configuration. Identity keys are catalog-derived and ignored.
        select: A JMESPath expression applied to the JSON answer before the size cap: `calls[].{id: id,
            title: title}`.
    """
    return await invoke(
        ctx,
        "update_a_gumloop_mcp_server_by_id",
        {
            "agent_id": agent_id,
            "server_id": server_id,
            "body": body,
            "select": select,
        },
    )


async def delete_a_gumloop_mcp_server_by_id(
    ctx: Context,
    agent_id: Annotated[str, Field(min_length=1)],
    server_id: Annotated[str, Field(min_length=1)],
    select: str | None = None,
) -> CallToolResult:
    """Detach an agent MCP server

    DELETE /agents/{agent_id}/mcp-servers/{server_id}

    Detach an MCP server (connector) from an agent. This is idempotent — detaching a server that isn't
    attached returns `detached: false` rather than an error.

    Args:
        agent_id: ID of the agent.
        server_id: ID of the MCP server to detach.
        select: A JMESPath expression applied to the JSON answer before the size cap: `calls[].{id: id,
            title: title}`.
    """
    return await invoke(
        ctx,
        "delete_a_gumloop_mcp_server_by_id",
        {
            "agent_id": agent_id,
            "server_id": server_id,
            "select": select,
        },
    )
