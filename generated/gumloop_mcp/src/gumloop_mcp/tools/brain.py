"""Tools for Brain."""

from __future__ import annotations

from typing import Literal

from mcp.server.mcpserver import Context
from mcp.types import CallToolResult

from ..runtime.serve.server import invoke


async def create_a_gumloop_brain_search(
    ctx: Context,
    query: str,
    limit: int | None = None,
    source_type: list[
        Literal["notion", "google_drive", "slack", "github", "confluence", "direct_file_uploads", "gumloop_artifacts"]
    ]
    | None = None,
    select: str | None = None,
) -> CallToolResult:
    """Search Company Brain

    POST /brain/search

    Run a hybrid (semantic + keyword) search across the knowledge sources indexed in your Company Brain
    and return the most relevant, ranked snippets with citations.

    Results are scoped to what the authenticated user can see: personal sources, plus any team and
    organization sources shared with them. Requires the Brain feature, which is available on the Pro and
    Enterprise plans. Each search consumes Gumloop credits.

    Args:
        query: The natural-language search query.
        limit: Maximum number of results to return.
        source_type: Restrict results to specific source types. Omit to search every source you can access.
            Valid values: `notion`, `google_drive`, `slack`, `github`, `confluence`, `direct_file_uploads`,
            `gumloop_artifacts`.
        select: A JMESPath expression applied to the JSON answer before the size cap: `calls[].{id: id,
            title: title}`.
    """
    return await invoke(
        ctx,
        "create_a_gumloop_brain_search",
        {
            "query": query,
            "limit": limit,
            "source_type": source_type,
            "select": select,
        },
    )
