"""Calls that are more than one request: inputs checked first, a linked file fetched, a job followed."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from mcp.types import CallToolResult

from . import downloads, flow_inputs, jobs
from .contract import TIMEOUT, WAIT, Operation
from .progress import Progress

if TYPE_CHECKING:
    from .gateway import Gateway


def involved(op: Operation) -> bool:
    """Whether a call needs more than the gateway's one request."""
    return op.job is not None or op.flow_inputs is not None or op.download is not None


async def run(
    gateway: Gateway, op: Operation, args: dict[str, Any], progress: Progress | None = None
) -> CallToolResult:
    """Check the flow's inputs, make the call, then fetch its file or follow its job."""
    args = dict(args)
    if op.flow_inputs is not None:
        refusal = await flow_inputs.check(gateway, op.flow_inputs, args)
        if refusal is not None:
            return refusal
    local = {WAIT: args.pop(WAIT, None), TIMEOUT: args.pop(TIMEOUT, None)}
    result = await gateway.call(replace(op, job=None, flow_inputs=None, download=None), args)
    if result.is_error:
        return result
    if op.download is not None:
        return await downloads.fetch(gateway, op, op.download, result)
    if op.job is not None:
        return await jobs.follow(gateway, op, op.job, {**args, **local}, result, progress)
    return result
