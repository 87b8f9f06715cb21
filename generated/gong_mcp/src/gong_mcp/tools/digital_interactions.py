"""Tools for Digital Interactions."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Literal

from mcp.server.mcpserver import Context
from mcp.types import CallToolResult
from pydantic import Field

from ..runtime.serve.server import invoke

if TYPE_CHECKING:
    from .. import models


async def create_a_gong_digital_interaction(
    ctx: Context,
    event_id: Annotated[str, Field(validation_alias="eventId")],
    timestamp: str,
    event_type: Annotated[str, Field(validation_alias="eventType")],
    content: models.Content,
    source_system_name: Annotated[str | None, Field(validation_alias="sourceSystemName")] = None,
    session_id: Annotated[str | None, Field(validation_alias="sessionId")] = None,
    device: Literal["MOBILE", "PC"] | None = None,
    person: models.Person | None = None,
    custom_fields: Annotated[list[models.CustomField] | None, Field(validation_alias="customFields")] = None,
    tracking_id: Annotated[str | None, Field(validation_alias="trackingId")] = None,
    select: str | None = None,
) -> CallToolResult:
    """Post a Digital Interaction (/v2/digital-interaction)

    POST /v2/digital-interaction

    When accessed through a Bearer token authorization method, this endpoint requires the scope
    'api:digital-interactions:write'.

    Args:
        event_id: The provider's unique identifier for the event used for deduplication
        timestamp: The date and time of the event in ISO 8601 format
        event_type: The type of the event, explaining the content and action performed. Values may be
            partner-aligned, for example, "link clicked", "page viewed\"
        content: The content the person looked at
        source_system_name: When integrating via IPaaS, the name of the technology partner the customer set
            up a Gong integration with via an IPaaS. When integrating directly with Gong: the name of the
            company setting up the integration with Gong
        session_id: The identifier for the session, useful for tying related events together
        device: The device used during the event
        person: The person who did the event. Must be null if a tracking ID is sent instead.
        custom_fields: Include additional custom data about the event
        tracking_id: The ID used for tracking the person who did the event. Must be null if a person is sent
            instead.
        select: A JMESPath expression applied to the JSON answer before the size cap: `calls[].{id: id,
            title: title}`.
    """
    return await invoke(
        ctx,
        "create_a_gong_digital_interaction",
        {
            "eventId": event_id,
            "timestamp": timestamp,
            "eventType": event_type,
            "content": content,
            "sourceSystemName": source_system_name,
            "sessionId": session_id,
            "device": device,
            "person": person,
            "customFields": custom_fields,
            "trackingId": tracking_id,
            "select": select,
        },
    )
