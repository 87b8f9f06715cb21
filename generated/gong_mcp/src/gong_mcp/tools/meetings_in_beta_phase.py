"""Tools for Meetings (in Beta Phase)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

from mcp.server.mcpserver import Context
from mcp.types import CallToolResult
from pydantic import Field

from ..runtime.serve.server import invoke

if TYPE_CHECKING:
    from .. import models


async def update_a_gong_meeting_by_id(
    ctx: Context,
    meeting_id: Annotated[int, Field(validation_alias="meetingId")],
    start_time: Annotated[str, Field(validation_alias="startTime")],
    end_time: Annotated[str, Field(validation_alias="endTime")],
    invitees: list[models.MeetingInvitee],
    organizer_email: Annotated[str, Field(validation_alias="organizerEmail")],
    title: str | None = None,
    external_id: Annotated[str | None, Field(validation_alias="externalId")] = None,
    provider: str | None = None,
    select: str | None = None,
) -> CallToolResult:
    """Update a Gong Meeting (/v2/meetings/{meetingId})

    PUT /v2/meetings/{meetingId}

    When accessed through a Bearer token authorization method, this endpoint requires the scope
    'api:meetings:user:update'.

    Args:
        meeting_id: Gong's unique identifier for the meeting (up to 20 digits).
        start_time: The meeting start time in ISO-8601 format (e.g., '2018-02-18T02:30:00-07:00' or
            '2018-02-18T08:00:00Z', where Z stands for UTC).
        end_time: The meeting end time in ISO-8601 format (e.g., '2018-02-18T02:30:00-07:00' or
            '2018-02-18T08:00:00Z', where Z stands for UTC).
        invitees: A list of email addresses of invitees to the event (not including the organizer).
        organizer_email: The email address of the user who created the meeting.
        title: Title of the event.
        external_id: The ID as it is formed on the external system.
        provider: The web conferencing provider to use for this meeting (e.g. 'zoom'). When not specified,
            the user's default provider is used.
        select: A JMESPath expression applied to the JSON answer before the size cap: `calls[].{id: id,
            title: title}`.
    """
    return await invoke(
        ctx,
        "update_a_gong_meeting_by_id",
        {
            "meetingId": meeting_id,
            "startTime": start_time,
            "endTime": end_time,
            "invitees": invitees,
            "organizerEmail": organizer_email,
            "title": title,
            "externalId": external_id,
            "provider": provider,
            "select": select,
        },
    )


async def delete_a_gong_meeting_by_id(
    ctx: Context,
    meeting_id: Annotated[int, Field(validation_alias="meetingId")],
    organizer_email: Annotated[str | None, Field(validation_alias="organizerEmail")] = None,
    select: str | None = None,
) -> CallToolResult:
    """Delete a Gong Meeting (/v2/meetings)

    DELETE /v2/meetings/{meetingId}

    When accessed through a Bearer token authorization method, this endpoint requires the scope
    'api:meetings:user:delete'.

    Args:
        meeting_id: Gong's unique identifier for the meeting (up to 20 digits).
        organizer_email: The email address of the user who created the meeting.
        select: A JMESPath expression applied to the JSON answer before the size cap: `calls[].{id: id,
            title: title}`.
    """
    return await invoke(
        ctx,
        "delete_a_gong_meeting_by_id",
        {
            "meetingId": meeting_id,
            "organizerEmail": organizer_email,
            "select": select,
        },
    )


async def create_a_gong_meeting(
    ctx: Context,
    start_time: Annotated[str, Field(validation_alias="startTime")],
    end_time: Annotated[str, Field(validation_alias="endTime")],
    invitees: list[models.MeetingInvitee],
    organizer_email: Annotated[str, Field(validation_alias="organizerEmail")],
    title: str | None = None,
    external_id: Annotated[str | None, Field(validation_alias="externalId")] = None,
    provider: str | None = None,
    select: str | None = None,
) -> CallToolResult:
    """Create a New Gong Meeting (/v2/meetings)

    POST /v2/meetings

    When accessed through a Bearer token authorization method, this endpoint requires the scope
    'api:meetings:user:create'.

    Args:
        start_time: The meeting start time in ISO-8601 format (e.g., '2018-02-18T02:30:00-07:00' or
            '2018-02-18T08:00:00Z', where Z stands for UTC).
        end_time: The meeting end time in ISO-8601 format (e.g., '2018-02-18T02:30:00-07:00' or
            '2018-02-18T08:00:00Z', where Z stands for UTC).
        invitees: A list of email addresses of invitees to the event (not including the organizer).
        organizer_email: The email address of the user creating the meeting, the Gong consent page link will
            be used according to the settings of this user.
        title: Title of the event.
        external_id: The ID as it is formed on the external system.
        provider: The web conferencing provider to use for this meeting (e.g. 'zoom'). When not specified,
            the user's default provider is used.
        select: A JMESPath expression applied to the JSON answer before the size cap: `calls[].{id: id,
            title: title}`.
    """
    return await invoke(
        ctx,
        "create_a_gong_meeting",
        {
            "startTime": start_time,
            "endTime": end_time,
            "invitees": invitees,
            "organizerEmail": organizer_email,
            "title": title,
            "externalId": external_id,
            "provider": provider,
            "select": select,
        },
    )


async def create_a_gong_integration_status(
    ctx: Context,
    emails: list[str] | None = None,
    select: str | None = None,
) -> CallToolResult:
    """Validate Gong meeting Integration (/v2/meetings/integration/status)

    POST /v2/meetings/integration/status

    When accessed through a Bearer token authorization method, this endpoint requires the scope
    'api:meetings:integration:status'.

    Args:
        emails: String array of emails of users (max 100)
        select: A JMESPath expression applied to the JSON answer before the size cap: `calls[].{id: id,
            title: title}`.
    """
    return await invoke(
        ctx,
        "create_a_gong_integration_status",
        {
            "emails": emails,
            "select": select,
        },
    )
