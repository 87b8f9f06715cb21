"""``gong-mcp --transport http`` as a real process: bearer tokens, expiry, refusal to start unsafely, load.

Each server runs as ``python -m gong_mcp`` on a free loopback port, talks to a scripted upstream, and is
killed in the fixture's ``finally``.
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import anyio
import httpx2
import pytest
from gong_mcp.operations import OPERATIONS
from mcp import Client
from mcp.client.streamable_http import streamable_http_client

from tests.gong_kit import NO_LIMITS
from tests.peers import stop_process
from tests.upstream import Reply, Seen, Upstream

TOKEN = "test-token-0123456789abcdef"
GET_CALL = next(op.name for op in OPERATIONS.values() if op.method == "GET" and op.path == "/v2/calls/{id}")
LIST_CALLS = next(op.name for op in OPERATIONS.values() if op.method == "GET" and op.path == "/v2/calls")
INIT = {
    "jsonrpc": "2.0",
    "id": 1,
    "method": "initialize",
    "params": {"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "t", "version": "1"}},
}
MCP_HEADERS = {"Accept": "application/json, text/event-stream", "Content-Type": "application/json"}
AUTH = {"Authorization": f"Bearer {TOKEN}"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_env(upstream: str, **extra: str) -> dict[str, str]:
    keep = {k: v for k, v in os.environ.items() if not k.startswith(("GONG_", "MCP_"))}
    base = {"GONG_BASE_URL": upstream, "GONG_ACCESS_KEY": "key-1234", "GONG_ACCESS_KEY_SECRET": "secret-5678"}
    return {**keep, **base, **NO_LIMITS, **extra}


@contextmanager
def http_server(upstream: str, tmp_path: Path, *flags: str, port: int = 0, **env: str) -> Iterator[str]:
    """A running server's base URL (on ``port``, else a free one), run in ``tmp_path`` with its stderr there."""
    with server_process(upstream, tmp_path / "stderr.txt", *flags, port=port, **env) as (base, process):
        wait_healthy(base, process)
        yield base


@contextmanager
def server_process(
    upstream: str, stderr_path: Path, *flags: str, port: int = 0, **env: str
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """A server started over HTTP in the folder of ``stderr_path`` (not yet waited for), its base URL and process."""
    port = port or free_port()
    argv = [sys.executable, "-m", "gong_mcp", "--transport", "http", "--port", str(port), *flags]
    with stderr_path.open("wb") as stderr:
        process = subprocess.Popen(
            argv, env=server_env(upstream, **env), stdout=subprocess.DEVNULL, stderr=stderr, cwd=stderr_path.parent
        )
        try:
            yield f"http://127.0.0.1:{port}", process
        finally:
            stop_process(process)


def wait_healthy(base: str, process: subprocess.Popen[bytes], within: float = 30.0) -> None:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"the server exited with {process.returncode}")
        try:
            if httpx2.get(f"{base}/healthz", timeout=1).status_code == 200:
                return
        except httpx2.HTTPError:
            time.sleep(0.1)
    raise AssertionError(f"the server did not become healthy in {within:.0f} s")


@pytest.fixture(scope="module")
def upstream() -> Iterator[Upstream]:
    with Upstream() as up:
        up.route("GET", "/v2/calls/slow", Reply(200, {"id": "slow"}, delay=0.05))
        up.route("GET", "/v2/calls", two_pages)
        yield up


def two_pages(seen: Seen) -> Reply:
    """Gong's ``records.cursor`` chain: page ``c2`` follows the first and is the last."""
    cursor = dict(seen.query).get("cursor")
    records = {"totalRecords": 2, "currentPageSize": 1, **({} if cursor else {"cursor": "c2"})}
    return Reply(200, {"requestId": "r", "records": records, "calls": [{"id": cursor or "c1"}]})


