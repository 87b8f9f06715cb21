"""Async jobs that finish: after a start call, follow the status tool until a terminal state or a deadline.

With ``wait=false`` (the default) the start result comes back at once, with the job id and how to check.
With ``wait=true`` the status tool is polled with growing pauses; the result is the final state and
the job id, or, when ``timeout_s`` runs out first, the id, the last state, and the call that checks later.
"""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

from mcp.types import CallToolResult, ContentBlock, TextContent

from ..contract import META_JOB, TIMEOUT, WAIT, Job, Operation
from ..shaping import results
from ..shaping.pages import dig
from .callables import Call
from .progress import Progress, report

BACKOFF, MAX_PAUSE_S = 1.5, 15.0


async def follow(
    call: Call,
    status_op: Operation | None,
    job: Job,
    args: dict[str, Any],
    first: CallToolResult,
    poll_interval: float,
    progress: Progress | None = None,
) -> CallToolResult:
    """The start call's result, followed to the end when ``wait`` is set (reporting each state it sees)."""
    start = first.structured_content or {}
    job_id = dig(start, job.id_field)
    if job_id is None:
        return first  # nothing to follow: the vendor answered without a job id
    check = {job.id_arg: job_id, **{k: args[k] for k in job.carry if args.get(k) is not None}}
    state = dig(start, job.state_field)
    if not args.get(WAIT) or state in job.terminal or status_op is None:
        return _started(first, job, job_id, state, check)
    timeout = min(max(float(args.get(TIMEOUT) or 0), 0.0), job.max_wait_s)
    poll = _Poll(call, status_op, job, job_id, check, progress)
    return await poll.until_done(start, state, timeout, poll_interval)


class _Poll:
    """Polls one job's status tool with growing pauses until a terminal state, a failed check or the deadline."""

    def __init__(
        self,
        call: Call,
        status_op: Operation,
        job: Job,
        job_id: Any,
        check: dict[str, Any],
        progress: Progress | None,
    ) -> None:
        self.call, self.status_op, self.job, self.job_id = call, status_op, job, job_id
        self.check, self.progress = check, progress

    async def until_done(self, start: dict[str, Any], state: Any, timeout: float, pause: float) -> CallToolResult:
        """Poll until the job ends; the final, timed-out or failed-check result."""
        job, began = self.job, time.monotonic()
        deadline, last, checks = began + timeout, start, 0
        while state not in job.terminal:
            waited = time.monotonic() - began
            # progress counts the states seen (it must grow); how long the job has run is in the message
            await report(self.progress, checks, None, f"job {self.job_id} is {state or 'running'} after {waited:.0f} s")
            checks += 1
            left = deadline - time.monotonic()
            if left <= 0:
                return _timed_out(job, self.job_id, state, self.check, timeout, last)
            await asyncio.sleep(min(pause, left))
            pause = min(pause * BACKOFF, MAX_PAUSE_S)
            polled = await self.call(self.status_op, self.check)
            if polled.is_error:
                return _poll_failed(polled, job, self.job_id, self.check)
            last = polled.structured_content or {}
            state = dig(last, job.state_field)
        await report(self.progress, checks, None, f"job {self.job_id} is {state}")
        return _finished(job, self.job_id, state, start, last)


def _facts(job: Job, job_id: Any, state: Any, finished: bool, check: dict[str, Any]) -> dict[str, Any]:
    """A job's state for the result's meta, with the call that checks on it (run_code lists it for the model)."""
    return {"id": job_id, "state": state, "finished": finished, "check_with": {"tool": job.status_tool, "args": check}}


def _how_to_check(job: Job, check: dict[str, Any]) -> str:
    return f"call {job.status_tool} with {json.dumps(check, ensure_ascii=False)}"


def _started(first: CallToolResult, job: Job, job_id: Any, state: Any, check: dict[str, Any]) -> CallToolResult:
    """The start result as the vendor gave it, plus one line with the job id and how to follow it."""
    ended = state in job.terminal
    note = f"Job {job_id} is {state or 'started'}."
    if not ended:
        note = f"{note[:-1]}; to see how it goes, {_how_to_check(job, check)}."
    content: list[ContentBlock] = [*first.content, TextContent(type="text", text=note)]
    meta = {**(first.meta or {}), META_JOB: _facts(job, job_id, state, ended, check)}
    return results.result(content, first.structured_content, meta=meta)


def waited_shapes(job: Job, started: dict[str, str], status: dict[str, str]) -> dict[str, dict[str, str]]:
    """The rows of what a start call answers with ``wait=true`` (``_finished``, ``_timed_out``), for describe_tool.

    ``started`` and ``status`` are the rows of the start tool's and the status tool's own answers; they appear
    under ``started`` and ``result`` (``last_status`` when the wait ran out).
    """
    head = {"job_id": "the job's id", "state": f"its last state ({job.state_field} in the status tool's answer)"}
    ended = ", ".join(job.terminal)
    finished = {
        **head,
        "finished": f"bool: true, the job ended ({ended})",
        "failed": f"bool: whether it ended as {', '.join(job.failed) or 'a failure'}",
        "result": f"dict: the last answer of {job.status_tool}",
        **{f"result.{path}": row for path, row in status.items()},
        "started": "dict: this tool's own answer",
        **{f"started.{path}": row for path, row in started.items()},
    }
    running = {
        **head,
        "finished": "bool: false, the job goes on",
        "timed_out_after_s": "float, unit seconds: how long the call waited",
        "check_with": f"dict: the call that looks again: tool ({job.status_tool}) and arguments",
        "last_status": f"dict: the last answer of {job.status_tool}",
        **{f"last_status.{path}": row for path, row in status.items()},
    }
    return {"wait=true, ended": finished, "wait=true, still running at timeout_s": running}


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
    result = results.success(data, meta={META_JOB: _facts(job, job_id, state, False, check)})
    result.content.append(TextContent(type="text", text=note))
    return result


def _poll_failed(polled: CallToolResult, job: Job, job_id: Any, check: dict[str, Any]) -> CallToolResult:
    """A failed status call does not lose the job: the error keeps its id and how to check again."""
    line = f"Job {job_id} was started, but checking its state failed; to try again, {_how_to_check(job, check)}."
    structured = {**(polled.structured_content or {}), "job_id": job_id}
    content: list[ContentBlock] = [*polled.content, TextContent(type="text", text=line)]
    return results.result(content, structured, meta=polled.meta, is_error=True)
