"""Tests that run against this package alone: an in-process MCP client and a local HTTP upstream."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import anyio
import pytest
from mcp import Client
from mcp.types import TextContent

from gong_mcp.runtime.settings import Settings
from gong_mcp.server import create_server
from gong_mcp.vendor import VENDOR

EXPECTED_TOOLS = 67
PROBE_TOOL = "get_single_gong_call_by_id"
PROBE_ARGS = {"id": "probe-id"}
PROBE_PATH = "/v2/calls/"


class Recorder(BaseHTTPRequestHandler):
    """Answers every request with JSON naming the path it was asked for."""

    seen: list[str] = []

    def _answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        Recorder.seen.append(f"{self.command} {self.path}")
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


def settings_for(base_url: str) -> Settings:
    env = {var: "test-value" for scheme in VENDOR.auth for var in scheme.env}
    return Settings.from_env(VENDOR, {**env, f"{VENDOR.env_prefix}_BASE_URL": base_url})


def test_lists_every_tool(upstream: str) -> None:
    async def go() -> None:
        async with Client(create_server(settings_for(upstream))) as client:
            listed = await client.list_tools()
            assert len(listed.tools) == EXPECTED_TOOLS
            for tool in listed.tools:
                assert tool.input_schema["type"] == "object"
                assert tool.annotations is not None

    anyio.run(go)


def test_call_reaches_upstream(upstream: str) -> None:
    async def go() -> None:
        async with Client(create_server(settings_for(upstream))) as client:
            result = await client.call_tool(PROBE_TOOL, PROBE_ARGS)
            assert not result.is_error, result.content
            first = result.content[0]
            assert isinstance(first, TextContent)
            assert json.loads(first.text)["path"].startswith(PROBE_PATH)

    anyio.run(go)


def test_bad_arguments_are_a_tool_error(upstream: str) -> None:
    if not PROBE_ARGS:
        pytest.skip("the probe tool takes no required arguments")

    async def go() -> None:
        async with Client(create_server(settings_for(upstream))) as client:
            before = len(Recorder.seen)
            result = await client.call_tool(PROBE_TOOL, {name: {"not": ["a string"]} for name in PROBE_ARGS})
            assert result.is_error
            assert len(Recorder.seen) == before

    anyio.run(go)
