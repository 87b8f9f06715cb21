"""Bounded reads and withheld credentials (issue 22, items 3, 6, 10): ``upstream.receive``, ``shaping`` and the
dispatcher, from the source (``generator.runtime``), against httpx's mock transport."""

from __future__ import annotations

import base64
import json
import time
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import anyio
import httpx2
import pytest
from mcp.types import CallToolResult

from generator.runtime.contract import META_TRUNCATED, AuthSpec, Download, Operation, Vendor
from generator.runtime.dispatch.dispatcher import Dispatcher
from generator.runtime.failures import NotSaved, ResponseTooLarge, TooSlow
from generator.runtime.flows import downloads
from generator.runtime.settings import Settings
from generator.runtime.shaping import answer, results
from generator.runtime.shaping.answer import AnswerLimits, shape
from generator.runtime.upstream.client import Upstream
from generator.runtime.upstream.exchange import Exchange
from generator.runtime.upstream.limits import RateLimits
from generator.runtime.upstream.receive import ReadBounds, receive, save_body
from generator.runtime.wire import credentials
from generator.runtime.wire.request import Request

from .conftest import text_of

URL = "https://api.acme.test/things"


async def endless() -> AsyncIterator[bytes]:
    """A body that never ends: a chunk every 10 ms."""
    while True:
        yield b"[1]"
        await anyio.sleep(0.01)


def never_read() -> AsyncIterator[bytes]:
    """A body whose first read fails the test."""

    async def chunks() -> AsyncIterator[bytes]:
        raise AssertionError("the body was read")
        yield b""  # pragma: no cover

    return chunks()


def received(response: httpx2.Response, bounds: ReadBounds) -> Exchange:
    """``receive`` on an answer streamed from the mock transport."""

    async def go() -> Exchange:
        transport = httpx2.MockTransport(lambda request: response)
        async with httpx2.AsyncClient(transport=transport) as client:
            streamed = await client.send(client.build_request("GET", URL), stream=True)
            return await receive(streamed, 0, bounds)

    return anyio.run(go)


def bounds(tmp_path: Path, held: int = 1000, saved: int = 10_000, seconds: float = 5.0) -> ReadBounds:
    return ReadBounds(tmp_path / "out", held, saved, seconds)


def test_an_answer_under_the_cap_is_held_in_memory(tmp_path: Path) -> None:
    exchange = received(httpx2.Response(200, json={"a": 1}), bounds(tmp_path))
    assert exchange.body == b'{"a":1}' or json.loads(exchange.body) == {"a": 1}
    assert exchange.saved is None and not exchange.spilled


def test_an_answer_over_the_cap_goes_to_a_file_as_it_arrives(tmp_path: Path) -> None:
    body = json.dumps({"items": ["x" * 100] * 50}).encode()
    exchange = received(
        httpx2.Response(200, content=body, headers={"content-type": "application/json"}), bounds(tmp_path)
    )
    assert exchange.spilled and exchange.saved is not None and exchange.saved.suffix == ".json"
    assert exchange.saved.read_bytes() == body and body.startswith(exchange.body) and len(exchange.body) > 1000


def test_an_answer_over_the_download_limit_keeps_nothing(tmp_path: Path) -> None:
    with pytest.raises(ResponseTooLarge):
        received(httpx2.Response(200, content=b"x" * 20_000, headers={"content-type": "text/plain"}), bounds(tmp_path))
    assert list((tmp_path / "out").iterdir()) == []


def test_an_endless_answer_ends_at_the_deadline(tmp_path: Path) -> None:
    began = time.monotonic()
    with pytest.raises(TooSlow):
        received(httpx2.Response(200, content=endless()), bounds(tmp_path, held=10**9, seconds=0.3))
    assert time.monotonic() - began < 2.0


def test_an_error_answer_is_read_only_to_the_cap(tmp_path: Path) -> None:
    exchange = received(httpx2.Response(500, content=endless()), bounds(tmp_path, held=100))
    assert 100 < len(exchange.body) < 200 and exchange.saved is None


def test_a_redirect_is_never_read(tmp_path: Path) -> None:
    response = httpx2.Response(302, content=never_read(), headers={"location": "https://elsewhere.test/x"})
    exchange = received(response, bounds(tmp_path))
    assert exchange.body == b"" and exchange.saved is None


def test_an_answer_that_cannot_be_saved_is_refused(tmp_path: Path) -> None:
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder", encoding="utf-8")
    with pytest.raises(NotSaved):
        received(httpx2.Response(200, content=b"x" * 5000), ReadBounds(blocked, 1000, 10_000, 5.0))


def test_a_late_answer_is_not_sent_again(make_settings: Callable[..., Settings], vendor: Vendor) -> None:
    sent: list[int] = []

    def handler(request: httpx2.Request) -> httpx2.Response:
        sent.append(1)
        return httpx2.Response(200, content=endless())

    settings = make_settings(answer_timeout="0.3")
    upstream = Upstream(settings, RateLimits(settings, vendor), httpx2.MockTransport(handler))

    async def go() -> Exchange:
        return await upstream.send(Request("GET", URL), may_retry=True)

    with pytest.raises(TooSlow):
        anyio.run(go)
    assert sent == [1]


