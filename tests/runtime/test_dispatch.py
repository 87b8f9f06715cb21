"""Layer 5, dispatch: credentials, scope refusal and the credit budget come before anything is sent."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import anyio
import httpx2
from mcp.types import CallToolResult

from generator.runtime.contract import Operation, ParamSpec, Vendor
from generator.runtime.dispatch.dispatcher import Dispatcher
from generator.runtime.dispatch.policy import CreditBudget, scope_refusal
from generator.runtime.settings import Settings
from generator.runtime.upstream.limits import RateLimits, Taken

from .conftest import text_of


class Recorder:
    """A mock upstream that answers every request with JSON and remembers it."""

    def __init__(self) -> None:
        self.seen: list[httpx2.Request] = []

    def __call__(self, request: httpx2.Request) -> httpx2.Response:
        self.seen.append(request)
        return httpx2.Response(200, json={"ok": True})


def run(dispatcher: Dispatcher, op: Operation, args: dict[str, object]) -> CallToolResult:
    async def go() -> CallToolResult:
        return await dispatcher.call(op, dict(args))

    return anyio.run(go)


def test_a_call_carries_the_credentials(make_settings: Callable[..., Settings], vendor: Vendor) -> None:
    up = Recorder()
    op = Operation("get", "GET", "/things/{id}", params=(ParamSpec("id", "id", "path"),), read_only=True)
    result = run(Dispatcher(vendor, make_settings(), httpx2.MockTransport(up)), op, {"id": "7"})
    assert not result.is_error and result.structured_content == {"ok": True}
    assert up.seen[0].headers["authorization"] == "Bearer secret-token-value"


def test_missing_credentials_and_missing_scopes_send_nothing(vendor: Vendor) -> None:
    up = Recorder()
    op = Operation("get", "GET", "/things", read_only=True, scopes=("things:read",))
    bare = Dispatcher(vendor, Settings.from_env(vendor, {}), httpx2.MockTransport(up))
    assert "ACME_TOKEN" in text_of(run(bare, op, {}))
    scoped = Settings.from_env(vendor, {"ACME_TOKEN": "t" * 8, "ACME_SCOPES": "other"})
    refused = run(Dispatcher(vendor, scoped, httpx2.MockTransport(up)), op, {})
    assert refused.is_error and "things:read" in text_of(refused) and up.seen == []


def test_the_credit_budget_counts_only_calls_that_were_sent(
    make_settings: Callable[..., Settings], vendor: Vendor
) -> None:
    up = Recorder()
    op = Operation("run", "POST", "/run", params=(ParamSpec("h", "H", "header"),), credits=True)
    dispatcher = Dispatcher(vendor, make_settings(credit_call_budget="1"), httpx2.MockTransport(up))
    assert run(dispatcher, op, {"h": "a\nb"}).is_error  # refused before sending: the credit is given back
    assert not run(dispatcher, op, {}).is_error
    spent = run(dispatcher, op, {})
    assert spent.is_error and "ACME_CREDIT_CALL_BUDGET" in text_of(spent) and len(up.seen) == 1


def test_policy_functions_alone(vendor: Vendor) -> None:
    op = Operation("x", "GET", "/x", scopes=("a",), credits=True)
    assert scope_refusal(op, None, vendor) is None and scope_refusal(op, frozenset({"a"}), vendor) is None
    assert scope_refusal(op, frozenset(), vendor) is not None
    budget = CreditBudget(1, vendor, RateLimits(Settings(base_url="x"), vendor))

    async def go() -> None:
        first = await budget.reserve(op)
        assert isinstance(first, Taken) and isinstance(await budget.reserve(op), CallToolResult)
        await budget.release(first)
        assert isinstance(await budget.reserve(op), Taken)  # given back: one left again
        assert await budget.reserve(replace(op, credits=False)) is None

    anyio.run(go)
