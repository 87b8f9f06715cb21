"""Calls that are more than one request: inputs checked first, a linked file fetched, a job followed."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from mcp.types import CallToolResult

from ..contract import TIMEOUT, WAIT, Operation, Vendor, servers_own
from ..settings import Settings
from . import downloads, flow_inputs, jobs
from .callables import Call, Fetch
from .progress import Progress


@dataclass(frozen=True)
class Steps:
    """What a workflow may use: the call and fetch functions, the operations it may name, and its settings."""

    call: Call
    fetch: Fetch
    operations: Mapping[str, Operation]  # every operation, served or not: workflows call status tools
    inputs: flow_inputs.InputsCache
    settings: Settings
    vendor: Vendor
    progress: Progress | None = None


def involved(op: Operation) -> bool:
    """Whether a call needs more than one request."""
    return op.job is not None or op.flow_inputs is not None or op.download is not None


async def run(steps: Steps, op: Operation, args: dict[str, Any]) -> CallToolResult:
    """Check the flow's inputs, make the call, then fetch its file or follow its job."""
    args = dict(args)
    if op.flow_inputs is not None:
        schema_op = steps.operations.get(op.flow_inputs.schema_tool)
        refusal = await flow_inputs.check(steps.call, schema_op, op.flow_inputs, args, steps.inputs)
        if refusal is not None:
            return refusal
    spec_args = [p.arg for p in op.params]
    local = {name: args.pop(name, None) if servers_own(name, spec_args) else None for name in (WAIT, TIMEOUT)}
    result = await steps.call(replace(op, job=None, flow_inputs=None, download=None), args)
    if result.is_error:
        return result
    if op.download is not None:
        limit, prefix = steps.settings.max_download_bytes, steps.vendor.env_prefix
        return await downloads.fetch(steps.fetch, op, op.download, result, limit, prefix)
    if op.job is not None:
        status_op = steps.operations.get(op.job.status_tool)
        poll = steps.settings.job_poll_interval
        return await jobs.follow(steps.call, status_op, op.job, {**args, **local}, result, poll, steps.progress)
    return result
