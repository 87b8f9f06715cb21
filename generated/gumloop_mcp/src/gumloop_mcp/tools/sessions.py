"""Tools for Sessions."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from mcp.server.mcpserver import Context
from mcp.types import CallToolResult
from pydantic import Field

from ..runtime.serve.server import invoke


async def list_all_gumloop_sessions(
    ctx: Context,
    agent_id: Annotated[str, Field(min_length=1)],
    page_size: int | None = None,
    cursor: str | None = None,
    search: str | None = None,
    sort_order: str | None = None,
    type: str | None = None,
    state: Literal["processing", "completed", "failed", "queued", "idle"] | None = None,
    creator_user_id: str | None = None,
    trigger_id: str | None = None,
    max_pages: Annotated[int, Field(ge=1, le=10)] | None = None,
    select: str | None = None,
) -> CallToolResult:
    """List sessions

    GET /agents/{agent_id}/sessions

    List sessions for an agent with cursor-based pagination, optional filtering, and search.

    Args:
        agent_id: ID of the agent whose sessions to list.
        page_size: Number of sessions to return per page. Defaults to `20`, maximum `100`.
        cursor: Cursor for the next page of results. Use the `next_cursor` value from a previous response.
        search: Free-text search query to filter sessions by name or content. Also accepted as
            `search_query`.
        sort_order: Sort order for the results (e.g. `newest` or `oldest`).
        type: Filter sessions by type (e.g. `api`, `web`, `slack`).
        state: Filter sessions by state.
        creator_user_id: Filter sessions by the user who created them.
        trigger_id: Filter sessions by the trigger that initiated them.
        max_pages: Follow the next-page cursor and merge up to this many pages (1-10) into one result,
            stopping on a page boundary under the size cap; leave it out for one page.
        select: A JMESPath expression applied to the JSON answer before the size cap: `calls[].{id: id,
            title: title}`.
    """
    return await invoke(
        ctx,
        "list_all_gumloop_sessions",
        {
            "agent_id": agent_id,
            "page_size": page_size,
            "cursor": cursor,
            "search": search,
            "sort_order": sort_order,
            "type": type,
            "state": state,
            "creator_user_id": creator_user_id,
            "trigger_id": trigger_id,
            "max_pages": max_pages,
            "select": select,
        },
    )


async def create_a_gumloop_session(
    ctx: Context,
    agent_id: Annotated[str, Field(min_length=1)],
    input: str | None = None,
    session_id: str | None = None,
    metadata: dict[str, Any] | None = None,
    stream: bool | None = None,
    wait: bool = False,
    timeout_s: float = 45.0,
    select: str | None = None,
) -> CallToolResult:
    """Create session

    POST /agents/{agent_id}/sessions

    Create a new session for an agent. When `input` is provided, the message is enqueued and the agent
    begins processing — the response returns `202` with the session in `processing` or `queued` state.
    When `input` is omitted, an idle session stub is created and the response returns `201`.

    ### Streaming the response

    `api.gumloop.com` only serves the non-streaming response above. To stream agent output as it's
    produced, send the same request body (with `stream: true`) to the streaming host instead:

    ```
    POST https://ws.gumloop.com/api/v1/agents/{agent_id}/sessions
    ```

    The response is `text/event-stream` (Server-Sent Events). With the Python SDK,
    `client.sessions.stream(agent_id, input="...")` routes to `ws.gumloop.com` automatically and yields
    parsed `StreamEvent` objects.

    If you send `stream: true` to `api.gumloop.com` by mistake, the response is a `400` whose body
    contains the correct streaming host so you can retry against it.

    Args:
        agent_id: ID of the agent to start a session on.
        input: The first user message for the session. Also accepted as `message` for backwards
            compatibility. When omitted, an idle session is created with no messages.
        session_id: Caller-supplied session ID. When omitted, the server generates one. If provided and the
            ID already exists, the request returns `409 session_already_exists`.
        metadata: Arbitrary key/value metadata attached to the session. Stored under `metadata.client`.
        stream: Must be `false` (or omitted) when calling `api.gumloop.com`. Set to `true` only when calling
            `ws.gumloop.com` (see the streaming section above).
        wait: Poll get_single_gumloop_session_by_id until the job reaches completed, failed, idle and return
            the final state (default false: return at once with the job id).
        timeout_s: With wait: give up waiting after this many seconds (at most 300); the job goes on.
        select: A JMESPath expression applied to the JSON answer before the size cap: `calls[].{id: id,
            title: title}`.
    """
    return await invoke(
        ctx,
        "create_a_gumloop_session",
        {
            "agent_id": agent_id,
            "input": input,
            "session_id": session_id,
            "metadata": metadata,
            "stream": stream,
            "wait": wait,
            "timeout_s": timeout_s,
            "select": select,
        },
    )


async def get_single_gumloop_session_by_id(
    ctx: Context,
    session_id: Annotated[str, Field(min_length=1)],
    select: str | None = None,
) -> CallToolResult:
    """Retrieve session

    GET /sessions/{session_id}

    Retrieve a session by ID, including its messages, current state, agent metadata, and participants.

    Args:
        session_id: ID of the session to retrieve.
        select: A JMESPath expression applied to the JSON answer before the size cap: `calls[].{id: id,
            title: title}`.
    """
    return await invoke(
        ctx,
        "get_single_gumloop_session_by_id",
        {
            "session_id": session_id,
            "select": select,
        },
    )


async def create_a_gumloop_message(
    ctx: Context,
    session_id: Annotated[str, Field(min_length=1)],
    input: str,
    stream: bool | None = None,
    select: str | None = None,
) -> CallToolResult:
    """Send message

    POST /sessions/{session_id}/messages

    Append a user message to an existing session and resume the agent. The session must be in a terminal
    state (`idle`, `completed`, or `failed`); sending to a session that is `processing` or `queued`
    returns `409 interaction_not_in_terminal_state`.

    ### Streaming the response

    `api.gumloop.com` only serves the non-streaming response above. To stream agent output as it's
    produced, send the same request body (with `stream: true`) to the streaming host instead:

    ```
    POST https://ws.gumloop.com/api/v1/sessions/{session_id}/messages
    ```

    The response is `text/event-stream` (Server-Sent Events). With the Python SDK,
    `client.sessions.stream_message(session_id, input="...")` routes to `ws.gumloop.com` automatically
    and yields parsed `StreamEvent` objects.

    If you send `stream: true` to `api.gumloop.com` by mistake, the response is a `400` whose body
    contains the correct streaming host so you can retry against it.

    Args:
        session_id: ID of the session to continue.
        input: The next user message. Required. Also accepted as `message` for backwards compatibility.
        stream: Must be `false` (or omitted) when calling `api.gumloop.com`. Set to `true` only when calling
            `ws.gumloop.com` (see the streaming section above).
        select: A JMESPath expression applied to the JSON answer before the size cap: `calls[].{id: id,
            title: title}`.
    """
    return await invoke(
        ctx,
        "create_a_gumloop_message",
        {
            "session_id": session_id,
            "input": input,
            "stream": stream,
            "select": select,
        },
    )


async def delete_a_gumloop_session_by_id(
    ctx: Context,
    session_id: Annotated[str, Field(min_length=1)],
    select: str | None = None,
) -> CallToolResult:
    """Cancel session

    POST /sessions/{session_id}/cancel

    Cancel an in-progress session. If the session is currently `processing` or `queued`, any running
    stream is aborted and the session is transitioned to `failed`. If the session is already `completed`
    or `failed`, its current state is returned unchanged.

    The response carries a `session` envelope but only `id`, `agent_id`, and `state` are populated.

    Args:
        session_id: ID of the session to cancel.
        select: A JMESPath expression applied to the JSON answer before the size cap: `calls[].{id: id,
            title: title}`.
    """
    return await invoke(
        ctx,
        "delete_a_gumloop_session_by_id",
        {
            "session_id": session_id,
            "select": select,
        },
    )
