"""Tools for Engage Flows."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

from mcp.server.mcpserver import Context
from mcp.types import CallToolResult
from pydantic import Field

from ..runtime.serve.server import invoke

if TYPE_CHECKING:
    from .. import models


async def create_a_gong_flows_step(
    ctx: Context,
    flow_ids: Annotated[list[str] | None, Field(validation_alias="flowIds")] = None,
    select: str | None = None,
) -> CallToolResult:
    """Get flow details and steps for one or more Engage flows (/v2/flows/steps)

    POST /v2/flows/steps

    Returns flow details and their steps for one or more Engage flows.

    Each flow in the response includes its metadata (name, folder, visibility, creation date) and a list
    of steps.

    Each step includes its ID, order, action type, subject, body, and whether it is a reply.

    Step order is 1-based and maps directly to the step number used in the flow assignment endpoint.

    A maximum of 20 flow IDs may be requested at a time.

    When accessed through a Bearer token authorization method, use the 'api:flows:read' scope.

    Args:
        flow_ids: List of Engage Flow IDs to retrieve steps for. Maximum 20 flow IDs per request.
        select: A JMESPath expression applied to the JSON answer before the size cap: `calls[].{id: id,
            title: title}`.
    """
    return await invoke(
        ctx,
        "create_a_gong_flows_step",
        {
            "flowIds": flow_ids,
            "select": select,
        },
    )


async def create_a_gong_flows_prospect(
    ctx: Context,
    crm_prospects_ids: Annotated[list[str] | None, Field(validation_alias="crmProspectsIds")] = None,
    flow_instance_ids: Annotated[list[str] | None, Field(validation_alias="flowInstanceIds")] = None,
    select: str | None = None,
) -> CallToolResult:
    """List prospects assigned flows (/v2/flows/prospects)

    POST /v2/flows/prospects

    Get the Gong Engage flows assigned to the given crmProspectsIds.

    When querying by crmProspectsIds, only open (Pending/Running/Paused) flows are returned.

    Alternatively this endpoint can be used to get the flows assigned to prospects by the given
    flowInstanceIds.

    When querying by flowInstanceIds, all flows including finished ones are returned.

    When accessed through a Bearer token authorization method, this endpoint requires the scope
    'api:flows:read'.

    Args:
        crm_prospects_ids: CRM IDs of the prospects to list assigned flows for.
        flow_instance_ids: Assigned flow instance IDs.
        select: A JMESPath expression applied to the JSON answer before the size cap: `calls[].{id: id,
            title: title}`.
    """
    return await invoke(
        ctx,
        "create_a_gong_flows_prospect",
        {
            "crmProspectsIds": crm_prospects_ids,
            "flowInstanceIds": flow_instance_ids,
            "select": select,
        },
    )


async def create_a_gong_prospects_unassign_flows_by_instance_id(
    ctx: Context,
    flow_instance_ids: Annotated[list[str], Field(validation_alias="flowInstanceIds")],
    unassigned_by_user_email: Annotated[str | None, Field(validation_alias="unassignedByUserEmail")] = None,
    select: str | None = None,
) -> CallToolResult:
    """Unassign flows by Flow Instance ID (/v2/flows/prospects/unassign-flows-by-instance-id)

    POST /v2/flows/prospects/unassign-flows-by-instance-id

    This endpoint lets you specify flow instances to remove prospects from.

    A flow instance is created when a prospect is added to a flow. Retrieve the flow instance Id from
    the /v2/flows/prospects endpoint.

    The flow instance Ids the prospect was successfully removed from are returned in the response. If a
    prospect could not be removed from the flow for any reason, the Id isn’t returned in the response
    and the prospect is still assigned to the flow.

    You can remove prospects from up to 200 flows in a single request.

    When accessed through a Bearer token authorization method, this endpoint requires the scope
    'api:flows:write'.

    Args:
        flow_instance_ids: The unique identifiers of the flows that prospects should be removed from.
        unassigned_by_user_email: (Optional) The email address of the Gong user requesting to remove
            prospects from the flow instance. This is not the email of the prospect being removed from the
            flow.
        select: A JMESPath expression applied to the JSON answer before the size cap: `calls[].{id: id,
            title: title}`.
    """
    return await invoke(
        ctx,
        "create_a_gong_prospects_unassign_flows_by_instance_id",
        {
            "flowInstanceIds": flow_instance_ids,
            "unassignedByUserEmail": unassigned_by_user_email,
            "select": select,
        },
    )


async def create_a_gong_prospects_unassign_flows_by_crm_id(
    ctx: Context,
    crm_prospect_id: Annotated[str, Field(validation_alias="crmProspectId")],
    flow_id: Annotated[str | None, Field(validation_alias="flowId")] = None,
    unassigned_by_user_email: Annotated[str | None, Field(validation_alias="unassignedByUserEmail")] = None,
    select: str | None = None,
) -> CallToolResult:
    """Unassign flows by CRM Prospect ID (/v2/flows/prospects/unassign-flows-by-crm-id)

    POST /v2/flows/prospects/unassign-flows-by-crm-id

    This endpoint lets you remove a specific prospect from the flows they are assigned to.

    To remove the prospect from all flows they are assigned to, send the crmProspectId only.

    If you want to remove the prospect from a specific flow, get the flow id from the
    /v2/flows/prospects endpoint and include the crmProspectId and flowId in the request.

    The Ids of the flows the prospect was successfully removed from are returned in the response.

    When accessed through a Bearer token authorization method, this endpoint requires the scope
    'api:flows:write'.

    Args:
        crm_prospect_id: The CRM ID of the prospect to unassign.
        flow_id: The identifier of the flow to unassign the prospect from.
        unassigned_by_user_email: (Optional) The email address of the Gong user requesting to remove
            prospects from the flow instance. This is not the email of the prospect being removed from the
            flow.
        select: A JMESPath expression applied to the JSON answer before the size cap: `calls[].{id: id,
            title: title}`.
    """
    return await invoke(
        ctx,
        "create_a_gong_prospects_unassign_flows_by_crm_id",
        {
            "crmProspectId": crm_prospect_id,
            "flowId": flow_id,
            "unassignedByUserEmail": unassigned_by_user_email,
            "select": select,
        },
    )


async def create_a_gong_prospects_bulk_assignment(
    ctx: Context,
    flow_instance_owner_email: Annotated[str, Field(validation_alias="flowInstanceOwnerEmail")],
    flow_id: Annotated[str, Field(validation_alias="flowId")],
    prospects: list[models.FlowAssignmentProspect],
    wait: bool = False,
    timeout_s: float = 45.0,
    select: str | None = None,
) -> CallToolResult:
    """Submit a bulk assignment of prospects to a flow (/v2/flows/prospects/bulk-assignments)

    POST /v2/flows/prospects/bulk-assignments

    Use this endpoint to asynchronously submit a bulk assignment of prospects to a flow. Prospects can
    be contacts or leads in your CRM.

    You can assign up to 50 prospects to a flow in a single request.

    When accessed through a Bearer token authorization method, this endpoint requires the scope
    'api:flows:write'.

    Args:
        flow_instance_owner_email: The email of the Gong user who will own the flow instance.
        flow_id: The Flow ID to assign the prospects to.
        prospects: The prospects that should be assigned to the flow.
        wait: Poll get_single_gong_prospects_bulk_assignment_by_id until the job reaches COMPLETED, FAILED
            and return the final state (default false: return at once with the job id).
        timeout_s: With wait: give up waiting after this many seconds (at most 300); the job goes on.
        select: A JMESPath expression applied to the JSON answer before the size cap: `calls[].{id: id,
            title: title}`.
    """
    return await invoke(
        ctx,
        "create_a_gong_prospects_bulk_assignment",
        {
            "flowInstanceOwnerEmail": flow_instance_owner_email,
            "flowId": flow_id,
            "prospects": prospects,
            "wait": wait,
            "timeout_s": timeout_s,
            "select": select,
        },
    )


async def create_a_gong_prospects_assign(
    ctx: Context,
    crm_prospects_ids: Annotated[list[str], Field(validation_alias="crmProspectsIds")],
    flow_id: Annotated[str, Field(validation_alias="flowId")],
    flow_instance_owner_email: Annotated[str, Field(validation_alias="flowInstanceOwnerEmail")],
    overrides: models.AssignOverrides | None = None,
    flow_instance_description: Annotated[str | None, Field(validation_alias="flowInstanceDescription")] = None,
    select: str | None = None,
) -> CallToolResult:
    """Assign prospects (contacts or leads) to an Engage flow (/v2/flows/prospects/assign)

    POST /v2/flows/prospects/assign

    Use this endpoint to assign a number of prospects to a flow. Prospects can be contacts or leads in
    your CRM.

    Generate a list of comma separated CRM Ids of the prospects you want to add to a flow. The
    flowInstanceOwnerEmail parameter is the email address of the Gong user who set up the flow instance
    and owns the flow to-dos.

    You can assign up to 100 prospects to a flow in a single request.

    When accessed through a Bearer token authorization method, this endpoint requires the scope
    'api:flows:write'.

    Args:
        crm_prospects_ids: The CRM IDs of the contact or lead that should be assigned to a flow.
        flow_id: The Engage Flow ID to assign the contacts to.
        flow_instance_owner_email: The email of the Gong user who owns the flow to-dos.
        overrides: Defines the new data for specific steps and variables in the flow (in Beta Phase).
        flow_instance_description: The description for the flow instance (in Beta Phase).
        select: A JMESPath expression applied to the JSON answer before the size cap: `calls[].{id: id,
            title: title}`.
    """
    return await invoke(
        ctx,
        "create_a_gong_prospects_assign",
        {
            "crmProspectsIds": crm_prospects_ids,
            "flowId": flow_id,
            "flowInstanceOwnerEmail": flow_instance_owner_email,
            "overrides": overrides,
            "flowInstanceDescription": flow_instance_description,
            "select": select,
        },
    )


async def create_a_gong_assign_cool_off_override(
    ctx: Context,
    crm_prospects_ids: Annotated[list[str], Field(validation_alias="crmProspectsIds")],
    flow_id: Annotated[str, Field(validation_alias="flowId")],
    flow_instance_owner_email: Annotated[str, Field(validation_alias="flowInstanceOwnerEmail")],
    overrides: models.AssignOverrides | None = None,
    flow_instance_description: Annotated[str | None, Field(validation_alias="flowInstanceDescription")] = None,
    select: str | None = None,
) -> CallToolResult:
    """Assign prospects (contacts or leads) to an Engage flow regardless of the cool off status…

    POST /v2/flows/prospects/assign/cool-off-override

    Use this endpoint to assign a number of prospects to a flow regardless of the cool off status.
    Prospects can be contacts or leads in your CRM.

    Generate a list of comma separated CRM Ids of the prospects you want to add to a flow. The
    flowInstanceOwnerEmail parameter is the email address of the Gong user who set up the flow instance
    and owns the flow to-dos.

    You can assign up to 100 prospects to a flow in a single request.

    When accessed through a Bearer token authorization method, this endpoint requires the scope
    'api:flows:write'.

    Args:
        crm_prospects_ids: The CRM IDs of the contact or lead that should be assigned to a flow.
        flow_id: The Engage Flow ID to assign the contacts to.
        flow_instance_owner_email: The email of the Gong user who owns the flow to-dos.
        overrides: Defines the new data for specific steps and variables in the flow (in Beta Phase).
        flow_instance_description: The description for the flow instance (in Beta Phase).
        select: A JMESPath expression applied to the JSON answer before the size cap: `calls[].{id: id,
            title: title}`.
    """
    return await invoke(
        ctx,
        "create_a_gong_assign_cool_off_override",
        {
            "crmProspectsIds": crm_prospects_ids,
            "flowId": flow_id,
            "flowInstanceOwnerEmail": flow_instance_owner_email,
            "overrides": overrides,
            "flowInstanceDescription": flow_instance_description,
            "select": select,
        },
    )


async def list_all_gong_flows(
    ctx: Context,
    flow_owner_email: Annotated[str, Field(validation_alias="flowOwnerEmail", min_length=1)],
    cursor: str | None = None,
    workspace_id: Annotated[str | None, Field(validation_alias="workspaceId")] = None,
    folder_id: Annotated[str | None, Field(validation_alias="folderId")] = None,
    most_recently_assigned: Annotated[bool | None, Field(validation_alias="mostRecentlyAssigned")] = None,
    max_pages: Annotated[int, Field(ge=1, le=10)] | None = None,
    select: str | None = None,
) -> CallToolResult:
    """List Gong Engage flows (/v2/flows)

    GET /v2/flows

    Engage flows have the following visibility types:

    * Company: visible to everyone in the company, can only be edited by users with edit permissions.

    * Personal: reps can set up their own flows which are only available to them.

    * Shared: reps can share a flow with other reps. Those reps can then add leads to the flow.

    This endpoint returns all company flows, together with personal flows and flows shared with the user
    specified in the flowEmailOwner parameter.

    Alternatively this endpoint can return the flows most recently assigned by the user.

    When accessed through a Bearer token authorization method, use the 'api:flows:read' scope.

    Args:
        flow_owner_email: Email of the Gong user whose personal flows and flows shared with the user you
            want to return.
        cursor: When paging is needed, provide the value supplied by the previous API call to bring the
            following page of records.
        workspace_id: Optional Workspace identifier, if supplied the API will return only the flows
            belonging to this workspace.
        folder_id: Optional Folder identifier, if supplied the API will return only the flows belonging to
            this particular folder.
        most_recently_assigned: Optional flag, if supplied the API will return only the most recently
            assigned flows capped at 20.
        max_pages: Follow the next-page cursor and merge up to this many pages (1-10) into one result,
            stopping on a page boundary under the size cap; leave it out for one page.
        select: A JMESPath expression applied to the JSON answer before the size cap: `calls[].{id: id,
            title: title}`.
    """
    return await invoke(
        ctx,
        "list_all_gong_flows",
        {
            "flowOwnerEmail": flow_owner_email,
            "cursor": cursor,
            "workspaceId": workspace_id,
            "folderId": folder_id,
            "mostRecentlyAssigned": most_recently_assigned,
            "max_pages": max_pages,
            "select": select,
        },
    )


async def get_single_gong_prospects_bulk_assignment_by_id(
    ctx: Context,
    id: Annotated[str, Field(min_length=1)],
    select: str | None = None,
) -> CallToolResult:
    """Get the results of a bulk assignment of prospects to a flow (/v2/flows/prospects/bulk-assignments/{id})

    GET /v2/flows/prospects/bulk-assignments/{id}

    Use this endpoint to get the results of a bulk assignment of prospects to a flow.

    When accessed through a Bearer token authorization method, this endpoint requires the scope
    'api:flows:read'.

    Args:
        id: path parameter 'id'
        select: A JMESPath expression applied to the JSON answer before the size cap: `calls[].{id: id,
            title: title}`.
    """
    return await invoke(
        ctx,
        "get_single_gong_prospects_bulk_assignment_by_id",
        {
            "id": id,
            "select": select,
        },
    )


async def list_all_gong_flows_folders(
    ctx: Context,
    flow_folder_owner_email: Annotated[str, Field(validation_alias="flowFolderOwnerEmail", min_length=1)],
    cursor: str | None = None,
    parent_id: Annotated[int | None, Field(validation_alias="parentId")] = None,
    workspace_id: Annotated[str | None, Field(validation_alias="workspaceId")] = None,
    max_pages: Annotated[int, Field(ge=1, le=10)] | None = None,
    select: str | None = None,
) -> CallToolResult:
    """List Gong Engage flow folders (/v2/flows/folders)

    GET /v2/flows/folders

    Engage flow folders have the following visibility types:

    * Company: visible to everyone in the company, can only be edited by users with edit permissions.

    * Personal: reps can set up their own flow folders which are only available to them.

    * Shared: reps can share a flow folder with other reps. Those reps can then add flows to the flow
    folder.

    This endpoint returns all company flow folders, together with personal flow folders and flow folders
    shared with the user specified in the flowEmailOwner parameter.

    When accessed through a Bearer token authorization method, use the 'api:flows:read' scope.

    Args:
        flow_folder_owner_email: Email of the Gong user whose personal flows folders and flows folders
            shared with the user you want to return.
        cursor: When paging is needed, provide the value supplied by the previous API call to bring the
            following page of records.
        parent_id: Optional folder identifier, if supplied the API will return only this folder and the
            child folders of this folder.
        workspace_id: Optional Workspace identifier, if supplied the API will return only the flows
            belonging to this workspace.
        max_pages: Follow the next-page cursor and merge up to this many pages (1-10) into one result,
            stopping on a page boundary under the size cap; leave it out for one page.
        select: A JMESPath expression applied to the JSON answer before the size cap: `calls[].{id: id,
            title: title}`.
    """
    return await invoke(
        ctx,
        "list_all_gong_flows_folders",
        {
            "flowFolderOwnerEmail": flow_folder_owner_email,
            "cursor": cursor,
            "parentId": parent_id,
            "workspaceId": workspace_id,
            "max_pages": max_pages,
            "select": select,
        },
    )
