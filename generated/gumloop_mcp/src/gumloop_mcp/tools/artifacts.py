"""Tools for Artifacts."""

from __future__ import annotations

from typing import Annotated

from mcp.server.mcpserver import Context
from mcp.types import CallToolResult
from pydantic import Field

from ..runtime.serve.server import invoke


async def list_all_gumloop_artifacts(
    ctx: Context,
    agent_id: Annotated[str, Field(min_length=1)],
    session_id: str | None = None,
    search_query: str | None = None,
    sort_order: str | None = None,
    page_size: int | None = None,
    cursor: str | None = None,
    max_pages: Annotated[int, Field(ge=1, le=10)] | None = None,
    select: str | None = None,
) -> CallToolResult:
    """List artifacts

    GET /agents/{agent_id}/artifacts

    List artifacts (files) produced by an agent. Optionally scope to a specific session, search by
    filename, sort, and paginate.

    Args:
        agent_id: ID of the agent whose artifacts to list.
        session_id: Filter to artifacts produced within a specific session.
        search_query: Case-insensitive substring match against the artifact filename.
        sort_order: Sort order for results. Defaults to `newest`.
        page_size: Number of artifacts to return per page. Clamped to 1–100.
        cursor: Opaque pagination cursor returned by a prior call as `next_cursor`.
        max_pages: Follow the next-page cursor and merge up to this many pages (1-10) into one result,
            stopping on a page boundary under the size cap; leave it out for one page.
        select: A JMESPath expression applied to the JSON answer before the size cap: `calls[].{id: id,
            title: title}`.
    """
    return await invoke(
        ctx,
        "list_all_gumloop_artifacts",
        {
            "agent_id": agent_id,
            "session_id": session_id,
            "search_query": search_query,
            "sort_order": sort_order,
            "page_size": page_size,
            "cursor": cursor,
            "max_pages": max_pages,
            "select": select,
        },
    )


async def get_single_gumloop_artifact_by_id(
    ctx: Context,
    artifact_id: Annotated[str, Field(min_length=1)],
    version_id: str | None = None,
) -> CallToolResult:
    """Download artifact

    GET /artifacts/{artifact_id}/download

    Returns a signed download URL for an artifact, plus its filename, media type, and size. Follow
    `download_url` to fetch the file bytes.

    Args:
        artifact_id: ID of the artifact to download.
        version_id: Specific version of the artifact to download. Defaults to the latest version when
            omitted.
    """
    return await invoke(
        ctx,
        "get_single_gumloop_artifact_by_id",
        {
            "artifact_id": artifact_id,
            "version_id": version_id,
        },
    )
