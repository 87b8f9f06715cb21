"""A generated-style server built from ``generator.runtime``, assembled by the one HTTP stack, driven in process.

``serving`` plans the server exactly as ``--transport http`` does (flags and environment through
``serving.plan``), opens its store when the plan asks for one, runs the SDK's session manager, and yields an
httpx client on the ASGI app plus the requests the upstream saw.
"""

from __future__ import annotations

import argparse
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx2
from mcp.server.mcpserver import Context
from mcp.types import CallToolResult

from generator.runtime.contract import AuthSpec, Operation, ParamSpec, Vendor
from generator.runtime.serve.http import serving as http_serving
from generator.runtime.serve.http import stack
from generator.runtime.serve.server import build_server, invoke
from generator.runtime.settings import Settings
from generator.runtime.team import connections
from generator.runtime.team.connections import Connection

VENDOR = Vendor("acme", "Acme", "ACME", "http://upstream.test", (AuthSpec("bearer", ("ACME_TOKEN",)),), "1", "0" * 64)
VENDOR_TOKEN = "vendor-credential-value-0123456789"
TOKEN = "server-token-0123456789abcdef"
MCP_HEADERS = {"Accept": "application/json, text/event-stream", "Content-Type": "application/json"}
OPERATIONS = {
    "get_thing": Operation("get_thing", "GET", "/things", read_only=True, tag="Things"),
    "delete_thing": Operation(
        "delete_thing", "DELETE", "/things/{id}", (ParamSpec("id", "id", "path"),), destructive=True, tag="Things"
    ),
}
ENTRIES = {
    "get_thing": {"description": "Get things.", "input_schema": {"type": "object"}, "annotations": {}},
    "delete_thing": {
        "description": "Delete a thing.",
        "input_schema": {"type": "object", "properties": {"id": {"type": "string"}}, "required": ["id"]},
        "annotations": {"destructiveHint": True},
    },
}


async def get_thing(ctx: Context) -> CallToolResult:
    """Get things."""
    return await invoke(ctx, "get_thing", {})


async def delete_thing(ctx: Context, id: str) -> CallToolResult:
    """Delete a thing."""
    return await invoke(ctx, "delete_thing", {"id": id})


@dataclass
class Served:
    """The client on the app, what the upstream saw, the store's connection secrets by name."""

    client: httpx2.AsyncClient
    seen: list[httpx2.Request]
    secrets: dict[str, str] = field(default_factory=dict)

    async def rpc(self, method: str, params: dict[str, Any], path: str = "/mcp", **headers: str) -> httpx2.Response:
        """One JSON-RPC request (stateless: no session needed)."""
        body = {"jsonrpc": "2.0", "id": 1, "method": method, "params": params}
        return await self.client.post(path, json=body, headers={**MCP_HEADERS, **headers})

    async def call(self, tool: str, arguments: dict[str, Any], path: str = "/mcp", **headers: str) -> httpx2.Response:
        """``tools/call``."""
        return await self.rpc("tools/call", {"name": tool, "arguments": arguments}, path, **headers)


def args(**flags: Any) -> argparse.Namespace:
    """The HTTP flags as ``parse_args`` gives them, with overrides."""
    base: dict[str, Any] = {
        "host": "127.0.0.1", "port": 0, "token_file": None, "token_expires_at": None, "allowed_hosts": None,
        "allowed_origins": None, "forwarded_allow_ips": None, "stateful": False, "json_response": True, "store": None,
    }  # fmt: skip
    return argparse.Namespace(**{**base, **flags})


@asynccontextmanager
async def serving(
    tmp_path: Path,
    flags: argparse.Namespace,
    env: dict[str, str] | None = None,
    people: dict[str, Connection] | None = None,
) -> AsyncIterator[Served]:
    """The server planned from ``flags`` and ``env``, with connections ``people`` in its store (when it has one)."""
    environ = {"ACME_TOKEN": VENDOR_TOKEN, "ACME_OUTPUT_DIR": str(tmp_path / "out"), **(env or {})}
    if flags.store:
        environ["ACME_STORE"] = flags.store
    settings = Settings.from_env(VENDOR, environ)
    server = build_server(VENDOR, OPERATIONS, [get_thing, delete_thing], ENTRIES, settings)
    seen: list[httpx2.Request] = []

    def upstream(request: httpx2.Request) -> httpx2.Response:
        seen.append(request)
        return httpx2.Response(200, json={"ok": True, "echo": dict(request.headers)})

    server.dispatcher.upstream._transport = httpx2.MockTransport(upstream)
    plan = http_serving.plan(server, flags, environ, len(OPERATIONS))
    team = stack.open_team(server, plan.named)
    secrets = {}
    for name, person in (people or {}).items():
        assert team is not None
        secrets[name] = connections.create(team.store, person)
    from generator.runtime.serve.metrics import Metrics

    app, _ready = stack.assemble(server, plan, team, Metrics())
    host = (flags.allowed_hosts or "127.0.0.1").split(",")[0]
    async with server.session_manager.run():
        asgi = httpx2.ASGITransport(app=app, client=("127.0.0.1", 50000))
        async with httpx2.AsyncClient(transport=asgi, base_url=f"http://{host}", timeout=10) as client:
            yield Served(client, seen, secrets)
