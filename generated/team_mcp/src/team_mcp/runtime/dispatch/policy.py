"""Whether a call may go out at all: the OAuth scopes the token holds, and the day's credit budget."""

from __future__ import annotations

from mcp.types import CallToolResult

from ..contract import Operation, Vendor
from ..failures import Refused
from ..shaping import results
from ..upstream.limits import CREDITS, DAY_S, RateLimits, Taken, utc
from ..visibility import Sight


def scope_refusal(op: Operation, held: frozenset[str] | None, vendor: Vendor) -> CallToolResult | None:
    """A tool error when the token lacks a scope the tool needs (``held`` None: not told, allow)."""
    if held is None or Sight(held=held).allows(op):
        return None
    missing = [s for s in op.scopes if s not in held]
    return results.error(
        f"this tool needs the OAuth scope {', '.join(missing)}, which the token does not hold",
        hint=f"grant the scope to the app, or add it to {vendor.env_prefix}_SCOPES if the token has it",
    )


class CreditBudget:
    """Calls to credit-consuming tools allowed per UTC day, counted by ``limits`` (one process's, or a store's
    that replicas share); one is reserved before a call is sent and given back if it never is."""

    def __init__(self, budget: int, vendor: Vendor, limits: RateLimits) -> None:
        self.budget, self.vendor, self.limits = budget, vendor, limits

    async def reserve(self, op: Operation) -> CallToolResult | Taken | None:
        """Reserve one credit call for ``op`` (None: it spends no credits), or a tool error when none is left."""
        if not op.credits:
            return None
        try:
            taken = await self.limits.take(CREDITS, self.budget, DAY_S)
        except Refused as exc:
            return results.error(str(exc), hint=exc.hint)
        if taken.allowed:
            return taken
        return results.error(
            f"the credit budget of {self.budget} calls per UTC day {self.limits.scope} is spent; it resets at "
            f"{utc(taken.resets_at)}",
            hint=f"raise {self.vendor.env_prefix}_CREDIT_CALL_BUDGET and restart the server "
            "if more calls are worth paying for",
        )

    async def release(self, taken: Taken | None) -> None:
        """Nothing was sent: the credit call ``taken`` for it is not spent."""
        await self.limits.unsent(CREDITS, taken)
