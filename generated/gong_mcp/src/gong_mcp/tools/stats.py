"""Tools for Stats."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Literal

from mcp.server.mcpserver import Context
from mcp.types import CallToolResult
from pydantic import Field

from ..runtime.serve.server import invoke

if TYPE_CHECKING:
    from .. import models


async def create_a_gong_stats_interaction(
    ctx: Context,
    filter: models.MultipleUsersWithDates,
    cursor: str | None = None,
    max_pages: Annotated[int, Field(ge=1, le=10)] | None = None,
    select: str | None = None,
) -> CallToolResult:
    """Retrieve interaction stats for applicable users by date (/v2/stats/interaction)

    POST /v2/stats/interaction

    Returns interaction stats for users based on calls that have Whisper turned on.

    When accessed through a Bearer token authorization method, this endpoint requires the scope
    'api:stats:interaction'.

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
        "create_a_gong_stats_interaction",
        {
            "filter": filter,
            "cursor": cursor,
            "max_pages": max_pages,
            "select": select,
        },
    )


async def create_a_gong_activity_scorecard(
    ctx: Context,
    filter: models.AnsweredScorecardsFilter,
    cursor: str | None = None,
    max_pages: Annotated[int, Field(ge=1, le=10)] | None = None,
    select: str | None = None,
) -> CallToolResult:
    """Retrieve answered scorecards for applicable reviewed users or scorecards for a date range…

    POST /v2/stats/activity/scorecards

    Retrieve all the answers for the scorecards that were reviewed during a specified date range, for
    calls that took place during a specified date range, for specific scorecards or for specific
    reviewed users.

    When accessed through a Bearer token authorization method, this endpoint requires the scope
    'api:stats:scorecards'.

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
        "create_a_gong_activity_scorecard",
        {
            "filter": filter,
            "cursor": cursor,
            "max_pages": max_pages,
            "select": select,
        },
    )


async def create_a_gong_activity_day_by_day(
    ctx: Context,
    filter: models.MultipleUsersWithDates,
    cursor: str | None = None,
    max_pages: Annotated[int, Field(ge=1, le=10)] | None = None,
    select: str | None = None,
) -> CallToolResult:
    """Retrieve daily activity for applicable users for a date range (/v2/stats/activity/day-by-day)

    POST /v2/stats/activity/day-by-day

    Retrieve the daily activity of multiple users within the Gong system for a range of dates. This
    endpoint returns records including statistics about each user's activity, on the daily level.
    Records are returned only for users with activity in the range.

    When accessed through a Bearer token authorization method, this endpoint requires the scope
    'api:stats:user-actions:detailed'.

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
        "create_a_gong_activity_day_by_day",
        {
            "filter": filter,
            "cursor": cursor,
            "max_pages": max_pages,
            "select": select,
        },
    )


async def create_a_gong_activity_aggregate(
    ctx: Context,
    filter: models.MultipleUsersWithDates,
    cursor: str | None = None,
    max_pages: Annotated[int, Field(ge=1, le=10)] | None = None,
    select: str | None = None,
) -> CallToolResult:
    """Retrieve aggregated activity for defined users by date (/v2/stats/activity/aggregate)

    POST /v2/stats/activity/aggregate

    Lists the activity of multiple users within the Gong system during a defined period. Given the
    period, this endpoint returns multiple records, one for each user, with an applicable activity
    during the period. Each record includes statistics about the user's activity.

    When accessed through a Bearer token authorization method, this endpoint requires the scope
    'api:stats:user-actions'.

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
        "create_a_gong_activity_aggregate",
        {
            "filter": filter,
            "cursor": cursor,
            "max_pages": max_pages,
            "select": select,
        },
    )


async def create_a_gong_activity_aggregate_by_period(
    ctx: Context,
    filter: models.MultipleUsersWithDates,
    aggregation_period: Annotated[
        Literal["DAY", "WEEK", "MONTH", "QUARTER", "YEAR"], Field(validation_alias="aggregationPeriod")
    ],
    cursor: str | None = None,
    max_pages: Annotated[int, Field(ge=1, le=10)] | None = None,
    select: str | None = None,
) -> CallToolResult:
    """Retrieve aggregated activity for defined users by a date range with grouping in time periods…

    POST /v2/stats/activity/aggregate-by-period

    Returns aggregated statistics for team members’ actions on calls in Gong, grouped by the specified
    time period (aggregationPeriod).
    Each record shows the total number of activities performed within the fromDate–toDate range. If the
    same activity occurs in different periods, it’s counted separately. For example, if a team member
    listens to the same call on two different days, each day counts as one; listening to the same call
    twice on the same day counts as a single activity.
    Use the userIds field to retrieve data for specific team members. If userIds is empty, only team
    members with activity in the specified date range are returned.

    When accessed through a Bearer token authorization method, this endpoint requires the scope
    'api:stats:user-actions'.

    Args:
        filter: Filter parameters.
        aggregation_period: Calendar time period for aggregating data. Note: First day of the week is
            Monday.
        cursor: When paging is needed, provide the value supplied by the previous API call to bring the
            following page of records.
        max_pages: Follow the next-page cursor and merge up to this many pages (1-10) into one result,
            stopping on a page boundary under the size cap; leave it out for one page.
        select: A JMESPath expression applied to the JSON answer before the size cap: `calls[].{id: id,
            title: title}`.
    """
    return await invoke(
        ctx,
        "create_a_gong_activity_aggregate_by_period",
        {
            "filter": filter,
            "aggregationPeriod": aggregation_period,
            "cursor": cursor,
            "max_pages": max_pages,
            "select": select,
        },
    )
