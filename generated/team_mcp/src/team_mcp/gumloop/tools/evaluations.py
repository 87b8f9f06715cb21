"""Tools for Evaluations."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from mcp.server.mcpserver import Context
from mcp.types import CallToolResult
from pydantic import Field

from ...runtime.serve.server import invoke


async def list_all_gumloop_evaluations(
    ctx: Context,
    agent_id: Annotated[str, Field(min_length=1)],
    page_size: int | None = None,
    cursor: str | None = None,
    grade: Literal["pass", "needs_review", "needs_attention"] | None = None,
    max_pages: Annotated[int, Field(ge=1, le=10)] | None = None,
    select: str | None = None,
) -> CallToolResult:
    """List evaluations

    GET /agents/{agent_id}/evaluations

    Returns a cursor-paginated list of evaluation results for a specific agent, newest first.
    Only completed and failed evaluations are returned (transient states like queued/in_progress are
    excluded).

    Each evaluation includes the grade, criteria pass/fail results, extracted data points, applied tags,
    and sentiment analysis.

    Args:
        agent_id: ID of the agent whose evaluations to list.
        page_size: Number of evaluations to return per page (1-100).
        cursor: Pagination cursor from a previous response's `next_cursor` field.
        grade: Filter evaluations by grade.
        max_pages: Follow the next-page cursor and merge up to this many pages (1-10) into one result,
            stopping on a page boundary under the size cap; leave it out for one page.
        select: A JMESPath expression applied to the JSON answer before the size cap: `calls[].{id: id,
            title: title}`.
    """
    return await invoke(
        ctx,
        "list_all_gumloop_evaluations",
        {
            "agent_id": agent_id,
            "page_size": page_size,
            "cursor": cursor,
            "grade": grade,
            "max_pages": max_pages,
            "select": select,
        },
    )


async def list_all_gumloop_evaluations_metrics(
    ctx: Context,
    agent_id: Annotated[str, Field(min_length=1)],
    days: int | None = None,
    select: str | None = None,
) -> CallToolResult:
    """Get evaluation metrics

    GET /agents/{agent_id}/evaluations/metrics

    Returns aggregated grade and tag counts for an agent's evaluations over a time window.
    Useful for dashboards and reporting on agent quality trends.

    Args:
        agent_id: ID of the agent.
        days: Number of days to look back (1-365). Defaults to 30.
        select: A JMESPath expression applied to the JSON answer before the size cap: `calls[].{id: id,
            title: title}`.
    """
    return await invoke(
        ctx,
        "list_all_gumloop_evaluations_metrics",
        {
            "agent_id": agent_id,
            "days": days,
            "select": select,
        },
    )


async def get_single_gumloop_evaluation_by_id(
    ctx: Context,
    agent_id: Annotated[str, Field(min_length=1)],
    evaluation_id: Annotated[str, Field(min_length=1)],
    select: str | None = None,
) -> CallToolResult:
    """Retrieve evaluation

    GET /agents/{agent_id}/evaluations/{evaluation_id}

    Retrieve a single evaluation result by ID. The evaluation must belong to the specified agent.

    Args:
        agent_id: ID of the agent the evaluation belongs to.
        evaluation_id: ID of the evaluation to retrieve.
        select: A JMESPath expression applied to the JSON answer before the size cap: `calls[].{id: id,
            title: title}`.
    """
    return await invoke(
        ctx,
        "get_single_gumloop_evaluation_by_id",
        {
            "agent_id": agent_id,
            "evaluation_id": evaluation_id,
            "select": select,
        },
    )


async def list_all_gumloop_evaluation_configs(
    ctx: Context,
    agent_id: Annotated[str, Field(min_length=1)],
    select: str | None = None,
) -> CallToolResult:
    """Get evaluation config

    GET /agents/{agent_id}/evaluation-config

    Retrieve the current evaluation configuration for an agent, including criteria, tags, data points,
    and sentiment settings.

    Args:
        agent_id: ID of the agent.
        select: A JMESPath expression applied to the JSON answer before the size cap: `calls[].{id: id,
            title: title}`.
    """
    return await invoke(
        ctx,
        "list_all_gumloop_evaluation_configs",
        {
            "agent_id": agent_id,
            "select": select,
        },
    )


async def update_a_gumloop_evaluation_config(
    ctx: Context,
    agent_id: Annotated[str, Field(min_length=1)],
    enabled: bool | None = None,
    model_name: str | None = None,
    include_auto_tags: bool | None = None,
    criteria: list[dict[str, Any]] | None = None,
    tags: list[dict[str, Any]] | None = None,
    data_points: list[dict[str, Any]] | None = None,
    sentiment: dict[str, Any] | None = None,
    select: str | None = None,
) -> CallToolResult:
    """Update evaluation config

    PATCH /agents/{agent_id}/evaluation-config

    Partially update the evaluation configuration for an agent.
    Omitted fields keep their current value. Provided list fields (criteria, tags, data_points) replace
    that list entirely.

    Requires Pro tier or above.

    Args:
        agent_id: ID of the agent.
        enabled: Whether evaluations are enabled for this agent.
        model_name: LLM model to use for evaluation.
        include_auto_tags: Allow the evaluator to suggest tags beyond your predefined vocabulary.
        criteria: Quality criteria to check (replaces existing list). Max 30.
        tags: Tag vocabulary (replaces existing list). Max 50.
        data_points: Data points to extract (replaces existing list). Max 40.
        sentiment: body parameter 'sentiment'
        select: A JMESPath expression applied to the JSON answer before the size cap: `calls[].{id: id,
            title: title}`.
    """
    return await invoke(
        ctx,
        "update_a_gumloop_evaluation_config",
        {
            "agent_id": agent_id,
            "enabled": enabled,
            "model_name": model_name,
            "include_auto_tags": include_auto_tags,
            "criteria": criteria,
            "tags": tags,
            "data_points": data_points,
            "sentiment": sentiment,
            "select": select,
        },
    )
