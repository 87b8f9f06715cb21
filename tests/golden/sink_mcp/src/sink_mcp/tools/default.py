"""Tools for default."""

from __future__ import annotations

from typing import Any

from mcp.server.mcpserver import Context
from mcp.types import CallToolResult

from ..runtime.serve.server import invoke


async def create_a_sink_note(
    ctx: Context,
    body: str | None = None,
) -> CallToolResult:
    """Create a sink note

    POST /v1/notes

    Args:
        body: Request body (text/plain).
    """
    return await invoke(
        ctx,
        "create_a_sink_note",
        {
            "body": body,
        },
    )


async def create_a_sink_login(
    ctx: Context,
    user: str,
    remember: bool | None = None,
) -> CallToolResult:
    """Create a sink login

    POST /v1/login

    Args:
        user: body parameter 'user'
        remember: body parameter 'remember'
    """
    return await invoke(
        ctx,
        "create_a_sink_login",
        {
            "user": user,
            "remember": remember,
        },
    )


async def create_a_sink_shape(
    ctx: Context,
    body: Any = None,
) -> CallToolResult:
    """Create a sink shape

    POST /v1/shapes

    Args:
        body: The request body.
    """
    return await invoke(
        ctx,
        "create_a_sink_shape",
        {
            "body": body,
        },
    )
