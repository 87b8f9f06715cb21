"""Tools for Engagement (Legacy – See “Digital Interactions”)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Literal

from mcp.server.mcpserver import Context
from mcp.types import CallToolResult
from pydantic import Field

from ..runtime.serve.server import invoke

if TYPE_CHECKING:
    from .. import models


async def update_a_gong_content_viewed(
    ctx: Context,
    reporting_system: Annotated[str, Field(validation_alias="reportingSystem")],
    event_timestamp: Annotated[str, Field(validation_alias="eventTimestamp")],
    content_id: Annotated[str, Field(validation_alias="contentId")],
    content_url: Annotated[str, Field(validation_alias="contentUrl")],
    content_title: Annotated[str, Field(validation_alias="contentTitle")],
    event_id: Annotated[str | None, Field(validation_alias="eventId")] = None,
    view_action_title: Annotated[str | None, Field(validation_alias="viewActionTitle")] = None,
    share_id: Annotated[str | None, Field(validation_alias="shareId")] = None,
    view_info_url: Annotated[str | None, Field(validation_alias="viewInfoUrl")] = None,
    viewer: models.Actor | None = None,
    crm_context: Annotated[list[models.CallUploadContext] | None, Field(validation_alias="crmContext")] = None,
    content_properties: Annotated[
        list[models.GenericProperty] | None, Field(validation_alias="contentProperties")
    ] = None,
    event_properties: Annotated[list[models.GenericProperty] | None, Field(validation_alias="eventProperties")] = None,
    user_agent: Annotated[str | None, Field(validation_alias="userAgent")] = None,
    mobile_app_id: Annotated[str | None, Field(validation_alias="mobileAppId")] = None,
    agent_platform: Annotated[
        Literal["Windows, Linux, MacOS, iOS, Android"] | None, Field(validation_alias="agentPlatform")
    ] = None,
    workspace_id: Annotated[str | None, Field(validation_alias="workspaceId")] = None,
    tracking_id: Annotated[str | None, Field(validation_alias="trackingId")] = None,
    non_company_participants: Annotated[
        list[models.Actor] | None, Field(validation_alias="nonCompanyParticipants")
    ] = None,
    more_info_url: Annotated[str | None, Field(validation_alias="moreInfoUrl")] = None,
    action_name: Annotated[str | None, Field(validation_alias="actionName")] = None,
    sharer: models.Sharer | None = None,
    sharing_message_subject: Annotated[str | None, Field(validation_alias="sharingMessageSubject")] = None,
    sharing_message_body: Annotated[str | None, Field(validation_alias="sharingMessageBody")] = None,
    select: str | None = None,
) -> CallToolResult:
    """Report event of a content view (/v2/customer-engagement/content/viewed)

    PUT /v2/customer-engagement/content/viewed

    Push engagement events into Gong and display them as events in Gong’s activity timeline, when a
    content is viewed by an external participant (for example, a contract was “viewed” by the prospect)

    When accessed through a Bearer token authorization method, this endpoint requires the scope
    'api:engagement-data:write'.

    Args:
        reporting_system: The unique identifier of the reporting system. It is the same value in all events
            originating from the same system.
        event_timestamp: The date and time when the event happened in the ISO-8601 format (e.g.,
            '2021-08-01T02:30:00+05:00' or '2021-08-01T08:00:00Z', where Z stands for UTC);
        content_id: The id of the content that was viewed in the reporting system.
        content_url: The url of the content that was viewed in the reporting system. This is the url that is
            was accessed by the viewer.
        content_title: Human readable title of the content.
        event_id: The original id of the event as designated in the reporting system.
        view_action_title: The name of the action like "Document Viewed" or "Presentation Opened".
        share_id: The id of the share action that corresponds to this view event, in case there can be more
            than one share per content.
        view_info_url: The link to a page that presents additional information about this event.
        viewer: body parameter 'viewer'
        crm_context: A list of references to external systems such as CRM, Telephony System, Case
            Management, etc.
        content_properties: A list of additional properties for the content
        event_properties: A list of additional properties for the event
        user_agent: "User-Agent" header value for browser based interaction
        mobile_app_id: The application identification string in case of interaction via mobile application
            (bundle identifier or package name).
        agent_platform: Platform on which the interaction was made
        workspace_id: Optional workspace identifier. If specified, the event will be placed into this
            workspace, otherwise, the default algorithm for workspace placement will be applied.
        tracking_id: The ID used for tracking the person who did the event. Must be null if a viewer is sent
            instead.
        non_company_participants: body parameter 'nonCompanyParticipants'
        more_info_url: body parameter 'moreInfoUrl'
        action_name: body parameter 'actionName'
        sharer: body parameter 'sharer'
        sharing_message_subject: body parameter 'sharingMessageSubject'
        sharing_message_body: body parameter 'sharingMessageBody'
        select: A JMESPath expression applied to the JSON answer before the size cap: `calls[].{id: id,
            title: title}`.
    """
    return await invoke(
        ctx,
        "update_a_gong_content_viewed",
        {
            "reportingSystem": reporting_system,
            "eventTimestamp": event_timestamp,
            "contentId": content_id,
            "contentUrl": content_url,
            "contentTitle": content_title,
            "eventId": event_id,
            "viewActionTitle": view_action_title,
            "shareId": share_id,
            "viewInfoUrl": view_info_url,
            "viewer": viewer,
            "crmContext": crm_context,
            "contentProperties": content_properties,
            "eventProperties": event_properties,
            "userAgent": user_agent,
            "mobileAppId": mobile_app_id,
            "agentPlatform": agent_platform,
            "workspaceId": workspace_id,
            "trackingId": tracking_id,
            "nonCompanyParticipants": non_company_participants,
            "moreInfoUrl": more_info_url,
            "actionName": action_name,
            "sharer": sharer,
            "sharingMessageSubject": sharing_message_subject,
            "sharingMessageBody": sharing_message_body,
            "select": select,
        },
    )


async def update_a_gong_content_shared(
    ctx: Context,
    reporting_system: Annotated[str, Field(validation_alias="reportingSystem")],
    event_timestamp: Annotated[str, Field(validation_alias="eventTimestamp")],
    content_id: Annotated[str, Field(validation_alias="contentId")],
    content_url: Annotated[str, Field(validation_alias="contentUrl")],
    content_title: Annotated[str, Field(validation_alias="contentTitle")],
    event_id: Annotated[str | None, Field(validation_alias="eventId")] = None,
    share_id: Annotated[str | None, Field(validation_alias="shareId")] = None,
    share_info_url: Annotated[str | None, Field(validation_alias="shareInfoUrl")] = None,
    sharing_message_subject: Annotated[str | None, Field(validation_alias="sharingMessageSubject")] = None,
    sharing_message_body: Annotated[str | None, Field(validation_alias="sharingMessageBody")] = None,
    sharer: models.Sharer | None = None,
    recipients: list[models.Actor] | None = None,
    crm_context: Annotated[list[models.CallUploadContext] | None, Field(validation_alias="crmContext")] = None,
    content_properties: Annotated[
        list[models.GenericProperty] | None, Field(validation_alias="contentProperties")
    ] = None,
    event_properties: Annotated[list[models.GenericProperty] | None, Field(validation_alias="eventProperties")] = None,
    workspace_id: Annotated[str | None, Field(validation_alias="workspaceId")] = None,
    action_name: Annotated[str | None, Field(validation_alias="actionName")] = None,
    non_company_participants: Annotated[
        list[models.Actor] | None, Field(validation_alias="nonCompanyParticipants")
    ] = None,
    more_info_url: Annotated[str | None, Field(validation_alias="moreInfoUrl")] = None,
    tracking_id: Annotated[str | None, Field(validation_alias="trackingId")] = None,
    mobile_app_id: Annotated[str | None, Field(validation_alias="mobileAppId")] = None,
    agent_platform: Annotated[str | None, Field(validation_alias="agentPlatform")] = None,
    user_agent: Annotated[str | None, Field(validation_alias="userAgent")] = None,
    select: str | None = None,
) -> CallToolResult:
    """Report event of a content share (/v2/customer-engagement/content/shared)

    PUT /v2/customer-engagement/content/shared

    Push engagement events into Gong and display them as events in Gong’s activity timeline, when a Gong
    user shares content with external participants (for example, a contract was “shared” by the account
    executive with his prospects)

    When accessed through a Bearer token authorization method, this endpoint requires the scope
    'api:engagement-data:write'.

    Args:
        reporting_system: The unique identifier of the reporting system. It is the same value in all events
            originating from the same system.
        event_timestamp: The date and time when the event happened in the ISO-8601 format (e.g.,
            '2021-08-01T02:30:00+05:00' or '2021-08-01T08:00:00Z', where Z stands for UTC);
        content_id: The id of the content that was shared in the reporting system.
        content_url: The url of the content that was shared in the reporting system. This is the url that is
            was accessed by the viewer.
        content_title: Human readable title of the content.
        event_id: The original id of the event as designated in the reporting system.
        share_id: The id of the share action, in case there can be more than one share per content.
        share_info_url: The link to a page that presents additional information about this event.
        sharing_message_subject: The subject of share email / message.
        sharing_message_body: The share message body. Can contain HTML and will be cleaned when it is
            presented.
        sharer: body parameter 'sharer'
        recipients: array of objects with name + email of recipients. Email is required.
        crm_context: A list of references to external systems such as CRM, Telephony System, Case
            Management, etc.
        content_properties: A list of additional properties for the content
        event_properties: A list of additional properties for the event
        workspace_id: Optional workspace identifier. If specified, the event will be placed into this
            workspace, otherwise, the default algorithm for workspace placement will be applied.
        action_name: The name of the action like "Document Sent" or "Presentation Shared".
        non_company_participants: body parameter 'nonCompanyParticipants'
        more_info_url: body parameter 'moreInfoUrl'
        tracking_id: body parameter 'trackingId'
        mobile_app_id: body parameter 'mobileAppId'
        agent_platform: body parameter 'agentPlatform'
        user_agent: body parameter 'userAgent'
        select: A JMESPath expression applied to the JSON answer before the size cap: `calls[].{id: id,
            title: title}`.
    """
    return await invoke(
        ctx,
        "update_a_gong_content_shared",
        {
            "reportingSystem": reporting_system,
            "eventTimestamp": event_timestamp,
            "contentId": content_id,
            "contentUrl": content_url,
            "contentTitle": content_title,
            "eventId": event_id,
            "shareId": share_id,
            "shareInfoUrl": share_info_url,
            "sharingMessageSubject": sharing_message_subject,
            "sharingMessageBody": sharing_message_body,
            "sharer": sharer,
            "recipients": recipients,
            "crmContext": crm_context,
            "contentProperties": content_properties,
            "eventProperties": event_properties,
            "workspaceId": workspace_id,
            "actionName": action_name,
            "nonCompanyParticipants": non_company_participants,
            "moreInfoUrl": more_info_url,
            "trackingId": tracking_id,
            "mobileAppId": mobile_app_id,
            "agentPlatform": agent_platform,
            "userAgent": user_agent,
            "select": select,
        },
    )


async def update_a_gong_customer_engagement_action(
    ctx: Context,
    reporting_system: Annotated[str, Field(validation_alias="reportingSystem")],
    event_timestamp: Annotated[str, Field(validation_alias="eventTimestamp")],
    event_id: Annotated[str | None, Field(validation_alias="eventId")] = None,
    content_id: Annotated[str | None, Field(validation_alias="contentId")] = None,
    content_url: Annotated[str | None, Field(validation_alias="contentUrl")] = None,
    content_title: Annotated[str | None, Field(validation_alias="contentTitle")] = None,
    action_name: Annotated[str | None, Field(validation_alias="actionName")] = None,
    event_info_url: Annotated[str | None, Field(validation_alias="eventInfoUrl")] = None,
    actor: models.Actor | None = None,
    crm_context: Annotated[list[models.CallUploadContext] | None, Field(validation_alias="crmContext")] = None,
    content_properties: Annotated[
        list[models.GenericProperty] | None, Field(validation_alias="contentProperties")
    ] = None,
    event_properties: Annotated[list[models.GenericProperty] | None, Field(validation_alias="eventProperties")] = None,
    user_agent: Annotated[str | None, Field(validation_alias="userAgent")] = None,
    mobile_app_id: Annotated[str | None, Field(validation_alias="mobileAppId")] = None,
    agent_platform: Annotated[
        Literal["Windows, Linux, MacOS, iOS, Android"] | None, Field(validation_alias="agentPlatform")
    ] = None,
    workspace_id: Annotated[str | None, Field(validation_alias="workspaceId")] = None,
    non_company_participants: Annotated[
        list[models.Actor] | None, Field(validation_alias="nonCompanyParticipants")
    ] = None,
    more_info_url: Annotated[str | None, Field(validation_alias="moreInfoUrl")] = None,
    sharer: models.Sharer | None = None,
    sharing_message_subject: Annotated[str | None, Field(validation_alias="sharingMessageSubject")] = None,
    share_id: Annotated[str | None, Field(validation_alias="shareId")] = None,
    tracking_id: Annotated[str | None, Field(validation_alias="trackingId")] = None,
    sharing_message_body: Annotated[str | None, Field(validation_alias="sharingMessageBody")] = None,
    select: str | None = None,
) -> CallToolResult:
    """Report event of a custom action (/v2/customer-engagement/action)

    PUT /v2/customer-engagement/action

    Push engagement events into Gong and display them as events in Gong’s activity timeline, when a
    content is engaged by an external participant (for example, a contract was “signed” by the prospect)

    When accessed through a Bearer token authorization method, this endpoint requires the scope
    'api:engagement-data:write'.

    Args:
        reporting_system: The unique identifier of the reporting system. It is the same value in all events
            originating from the same system.
        event_timestamp: The date and time when the event happened in the ISO-8601 format (e.g.,
            '2021-08-01T02:30:00+05:00' or '2021-08-01T08:00:00Z', where Z stands for UTC);
        event_id: The original id of the event as designated in the reporting system.
        content_id: The id of the content that was viewed in the reporting system.
        content_url: The url of the content that was viewed in the reporting system. This is the url that is
            was accessed by the viewer.
        content_title: Human readable title of the content.
        action_name: The name of the action like "Document Viewed" or "Presentation Opened".
        event_info_url: The link to a page that presents additional information about this event.
        actor: body parameter 'actor'
        crm_context: A list of references to external systems such as CRM, Telephony System, Case
            Management, etc.
        content_properties: A list of additional properties for the content
        event_properties: A list of additional properties for the event
        user_agent: "User-Agent" header value for browser based interaction
        mobile_app_id: The application identification string in case of interaction via mobile application
            (bundle identifier or package name).
        agent_platform: Platform on which the interaction was made
        workspace_id: Optional workspace identifier. If specified, the event will be placed into this
            workspace, otherwise, the default algorithm for workspace placement will be applied.
        non_company_participants: body parameter 'nonCompanyParticipants'
        more_info_url: body parameter 'moreInfoUrl'
        sharer: body parameter 'sharer'
        sharing_message_subject: body parameter 'sharingMessageSubject'
        share_id: body parameter 'shareId'
        tracking_id: body parameter 'trackingId'
        sharing_message_body: body parameter 'sharingMessageBody'
        select: A JMESPath expression applied to the JSON answer before the size cap: `calls[].{id: id,
            title: title}`.
    """
    return await invoke(
        ctx,
        "update_a_gong_customer_engagement_action",
        {
            "reportingSystem": reporting_system,
            "eventTimestamp": event_timestamp,
            "eventId": event_id,
            "contentId": content_id,
            "contentUrl": content_url,
            "contentTitle": content_title,
            "actionName": action_name,
            "eventInfoUrl": event_info_url,
            "actor": actor,
            "crmContext": crm_context,
            "contentProperties": content_properties,
            "eventProperties": event_properties,
            "userAgent": user_agent,
            "mobileAppId": mobile_app_id,
            "agentPlatform": agent_platform,
            "workspaceId": workspace_id,
            "nonCompanyParticipants": non_company_participants,
            "moreInfoUrl": more_info_url,
            "sharer": sharer,
            "sharingMessageSubject": sharing_message_subject,
            "shareId": share_id,
            "trackingId": tracking_id,
            "sharingMessageBody": sharing_message_body,
            "select": select,
        },
    )
