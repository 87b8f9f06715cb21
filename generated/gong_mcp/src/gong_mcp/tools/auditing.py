"""Tools for Auditing."""

from __future__ import annotations

from typing import Annotated, Literal

from mcp.server.mcpserver import Context
from mcp.types import CallToolResult
from pydantic import Field

from ..runtime.serve.server import invoke


async def list_all_gong_logs(
    ctx: Context,
    log_type: Annotated[
        Literal[
            "AccessLog", "UserActivityLog", "UserCallPlay", "ExternallySharedCallAccess", "ExternallySharedCallPlay"
        ],
        Field(validation_alias="logType"),
    ],
    from_date_time: Annotated[str, Field(validation_alias="fromDateTime", min_length=1)],
    to_date_time: Annotated[str | None, Field(validation_alias="toDateTime")] = None,
    cursor: str | None = None,
    max_pages: Annotated[int, Field(ge=1, le=10)] | None = None,
    select: str | None = None,
) -> CallToolResult:
    """Retrieve logs data by type and time range (/v2/logs)

    GET /v2/logs

    List log entries that took place during a specified time range.

    When accessed through a Bearer token authorization method, this endpoint requires the scope
    'api:logs:read'.

    Args:
        log_type: Type of logs requested.
        from_date_time: The time from which to retrieve log records, in the ISO-8601 format (e.g.,
            '2018-02-18T02:30:00-07:00' or '2018-02-18T08:00:00Z', where Z stands for UTC).
        to_date_time: The time until which to retrieve log records, in the ISO-8601 format (e.g.,
            '2018-02-18T02:30:00-07:00' or '2018-02-18T08:00:00Z', where Z stands for UTC); if not
            specified, the logs end with the latest recorded log.
        cursor: When paging is needed, provide the value supplied by the previous API call to bring the
            following page of records.
        max_pages: Follow the next-page cursor and merge up to this many pages (1-10) into one result,
            stopping on a page boundary under the size cap; leave it out for one page.
        select: A JMESPath expression applied to the JSON answer before the size cap: `calls[].{id: id,
            title: title}`.
    """
    return await invoke(
        ctx,
        "list_all_gong_logs",
        {
            "logType": log_type,
            "fromDateTime": from_date_time,
            "toDateTime": to_date_time,
            "cursor": cursor,
            "max_pages": max_pages,
            "select": select,
        },
    )
