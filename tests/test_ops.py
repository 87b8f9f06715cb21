"""Operating ``gong-mcp --transport http`` as a real process: readiness, Prometheus metrics (behind the token or on
their own port), JSON call logs, and a drain on SIGTERM that lets a slow call finish and exits 0.
"""

from __future__ import annotations

import contextlib
import json
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import anyio
import httpx2
import pytest
import uvicorn
from gong_mcp.runtime.serve.http import listen, routes
from gong_mcp.runtime.settings import Settings
from gong_mcp.server import create_server
from gong_mcp.vendor import VENDOR
from mcp import Client
from mcp.client.streamable_http import streamable_http_client

from tests.test_transports import (
    AUTH,
    GET_CALL,
    MCP_HEADERS,
    TOKEN,
    free_port,
    http_server,
    server_env,
    wait_healthy,
)
from tests.upstream import Reply, Upstream, sequence


async def _call(base: str, call_id: str) -> tuple[bool, str]:
    async with httpx2.AsyncClient(headers=AUTH, timeout=60) as http:
        async with Client(streamable_http_client(f"{base}/mcp", http_client=http)) as client:
            result = await client.call_tool(GET_CALL, {"id": call_id})
            return bool(result.is_error), result.content[0].text


def call(base: str, call_id: str) -> tuple[bool, str]:
    """One tool call over streamable HTTP: (is_error, text)."""
    return anyio.run(_call, base, call_id)


def test_readiness_metrics_and_one_json_line_per_call(tmp_path: Path) -> None:
    with Upstream() as up:
        throttled = Reply(429, {"errors": ["slow down"]}, {"Retry-After": "0"})
        up.route("GET", "/v2/calls/r1", sequence(throttled, Reply(200, {"id": "r1"}, {"X-Request-Id": "req-42"})))
        up.route("GET", "/v2/calls/gone", Reply(404, {"errors": ["no such call"], "requestId": "req-404"}))
        quota = {"GONG_DAILY_QUOTA": "100", "GONG_STORE": str(tmp_path / "team.db")}
        with http_server(up.url, tmp_path, MCP_SERVER_TOKEN=TOKEN, GONG_LOG_FORMAT="json", **quota) as base:
            assert httpx2.get(f"{base}/readyz", timeout=5).json() == {"status": "ready"}
            assert httpx2.get(f"{base}/metrics", timeout=5).status_code == 401  # the same access rule as /mcp
            assert call(base, "r1")[0] is False
            assert call(base, "gone")[0] is True
            metrics = httpx2.get(f"{base}/metrics", headers=AUTH, timeout=5).text
    assert f'mcp_tool_calls_total{{kind="read",outcome="ok",tool="{GET_CALL}"}} 1.0' in metrics
    assert f'mcp_tool_calls_total{{kind="read",outcome="upstream_404",tool="{GET_CALL}"}} 1.0' in metrics
    assert 'mcp_upstream_responses_total{status="429"} 1.0' in metrics
    assert "mcp_upstream_retries_total 1.0" in metrics and "mcp_upstream_throttled_total 1.0" in metrics
    assert "mcp_upstream_daily_quota_left 97.0" in metrics  # three requests (one a retry) of a quota of 100
    assert f'mcp_tool_call_duration_seconds_count{{kind="read",tool="{GET_CALL}"}} 2.0' in metrics
    stderr = (tmp_path / "stderr.txt").read_text(encoding="utf-8")
    lines = [json.loads(line) for line in stderr.splitlines() if line.startswith("{")]
    assert [(x["tool"], x["outcome"], x["request_id"], x["retries"]) for x in lines] == [
        (GET_CALL, "ok", "req-42", 1),
        (GET_CALL, "upstream_404", "req-404", 0),  # the vendor id from the body, as the audit row has it
    ]
    assert all(x["kind"] == "read" and x["duration_ms"] >= 0 for x in lines)
    logged = "\n".join(line for line in stderr.splitlines() if line.startswith("{"))
    for secret in (TOKEN, "key-1234", "secret-5678", "r1", "no such call"):  # no secrets, arguments or bodies
        assert secret not in logged


def test_not_ready_without_credentials() -> None:
    settings = Settings.from_env(VENDOR, {"GONG_ACCESS_KEY": ""})
    server = create_server(settings)
    ready = routes.Ready([listen.configured(server)])
    sent: list[dict[str, Any]] = []

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    anyio.run(ready, {"type": "http", "path": "/readyz", "method": "GET"}, None, send)
    assert sent[0]["status"] == 503
    assert "GONG_ACCESS_KEY" in json.loads(sent[1]["body"])["reasons"][0]


def _serve(upstream: str, tmp_path: Path, **env: str) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    argv = [sys.executable, "-m", "gong_mcp", "--transport", "http", "--port", str(port)]
    stderr = (tmp_path / "drain.txt").open("wb")
    process = subprocess.Popen(argv, env=server_env(upstream, MCP_SERVER_TOKEN=TOKEN, **env), stderr=stderr)
    base = f"http://127.0.0.1:{port}"
    wait_healthy(base, process)
    return process, base