@pytest.fixture(scope="module")
def served(upstream: Upstream, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    folder = tmp_path_factory.mktemp("served")
    with http_server(upstream.url, folder, MCP_SERVER_TOKEN=TOKEN) as base:
        yield base, folder / "stderr.txt"


def post_init(base: str, **headers: str) -> httpx2.Response:
    return httpx2.post(f"{base}/mcp", json=INIT, headers={**MCP_HEADERS, **headers}, timeout=10)


def test_health_needs_no_token_and_opens_no_stream(served: tuple[str, Path]) -> None:
    response = httpx2.get(f"{served[0]}/healthz", timeout=5)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.json() == {"status": "ok", "server": "gong", "tools": len(OPERATIONS), "stateless": True}


def test_a_plain_token_server_opens_no_store(served: tuple[str, Path]) -> None:
    base, stderr = served
    assert not (stderr.parent / "mcp-team.db").exists()  # no team feature in use: no file in the working folder
    assert "note: no store (no --store, no GONG_STORE, no mcp-team.db here)" in stderr.read_text(encoding="utf-8")
    connection = httpx2.post(f"{base}/mcp/c/{'A' * 43}", json=INIT, headers={**MCP_HEADERS, **AUTH}, timeout=10)
    assert connection.status_code == 404 and post_init(base, **AUTH).status_code == 200


def test_no_token_gets_401(served: tuple[str, Path]) -> None:
    response = post_init(served[0])
    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Bearer")
    assert "Authorization: Bearer" in response.json()["error_description"]


@pytest.mark.parametrize("authorization", ["Bearer wrong-token-0123456789", f"Basic {TOKEN}", f"Bearer {TOKEN}x"])
def test_a_bad_token_gets_401(served: tuple[str, Path], authorization: str) -> None:
    response = post_init(served[0], Authorization=authorization)
    assert response.status_code == 401
    assert TOKEN not in response.text


def test_dns_rebinding_protection_stays_on(served: tuple[str, Path]) -> None:
    port = served[0].rsplit(":", 1)[1]
    response = post_init(served[0], Authorization=f"Bearer {TOKEN}", Host=f"evil.example:{port}")
    assert response.status_code == 421
    response = post_init(served[0], Authorization=f"Bearer {TOKEN}", Origin="http://evil.example")
    assert response.status_code == 403


def test_the_right_token_serves_tools_and_100_concurrent_calls(served: tuple[str, Path], upstream: Upstream) -> None:
    base, stderr = served
    outcomes: list[bool] = []

    async def one(client: Client, index: int) -> None:
        result = await client.call_tool(GET_CALL, {"id": f"c{index}"})
        outcomes.append(not result.is_error and json.loads(result.content[0].text)["path"] == f"/v2/calls/c{index}")

    async def go() -> None:
        async with httpx2.AsyncClient(headers={"Authorization": f"Bearer {TOKEN}"}, timeout=60) as http:
            async with Client(streamable_http_client(f"{base}/mcp", http_client=http)) as client:
                listed = await client.list_tools()
                assert len(listed.tools) == len(OPERATIONS)
                async with anyio.create_task_group() as group:
                    for index in range(100):
                        group.start_soon(one, client, index)

    anyio.run(go)
    assert len(outcomes) == 100 and all(outcomes), f"{outcomes.count(False)} of 100 calls failed"
    assert TOKEN not in stderr.read_text(encoding="utf-8")


def test_progress_notifications_reach_an_http_client(served: tuple[str, Path]) -> None:
    base, _ = served
    heard: list[tuple[float, float | None, str | None]] = []

    async def listen(progress: float, total: float | None, message: str | None) -> None:
        heard.append((progress, total, message))

    async def go() -> None:
        async with httpx2.AsyncClient(headers={"Authorization": f"Bearer {TOKEN}"}, timeout=60) as http:
            async with Client(streamable_http_client(f"{base}/mcp", http_client=http)) as client:
                args = {"fromDateTime": "2024-01-01T00:00:00Z", "toDateTime": "2024-01-02T00:00:00Z", "max_pages": 3}
                result = await client.call_tool(LIST_CALLS, args, progress_callback=listen)
                assert not result.is_error and [c["id"] for c in result.structured_content["calls"]] == ["c1", "c2"]

    anyio.run(go)
    assert heard == [(1, 3, "read page 1 of at most 3"), (2, 3, "read page 2 of at most 3")]


def test_an_expired_token_gets_401_with_the_reason(upstream: Upstream, tmp_path: Path) -> None:
    token_file = tmp_path / "token"
    token_file.write_text(TOKEN + "\n", encoding="utf-8")
    flags = ("--token-file", str(token_file), "--token-expires-at", "2001-01-01T00:00:00Z")
    with http_server(upstream.url, tmp_path, *flags) as base:
        response = post_init(base, Authorization=f"Bearer {TOKEN}")
    assert response.status_code == 401
    assert "expired at 2001-01-01T00:00:00Z" in response.json()["error_description"]
    assert 'error="invalid_token"' in response.headers["www-authenticate"]


def test_a_public_bind_without_a_token_refuses_to_start(upstream: Upstream) -> None:
    argv = [sys.executable, "-m", "gong_mcp", "--transport", "http", "--host", "0.0.0.0", "--port", str(free_port())]
    done = subprocess.run(argv, check=False, env=server_env(upstream.url), capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert "refusing to serve: it listens on 0.0.0.0" in done.stderr and "MCP_SERVER_TOKEN" in done.stderr
    assert "Traceback" not in done.stderr


def test_the_readme_client_snippets_parse() -> None:
    readme = (Path(__file__).parents[1] / "generated" / "gong_mcp" / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```(\w+)\n(.*?)```", readme, flags=re.DOTALL)
    configs = [json.loads(body) for kind, body in blocks if kind == "json"]
    assert {"url": "http://127.0.0.1:8000/mcp", "headers": {"Authorization": "Bearer <token>"}} in [
        entry for config in configs for entry in config["mcpServers"].values()
    ]
    python = [body for kind, body in blocks if kind == "python"]
    over_http = [body for body in python if "MCPServerStreamableHttp" in body]
    assert over_http
    for body in python:
        compile(body, "README.md", "exec")


def test_host_checks_and_token_rules() -> None:
    from gong_mcp.runtime.failures import StartError
    from gong_mcp.runtime.serve.http.exposure import host_checks, is_loopback
    from gong_mcp.runtime.serve.http.tokens import ServerToken, load_token

    with pytest.raises(StartError, match="--allowed-hosts"):
        host_checks("0.0.0.0", (), ())
    checks = host_checks("0.0.0.0", ("mcp.example.com",), ())
    assert checks.enable_dns_rebinding_protection
    assert {"mcp.example.com", "mcp.example.com:*", "127.0.0.1:*"} <= set(checks.allowed_hosts)
    assert "https://mcp.example.com" in checks.allowed_origins
    assert not host_checks("0.0.0.0", ("*",), ()).enable_dns_rebinding_protection
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("10.1.2.3")
    with pytest.raises(StartError, match="shorter than 16"):
        load_token({"MCP_SERVER_TOKEN": "short"}, None, None)
    with pytest.raises(StartError, match="not an ISO time"):
        load_token({"MCP_SERVER_TOKEN": TOKEN}, None, "next tuesday")
    assert load_token({}, None, None) is None
    assert ServerToken(TOKEN).matches(TOKEN) and not ServerToken(TOKEN).matches(TOKEN[:-1])
