"""Tests that run against this suite alone: an in-process MCP client and a local HTTP upstream for every vendor."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import anyio
import pytest
from mcp import Client
from mcp.types import TextContent

from team_mcp.runtime.settings import Settings
from team_mcp.server import MEMBERS, SUITE, create_server

EXPECTED_TOOLS = 116
PROBES: dict[str, tuple[str, dict[str, Any], str]] = {
    "gong": ("get_single_gong_call_by_id", {"id": "probe-id"}, "/v2/calls/"),
    "gumloop": ("get_single_gumloop_agent_by_id", {"agent_id": "probe-id"}, "/agents/"),
}


class Recorder(BaseHTTPRequestHandler):
    """Answers every request with JSON naming the path it was asked for."""

    def _answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        body = json.dumps({"ok": True, "path": self.path}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _answer

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def upstream() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def settings_for(base_url: str, without: str = "") -> Settings:
    """Every vendor's base URL set to ``base_url`` and its credentials set, except those of ``without``."""
    env: dict[str, str] = {}
    for member in MEMBERS:
        env[f"{member.vendor.env_prefix}_BASE_URL"] = base_url
        if member.vendor.name != without:
            env |= {var: "test-value" for scheme in member.vendor.auth for var in scheme.env}
    return Settings.from_env(SUITE, env)


def test_lists_every_vendors_tools(upstream: str) -> None:
    async def go() -> None:
        async with Client(create_server(settings_for(upstream))) as client:
            listed = await client.list_tools()
            assert len(listed.tools) == EXPECTED_TOOLS
            assert set(PROBES) == {member.vendor.name for member in MEMBERS}

    anyio.run(go)


@pytest.mark.parametrize("vendor", sorted(PROBES))
def test_each_vendors_call_reaches_upstream(upstream: str, vendor: str) -> None:
    name, args, path = PROBES[vendor]

    async def go() -> None:
        async with Client(create_server(settings_for(upstream))) as client:
            result = await client.call_tool(name, args)
            assert not result.is_error, result.content
            first = result.content[0]
            assert isinstance(first, TextContent)
            assert json.loads(first.text)["path"].startswith(path)

    anyio.run(go)


@pytest.mark.parametrize("vendor", sorted(PROBES))
def test_a_vendor_without_credentials_says_what_to_set(upstream: str, vendor: str) -> None:
    name, args, _ = PROBES[vendor]
    member = next(m for m in MEMBERS if m.vendor.name == vendor)

    async def go() -> None:
        async with Client(create_server(settings_for(upstream, without=vendor))) as client:
            result = await client.call_tool(name, args)
            assert result.is_error
            first = result.content[0]
            assert isinstance(first, TextContent)
            assert member.vendor.auth[0].env[0] in first.text

    anyio.run(go)
