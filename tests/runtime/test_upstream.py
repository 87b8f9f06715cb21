"""Layer 2, upstream: retry on 429 with Retry-After, no resend of a POST whose answer was lost, pacing, files."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import anyio
import httpx2
import pytest

from generator.runtime.contract import Vendor
from generator.runtime.failures import GaveUp, ResponseTooLarge
from generator.runtime.settings import Settings
from generator.runtime.upstream import retry
from generator.runtime.upstream.client import Upstream
from generator.runtime.upstream.exchange import Exchange
from generator.runtime.upstream.limits import RateLimits
from generator.runtime.upstream.pace import Pacer
from generator.runtime.wire.request import Request

Handler = Callable[[httpx2.Request], httpx2.Response]


def send(settings: Settings, handler: Handler, request: Request, may_retry: bool) -> Exchange:
    vendor = Vendor("acme", "Acme", "ACME", "https://h.test", (), "1", "0" * 64)
    upstream = Upstream(settings, RateLimits(settings, vendor), httpx2.MockTransport(handler))

    async def go() -> Exchange:
        return await upstream.send(request, may_retry)

    return anyio.run(go)


def test_a_429_is_retried_after_the_time_it_asks(make_settings: Callable[..., Settings]) -> None:
    seen: list[float] = []

    def handler(request: httpx2.Request) -> httpx2.Response:
        seen.append(time.monotonic())
        if len(seen) == 1:
            return httpx2.Response(429, headers={"Retry-After": "0.2"}, json={"error": "slow down"})
        return httpx2.Response(200, json={"ok": True})

    exchange = send(make_settings(), handler, Request("GET", "https://h.test/a"), may_retry=True)
    assert exchange.response.status_code == 200 and exchange.retries == 1
    assert seen[1] - seen[0] >= 0.2


def test_a_429_on_a_call_that_may_not_be_repeated_is_answered_as_is(make_settings: Callable[..., Settings]) -> None:
    calls: list[int] = []

    def handler(request: httpx2.Request) -> httpx2.Response:
        calls.append(1)
        return httpx2.Response(429, headers={"Retry-After": "0"})

    exchange = send(make_settings(), handler, Request("POST", "https://h.test/a"), may_retry=False)
    assert exchange.response.status_code == 429 and exchange.retries == 0 and len(calls) == 1


def test_a_post_whose_answer_was_lost_is_not_sent_again(make_settings: Callable[..., Settings]) -> None:
    calls: list[int] = []

    def handler(request: httpx2.Request) -> httpx2.Response:
        calls.append(1)
        raise httpx2.ReadTimeout("lost", request=request)

    with pytest.raises(GaveUp) as caught:
        send(make_settings(), handler, Request("POST", "https://h.test/a"), may_retry=False)
    assert len(calls) == 1 and caught.value.retries == 0


def test_a_read_whose_answer_was_lost_is_retried(make_settings: Callable[..., Settings]) -> None:
    calls: list[int] = []

    def handler(request: httpx2.Request) -> httpx2.Response:
        calls.append(1)
        if len(calls) == 1:
            raise httpx2.ReadTimeout("lost", request=request)
        return httpx2.Response(200, json={})

    exchange = send(make_settings(), handler, Request("GET", "https://h.test/a"), may_retry=True)
    assert exchange.retries == 1 and len(calls) == 2


def test_a_request_that_never_left_is_retried_even_for_a_post(make_settings: Callable[..., Settings]) -> None:
    calls: list[int] = []

    def handler(request: httpx2.Request) -> httpx2.Response:
        calls.append(1)
        if len(calls) == 1:
            raise httpx2.ConnectError("refused", request=request)
        return httpx2.Response(201, json={})

    exchange = send(make_settings(), handler, Request("POST", "https://h.test/a"), may_retry=False)
    assert exchange.response.status_code == 201 and len(calls) == 2


def test_backoff_respects_the_retry_count_and_the_wait_budget() -> None:
    delay = retry.backoff(0, 3.0, 0.0, max_retries=2, max_wait=30.0)
    assert delay is not None and 3.0 <= delay <= 3.0 + 0.1 + 0.3
    assert retry.backoff(2, None, 0.0, max_retries=2, max_wait=30.0) is None
    assert retry.backoff(0, 31.0, 0.0, max_retries=2, max_wait=30.0) is None
    assert retry.retry_after(httpx2.Headers({"retry-after": "7"})) == 7.0


def test_pacing_spaces_requests() -> None:
    async def go(pacer: Pacer) -> float:
        began = time.monotonic()
        for _ in range(4):
            await pacer.wait()
        return time.monotonic() - began

    assert anyio.run(go, Pacer(20.0)) >= 0.15  # four slots 50 ms apart
    assert anyio.run(go, Pacer(0.0)) < 0.05


def test_a_file_answer_streams_to_disk(make_settings: Callable[..., Settings]) -> None:
    def handler(request: httpx2.Request) -> httpx2.Response:
        headers = {"Content-Type": "application/zip", "Content-Disposition": 'attachment; filename="r.zip"'}
        return httpx2.Response(200, content=b"PK" + b"x" * 100, headers=headers)

    exchange = send(make_settings(), handler, Request("GET", "https://h.test/f"), may_retry=True)
    assert exchange.saved is not None and exchange.saved.suffix == ".zip"
    assert Path(exchange.saved).read_bytes().startswith(b"PK")
    with pytest.raises(ResponseTooLarge):
        send(make_settings(max_download_bytes="10"), handler, Request("GET", "https://h.test/f"), may_retry=True)
