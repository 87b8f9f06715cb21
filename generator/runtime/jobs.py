"""Async jobs that finish: after a start call, follow the status tool until a terminal state or a deadline.

With ``wait=false`` (the default) the start result comes back at once, with the job id and how to check.
With ``wait=true`` the status tool is polled with growing pauses; the result is the final state and
the job id, or, when ``timeout_s`` runs out first, the id, the last state, and the call that checks later.
"""

from __future__ import annotations

import asyncio
import json
import time
from typing import TYPE_CHECKING, Any

from mcp.types import CallToolResult, TextContent

from . import results
from .contract import META_JOB, TIMEOUT, WAIT, Job, Operation
from .progress import Progress, report

if TYPE_CHECKING:
    from .gateway import Gateway

BACKOFF, MAX_PAUSE_S = 1.5, 15.0


def dig(data: Any, dotted: str) -> Any:
    """The value at a dotted path (``session.id``) in nested objects, or None."""
    if not dotted:
        return None
    for key in dotted.split("."):
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data


async def follow(
    gateway: Gateway,
    op: Operation,
    job: Job,
    args: dict[str, Any],
    first: CallToolResult,
    progress: Progress | None = None,
) -> CallToolResult:
    """The start call's result, followed to the end when ``wait`` is set (reporting each state it sees)."""
    start = first.structured_content or {}
    job_id = dig(start, job.id_field)
    if job_id is None:
        return first  # nothing to follow: the vendor answered without a job id
    check = {job.id_arg: job_id, **{k: args[k] for k in job.carry if args.get(k) is not None}}
    state = dig(start, job.state_field)
    if not args.get(WAIT) or state in job.terminal:
        return _started(first, job, job_id, state, check)
    timeout = min(max(float(args.get(TIMEOUT) or 0), 0.0), job.max_wait_s)
    status_op = gateway.operations.get(job.status_tool)
    if status_op is None:
        return _started(first, job, job_id, state, check)
    began = time.monotonic()
    deadline = began + timeout
    pause, last, checks = gateway.settings.job_poll_interval, start, 0
    while state not in job.terminal:
        waited = time.monotonic() - began
        # progress counts the states seen (it must grow); how long the job has run is in the message
        await report(progress, checks, None, f"job {job_id} is {state or 'running'} after {waited:.0f} s")
        checks += 1
        left = deadline - time.monotonic()
        if left <= 0:
            return _timed_out(job, job_id, state, check, timeout, last)
        await asyncio.sleep(min(pause, left))
        pause = min(pause * BACKOFF, MAX_PAUSE_S)
        polled = await gateway.call(status_op, check)
        if polled.is_error:
            return _poll_failed(polled, job, job_id, check)
        last = polled.structured_content or {}
        state = dig(last, job.state_field)
    await report(progress, checks, None, f"job {job_id} is {state}")
    return _finished(job, job_id, state, start, last)


def _how_to_check(job: Job, check: dict[str, Any]) -> str:
    return f"call {job.status_tool} with {json.dumps(check, ensure_ascii=False)}"


def _started(first: CallToolResult, job: Job, job_id: Any, state: Any, check: dict[str, Any]) -> CallToolResult:
    """The start result as the vendor gave it, plus one line with the job id and how to follow it."""
    ended = state in job.terminal
    note = f"Job {job_id} is {state or 'started'}."
    if not ended:
        note = f"{note[:-1]}; to see how it goes, {_how_to_check(job, check)}."
    facts = {"id": job_id, "state": state, "finished": ended, "check_with": {"tool": job.status_tool, "args": check}}
    content = [*first.content, TextContent(type="text", text=note)]
    meta = {**(first.meta or {}), META_JOB: facts}
    return CallToolResult(content=content, structured_content=first.structured_content, meta=meta)


def _finished(job: Job, job_id: Any, state: Any, start: dict[str, Any], last: dict[str, Any]) -> CallToolResult:
    failed = state in job.failed
    data = {"job_id": job_id, "state": state, "finished": True, "failed": failed, "result": last, "started": start}
    return results.success(data, meta={META_JOB: {"id": job_id, "state": state, "finished": True}})


def _timed_out(
    job: Job, job_id: Any, state: Any, check: dict[str, Any], timeout: float, last: dict[str, Any]
) -> CallToolResult:
    """Not an error: the job goes on; say where it stands and how to look again."""
    how = _how_to_check(job, check)
    data = {
        "job_id": job_id,
        "state": state,
        "finished": False,
        "timed_out_after_s": timeout,
        "check_with": {"tool": job.status_tool, "arguments": check},
        "last_status": last,
    }
    note = f"Job {job_id} is still {state or 'running'} after {timeout:g} s; it goes on. To check later, {how}."
    result = results.success(data, meta={META_JOB: {"id": job_id, "state": state, "finished": False}})
    result.content.append(TextContent(type="text", text=note))
    return result


def _poll_failed(polled: CallToolResult, job: Job, job_id: Any, check: dict[str, Any]) -> CallToolResult:
    """A failed status call does not lose the job: the error keeps its id and how to check again."""
    line = f"Job {job_id} was started, but checking its state failed; to try again, {_how_to_check(job, check)}."
    structured = {**(polled.structured_content or {}), "job_id": job_id}
    content = [*polled.content, TextContent(type="text", text=line)]
    return CallToolResult(content=content, structured_content=structured, is_error=True, meta=polled.meta)
