"""The tool calls of one ``run_code``: counted, held to the run's time, listed with their outcomes, and ended with it.

Each is a real tool call (``GeneratedServer.call_tool``), made in a task of its own so that the run can end it:
when the run ends (its answer, its time, an error, a limit) no call starts and those in flight are cancelled and
awaited, so no request or retry leaves after the run's answer. A call that would wait for a job (``wait``) waits
at most the run's time left. Every call is listed with its outcome and any job it started, so that a run that ends
early never hides a write: the model sees what was done and how to check on it, instead of repeating it blindly.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections import Counter
from dataclasses import dataclass, replace
from typing import Any

from mcp.server.mcpserver import Context
from mcp.server.mcpserver.exceptions import ToolError
from mcp.types import CallToolResult

from ..contract import FROM_CODE, META_JOB, TIMEOUT, WAIT, Operation
from .app import GeneratedServer
from .lazy_tool import Origin, ToolContext

SHOWN_READS = 10  # plain reads a run that ended early lists one by one; the rest are counted
WAIT_MARGIN_S = 1.0  # of the run's time left, kept from a job's wait for the code to use what it waited for
OK, FAILED, CANCELLED, RUNNING = "ok", "error", "cancelled in flight", "running"


@dataclass
class InnerCall:
    """One call the code made: the tool, whether it may change something, how it ended, the job it started."""

    tool: str
    write: bool
    outcome: str = RUNNING
    error: str = ""
    job: dict[str, Any] | None = None  # the job's id, state and the call that checks on it (``META_JOB``)
    note: str = ""  # what the run changed in the call (its wait cut to the time left)

    def as_dict(self) -> dict[str, Any]:
        """The call as the answer lists it."""
        shown: dict[str, Any] = {"tool": self.tool, "write": self.write, "outcome": self.outcome}
        extra = {"error": self.error, "job": self.job, "note": self.note}
        return {**shown, **{key: value for key, value in extra.items() if value}}

    @property
    def must_hear(self) -> bool:
        """Whether a model must hear of this call however the run ends: a write, a job, a call the run changed."""
        return self.write or bool(self.note) or self.job is not None

    def failed(self, message: str) -> str:
        """Note the call as failed with ``message``, and give the message back."""
        self.outcome, self.error = FAILED, message
        return message

    def line(self, vendor: str) -> str:
        """The call in one line of plain language."""
        said = f"{self.tool}{' (a write)' if self.write else ''}: {self.outcome}"
        if self.error:
            said += f" ({self.error.splitlines()[0][:200]})"
        if self.outcome == CANCELLED and self.write:
            said += f", so it may have reached {vendor}: check before calling it again"
        if self.job:
            check = self.job.get("check_with") or {}
            args = json.dumps(check.get("args"), ensure_ascii=False)
            said += f"; job {self.job.get('id')} is {self.job.get('state') or 'started'}"
            said += f", check on it with {check.get('tool')} {args}" if check and not self.job.get("finished") else ""
        return f"{said}; {self.note}" if self.note else said


class RunCalls:
    """The tool calls of one run: counted and refused past the limit, each made as a direct call is, each listed."""

    def __init__(self, server: GeneratedServer, ctx: Context, most: int, answer_bytes: int, deadline: float) -> None:
        self.server, self.most, self.deadline = server, most, deadline
        self.made, self.over, self.ended = 0, False, False
        self.log: list[InnerCall] = []
        self._flying: dict[asyncio.Task[Any], InnerCall] = {}
        # The code's calls: their answers go to the code, not into the model's context, so they may be as large as
        # the sandbox can hold; run_code applies the context's cap to what the code returns.
        origin = Origin(FROM_CODE, replace(server.dispatcher.limits, max_bytes=answer_bytes))
        self.ctx = ToolContext.of(ctx, origin=origin)

    async def call(self, name: str, arguments: dict[str, Any]) -> Any:
        """One tool call: its parsed answer, or ``RuntimeError`` with the tool error's text."""
        if self.ended:
            raise RuntimeError("the run has ended: no more tool calls")
        if self.made >= self.most:
            self.over = True
            raise RuntimeError(f"the limit of {self.most} tool calls per run_code is reached")
        self.made += 1
        op = self.server.operations.get(name)
        entry = InnerCall(name, write=op is None or not op.read_only)
        self.log.append(entry)
        task = asyncio.create_task(self.server.call_tool(name, self._timed(op, arguments, entry), self.ctx))
        self._flying[task] = entry
        try:
            result = await task
        except ToolError as exc:
            raise RuntimeError(f"{name}: {entry.failed(str(exc))}") from None
        except Exception as exc:
            entry.failed(f"{type(exc).__name__}: {exc}")  # listed as it ended, then the sandbox reports it
            raise
        finally:
            self._flying.pop(task, None)
        return _outcome(name, entry, result)

    async def end(self) -> None:
        """No call starts from now on; calls still in flight are cancelled and waited for (nothing is sent after)."""
        self.ended = True
        flying = list(self._flying.items())
        for task, entry in flying:
            entry.outcome = CANCELLED
            task.cancel()
        await asyncio.gather(*(task for task, _entry in flying), return_exceptions=True)

    def noted(self) -> list[InnerCall]:
        """The calls a model must hear of even when the run succeeds: writes, jobs, and calls the run changed."""
        return [entry for entry in self.log if entry.must_hear]

    def listed(self) -> tuple[list[InnerCall], dict[str, int]]:
        """The calls of a run that ended early: every write, job and changed call, and the first ``SHOWN_READS``
        plain reads, in order; the other reads counted by ``"<tool>: <outcome>"`` (a run may make thousands)."""
        shown: list[InnerCall] = []
        more: Counter[str] = Counter()
        reads = 0
        for entry in self.log:
            if entry.must_hear or reads < SHOWN_READS:
                reads += not entry.must_hear
                shown.append(entry)
            else:
                more[f"{entry.tool}: {entry.outcome}"] += 1
        return shown, dict(sorted(more.items()))

    def _timed(self, op: Operation | None, arguments: dict[str, Any], entry: InnerCall) -> dict[str, Any]:
        """``arguments`` with a job's wait cut to the run's time left (less a margin), noted in ``entry``."""
        if op is None or op.job is None or not arguments.get(WAIT):
            return arguments
        asked = arguments.get(TIMEOUT, op.job.default_wait_s)
        left = max(0.0, round(self.deadline - time.monotonic() - WAIT_MARGIN_S, 1))
        if not isinstance(asked, int | float) or asked <= left:
            return arguments  # a wrong value is the tool's to refuse
        entry.note = f"its wait was cut from {asked:g} s to {left:g} s, the run's time left; the job goes on"
        return {**arguments, TIMEOUT: left}


def _outcome(name: str, entry: InnerCall, result: Any) -> Any:
    """The call's answer as data, its outcome and job noted in ``entry``; ``RuntimeError`` for a tool error."""
    if not isinstance(result, CallToolResult):
        entry.failed("asked for input that code cannot give")
        raise RuntimeError(f"{name} asked for input that code cannot give")
    meta = result.meta or {}
    job = meta.get(META_JOB)
    if job is None and isinstance(result.structured_content, dict) and "job_id" in result.structured_content:
        job = {"id": result.structured_content["job_id"]}  # a job started whose check then failed
    entry.job = job
    if result.is_error:
        raise RuntimeError(f"{name}: {entry.failed(text(result))}")
    entry.outcome = OK
    return parsed(result)


def parsed(result: CallToolResult) -> Any:
    """A tool's answer as data: its structured content, else its JSON text parsed, else the text."""
    if result.structured_content is not None:
        return result.structured_content
    first = next((block.text for block in result.content if block.type == "text"), "")
    try:
        return json.loads(first)  # the answer's JSON; a note (the next page's cursor) may follow it
    except ValueError:
        return text(result)


def text(result: CallToolResult) -> str:
    """A result's text blocks, joined."""
    return "\n".join(block.text for block in result.content if block.type == "text")