def raw_call(base: str, call_id: str) -> httpx2.Response:
    """One ``tools/call`` POST on its own connection (a stateless server needs no session); the whole answer."""
    message = {
        "jsonrpc": "2.0",
        "id": 7,
        "method": "tools/call",
        "params": {"name": GET_CALL, "arguments": {"id": call_id}},
    }
    headers = {**MCP_HEADERS, **AUTH, "MCP-Protocol-Version": "2025-06-18"}
    return httpx2.post(f"{base}/mcp", json=message, headers=headers, timeout=30)


def _in_flight(base: str, up: Upstream, call_id: str) -> tuple[threading.Thread, list[httpx2.Response]]:
    answers: list[httpx2.Response] = []

    def run() -> None:
        with contextlib.suppress(httpx2.HTTPError):  # a call cut at the end of the grace period
            answers.append(raw_call(base, call_id))

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    deadline = time.monotonic() + 20
    while not any(seen.path == f"/v2/calls/{call_id}" for seen in up.seen):
        assert time.monotonic() < deadline, "the call never reached the upstream"
        time.sleep(0.02)
    return worker, answers


def test_sigterm_drains_calls_in_flight_refuses_new_ones_and_exits_0(tmp_path: Path) -> None:
    assert callable(uvicorn.Server.capture_signals)  # listen.Draining overrides it; fail loudly if uvicorn drops it
    with Upstream() as up:
        up.route("GET", "/v2/calls/slow", Reply(200, {"id": "slow"}, delay=1.5))
        metrics_port = free_port()
        process, base = _serve(up.url, tmp_path, GONG_DRAIN_GRACE="20", GONG_METRICS_PORT=str(metrics_port))
        try:
            scraped = httpx2.get(f"http://127.0.0.1:{metrics_port}/metrics", timeout=5)  # its own port: no token
            assert scraped.status_code == 200 and "mcp_tool_calls_in_flight 0.0" in scraped.text
            worker, answers = _in_flight(base, up, "slow")
            process.send_signal(signal.SIGTERM)
            time.sleep(0.3)
            assert httpx2.get(f"{base}/readyz", timeout=2).status_code == 503  # a balancer stops sending
            refused = raw_call(base, "new")  # a new call is sent elsewhere; the listener stays open for follow-ups
            assert refused.status_code == 503 and refused.headers["retry-after"] == "1"
            worker.join(timeout=20)
            assert process.wait(timeout=20) == 0
        finally:
            process.kill()
    (answer,) = answers
    assert answer.status_code == 200 and '\\"slow\\"' in answer.text and '"isError":false' in answer.text
    assert "draining: SIGTERM" in (tmp_path / "drain.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize("mode", ["legacy", "auto"])
def test_the_mcp_client_receives_its_answer_across_a_sigterm(tmp_path: Path, mode: str, tally: list[str]) -> None:
    # The client fetches the tool list after a call it had not listed (to check the result): during the drain that
    # follow-up is answered, so the session lives and the call's answer reaches the caller.
    with Upstream() as up:
        up.route("GET", "/v2/calls/slow", Reply(200, {"id": "slow"}, delay=1.5))
        process, base = _serve(up.url, tmp_path, GONG_DRAIN_GRACE="20")

        async def call_across_the_signal() -> Any:
            async with httpx2.AsyncClient(headers=AUTH, timeout=30) as http:
                async with Client(streamable_http_client(f"{base}/mcp", http_client=http), mode=mode) as client:
                    async with anyio.create_task_group() as group:
                        group.start_soon(_terminate_when_seen, up, process)
                        result = await client.call_tool(GET_CALL, {"id": "slow"})
                        group.cancel_scope.cancel()
                    return result

        try:
            result = anyio.run(call_across_the_signal)
            assert process.wait(timeout=20) == 0
        finally:
            process.kill()
    assert not result.is_error and json.loads(result.content[0].text) == {"id": "slow"}
    tally.append(f"drain gong: mcp client mode={mode}: SIGTERM mid-call, answer received, exit 0")


async def _terminate_when_seen(up: Upstream, process: subprocess.Popen[bytes]) -> None:
    while not any(seen.path == "/v2/calls/slow" for seen in up.seen):
        await anyio.sleep(0.02)
    process.send_signal(signal.SIGTERM)


def test_a_call_longer_than_the_grace_period_does_not_hold_the_exit(tmp_path: Path) -> None:
    with Upstream() as up:
        up.route("GET", "/v2/calls/stuck", Reply(200, {"id": "stuck"}, delay=5))
        process, base = _serve(up.url, tmp_path, GONG_DRAIN_GRACE="1")
        try:
            _in_flight(base, up, "stuck")
            started = time.monotonic()
            process.send_signal(signal.SIGTERM)
            assert process.wait(timeout=15) == 0
            assert time.monotonic() - started < 4
        finally:
            process.kill()
