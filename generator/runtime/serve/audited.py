"""A tool call when a team is served: the caller's filters, a store that must be up, and one audit entry."""

from __future__ import annotations

import time
from typing import Any

from mcp.types import CallToolResult

from ..contract import Operation
from ..dispatch.dispatcher import Dispatcher
from ..dispatch.trace import TRACE, Trace
from ..flows.progress import Progress
from ..shaping import results
from ..team import audit
from ..team.caller import current, needed_scopes
from ..team.connections import now_text
from ..team.service import Team


async def call(
    team: Team, dispatcher: Dispatcher, op: Operation, args: dict[str, Any], progress: Progress
) -> CallToolResult:
    """Refuse what the caller may not call, run the rest, and record who called what and how it went."""
    caller = current()
    if caller is not None and not caller.allows(op):
        if caller.connection is not None and not caller.connection.allows(op):
            return results.error(f"tool {op.name!r} is not served here")
        lacking = needed_scopes(op, team.vendor, caller.scopes or frozenset())
        return results.error(
            f"insufficient_scope: this tool needs the OAuth scope {' '.join(lacking)}",
            hint="ask for a token with that scope (step-up) and call again",
        )
    reason = await team.down()
    if reason is not None:
        return results.error("the server's store is unreachable, so calls cannot be recorded", hint="try again shortly")
    trace, started = Trace(), time.monotonic()
    mark = TRACE.set(trace)
    try:
        result = await dispatcher.call(op, args, progress=progress)
    finally:
        TRACE.reset(mark)
    entry = audit.Entry(
        at=now_text(), who=caller.who if caller else "local", tool=op.name, kind=op.kind,
        outcome=outcome(result, trace), duration_ms=round((time.monotonic() - started) * 1000),
        request_id=trace.request_id or _structured_id(result),
    )  # fmt: skip
    await team.record(entry)
    return result


def outcome(result: CallToolResult, trace: Trace) -> str:
    """``ok``, ``upstream <status>`` when the vendor answered an error, else ``tool error``."""
    if not result.is_error:
        return "ok"
    if trace.status is not None and trace.status >= 400:
        return f"upstream {trace.status}"
    return "tool error"


def _structured_id(result: CallToolResult) -> str | None:
    value = (result.structured_content or {}).get("request_id")
    return str(value) if value else None
