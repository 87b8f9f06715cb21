"""One tool call as a value: what it carries from the MCP layer down to the vendor and back.

A call, top to bottom:

1. ``tools/<tag>.py``: the generated function, validated by the SDK, calls ``serve.server.invoke`` with its
   ``ctx``; the tool was bound to its ``Operation`` when it was registered (``serve.lazy_tool.LazyTool``), and
   ``ctx`` holds that operation and the way the call came (direct, or from code in ``run_code``).
2. ``serve.server.invoke`` reads the caller once (``team.caller.current``), checks the store, and makes the
   ``ToolCall``: its ``CallRecord``, its answer limits, the caller's account lookup, its progress reporter.
3. ``serve.recorder.Recorder.run`` times it and reports its record when it ends.
4. ``dispatch.dispatcher.Dispatcher.call(op, args, call)``: a workflow (``flows.multistep``), else credentials
   (the call's account, else the process's), scopes and the credit budget (``dispatch.policy``), then
5. pages (``flows.pagination``) or one exchange: ``wire.request.build`` → ``wire.credentials.attach`` →
6. ``upstream.client.Upstream.send(request, retry, call.record.heard)``: pace, quota, send, retry, receive; a
   failure on the way (any ``failures.RuntimeFailure``) becomes its tool error in one place, ``shaping.faults.failed``;
7. ``shaping.answer.shape(…, call.answer)``: the tool result, sized to the call's answer limits;
8. back in the dispatcher, ``shaping.results.withheld`` removes the credential from the result, once;
9. the record closes (outcome, duration) and feeds the metrics, the JSON log line and the audit row;
10. ``serve.connect_prompt`` turns a "connect your account" error into a URL elicitation where it can.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..contract import DIRECT, Operation
from ..flows.progress import Progress
from ..shaping.answer import AnswerLimits
from ..wire.credentials import AccountSource
from .record import CallRecord


@dataclass(frozen=True)
class ToolCall:
    """What one tool call carries: its record (who, via, account; what the vendor answered), how much of an
    answer goes into the context, the caller's vendor account, and where progress goes."""

    record: CallRecord
    answer: AnswerLimits
    account: AccountSource | None = None  # the caller's vendor account (None: the process's own credential)
    progress: Progress | None = None

    @classmethod
    def of(
        cls,
        op: Operation,
        answer: AnswerLimits,
        who: str = "local",
        via: str = DIRECT,
        account_name: str | None = None,
        account: AccountSource | None = None,
        progress: Progress | None = None,
    ) -> ToolCall:
        """A new call of ``op`` with a fresh record."""
        return cls(CallRecord(op.name, op.kind, who, via, account_name), answer, account, progress)