def basic_vendor() -> Vendor:
    schemes = (AuthSpec("basic", ("ACME_USER", "ACME_PASS")),)
    return Vendor("acme", "Acme", "ACME", "https://api.acme.test", schemes, "1.0", "0" * 64)


def test_the_credential_is_looked_for_in_every_form_it_travels_in() -> None:
    creds = credentials.resolve(basic_vendor().auth, {"ACME_USER": "user-1234", "ACME_PASS": "p/ss+w=rd"})
    forms = answer.secrets(creds)
    token = base64.b64encode(b"user-1234:p/ss+w=rd").decode()
    for form in ("user-1234", "p/ss+w=rd", f"Basic {token}", token, "p%2Fss%2Bw%3Drd"):
        assert form in forms
    assert base64.b64encode(b"p/ss+w=rd").decode() in forms


def test_withheld_removes_the_values_from_text_structured_content_and_meta() -> None:
    echoed = {"headers": {"Authorization": "Bearer tok-123456"}, "list": ["x tok-123456 y"], "count": 3}
    outcome = results.success(echoed, meta={"next": "tok-123456"})
    clean = results.withheld(outcome, ("tok-123456", "Bearer tok-123456"))
    assert "tok-123456" not in text_of(clean) + json.dumps(clean.structured_content) + json.dumps(clean.meta)
    assert clean.structured_content == {
        "headers": {"Authorization": "[redacted]"},
        "list": ["x [redacted] y"],
        "count": 3,
    }
    assert results.withheld(outcome, ("abc",)) is outcome  # values too short to look for leave it as it was


def test_withheld_keeps_fields_that_only_look_like_secrets() -> None:
    outcome = results.success({"nextPageToken": "c2", "password_policy": "strong"})
    assert results.withheld(outcome, ("tok-123456",)).structured_content == outcome.structured_content


def run(dispatcher: Dispatcher, op: Operation) -> CallToolResult:
    async def go() -> CallToolResult:
        return await dispatcher.call(op, {})

    return anyio.run(go)


def test_the_dispatcher_withholds_the_credential_from_a_success(tmp_path: Path) -> None:
    vendor = basic_vendor()
    settings = Settings.from_env(vendor, {"ACME_USER": "user-1234", "ACME_PASS": "pass-5678"})

    def echo(request: httpx2.Request) -> httpx2.Response:
        return httpx2.Response(200, json={"you_sent": dict(request.headers)})

    op = Operation("echo", "GET", "/echo", read_only=True)
    result = run(Dispatcher(vendor, settings, httpx2.MockTransport(echo)), op)
    shown = text_of(result) + json.dumps(result.structured_content)
    token = base64.b64encode(b"user-1234:pass-5678").decode()
    assert not result.is_error and "[redacted]" in shown
    assert "user-1234" not in shown and "pass-5678" not in shown and token not in shown


def test_a_redirect_is_a_tool_error_naming_its_location(vendor: Vendor, read_op: Operation, tmp_path: Path) -> None:
    response = httpx2.Response(301, headers={"location": "https://elsewhere.test/x\nforged"})
    result = shape(vendor, read_op, Exchange(response, 0), AnswerLimits(1000, tmp_path, save_body))
    said = text_of(result)
    assert result.is_error and "HTTP 301" in said and "https://elsewhere.test/x\\x0aforged" in said
    assert "not followed" in said and "ACME_BASE_URL" in said


def test_a_spilled_json_answer_shows_no_part_only_its_path_and_size(
    vendor: Vendor, read_op: Operation, tmp_path: Path
) -> None:
    saved = tmp_path / "big.json"
    saved.write_bytes(b'{"items":[' + b'"x",' * 5000 + b'"end"]}')
    response = httpx2.Response(200, headers={"content-type": "application/json"})
    exchange = Exchange(response, 0, saved, saved.read_bytes()[:3000], spilled=True)
    result = shape(vendor, read_op, exchange, AnswerLimits(1000, tmp_path, save_body))
    assert not result.is_error and result.meta is not None and result.meta[META_TRUNCATED]["saved_to"] == str(saved)
    facts = result.structured_content or {}
    assert facts["full_body_path"] == str(saved) and facts["size_bytes"] == saved.stat().st_size
    assert facts["media_type"] == "application/json" and json.loads(text_of(result).split("\n")[0]) == facts  # no part
    assert str(saved) in text_of(result) and "too large to read into memory" in text_of(result)


def test_an_endless_linked_file_ends_at_the_deadline(make_settings: Callable[..., Settings], vendor: Vendor) -> None:
    settings = make_settings(answer_timeout="0.3")
    transport = httpx2.MockTransport(lambda request: httpx2.Response(200, content=endless()))
    upstream = Upstream(settings, RateLimits(settings, vendor), transport)
    link = Download(url_field="url")
    op = Operation("export", "GET", "/export", read_only=True, download=link)
    first = results.success({"url": "https://files.test/x"})
    began = time.monotonic()
    failed = anyio.run(downloads.fetch, upstream.download, op, link, first, 10_000, "ACME")
    assert failed.is_error and "within 0.3 s" in text_of(failed) and "ACME_ANSWER_TIMEOUT" in text_of(failed)
    assert time.monotonic() - began < 2.0
