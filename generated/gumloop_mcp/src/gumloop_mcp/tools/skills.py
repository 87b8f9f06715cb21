"""Tools for Skills."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from mcp.server.mcpserver import Context
from mcp.types import CallToolResult
from pydantic import Field

from ..runtime.serve.server import invoke


async def list_all_gumloop_skills(
    ctx: Context,
    team_id: str | None = None,
    search_query: str | None = None,
    sort_order: Literal["newest", "popular", "most_used"] | None = None,
    page_size: int | None = None,
    cursor: str | None = None,
    creator_user_id: str | None = None,
    related_server_id: str | None = None,
    agent_id: str | None = None,
    unused: str | None = None,
    max_pages: Annotated[int, Field(ge=1, le=10)] | None = None,
    select: str | None = None,
) -> CallToolResult:
    """List skills

    GET /skills

    List skills the caller has access to. Filter by team, search by name, or narrow to a specific
    creator, related MCP server, or agent.

    Args:
        team_id: Scope the listing to a single team. When omitted, returns skills owned by the authenticated
            user.
        search_query: Case-insensitive substring match against the skill name.
        sort_order: Sort order for the returned skills.
        page_size: Number of skills per page. Clamped between 1 and 100.
        cursor: Opaque pagination cursor returned in `next_cursor` from a prior page.
        creator_user_id: Filter to skills created by this user ID.
        related_server_id: Filter to skills that reference this MCP server ID in their metadata.
        agent_id: Filter to skills attached to this agent.
        unused: When set, filters to skills that have not been used.
        max_pages: Follow the next-page cursor and merge up to this many pages (1-10) into one result,
            stopping on a page boundary under the size cap; leave it out for one page.
        select: A JMESPath expression applied to the JSON answer before the size cap: `calls[].{id: id,
            title: title}`.
    """
    return await invoke(
        ctx,
        "list_all_gumloop_skills",
        {
            "team_id": team_id,
            "search_query": search_query,
            "sort_order": sort_order,
            "page_size": page_size,
            "cursor": cursor,
            "creator_user_id": creator_user_id,
            "related_server_id": related_server_id,
            "agent_id": agent_id,
            "unused": unused,
            "max_pages": max_pages,
            "select": select,
        },
    )


async def create_a_gumloop_skill(
    ctx: Context,
    files: Annotated[list[str | dict[str, Any]], Field(min_length=1)],
    team_id: str | None = None,
    select: str | None = None,
) -> CallToolResult:
    """Create skill

    POST /skills

    Upload a skill package and create a new skill. The package must include a `SKILL.md` with `name` and
    `description` frontmatter; uploads may be a single `.md` file (stored as `SKILL.md`), or a `.zip` /
    `.skill` archive containing `SKILL.md` at its root. The initial version is created automatically.
    Maximum upload size is 10 MB.

    Args:
        files: One or more file parts. Accepts a single `.md` file (stored as `SKILL.md`), a `.zip` /
            `.skill` archive containing `SKILL.md` at its root, or loose files that together include a
            `SKILL.md`. Total upload must not exceed 10 MB. Give a local file path (under the server's
            upload folder), or inline content as {"content": "...", "encoding": "text" or "base64",
            "filename": "...", "media_type": "..."}.
        team_id: Team that should own the skill. When omitted, the skill is owned by the authenticated user.
        select: A JMESPath expression applied to the JSON answer before the size cap: `calls[].{id: id,
            title: title}`.
    """
    return await invoke(
        ctx,
        "create_a_gumloop_skill",
        {
            "files": files,
            "team_id": team_id,
            "select": select,
        },
    )


async def delete_a_gumloop_skill_by_id(
    ctx: Context,
    skill_id: Annotated[str, Field(min_length=1)],
    select: str | None = None,
) -> CallToolResult:
    """Delete skill

    DELETE /skills/{skill_id}

    Permanently delete a skill. This is a soft-delete — the skill will no longer appear in listings or
    be usable by agents.

    Args:
        skill_id: ID of the skill to delete.
        select: A JMESPath expression applied to the JSON answer before the size cap: `calls[].{id: id,
            title: title}`.
    """
    return await invoke(
        ctx,
        "delete_a_gumloop_skill_by_id",
        {
            "skill_id": skill_id,
            "select": select,
        },
    )


async def update_a_gumloop_skill_by_id(
    ctx: Context,
    skill_id: Annotated[str, Field(min_length=1)],
    files: Annotated[list[str | dict[str, Any]], Field(min_length=1)],
    select: str | None = None,
) -> CallToolResult:
    """Update skill

    PATCH /skills/{skill_id}

    Replace a skill's files with a new upload. Reparses `SKILL.md` to update the skill's `name`,
    `description`, and `metadata`, and creates a new version. Maximum upload size is 10 MB.

    Args:
        skill_id: ID of the skill to update.
        files: One or more file parts containing the new skill contents. Same shape as the create endpoint —
            must include a `SKILL.md`. Total upload must not exceed 10 MB. Give a local file path (under the
            server's upload folder), or inline content as {"content": "...", "encoding": "text" or "base64",
            "filename": "...", "media_type": "..."}.
        select: A JMESPath expression applied to the JSON answer before the size cap: `calls[].{id: id,
            title: title}`.
    """
    return await invoke(
        ctx,
        "update_a_gumloop_skill_by_id",
        {
            "skill_id": skill_id,
            "files": files,
            "select": select,
        },
    )


async def list_all_gumloop_downloads(
    ctx: Context,
    skill_id: Annotated[str, Field(min_length=1)],
    version_id: str | None = None,
) -> CallToolResult:
    """Download skill

    GET /skills/{skill_id}/download

    Generate a signed URL to download a skill's contents as a `.skill` archive (ZIP). When `version_id`
    is provided, returns that exact version; otherwise returns the current draft.

    Args:
        skill_id: ID of the skill to download.
        version_id: Specific version to download. When omitted, the current draft is returned.
    """
    return await invoke(
        ctx,
        "list_all_gumloop_downloads",
        {
            "skill_id": skill_id,
            "version_id": version_id,
        },
    )
