"""Tools for Permissions."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

from mcp.server.mcpserver import Context
from mcp.types import CallToolResult
from pydantic import Field

from ..runtime.serve.server import invoke

if TYPE_CHECKING:
    from .. import models


async def list_all_gong_permission_profiles(
    ctx: Context,
    profile_id: Annotated[str, Field(validation_alias="profileId", min_length=1)],
    select: str | None = None,
) -> CallToolResult:
    """Permission profile for a given profile Id (/v2/permission-profile)

    GET /v2/permission-profile

    Returns a permission profile.

    Args:
        profile_id: Permission profile identifier.
        select: A JMESPath expression applied to the JSON answer before the size cap: `calls[].{id: id,
            title: title}`.
    """
    return await invoke(
        ctx,
        "list_all_gong_permission_profiles",
        {
            "profileId": profile_id,
            "select": select,
        },
    )


async def update_a_gong_permission_profile(
    ctx: Context,
    profile_id: Annotated[str, Field(validation_alias="profileId", min_length=1)],
    id: str | None = None,
    name: str | None = None,
    description: str | None = None,
    calls_access: Annotated[models.CallAccessWithPermissionLevel | None, Field(validation_alias="callsAccess")] = None,
    library_folder_access: Annotated[
        models.LibraryFolderAccess | None, Field(validation_alias="libraryFolderAccess")
    ] = None,
    deals_access: Annotated[models.DealsAccessWithPermissionLevel | None, Field(validation_alias="dealsAccess")] = None,
    forecast_permissions: Annotated[
        models.ForecastPermissions | None, Field(validation_alias="forecastPermissions")
    ] = None,
    coaching_access: Annotated[
        models.CoachingAccessWithPermissionLevel | None, Field(validation_alias="coachingAccess")
    ] = None,
    insights_access: Annotated[
        models.InsightsAccessWithPermissionLevel | None, Field(validation_alias="insightsAccess")
    ] = None,
    usage_access: Annotated[models.UsageAccessWithPermissionLevel | None, Field(validation_alias="usageAccess")] = None,
    emails_access: Annotated[
        models.EmailsAccessWithPermissionLevel | None, Field(validation_alias="emailsAccess")
    ] = None,
    score_calls: Annotated[bool | None, Field(validation_alias="scoreCalls")] = None,
    override_score: Annotated[bool | None, Field(validation_alias="overrideScore")] = None,
    download_call_media: Annotated[bool | None, Field(validation_alias="downloadCallMedia")] = None,
    share_calls_with_customers: Annotated[bool | None, Field(validation_alias="shareCallsWithCustomers")] = None,
    manually_schedule_and_upload_calls: Annotated[
        bool | None, Field(validation_alias="manuallyScheduleAndUploadCalls")
    ] = None,
    private_calls: Annotated[bool | None, Field(validation_alias="privateCalls")] = None,
    delete_calls: Annotated[bool | None, Field(validation_alias="deleteCalls")] = None,
    trim_calls: Annotated[bool | None, Field(validation_alias="trimCalls")] = None,
    listen_in_calls: Annotated[bool | None, Field(validation_alias="listenInCalls")] = None,
    delete_emails: Annotated[bool | None, Field(validation_alias="deleteEmails")] = None,
    calls_and_search: Annotated[bool | None, Field(validation_alias="callsAndSearch")] = None,
    library: bool | None = None,
    deals: bool | None = None,
    create_edit_and_delete_deals_boards: Annotated[
        bool | None, Field(validation_alias="createEditAndDeleteDealsBoards")
    ] = None,
    deals_inline_editing: Annotated[bool | None, Field(validation_alias="dealsInlineEditing")] = None,
    account: bool | None = None,
    coaching: bool | None = None,
    usage: bool | None = None,
    team_stats: Annotated[bool | None, Field(validation_alias="teamStats")] = None,
    initiatives: bool | None = None,
    market: bool | None = None,
    activity: bool | None = None,
    forecast: bool | None = None,
    forecast_manage: Annotated[bool | None, Field(validation_alias="forecastManage")] = None,
    engage_manage_company_templates: Annotated[
        bool | None, Field(validation_alias="engageManageCompanyTemplates")
    ] = None,
    engage_manage_company_sequences: Annotated[
        bool | None, Field(validation_alias="engageManageCompanySequences")
    ] = None,
    engage_create_and_manage_rulesets: Annotated[
        bool | None, Field(validation_alias="engageCreateAndManageRulesets")
    ] = None,
    engage_snooze_flow_to_dos_for_others: Annotated[
        bool | None, Field(validation_alias="engageSnoozeFlowToDosForOthers")
    ] = None,
    engage_allow_crm_fields_view_change: Annotated[
        bool | None, Field(validation_alias="engageAllowCrmFieldsViewChange")
    ] = None,
    view_engage_analytics_activity: Annotated[
        bool | None, Field(validation_alias="viewEngageAnalyticsActivity")
    ] = None,
    view_engage_analytics_performance: Annotated[
        bool | None, Field(validation_alias="viewEngageAnalyticsPerformance")
    ] = None,
    view_engage_analytics_flows: Annotated[bool | None, Field(validation_alias="viewEngageAnalyticsFlows")] = None,
    manage_general_business_settings: Annotated[
        bool | None, Field(validation_alias="manageGeneralBusinessSettings")
    ] = None,
    manage_scorecards: Annotated[bool | None, Field(validation_alias="manageScorecards")] = None,
    export_calls_and_coaching_data_to_csv: Annotated[
        bool | None, Field(validation_alias="exportCallsAndCoachingDataToCSV")
    ] = None,
    crm_data_inline_editing: Annotated[bool | None, Field(validation_alias="crmDataInlineEditing")] = None,
    crm_data_import: Annotated[bool | None, Field(validation_alias="crmDataImport")] = None,
    view_revenue_analytics: Annotated[bool | None, Field(validation_alias="viewRevenueAnalytics")] = None,
    manage_revenue_analytics: Annotated[bool | None, Field(validation_alias="manageRevenueAnalytics")] = None,
    engage_reassign_flow_to_dos_to_others: Annotated[
        bool | None, Field(validation_alias="engageReassignFlowToDosToOthers")
    ] = None,
    engage_assign_flow_to_dos_to_others: Annotated[
        bool | None, Field(validation_alias="engageAssignFlowToDosToOthers")
    ] = None,
    deals_data_export: Annotated[bool | None, Field(validation_alias="dealsDataExport")] = None,
    ai_builder: Annotated[bool | None, Field(validation_alias="aiBuilder")] = None,
    orchestrate_create_and_manage_plays: Annotated[
        bool | None, Field(validation_alias="orchestrateCreateAndManagePlays")
    ] = None,
    select: str | None = None,
) -> CallToolResult:
    """Update permission profile (/v2/permission-profile)

    PUT /v2/permission-profile

    Update a permission profile.

    Args:
        profile_id: Permission profile identifier.
        id: Unique numeric identifier of the permission profile (up to 20 digits).
        name: Permission profile name.
        description: Permission profile description.
        calls_access: Calls access permission.
        library_folder_access: Library folder access permission.
        deals_access: Deals access permission.
        forecast_permissions: All forecast permissions.
        coaching_access: Coaching access permission.
        insights_access: Insights access permission.
        usage_access: Usage access permission.
        emails_access: Emails access permission.
        score_calls: User can score calls.
        override_score: User can override someone else score.
        download_call_media: User can download call media.
        share_calls_with_customers: User can share calls with customers.
        manually_schedule_and_upload_calls: User can manually schedule and upload calls.
        private_calls: User can set their own calls as private.
        delete_calls: User can delete calls.
        trim_calls: User can trim calls.
        listen_in_calls: User can listen in calls.
        delete_emails: User can delete emails.
        calls_and_search: User can view and search calls.
        library: User can view library pages.
        deals: User can view deals pages.
        create_edit_and_delete_deals_boards: User can create/edit/delete deals boards.
        deals_inline_editing: User can perform inline editing of deals.
        account: User can view account pages.
        coaching: User can view coaching pages.
        usage: User can view usage pages.
        team_stats: User can view team stats page.
        initiatives: User can view initiatives page.
        market: User can view market page.
        activity: User can view activity pages.
        forecast: User can view forecast pages.
        forecast_manage: User can manage forecast boards and upload targets.
        engage_manage_company_templates: User can manage company email templates.
        engage_manage_company_sequences: User can manage company sequences.
        engage_create_and_manage_rulesets: User can create and manage rulesets.
        engage_snooze_flow_to_dos_for_others: User can snooze flow in to dos for others
        engage_allow_crm_fields_view_change: User can change crm fields view
        view_engage_analytics_activity: User can view engage analytics activity page.
        view_engage_analytics_performance: User can view engage analytics performance page.
        view_engage_analytics_flows: User can view engage analytics flows page.
        manage_general_business_settings: User can manage general business settings.
        manage_scorecards: User can manage scorecards.
        export_calls_and_coaching_data_to_csv: User can export calls and coaching metrics data to CSV.
        crm_data_inline_editing: User can perform inline editing of crm data.
        crm_data_import: User can perform import of crm data.
        view_revenue_analytics: User can view dashboards page.
        manage_revenue_analytics: User can manage revenue analytics.
        engage_reassign_flow_to_dos_to_others: User can reassign flow to-dos to others
        engage_assign_flow_to_dos_to_others: User can assign flow to-dos to others
        deals_data_export: User can export deals data
        ai_builder: User can access AI Builder
        orchestrate_create_and_manage_plays: User can create and manage plays.
        select: A JMESPath expression applied to the JSON answer before the size cap: `calls[].{id: id,
            title: title}`.
    """
    return await invoke(
        ctx,
        "update_a_gong_permission_profile",
        {
            "profileId": profile_id,
            "id": id,
            "name": name,
            "description": description,
            "callsAccess": calls_access,
            "libraryFolderAccess": library_folder_access,
            "dealsAccess": deals_access,
            "forecastPermissions": forecast_permissions,
            "coachingAccess": coaching_access,
            "insightsAccess": insights_access,
            "usageAccess": usage_access,
            "emailsAccess": emails_access,
            "scoreCalls": score_calls,
            "overrideScore": override_score,
            "downloadCallMedia": download_call_media,
            "shareCallsWithCustomers": share_calls_with_customers,
            "manuallyScheduleAndUploadCalls": manually_schedule_and_upload_calls,
            "privateCalls": private_calls,
            "deleteCalls": delete_calls,
            "trimCalls": trim_calls,
            "listenInCalls": listen_in_calls,
            "deleteEmails": delete_emails,
            "callsAndSearch": calls_and_search,
            "library": library,
            "deals": deals,
            "createEditAndDeleteDealsBoards": create_edit_and_delete_deals_boards,
            "dealsInlineEditing": deals_inline_editing,
            "account": account,
            "coaching": coaching,
            "usage": usage,
            "teamStats": team_stats,
            "initiatives": initiatives,
            "market": market,
            "activity": activity,
            "forecast": forecast,
            "forecastManage": forecast_manage,
            "engageManageCompanyTemplates": engage_manage_company_templates,
            "engageManageCompanySequences": engage_manage_company_sequences,
            "engageCreateAndManageRulesets": engage_create_and_manage_rulesets,
            "engageSnoozeFlowToDosForOthers": engage_snooze_flow_to_dos_for_others,
            "engageAllowCrmFieldsViewChange": engage_allow_crm_fields_view_change,
            "viewEngageAnalyticsActivity": view_engage_analytics_activity,
            "viewEngageAnalyticsPerformance": view_engage_analytics_performance,
            "viewEngageAnalyticsFlows": view_engage_analytics_flows,
            "manageGeneralBusinessSettings": manage_general_business_settings,
            "manageScorecards": manage_scorecards,
            "exportCallsAndCoachingDataToCSV": export_calls_and_coaching_data_to_csv,
            "crmDataInlineEditing": crm_data_inline_editing,
            "crmDataImport": crm_data_import,
            "viewRevenueAnalytics": view_revenue_analytics,
            "manageRevenueAnalytics": manage_revenue_analytics,
            "engageReassignFlowToDosToOthers": engage_reassign_flow_to_dos_to_others,
            "engageAssignFlowToDosToOthers": engage_assign_flow_to_dos_to_others,
            "dealsDataExport": deals_data_export,
            "aiBuilder": ai_builder,
            "orchestrateCreateAndManagePlays": orchestrate_create_and_manage_plays,
            "select": select,
        },
    )


async def create_a_gong_permission_profile(
    ctx: Context,
    workspace_id: Annotated[str, Field(validation_alias="workspaceId", min_length=1)],
    id: str | None = None,
    name: str | None = None,
    description: str | None = None,
    calls_access: Annotated[models.CallAccessWithPermissionLevel | None, Field(validation_alias="callsAccess")] = None,
    library_folder_access: Annotated[
        models.LibraryFolderAccess | None, Field(validation_alias="libraryFolderAccess")
    ] = None,
    deals_access: Annotated[models.DealsAccessWithPermissionLevel | None, Field(validation_alias="dealsAccess")] = None,
    forecast_permissions: Annotated[
        models.ForecastPermissions | None, Field(validation_alias="forecastPermissions")
    ] = None,
    coaching_access: Annotated[
        models.CoachingAccessWithPermissionLevel | None, Field(validation_alias="coachingAccess")
    ] = None,
    insights_access: Annotated[
        models.InsightsAccessWithPermissionLevel | None, Field(validation_alias="insightsAccess")
    ] = None,
    usage_access: Annotated[models.UsageAccessWithPermissionLevel | None, Field(validation_alias="usageAccess")] = None,
    emails_access: Annotated[
        models.EmailsAccessWithPermissionLevel | None, Field(validation_alias="emailsAccess")
    ] = None,
    score_calls: Annotated[bool | None, Field(validation_alias="scoreCalls")] = None,
    override_score: Annotated[bool | None, Field(validation_alias="overrideScore")] = None,
    download_call_media: Annotated[bool | None, Field(validation_alias="downloadCallMedia")] = None,
    share_calls_with_customers: Annotated[bool | None, Field(validation_alias="shareCallsWithCustomers")] = None,
    manually_schedule_and_upload_calls: Annotated[
        bool | None, Field(validation_alias="manuallyScheduleAndUploadCalls")
    ] = None,
    private_calls: Annotated[bool | None, Field(validation_alias="privateCalls")] = None,
    delete_calls: Annotated[bool | None, Field(validation_alias="deleteCalls")] = None,
    trim_calls: Annotated[bool | None, Field(validation_alias="trimCalls")] = None,
    listen_in_calls: Annotated[bool | None, Field(validation_alias="listenInCalls")] = None,
    delete_emails: Annotated[bool | None, Field(validation_alias="deleteEmails")] = None,
    calls_and_search: Annotated[bool | None, Field(validation_alias="callsAndSearch")] = None,
    library: bool | None = None,
    deals: bool | None = None,
    create_edit_and_delete_deals_boards: Annotated[
        bool | None, Field(validation_alias="createEditAndDeleteDealsBoards")
    ] = None,
    deals_inline_editing: Annotated[bool | None, Field(validation_alias="dealsInlineEditing")] = None,
    account: bool | None = None,
    coaching: bool | None = None,
    usage: bool | None = None,
    team_stats: Annotated[bool | None, Field(validation_alias="teamStats")] = None,
    initiatives: bool | None = None,
    market: bool | None = None,
    activity: bool | None = None,
    forecast: bool | None = None,
    forecast_manage: Annotated[bool | None, Field(validation_alias="forecastManage")] = None,
    engage_manage_company_templates: Annotated[
        bool | None, Field(validation_alias="engageManageCompanyTemplates")
    ] = None,
    engage_manage_company_sequences: Annotated[
        bool | None, Field(validation_alias="engageManageCompanySequences")
    ] = None,
    engage_create_and_manage_rulesets: Annotated[
        bool | None, Field(validation_alias="engageCreateAndManageRulesets")
    ] = None,
    engage_snooze_flow_to_dos_for_others: Annotated[
        bool | None, Field(validation_alias="engageSnoozeFlowToDosForOthers")
    ] = None,
    engage_allow_crm_fields_view_change: Annotated[
        bool | None, Field(validation_alias="engageAllowCrmFieldsViewChange")
    ] = None,
    view_engage_analytics_activity: Annotated[
        bool | None, Field(validation_alias="viewEngageAnalyticsActivity")
    ] = None,
    view_engage_analytics_performance: Annotated[
        bool | None, Field(validation_alias="viewEngageAnalyticsPerformance")
    ] = None,
    view_engage_analytics_flows: Annotated[bool | None, Field(validation_alias="viewEngageAnalyticsFlows")] = None,
    manage_general_business_settings: Annotated[
        bool | None, Field(validation_alias="manageGeneralBusinessSettings")
    ] = None,
    manage_scorecards: Annotated[bool | None, Field(validation_alias="manageScorecards")] = None,
    export_calls_and_coaching_data_to_csv: Annotated[
        bool | None, Field(validation_alias="exportCallsAndCoachingDataToCSV")
    ] = None,
    crm_data_inline_editing: Annotated[bool | None, Field(validation_alias="crmDataInlineEditing")] = None,
    crm_data_import: Annotated[bool | None, Field(validation_alias="crmDataImport")] = None,
    view_revenue_analytics: Annotated[bool | None, Field(validation_alias="viewRevenueAnalytics")] = None,
    manage_revenue_analytics: Annotated[bool | None, Field(validation_alias="manageRevenueAnalytics")] = None,
    engage_reassign_flow_to_dos_to_others: Annotated[
        bool | None, Field(validation_alias="engageReassignFlowToDosToOthers")
    ] = None,
    engage_assign_flow_to_dos_to_others: Annotated[
        bool | None, Field(validation_alias="engageAssignFlowToDosToOthers")
    ] = None,
    deals_data_export: Annotated[bool | None, Field(validation_alias="dealsDataExport")] = None,
    ai_builder: Annotated[bool | None, Field(validation_alias="aiBuilder")] = None,
    orchestrate_create_and_manage_plays: Annotated[
        bool | None, Field(validation_alias="orchestrateCreateAndManagePlays")
    ] = None,
    select: str | None = None,
) -> CallToolResult:
    """Create permission profile (/v2/permission-profile)

    POST /v2/permission-profile

    Create a permission profile in a given workspace.

    Args:
        workspace_id: Workspace identifier. You can retrieve the workspace using the "workspaces" (under
            "Settings") API.
        id: Unique numeric identifier of the permission profile (up to 20 digits).
        name: Permission profile name.
        description: Permission profile description.
        calls_access: Calls access permission.
        library_folder_access: Library folder access permission.
        deals_access: Deals access permission.
        forecast_permissions: All forecast permissions.
        coaching_access: Coaching access permission.
        insights_access: Insights access permission.
        usage_access: Usage access permission.
        emails_access: Emails access permission.
        score_calls: User can score calls.
        override_score: User can override someone else score.
        download_call_media: User can download call media.
        share_calls_with_customers: User can share calls with customers.
        manually_schedule_and_upload_calls: User can manually schedule and upload calls.
        private_calls: User can set their own calls as private.
        delete_calls: User can delete calls.
        trim_calls: User can trim calls.
        listen_in_calls: User can listen in calls.
        delete_emails: User can delete emails.
        calls_and_search: User can view and search calls.
        library: User can view library pages.
        deals: User can view deals pages.
        create_edit_and_delete_deals_boards: User can create/edit/delete deals boards.
        deals_inline_editing: User can perform inline editing of deals.
        account: User can view account pages.
        coaching: User can view coaching pages.
        usage: User can view usage pages.
        team_stats: User can view team stats page.
        initiatives: User can view initiatives page.
        market: User can view market page.
        activity: User can view activity pages.
        forecast: User can view forecast pages.
        forecast_manage: User can manage forecast boards and upload targets.
        engage_manage_company_templates: User can manage company email templates.
        engage_manage_company_sequences: User can manage company sequences.
        engage_create_and_manage_rulesets: User can create and manage rulesets.
        engage_snooze_flow_to_dos_for_others: User can snooze flow in to dos for others
        engage_allow_crm_fields_view_change: User can change crm fields view
        view_engage_analytics_activity: User can view engage analytics activity page.
        view_engage_analytics_performance: User can view engage analytics performance page.
        view_engage_analytics_flows: User can view engage analytics flows page.
        manage_general_business_settings: User can manage general business settings.
        manage_scorecards: User can manage scorecards.
        export_calls_and_coaching_data_to_csv: User can export calls and coaching metrics data to CSV.
        crm_data_inline_editing: User can perform inline editing of crm data.
        crm_data_import: User can perform import of crm data.
        view_revenue_analytics: User can view dashboards page.
        manage_revenue_analytics: User can manage revenue analytics.
        engage_reassign_flow_to_dos_to_others: User can reassign flow to-dos to others
        engage_assign_flow_to_dos_to_others: User can assign flow to-dos to others
        deals_data_export: User can export deals data
        ai_builder: User can access AI Builder
        orchestrate_create_and_manage_plays: User can create and manage plays.
        select: A JMESPath expression applied to the JSON answer before the size cap: `calls[].{id: id,
            title: title}`.
    """
    return await invoke(
        ctx,
        "create_a_gong_permission_profile",
        {
            "workspaceId": workspace_id,
            "id": id,
            "name": name,
            "description": description,
            "callsAccess": calls_access,
            "libraryFolderAccess": library_folder_access,
            "dealsAccess": deals_access,
            "forecastPermissions": forecast_permissions,
            "coachingAccess": coaching_access,
            "insightsAccess": insights_access,
            "usageAccess": usage_access,
            "emailsAccess": emails_access,
            "scoreCalls": score_calls,
            "overrideScore": override_score,
            "downloadCallMedia": download_call_media,
            "shareCallsWithCustomers": share_calls_with_customers,
            "manuallyScheduleAndUploadCalls": manually_schedule_and_upload_calls,
            "privateCalls": private_calls,
            "deleteCalls": delete_calls,
            "trimCalls": trim_calls,
            "listenInCalls": listen_in_calls,
            "deleteEmails": delete_emails,
            "callsAndSearch": calls_and_search,
            "library": library,
            "deals": deals,
            "createEditAndDeleteDealsBoards": create_edit_and_delete_deals_boards,
            "dealsInlineEditing": deals_inline_editing,
            "account": account,
            "coaching": coaching,
            "usage": usage,
            "teamStats": team_stats,
            "initiatives": initiatives,
            "market": market,
            "activity": activity,
            "forecast": forecast,
            "forecastManage": forecast_manage,
            "engageManageCompanyTemplates": engage_manage_company_templates,
            "engageManageCompanySequences": engage_manage_company_sequences,
            "engageCreateAndManageRulesets": engage_create_and_manage_rulesets,
            "engageSnoozeFlowToDosForOthers": engage_snooze_flow_to_dos_for_others,
            "engageAllowCrmFieldsViewChange": engage_allow_crm_fields_view_change,
            "viewEngageAnalyticsActivity": view_engage_analytics_activity,
            "viewEngageAnalyticsPerformance": view_engage_analytics_performance,
            "viewEngageAnalyticsFlows": view_engage_analytics_flows,
            "manageGeneralBusinessSettings": manage_general_business_settings,
            "manageScorecards": manage_scorecards,
            "exportCallsAndCoachingDataToCSV": export_calls_and_coaching_data_to_csv,
            "crmDataInlineEditing": crm_data_inline_editing,
            "crmDataImport": crm_data_import,
            "viewRevenueAnalytics": view_revenue_analytics,
            "manageRevenueAnalytics": manage_revenue_analytics,
            "engageReassignFlowToDosToOthers": engage_reassign_flow_to_dos_to_others,
            "engageAssignFlowToDosToOthers": engage_assign_flow_to_dos_to_others,
            "dealsDataExport": deals_data_export,
            "aiBuilder": ai_builder,
            "orchestrateCreateAndManagePlays": orchestrate_create_and_manage_plays,
            "select": select,
        },
    )


async def update_a_gong_calls_users_access(
    ctx: Context,
    call_access_list: Annotated[
        list[models.CallUsersAccessDto] | None, Field(validation_alias="callAccessList")
    ] = None,
    select: str | None = None,
) -> CallToolResult:
    """Give individual users access to calls (/v2/calls/users-access)

    PUT /v2/calls/users-access

    Give individual users access to calls.

    If a user already has access (perhaps the call was shared with them, or they have access through
    their permission profiles) the request will have no effect.

    When accessed through a Bearer token authorization method, this endpoint requires the scope
    'api:call-user-access:write'.

    Args:
        call_access_list: A list, in which each item specifies a call and a list of users to be given access
            to this call.
        select: A JMESPath expression applied to the JSON answer before the size cap: `calls[].{id: id,
            title: title}`.
    """
    return await invoke(
        ctx,
        "update_a_gong_calls_users_access",
        {
            "callAccessList": call_access_list,
            "select": select,
        },
    )


async def create_a_gong_calls_users_access(
    ctx: Context,
    filter: models.CallsAccessGetDto,
    select: str | None = None,
) -> CallToolResult:
    """Retrieve users that have specific individual access to calls (/v2/calls/users-access)

    POST /v2/calls/users-access

    Returns a list of users who have received individual access to calls through the API.

    This endpoint doesn't cover user that have access for other reasons (such as sharing recipients, or
    access through permission profiles).

    When accessed through a Bearer token authorization method, this endpoint requires the scope
    'api:call-user-access:read'.

    Args:
        filter: body parameter 'filter'
        select: A JMESPath expression applied to the JSON answer before the size cap: `calls[].{id: id,
            title: title}`.
    """
    return await invoke(
        ctx,
        "create_a_gong_calls_users_access",
        {
            "filter": filter,
            "select": select,
        },
    )


async def delete_a_gong_calls_users_access(
    ctx: Context,
    call_access_list: Annotated[
        list[models.CallUsersAccessDto] | None, Field(validation_alias="callAccessList")
    ] = None,
    select: str | None = None,
) -> CallToolResult:
    """Remove specific individual users access from calls (/v2/calls/users-access)

    DELETE /v2/calls/users-access

    Remove individual user access from calls. The request can only remove access previously given by the
    /v2/calls/users-access API.

    If a given user does not have access to the call, they will be unaffected.

    If a given user does have access to the call, but not through the pubic API (for example if the call
    was shared with the user), the user's access will remain unchanged.

    When accessed through a Bearer token authorization method, this endpoint requires the scope
    'api:call-user-access:write'.

    Args:
        call_access_list: A list, in which each item specifies a call and a list of users to be removed from
            the call.
        select: A JMESPath expression applied to the JSON answer before the size cap: `calls[].{id: id,
            title: title}`.
    """
    return await invoke(
        ctx,
        "delete_a_gong_calls_users_access",
        {
            "callAccessList": call_access_list,
            "select": select,
        },
    )


async def list_all_gong_permission_profile_users(
    ctx: Context,
    profile_id: Annotated[str, Field(validation_alias="profileId", min_length=1)],
    select: str | None = None,
) -> CallToolResult:
    """List all users attached to a given permission profile (/v2/permission-profile/users)

    GET /v2/permission-profile/users

    Returns a list of all users whose access is controlled by the given permission profile.

    When accessed through a Bearer token authorization method, this endpoint requires the scope
    'api:users:read'.

    Args:
        profile_id: Permission profile identifier.
        select: A JMESPath expression applied to the JSON answer before the size cap: `calls[].{id: id,
            title: title}`.
    """
    return await invoke(
        ctx,
        "list_all_gong_permission_profile_users",
        {
            "profileId": profile_id,
            "select": select,
        },
    )


async def list_all_gong_all_permission_profiles(
    ctx: Context,
    workspace_id: Annotated[str, Field(validation_alias="workspaceId", min_length=1)],
    select: str | None = None,
) -> CallToolResult:
    """List all company permission profiles for a given workspace (/v2/all-permission-profiles)

    GET /v2/all-permission-profiles

    Returns a list of all permission profiles.

    The listing is in the alphabetical order of the profile names.

    Args:
        workspace_id: Workspace identifier, the API will return only the profiles belonging to this
            workspace. You can retrieve the workspace using the "workspaces" (under "Settings") API.
        select: A JMESPath expression applied to the JSON answer before the size cap: `calls[].{id: id,
            title: title}`.
    """
    return await invoke(
        ctx,
        "list_all_gong_all_permission_profiles",
        {
            "workspaceId": workspace_id,
            "select": select,
        },
    )
