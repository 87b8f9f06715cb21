"""Where each tool's arguments go on the wire: one ``Operation`` per tool, keyed by tool name."""

from .runtime.contract import Operation
from .runtime.contract import ParamSpec as P

OPERATIONS: dict[str, Operation] = {
    op.name: op
    for op in (
        Operation(
            name="update_a_sink_box_by_id",
            method="PUT",
            path="/v1/boxes/{id}",
            params=(
                P("id", "id", "path"),
                P("id_query", "id", "query"),
                P("X-Trace", "X-Trace", "header"),
                P("session", "session", "cookie"),
                P("name", "name", "body"),
                P("size", "size", "body"),
                P("color", "color", "body", nullable=True),
                P("children", "children", "body"),
            ),
            body="json",
            body_required=True,
            tag="Boxes",
            destructive=True,
            idempotent=True,
        ),
        Operation(
            name="delete_a_sink_box_by_id",
            method="DELETE",
            path="/v1/boxes/{id}",
            params=(P("id", "id", "path"),),
            tag="Boxes",
            destructive=True,
            idempotent=True,
        ),
        Operation(
            name="create_a_sink_box",
            method="POST",
            path="/v1/boxes",
            params=(P("body", "body", "body_whole"),),
            body="json",
            body_required=True,
            tag="Boxes",
        ),
        Operation(
            name="create_a_sink_note",
            method="POST",
            path="/v1/notes",
            params=(P("body", "body", "body_whole"),),
            body="raw",
            media_type="text/plain",
            tag="default",
        ),
        Operation(
            name="create_a_sink_login",
            method="POST",
            path="/v1/login",
            params=(
                P("user", "user", "body"),
                P("remember", "remember", "body"),
            ),
            body="form",
            tag="default",
        ),
        Operation(
            name="create_a_sink_shape",
            method="POST",
            path="/v1/shapes",
            params=(P("body", "body", "body_whole"),),
            body="json",
            tag="default",
        ),
    )
}
