"""Tools for Calls."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any, Literal

from mcp.server.mcpserver import Context
from mcp.types import CallToolResult
from pydantic import Field

from ..runtime.serve.server import invoke

if TYPE_CHECKING:
    from .. import models


async def list_all_gong_calls(
    ctx: Context,
    from_date_time: Annotated[str, Field(validation_alias="fromDateTime", min_length=1)],
    to_date_time: Annotated[str, Field(validation_alias="toDateTime", min_length=1)],
    cursor: str | None = None,
    workspace_id: Annotated[str | None, Field(validation_alias="workspaceId")] = None,
    max_pages: Annotated[int, Field(ge=1, le=10)] | None = None,
    select: str | None = None,
) -> CallToolResult:
    """Retrieve call data by date range (/v2/calls)

    GET /v2/calls

    List calls that took place during a specified date range.

    When accessed through a Bearer token authorization method, this endpoint requires the scope
    'api:calls:read:basic'.

    Args:
        from_date_time: Date and time (in ISO-8601 format: '2018-02-18T02:30:00-07:00' or
            '2018-02-18T08:00:00Z', where Z stands for UTC) from which to list recorded calls. Returns calls
            that started on or after the specified date and time. If not provided, list starts with earliest
            call. For web-conference calls recorded by Gong, the date denotes its scheduled time, otherwise,
            it denotes its actual start time.
        to_date_time: Date and time (in ISO-8601 format: '2018-02-18T02:30:00-07:00' or
            '2018-02-18T08:00:00Z', where Z stands for UTC) until which to list recorded calls. Returns
            calls that started up to but excluding specified date and time. If not provided, list ends with
            most recent call. For web-conference calls recorded by Gong, the date denotes its scheduled
            time, otherwise, it denotes its actual start time.
        cursor: When paging is needed, provide the value supplied by the previous API call to bring the
            following page of records.
        workspace_id: Optional Workspace identifier, if supplied the API will return only the calls
            belonging to this workspace.
        max_pages: Follow the next-page cursor and merge up to this many pages (1-10) into one result,
            stopping on a page boundary under the size cap; leave it out for one page.
        select: A JMESPath expression applied to the JSON answer before the size cap: `calls[].{id: id,
            title: title}`.
    """
    return await invoke(
        ctx,
        "list_all_gong_calls",
        {
            "fromDateTime": from_date_time,
            "toDateTime": to_date_time,
            "cursor": cursor,
            "workspaceId": workspace_id,
            "max_pages": max_pages,
            "select": select,
        },
    )


async def create_a_gong_call(
    ctx: Context,
    client_unique_id: Annotated[str, Field(validation_alias="clientUniqueId")],
    actual_start: Annotated[str, Field(validation_alias="actualStart")],
    parties: list[models.CallParticipant],
    direction: Literal["Inbound", "Outbound", "Conference", "Unknown"],
    primary_user: Annotated[str, Field(validation_alias="primaryUser")],
    title: str | None = None,
    purpose: str | None = None,
    scheduled_start: Annotated[str | None, Field(validation_alias="scheduledStart")] = None,
    scheduled_end: Annotated[str | None, Field(validation_alias="scheduledEnd")] = None,
    duration: float | None = None,
    disposition: str | None = None,
    context: list[models.CallUploadContext] | None = None,
    custom_data: Annotated[str | None, Field(validation_alias="customData")] = None,
    speakers_timeline: Annotated[models.SpeakersTimeline | None, Field(validation_alias="speakersTimeline")] = None,
    meeting_url: Annotated[str | None, Field(validation_alias="meetingUrl")] = None,
    call_provider_code: Annotated[str | None, Field(validation_alias="callProviderCode")] = None,
    download_media_url: Annotated[str | None, Field(validation_alias="downloadMediaUrl")] = None,
    workspace_id: Annotated[str | None, Field(validation_alias="workspaceId")] = None,
    language_code: Annotated[str | None, Field(validation_alias="languageCode")] = None,
    flow_context: Annotated[models.FlowContext | None, Field(validation_alias="flowContext")] = None,
    select: str | None = None,
) -> CallToolResult:
    """Add new call (/v2/calls)

    POST /v2/calls

    When using this endpoint, either provide a downloadMediaUrl or use the returned callId in a follow-
    up request to /v2/calls/{id}/media to upload the media file.

    When accessed through a Bearer token authorization method, this endpoint requires the scope
    'api:calls:create'.

    Args:
        client_unique_id: A call's unique identifier in the PBX or the recording system. Gong uses this
            identifier to prevent repeated attempts to upload the same recording.
        actual_start: The actual date and time when the call started in the ISO-8601 format (e.g.,
            '2018-02-18T02:30:00-07:00' or '2018-02-18T08:00:00Z', where Z stands for UTC);
        parties: A list of the call's participants. A party must be provided for the primaryUser.
        direction: Whether the call is inbound (someone called the company), outbound (a rep dialed someone
            outside the company), or a conference call.
        primary_user: The Gong internal user ID of the team member who hosted the call.
        title: The title of the call. This title is available in the Gong system for indexing and search.
        purpose: The purpose of the call. This optional field is a free text of up to 255 characters.
        scheduled_start: The date and time the call was scheduled to begin in the ISO-8601 format (e.g.,
            '2018-02-18T02:30:00-07:00' or '2018-02-18T08:00:00Z', where Z stands for UTC);
        scheduled_end: The date and time the call was scheduled to end in the ISO-8601 format (e.g.,
            '2018-02-18T02:30:00-07:00' or '2018-02-18T08:00:00Z', where Z stands for UTC);
        duration: The actual call duration in seconds.
        disposition: The disposition of the call. The disposition is free text of up to 255 characters.
        context: A list of references to external systems such as CRM, Telephony System, Case Management,
            etc.
        custom_data: Optional metadata associated with the call (represented as text). Gong stores this
            metadata and it can be used for troubleshooting.
        speakers_timeline: The audio recording speech segments (who spoke when). Note that speakersTimeline
            and mediaChannelId are mutually exclusive, when providing speakersTimeline - mediaChannelId will
            not be used.
        meeting_url: The URL of the conference call by which users join the meeting
        call_provider_code: The code identifies the provider conferencing or telephony system. For example:
            zoom, clearslide, gotomeeting, ringcentral, outreach, insidesales, etc. These values are
            predefined by Gong, please contact help@gong.io to find the proper value for your system.
        download_media_url: The URL from which Gong can download the media file. The URL must be unique, the
            audio or video file must be a maximum of 1.5GB. The content-type must either start with 'audio'
            or 'video,' or should be 'application/octet-stream' or 'binary/octet-stream' followed by a
            subtype that specifies a supported file type (WAV, MP3, MP4, MKV and FLAC). If you provide this
            URL, you should not perform the 'Add call media' step.
        workspace_id: Optional workspace identifier. If specified, the call will be placed into this
            workspace, otherwise, the default algorithm for workspace placement will be applied.
        language_code: The language code the call should be transcribed to. This field is optional as Gong
            automatically detects the language spoken in the call and transcribes it accordingly. Set this
            field only if you are sure of the language the call is in. Valid values are: af-ZA, am-ET, ar-
            AE, ar-BH, ar-DZ, ar-EG, ar-IL, ar-IQ, ar-JO, ar-KW, ar-LB, ar-MA, ar-MR, ar-OM, ar-PS, ar-QA,
            ar-SA, ar-TN, ar-YE, az-AZ, bg-BG, bn-BD, bn-IN, bs-BA, ca-ES, cs-CZ, da-DK, de-AT, de-CH, de-
            DE, el-GR, en-AB, en-AU, en-CA, en-GB, en-IE, en-IN, en-NZ, en-PH, en-SG, en-US, en-WL, en-ZA,
            es-AR, es-BO, es-CL, es-CO, es-CR, es-DO, es-EC, es-ES, es-GT, es-HN, es-MX, es-NI, es-PA, es-
            PE, es-PR, es-PY, es-SV, es-US, es-UY, et-EE, eu-ES, fa-IR, fi-FI, fil-PH, fr-BE, fr-CA, fr-CH,
            fr-FR, gl-ES, gu-IN, he-IL, hi-IN, hr-HR, hu-HU, hy-AM, id-ID, is-IS, it-CH, it-IT, ja-JP, jv-
            ID, ka-GE, kk-KZ, km-KH, kn-IN, ko-KR, lo-LA, lt-LT, lv-LV, mk-MK, ml-IN, mn-MN, mr-IN, ms-MY,
            my-MM, ne-NP, nl-BE, nl-NL, no-NO, pa-Guru-IN, pl-PL, pt-BR, pt-PT, ro-RO, ru-RU, si-LK, sk-SK,
            sl-SI, sq-AL, sr-RS, su-ID, sv-SE, sw-KE, sw-TZ, ta-IN, ta-LK, ta-MY, ta-SG, te-IN, th-TH, tr-
            TR, uk-UA, ur-IN, ur-PK, uz-UZ, vi-VN, yue-Hant-HK, zh-CN, zh-TW, zu-ZA
        flow_context: The Id for the task the call should be associated with
        select: A JMESPath expression applied to the JSON answer before the size cap: `calls[].{id: id,
            title: title}`.
    """
    return await invoke(
        ctx,
        "create_a_gong_call",
        {
            "clientUniqueId": client_unique_id,
            "actualStart": actual_start,
            "parties": parties,
            "direction": direction,
            "primaryUser": primary_user,
            "title": title,
            "purpose": purpose,
            "scheduledStart": scheduled_start,
            "scheduledEnd": scheduled_end,
            "duration": duration,
            "disposition": disposition,
            "context": context,
            "customData": custom_data,
            "speakersTimeline": speakers_timeline,
            "meetingUrl": meeting_url,
            "callProviderCode": call_provider_code,
            "downloadMediaUrl": download_media_url,
            "workspaceId": workspace_id,
            "languageCode": language_code,
            "flowContext": flow_context,
            "select": select,
        },
    )


async def update_a_gong_media(
    ctx: Context,
    id: Annotated[str, Field(min_length=1)],
    media_file: Annotated[str | dict[str, Any], Field(validation_alias="mediaFile")],
    select: str | None = None,
) -> CallToolResult:
    """Add call media (/v2/calls/{id}/media)

    PUT /v2/calls/{id}/media

    Adds a call media, recorded by a telephony system (PBX) or other media recording facility. Gong
    accepts call recordings in various audio and video file formats, including WAV, MP3, MP4, MKV and
    FLAC. If uploading a dual-channel (stereo) file separated by speaker, make sure to specify which
    channel correspondsto the company team member (rep) in the parties/mediaChannelId parameter of the
    Add New Call operation.

    When accessed through a Bearer token authorization method, this endpoint requires the scope
    'api:calls:create'.

    Args:
        id: callId returned from 'Add New Call' request
        media_file: The media file of the recording. You may attach files up to 1.5GB in size. Give a local
            file path (under the server's upload folder), or inline content as {"content": "...",
            "encoding": "text" or "base64", "filename": "...", "media_type": "..."}.
        select: A JMESPath expression applied to the JSON answer before the size cap: `calls[].{id: id,
            title: title}`.
    """
    return await invoke(
        ctx,
        "update_a_gong_media",
        {
            "id": id,
            "mediaFile": media_file,
            "select": select,
        },
    )


async def get_single_gong_call_by_id(
    ctx: Context,
    id: Annotated[str, Field(min_length=1)],
    select: str | None = None,
) -> CallToolResult:
    """Retrieve data for a specific call (/v2/calls/{id})

    GET /v2/calls/{id}

    Retrieve data for a specific call.

    When accessed through a Bearer token authorization method, this endpoint requires the scope
    'api:calls:read:basic'.

    Args:
        id: Gong's unique numeric identifier for the call (up to 20 digits).
        select: A JMESPath expression applied to the JSON answer before the size cap: `calls[].{id: id,
            title: title}`.
    """
    return await invoke(
        ctx,
        "get_single_gong_call_by_id",
        {
            "id": id,
            "select": select,
        },
    )


async def create_a_gong_calls_extensive(
    ctx: Context,
    filter: models.CallsRequestFilterWithOwners,
    cursor: str | None = None,
    content_selector: Annotated[models.ContentSelector | None, Field(validation_alias="contentSelector")] = None,
    max_pages: Annotated[int, Field(ge=1, le=10)] | None = None,
    select: str | None = None,
) -> CallToolResult:
    """Retrieve detailed call data by various filters (/v2/calls/extensive)

    POST /v2/calls/extensive

    Lists detailed call data for calls that took place during a specified date range, have specified
    call IDs or hosted by specified users.

    When accessed through a Bearer token authorization method, this endpoint requires the scope
    'api:calls:read:extensive'.
    Moreover, clients requesting media download URLs by the contentSelector.exposedFields.media field
    should also have the scope 'api:calls:read:media-url'.

    Args:
        filter: Filter parameters.
        cursor: When paging is needed, provide the value supplied by the previous API call to bring the
            following page of records.
        content_selector: The content selector identifies which data components, if any, are needed, by the
            caller
        max_pages: Follow the next-page cursor and merge up to this many pages (1-10) into one result,
            stopping on a page boundary under the size cap; leave it out for one page.
        select: A JMESPath expression applied to the JSON answer before the size cap: `calls[].{id: id,
            title: title}`.
    """
    return await invoke(
        ctx,
        "create_a_gong_calls_extensive",
        {
            "filter": filter,
            "cursor": cursor,
            "contentSelector": content_selector,
            "max_pages": max_pages,
            "select": select,
        },
    )


async def create_a_gong_calls_transcript(
    ctx: Context,
    filter: models.CallsFilter,
    cursor: str | None = None,
    max_pages: Annotated[int, Field(ge=1, le=10)] | None = None,
    select: str | None = None,
) -> CallToolResult:
    """Retrieve transcripts of calls (/v2/calls/transcript)

    POST /v2/calls/transcript

    Returns transcripts for calls that took place during the specified date period. If call IDs are
    specified, only transcripts for calls with those IDs that took place during the time period are
    returned.

    When accessed through a Bearer token authorization method, this endpoint requires the scope
    'api:calls:read:transcript'.

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
        "create_a_gong_calls_transcript",
        {
            "filter": filter,
            "cursor": cursor,
            "max_pages": max_pages,
            "select": select,
        },
    )
