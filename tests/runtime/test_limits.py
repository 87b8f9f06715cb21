"""Layer 2, upstream limits: the day's quota refuses before sending and says when it resets, unsent requests give
their use back, shared pacing keeps any window of ``1 / max_rps`` seconds to one request, a lost store refuses."""

from __future__ import annotations

import time
from collections.abc import Callable

import anyio
import httpx2
from mcp.types import CallToolResult

from generator.runtime.contract import Operation, Vendor
from generator.runtime.dispatch.dispatcher import Dispatcher
from generator.runtime.failures import LimitsDown
from generator.runtime.settings import Settings
from generator.runtime.upstream.limits import LocalCounters, Taken

from .conftest import text_of

OP = Operation("get_thing", "GET", "/things", read_only=True)


class SharedCounters(LocalCounters):
    """In-memory counters that claim to be shared, so the store's pacing rule is used."""

    shared = True


class LostCounters(LocalCounters):
    shared = True

    async def take(self, key: str, limit: int, window_s: float) -> Taken:
        raise LimitsDown("store postgresql://u:***@127.0.0.1:1/x failed: connection refused")


def calls(dispatcher: Dispatcher, count: int) -> list[CallToolResult]:
    async def go() -> list[CallToolResult]:
        found: list[CallToolResult] = []

        async def one() -> None:
            found.append(await dispatcher.call(OP, {}))

        async with anyio.create_task_group() as group:
            for _ in range(count):
                group.start_soon(one)
        return found

    return anyio.run(go)


def test_the_spent_daily_quota_refuses_before_sending_and_says_when_it_resets(
    make_settings: Callable[..., Settings], vendor: Vendor
) -> None:
    sent: list[httpx2.Request] = []

    def handler(request: httpx2.Request) -> httpx2.Response:
        sent.append(request)
        if len(sent) == 1:
            raise httpx2.ConnectError("refused", request=request)  # never sent: its use is given back
        return httpx2.Response(200, json={"ok": True})

    dispatcher = Dispatcher(vendor, make_settings(daily_quota="2", max_retries="0"), httpx2.MockTransport(handler))
    results = [calls(dispatcher, 1)[0] for _ in range(4)]
    assert [r.is_error for r in results] == [True, False, False, True] and len(sent) == 3
    day = time.strftime("%Y-%m-%d", time.gmtime(time.time() + 86_400))
    refusal = text_of(results[3])
    assert "daily quota of 2 Acme API requests in this server process is spent" in refusal
    assert f"no request was sent; it resets at {day} 00:00 UTC" in refusal and "ACME_DAILY_QUOTA" in refusal


def test_shared_pacing_sends_one_request_per_window(make_settings: Callable[..., Settings], vendor: Vendor) -> None:
    arrived: list[float] = []

    def handler(request: httpx2.Request) -> httpx2.Response:
        arrived.append(time.time())
        return httpx2.Response(200, json={"ok": True})

    dispatcher = Dispatcher(vendor, make_settings(max_rps="20"), httpx2.MockTransport(handler))
    dispatcher.upstream.limits.counters = SharedCounters()
    assert not any(result.is_error for result in calls(dispatcher, 8))
    arrived.sort()
    assert len(arrived) == 8  # every call waited for a window of its own rather than failing
    assert all(later - earlier > 0.05 for earlier, later in zip(arrived, arrived[2:], strict=False))


def test_lost_shared_counters_refuse_with_the_reason(make_settings: Callable[..., Settings], vendor: Vendor) -> None:
    sent: list[httpx2.Request] = []
    dispatcher = Dispatcher(vendor, make_settings(max_rps="3"), httpx2.MockTransport(sent.append))  # type: ignore[arg-type]
    dispatcher.upstream.limits.counters = LostCounters()
    result = calls(dispatcher, 1)[0]
    assert result.is_error and sent == []
    assert "the shared limits cannot be checked, so no request was sent: store postgresql://u:***@" in text_of(result)


def test_a_retry_the_quota_refuses_says_so_and_keeps_the_credit_spent(
    make_settings: Callable[..., Settings], vendor: Vendor
) -> None:
    sent: list[httpx2.Request] = []

    def handler(request: httpx2.Request) -> httpx2.Response:
        sent.append(request)
        return httpx2.Response(429, headers={"Retry-After": "0"}, json={"error": "slow down"})

    settings = make_settings(daily_quota="1", credit_call_budget="1")
    dispatcher = Dispatcher(vendor, settings, httpx2.MockTransport(handler))
    op = Operation("ask", "GET", "/ask", read_only=True, credits=True)

    async def go() -> tuple[CallToolResult, CallToolResult]:
        return await dispatcher.call(op, {}), await dispatcher.call(op, {})

    retried, after = anyio.run(go)
    assert len(sent) == 1 and retried.is_error
    assert "no request was sent" in text_of(retried) and "1 earlier request(s) of this call" in text_of(retried)
    assert "credit budget of 1 calls per UTC day in this server process is spent" in text_of(after)
