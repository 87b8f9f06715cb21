"""Whether a call may go out at all: the OAuth scopes the token holds, and the credit budget of this process."""

from __future__ import annotations

from mcp.types import CallToolResult

from ..contract import Operation, Vendor
from ..shaping import results


def scope_refusal(op: Operation, held: frozenset[str] | None, vendor: Vendor) -> CallToolResult | None:
    """A tool error when the token lacks a scope the tool needs (``held`` None: not told, allow)."""
    missing = [s for s in op.scopes if held is not None and s not in held]
    if not missing:
        return None
    return results.error(
        f"this tool needs the OAuth scope {', '.join(missing)}, which the token does not hold",
        hint=f"grant the scope to the app, or add it to {vendor.env_prefix}_SCOPES if the token has it",
    )


class CreditBudget:
    """Calls to credit-consuming tools allowed per server process; one is reserved before a call is sent."""

    def __init__(self, budget: int, vendor: Vendor) -> None:
        self.budget, self.vendor = budget, vendor
        self.spent = 0

    def reserve(self, op: Operation) -> CallToolResult | None:
        """Reserve one credit call for ``op`` (if it spends credits), or a tool error when the budget is spent."""
        if not op.credits:
            return None
        if self.spent >= self.budget:
            return results.error(
                f"the credit budget of {self.budget} calls for this server process is spent",
                hint=f"raise {self.vendor.env_prefix}_CREDIT_CALL_BUDGET and restart the server "
                "if more calls are worth paying for",
            )
        self.spent += 1
        return None

    def release(self, op: Operation) -> None:
        """Nothing was sent: the credit call reserved for ``op`` is not spent."""
        if op.credits:
            self.spent -= 1
