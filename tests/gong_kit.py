"""Shared parts of the production tests: gong_mcp settings against one scripted loopback upstream per module."""

from __future__ import annotations

import base64
import socket
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import anyio
import pytest
from gong_mcp.operations import OPERATIONS
from gong_mcp.runtime.settings import Settings
from gong_mcp.server import create_server
from gong_mcp.vendor import VENDOR
from mcp import Client
from mcp.types import CallToolResult

from tests.upstream import Upstream

KEY, SECRET = "access-key-1234", "access-secret-98765"
BASIC = base64.b64encode(f"{KEY}:{SECRET}".encode()).decode()
# Gong's own limits (3/s, 10,000 a day) are the defaults; tests that are not about them lift them (test_replicas is).
NO_LIMITS = {"GONG_MAX_RPS": "0", "GONG_DAILY_QUOTA": "0"}
SINCE = {"fromDateTime": "2024-01-01T00:00:00Z", "toDateTime": "2024-02-01T00:00:00Z"}


def tool(method: str, path: str) -> str:
    """The tool behind ``METHOD path`` (names are the naming module's business, not these tests')."""
    return next(op.name for op in OPERATIONS.values() if op.method == method and op.path == path)


LIST_CALLS = tool("GET", "/v2/calls")
GET_CALL = tool("GET", "/v2/calls/{id}")
CALLS_BY_POST = tool("POST", "/v2/calls/extensive")
MEETING_STATUS = tool("POST", "/v2/meetings/integration/status")


@pytest.fixture(scope="module")
def shared_upstream() -> Iterator[Upstream]:
    with Upstream() as upstream:  # one server for the module: stopping one takes half a second
        yield upstream


@pytest.fixture
def up(shared_upstream: Upstream) -> Upstream:
    shared_upstream.routes.clear()
    shared_upstream.seen.clear()
    return shared_upstream


@pytest.fixture
def settings(up: Upstream, tmp_path: Path) -> Settings:
    env = {"GONG_BASE_URL": up.url, "GONG_ACCESS_KEY": KEY, "GONG_ACCESS_KEY_SECRET": SECRET, **NO_LIMITS}
    return replace(Settings.from_env(VENDOR, env), output_dir=tmp_path / "out")


def call(settings: Settings, name: str, args: dict[str, Any]) -> CallToolResult:
    async def go() -> CallToolResult:
        async with Client(create_server(settings)) as client:
            return await client.call_tool(name, args)

    return anyio.run(go)


def text(result: CallToolResult) -> str:
    return "\n".join(block.text for block in result.content if block.type == "text")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
