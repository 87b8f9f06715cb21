"""Tools for MCP."""

from __future__ import annotations

from typing import Annotated, Any

from mcp.server.mcpserver import Context
from mcp.types import CallToolResult
from pydantic import Field

from ..runtime.serve.server import invoke


async def list_all_gumloop_mcp_servers(
    ctx: Context,
    team_id: str | None = None,
    select: str | None = None,
) -> CallToolResult:
    """List MCP servers

    GET /mcp/servers

    Return the catalog of MCP servers visible to the caller — Gumloop-hosted (`gumcp_server`), user-
    deployed Gumstack (`gumstack_server`), and custom (`mcp_server`) — along with each server's
    connection state.

    Args:
        team_id: Scope the catalog to a single team. When omitted, returns servers visible to the
            authenticated user.
        select: A JMESPath expression applied to the JSON answer before the size cap: `calls[].{id: id,
            title: title}`.
    """
    return await invoke(
        ctx,
        "list_all_gumloop_mcp_servers",
        {
            "team_id": team_id,
            "select": select,
        },
    )


async def get_single_gumloop_mcp_server_by_id(
    ctx: Context,
    server_id: Annotated[str, Field(min_length=1)],
    team_id: str | None = None,
    select: str | None = None,
) -> CallToolResult:
    """Retrieve an MCP server

    GET /mcp/servers/{server_id}

    Return a single MCP server. The response populates `allowed_tool_call_ids` with the tool call IDs
    the caller is permitted to invoke on this server.

    Args:
        server_id: Identifier of the MCP server to retrieve.
        team_id: Scope the lookup to a single team.
        select: A JMESPath expression applied to the JSON answer before the size cap: `calls[].{id: id,
            title: title}`.
    """
    return await invoke(
        ctx,
        "get_single_gumloop_mcp_server_by_id",
        {
            "server_id": server_id,
            "team_id": team_id,
            "select": select,
        },
    )


async def list_all_gumloop_tools(
    ctx: Context,
    server_id: Annotated[str, Field(min_length=1)],
    team_id: str | None = None,
    select: str | None = None,
) -> CallToolResult:
    """List MCP server tools

    GET /mcp/servers/{server_id}/tools

    Return the tools exposed by an MCP server. When the server is not in `connected` state, `tools` is
    empty and `gumloop_auth_url` is returned so the caller can prompt the user to authenticate.

    Args:
        server_id: Identifier of the MCP server.
        team_id: Scope the lookup to a single team.
        select: A JMESPath expression applied to the JSON answer before the size cap: `calls[].{id: id,
            title: title}`.
    """
    return await invoke(
        ctx,
        "list_all_gumloop_tools",
        {
            "server_id": server_id,
            "team_id": team_id,
            "select": select,
        },
    )


async def create_a_gumloop_tools_call(
    ctx: Context,
    calls: list[dict[str, Any]],
    team_id: str | None = None,
    select: str | None = None,
) -> CallToolResult:
    """Call MCP tools

    POST /mcp/tools/call

    Execute a batch of 1–5 MCP tool calls. Calls run concurrently and each result reports its own
    `status`. When Gumloop accepts the request, MCP execution failures such as target server
    authentication, policy blocks, invalid tools, upstream HTTP errors, and connection failures are
    returned in `results[*].status` and `results[*].error`. Top-level `4xx` responses are reserved for
    Gumloop request, authentication, and permission failures. `200` covers homogeneous execution
    outcomes (all calls succeeded or all calls failed); mixed success/failure batches return `207`. If
    you previously treated non-2xx HTTP statuses as MCP execution failures, update your integration to
    inspect each result's `status` and `error`.

    Args:
        calls: Tool calls to execute. Dispatched concurrently; the batch is capped at 5.
        team_id: Team the calls are scoped to.
        select: A JMESPath expression applied to the JSON answer before the size cap: `calls[].{id: id,
            title: title}`.
    """
    return await invoke(
        ctx,
        "create_a_gumloop_tools_call",
        {
            "calls": calls,
            "team_id": team_id,
            "select": select,
        },
    )
