"""Tools for Integration Settings."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

from mcp.server.mcpserver import Context
from mcp.types import CallToolResult
from pydantic import Field

from ...runtime.serve.server import invoke

if TYPE_CHECKING:
    from .. import models


async def create_a_gong_integration_setting(
    ctx: Context,
    integration_type_settings: Annotated[
        list[models.IntegrationTypeSettings], Field(validation_alias="integrationTypeSettings")
    ],
    select: str | None = None,
) -> CallToolResult:
    """Integration Settings (/v2/integration-settings)

    POST /v2/integration-settings

    When accessed through a Bearer token authorization method, this endpoint requires the scope
    'api:integration-settings:write'.

    Args:
        integration_type_settings: Set a list of dynamic origins for a company
        select: A JMESPath expression applied to the JSON answer before the size cap: `calls[].{id: id,
            title: title}`.
    """
    return await invoke(
        ctx,
        "create_a_gong_integration_setting",
        {
            "integrationTypeSettings": integration_type_settings,
            "select": select,
        },
    )
