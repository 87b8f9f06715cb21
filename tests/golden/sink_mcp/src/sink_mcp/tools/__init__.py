"""Every tool function, grouped by the spec's tags into modules."""

from collections.abc import Awaitable, Callable

from mcp.types import CallToolResult

from . import boxes, default

TOOLS: list[Callable[..., Awaitable[CallToolResult]]] = [
    boxes.update_a_sink_box_by_id,
    boxes.delete_a_sink_box_by_id,
    boxes.create_a_sink_box,
    default.create_a_sink_note,
    default.create_a_sink_login,
    default.create_a_sink_shape,
]
