"""Tools for Users."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

from mcp.server.mcpserver import Context
from mcp.types import CallToolResult
from pydantic import Field

from ..runtime.serve.server import invoke

if TYPE_CHECKING:
    from .. import models


async def create_a_gong_users_extensive(
    ctx: Context,
    filter: models.MultipleUsersRequestWithCreationDates,
    cursor: str | None = None,
    max_pages: Annotated[int, Field(ge=1, le=10)] | None = None,
    select: str | None = None,
) -> CallToolResult:
    """List users by filter (/v2/users/extensive)

    POST /v2/users/extensive

    List multiple Users.

    When accessed through a Bearer token authorization method, this endpoint requires the scope
    'api:users:read'.

    Args:
        filter: Filter parameters.
        cursor: When paging is needed, provide the value supplied by the previous API call to bring the
            following page of records.
        max_pages: Follow the next-page cursor and merge up to this many pages (1-10) into one result,
            stopping on a page boundary under the size cap; leave it out for one page.
        select: A JMESPath expression applied to the JSON answer before the size cap: `calls[].{id: id,
            title: title}`.
    """
    return await invoke(
        ctx,
        "create_a_gong_users_extensive",
        {
            "filter": filter,
            "cursor": cursor,
            "max_pages": max_pages,
            "select": select,
        },
    )


async def list_all_gong_users(
    ctx: Context,
    cursor: str | None = None,
    include_avatars: Annotated[bool | None, Field(validation_alias="includeAvatars")] = None,
    max_pages: Annotated[int, Field(ge=1, le=10)] | None = None,
    select: str | None = None,
) -> CallToolResult:
    """List all users (/v2/users)

    GET /v2/users

    List all of the company's users.

    When accessed through a Bearer token authorization method, this endpoint requires the scope
    'api:users:read'.

    Args:
        cursor: When paging is needed, provide the value supplied by the previous API call to bring the
            following page of records.
        include_avatars: Avatars are synthetic users representing Gong employees (CSMs and support
            providers) when they access your instance. References to avatars' IDs may be found in the
            outputs of other API endpoints. This parameter is optional, if not provided avatars will not be
            included in the results.
        max_pages: Follow the next-page cursor and merge up to this many pages (1-10) into one result,
            stopping on a page boundary under the size cap; leave it out for one page.
        select: A JMESPath expression applied to the JSON answer before the size cap: `calls[].{id: id,
            title: title}`.
    """
    return await invoke(
        ctx,
        "list_all_gong_users",
        {
            "cursor": cursor,
            "includeAvatars": include_avatars,
            "max_pages": max_pages,
            "select": select,
        },
    )


async def get_single_gong_user_by_id(
    ctx: Context,
    id: Annotated[str, Field(min_length=1)],
    select: str | None = None,
) -> CallToolResult:
    """Retrieve user (/v2/users/{id})

    GET /v2/users/{id}

    Retrieve a specific user.

    When accessed through a Bearer token authorization method, this endpoint requires the scope
    'api:users:read'.

    Args:
        id: Gong's unique numeric identifier for the user (up to 20 digits).
        select: A JMESPath expression applied to the JSON answer before the size cap: `calls[].{id: id,
            title: title}`.
    """
    return await invoke(
        ctx,
        "get_single_gong_user_by_id",
        {
            "id": id,
            "select": select,
        },
    )


async def list_all_gong_settings_histories(
    ctx: Context,
    id: Annotated[str, Field(min_length=1)],
    select: str | None = None,
) -> CallToolResult:
    """Retrieve user settings history (/v2/users/{id}/settings-history)

    GET /v2/users/{id}/settings-history

    Retrieve a specific user's settings history.

    When accessed through a Bearer token authorization method, this endpoint requires the scope
    'api:users:read'.

    Args:
        id: Gong's unique numeric identifier for the user (up to 20 digits).
        select: A JMESPath expression applied to the JSON answer before the size cap: `calls[].{id: id,
            title: title}`.
    """
    return await invoke(
        ctx,
        "list_all_gong_settings_histories",
        {
            "id": id,
            "select": select,
        },
    )
