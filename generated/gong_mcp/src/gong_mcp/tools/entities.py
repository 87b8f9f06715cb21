"""Tools for Entities."""

from __future__ import annotations

from typing import Annotated, Literal

from mcp.server.mcpserver import Context
from mcp.types import CallToolResult
from pydantic import Field

from ..runtime.serve.server import invoke


async def list_all_gong_entities_get_briefs(
    ctx: Context,
    workspace_id: Annotated[int, Field(validation_alias="workspaceId")],
    brief_name: Annotated[str, Field(validation_alias="briefName", min_length=1)],
    crm_entity_type: Annotated[Literal["ACCOUNT", "CONTACT", "DEAL", "LEAD"], Field(validation_alias="crmEntityType")],
    crm_entity_id: Annotated[str, Field(validation_alias="crmEntityId", min_length=1)],
    time_period: Annotated[
        Literal[
            "LAST_7DAYS",
            "LAST_30DAYS",
            "LAST_90DAYS",
            "LAST_90_DAYS_SINCE_LAST_ACTIVITY",
            "LAST_YEAR_SINCE_LAST_ACTIVITY",
            "LAST_YEAR",
            "THIS_WEEK",
            "THIS_MONTH",
            "THIS_YEAR",
            "THIS_QUARTER",
            "CUSTOM_RANGE",
            "ALL_CONVERSATIONS",
        ],
        Field(validation_alias="timePeriod"),
    ],
    from_date_time: Annotated[str | None, Field(validation_alias="fromDateTime")] = None,
    to_date_time: Annotated[str | None, Field(validation_alias="toDateTime")] = None,
    select: str | None = None,
) -> CallToolResult:
    """Generate a brief for a CRM entity (/v2/entities/get-brief)

    GET /v2/entities/get-brief

    Get a brief for an account, deal, contact, or lead that exists in your CRM. Briefs are set up in the
    Gong Agent Studio and you must provide the name of the brief you want to generate. A call to this
    API consumes Gong credits according to the number of emails and calls used to generate the brief.
    The brief is generated from calls or emails associated with the entity within the specified time
    period.
    The response includes:

    The brief

    Details of emails and calls used to generate the brief

    Required authorization scope: 'api:ai-briefer:read'. Get AI-generated briefs for entities (Accounts,
    Deals, Contacts, Leads) using briefs configured in Gong.

    Args:
        workspace_id: Workspace identifier. The workspace the brief is defined in.
        brief_name: The name of the brief to generate. Briefs are configured in the Agent Studio > AI
            Briefer.
        crm_entity_type: The object type of the entity in the CRM.
        crm_entity_id: The CRM Id of the entity the question is asked about.
        time_period: Specifies the time period during which associated calls and emails must have occurred
            to be used to generate the answer. The calls and emails must be associated with the specified
            entity.
        from_date_time: Required when timePeriod is CUSTOM_RANGE Specifies the date and time (UTC) on or
            after which calls (based on call start time) and emails must have occurred to be included when
            generating the answer. Date and time (in ISO-8601 format: '2024-10-18T08:00:00Z', where Z stands
            for UTC).
        to_date_time: Relevant only when timePeriod is CUSTOM_RANGE Specifies the date and time (UTC) before
            which calls (based on call start time) and emails must have occurred to be included when
            generating the answer. Date and time (in ISO-8601 format: '2024-10-18T08:00:00Z', where Z stands
            for UTC).
        select: A JMESPath expression applied to the JSON answer before the size cap: `calls[].{id: id,
            title: title}`.
    """
    return await invoke(
        ctx,
        "list_all_gong_entities_get_briefs",
        {
            "workspaceId": workspace_id,
            "briefName": brief_name,
            "crmEntityType": crm_entity_type,
            "crmEntityId": crm_entity_id,
            "timePeriod": time_period,
            "fromDateTime": from_date_time,
            "toDateTime": to_date_time,
            "select": select,
        },
    )


async def list_all_gong_entities_ask_entities(
    ctx: Context,
    workspace_id: Annotated[int, Field(validation_alias="workspaceId")],
    crm_entity_type: Annotated[Literal["ACCOUNT", "CONTACT", "DEAL", "LEAD"], Field(validation_alias="crmEntityType")],
    crm_entity_id: Annotated[str, Field(validation_alias="crmEntityId", min_length=1)],
    time_period: Annotated[
        Literal[
            "LAST_7DAYS",
            "LAST_30DAYS",
            "LAST_90DAYS",
            "LAST_90_DAYS_SINCE_LAST_ACTIVITY",
            "LAST_YEAR_SINCE_LAST_ACTIVITY",
            "LAST_YEAR",
            "THIS_WEEK",
            "THIS_MONTH",
            "THIS_YEAR",
            "THIS_QUARTER",
            "CUSTOM_RANGE",
            "ALL_CONVERSATIONS",
        ],
        Field(validation_alias="timePeriod"),
    ],
    question: Annotated[str, Field(min_length=1)],
    from_date_time: Annotated[str | None, Field(validation_alias="fromDateTime")] = None,
    to_date_time: Annotated[str | None, Field(validation_alias="toDateTime")] = None,
    select: str | None = None,
) -> CallToolResult:
    """Ask about an entity (/v2/entities/ask-entity)

    GET /v2/entities/ask-entity

    Returns the answer to a question about a specified entity. The answer is generated from calls or
    emails associated with the entity within the specified time period. A maximum of 60 calls and 500
    emails are used to answer the question. A call to this API consumes Gong credits according to the
    number of emails and calls used to generate the answer.
    Supported entities are Accounts, Deals, Contacts, or Leads that exist in your CRM.
    The response includes:

    The answer

    Details of emails and calls used to generate the answer

    Required authorization scope: 'api:ai-ask:read'. Get AI-generated answers to natural language
    questions about entities (Accounts, Deals, Contacts, Leads).

    Args:
        workspace_id: Workspace identifier. The calls and emails used to answer the question must be
            associated with this workspace.
        crm_entity_type: The object type of the entity in the CRM.
        crm_entity_id: The CRM Id of the entity the question is asked about.
        time_period: Specifies the time period during which associated calls and emails must have occurred
            to be used to generate the answer. The calls and emails must be associated with the specified
            entity.
        question: The question to answer.
        from_date_time: Required when timePeriod is CUSTOM_RANGE Specifies the date and time (UTC) on or
            after which calls (based on call start time) and emails must have occurred to be included when
            generating the answer. Date and time (in ISO-8601 format: '2024-10-18T08:00:00Z', where Z stands
            for UTC).
        to_date_time: Relevant only when timePeriod is CUSTOM_RANGE Specifies the date and time (UTC) before
            which calls (based on call start time) and emails must have occurred to be included when
            generating the answer. Date and time (in ISO-8601 format: '2024-10-18T08:00:00Z', where Z stands
            for UTC).
        select: A JMESPath expression applied to the JSON answer before the size cap: `calls[].{id: id,
            title: title}`.
    """
    return await invoke(
        ctx,
        "list_all_gong_entities_ask_entities",
        {
            "workspaceId": workspace_id,
            "crmEntityType": crm_entity_type,
            "crmEntityId": crm_entity_id,
            "timePeriod": time_period,
            "question": question,
            "fromDateTime": from_date_time,
            "toDateTime": to_date_time,
            "select": select,
        },
    )
