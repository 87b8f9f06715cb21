"""Tool calls a shutdown may cut: each runs in a cancel scope, and when the drain grace is over ``cut`` ends
them, so that each still answers (a tool error saying it was cut) before the process exits."""

from __future__ import annotations

from collections.abc import Awaitable

import anyio
from mcp.types import CallToolResult

from ..shaping import results


class Cutoff:
    """The calls in flight; ``cut`` cancels every one of them with a reason their answers give."""

    def __init__(self) -> None:
        self.scopes: set[anyio.CancelScope] = set()
        self.reason = ""

    async def run(self, work: Awaitable[CallToolResult]) -> CallToolResult:
        """``work``'s result, or, when the call is cut, a tool error that says so."""
        with anyio.CancelScope() as scope:
            self.scopes.add(scope)
            try:
                return await work
            finally:
                self.scopes.discard(scope)
        return results.error(
            self.reason, hint="send the call again: another replica, or this server once restarted, will answer it"
        )

    def cut(self, reason: str) -> int:
        """Cancel every call in flight, each to answer ``reason``; how many were cut."""
        self.reason = reason
        found = list(self.scopes)
        for scope in found:
            scope.cancel()
        return len(found)
