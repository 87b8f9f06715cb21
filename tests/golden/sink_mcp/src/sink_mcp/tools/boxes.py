"""Tools for Boxes."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Literal

from mcp.server.mcpserver import Context
from mcp.types import CallToolResult
from pydantic import Field

from ..runtime.serve.server import invoke

if TYPE_CHECKING:
    from .. import models


async def update_a_sink_box_by_id(
    ctx: Context,
    id: Annotated[str, Field(min_length=1)],
    size: int,
    id_query: int | None = None,
    x_trace: Annotated[str | None, Field(validation_alias="X-Trace")] = None,
    session: str | None = None,
    name: str | None = None,
    color: Literal["red", "blue"] | None = None,
    children: list[models.BoxSpec] | None = None,
) -> CallToolResult:
    """Update a sink box by id

    PUT /v1/boxes/{id}

    Args:
        id: path parameter 'id'
        size: body parameter 'size'
        id_query: query parameter 'id'
        x_trace: header parameter 'X-Trace'
        session: cookie parameter 'session'
        name: body parameter 'name'
        color: body parameter 'color'
        children: body parameter 'children'
    """
    return await invoke(
        ctx,
        "update_a_sink_box_by_id",
        {
            "id": id,
            "size": size,
            "id_query": id_query,
            "X-Trace": x_trace,
            "session": session,
            "name": name,
            "color": color,
            "children": children,
        },
    )


async def delete_a_sink_box_by_id(
    ctx: Context,
    id: Annotated[str, Field(min_length=1)],
) -> CallToolResult:
    """Delete a sink box by id

    DELETE /v1/boxes/{id}

    Args:
        id: path parameter 'id'
    """
    return await invoke(
        ctx,
        "delete_a_sink_box_by_id",
        {
            "id": id,
        },
    )


async def create_a_sink_box(
    ctx: Context,
    body: list[models.BoxSpec],
) -> CallToolResult:
    """Create a sink box

    POST /v1/boxes

    Args:
        body: The request body.
    """
    return await invoke(
        ctx,
        "create_a_sink_box",
        {
            "body": body,
        },
    )
