"""Clients people run drive the team suite as a subprocess, each vendor's upstream its own Prism.

The official ``mcp`` client over stdio and streamable HTTP and the MCP Inspector's CLI list every tool of both
vendors and call one of each; Claude Code connects by a connection URL (no header) made with ``team-mcp
connections create``, through which the Inspector calls one tool of each vendor. With Prism's ``--errors`` as the
upstreams, each vendor's request is validated against that vendor's own spec (a request the spec does not allow is
answered 422, a tool error).
"""

from __future__ import annotations

import json
import os
import re
import secrets
import subprocess
import sys
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any

import anyio
import httpx2
import pytest
from mcp import Client, StdioServerParameters
from mcp.client.streamable_http import streamable_http_client

from tests.conftest import VENDORS
from tests.peers import ROOT, Prism, ServerProcess, inspector_cli, vendor_env
from tests.schema_args import arguments
from tests.test_team_clients import claude

PROBES = {"gong": "list_all_gong_users", "gumloop": "list_all_gumloop_flows"}  # as tests/test_clients.py
TIMEOUT = 60
CATALOG = json.loads(resources.files("team_mcp").joinpath("tools.json").read_text(encoding="utf-8"))


def suite_env(prisms: dict[tuple[str, bool], Prism], folder: Path, errors: bool) -> dict[str, str]:
    """Both vendors' environments, each with its own Prism (``errors``: the one that validates requests)."""
    folder.mkdir(exist_ok=True)
    env: dict[str, str] = {}
    for vendor in VENDORS:
        env |= vendor_env(vendor, prisms[(vendor, errors)].url, folder)
    return env | {"TEAM_OUTPUT_DIR": str(folder / "output")}


def probe_args(vendor: str) -> dict[str, Any]:
    return arguments(CATALOG[PROBES[vendor]]["input_schema"])


async def both_vendors(transport: Any) -> tuple[int, list[Any]]:
    """List every tool and call one of each vendor; the number listed and the results."""
    async with Client(transport, read_timeout_seconds=TIMEOUT) as client:
        listed = (await client.list_tools()).tools
        assert {tool.name for tool in listed} == set(CATALOG)
        return len(listed), [await client.call_tool(PROBES[v], probe_args(v)) for v in VENDORS]


def call_each_vendor(home: Path, before: list[str], after: list[str]) -> None:
    """The Inspector's ``tools/call`` of each vendor's probe (``before`` and ``after``: its other flags): a result."""
    for vendor in VENDORS:
        args = json.dumps(probe_args(vendor))
        call = ["--method", "tools/call", "--tool-name", PROBES[vendor], "--tool-args-json", args]
        called = inspector_cli(home, *before, *call, *after, timeout=TIMEOUT)
        assert called.returncode == 0, called.stdout[-2000:] + called.stderr[-2000:]
        result = json.loads(called.stdout)["result"]
        assert not result.get("isError") and isinstance(result.get("structuredContent"), dict), result


def check(results: list[Any]) -> None:
    for vendor, result in zip(VENDORS, results, strict=True):
        text = " ".join(getattr(c, "text", "") for c in result.content)
        assert not result.is_error, (vendor, text)
        assert isinstance(result.structured_content, dict) and result.structured_content, (vendor, text)


@pytest.fixture(scope="module")
def http_server(prisms: dict[tuple[str, bool], Prism], peer_dir: Path) -> Iterator[ServerProcess]:
    env = suite_env(prisms, peer_dir / "suite-http", errors=False)
    server = ServerProcess("team_mcp", env, peer_dir / "team-http.log", secrets.token_urlsafe(32))
    try:
        server.wait_ready()
        yield server
    finally:
        server.stop()


@pytest.mark.parametrize("errors", [False, True], ids=["lenient", "validating"])
def test_official_client_over_stdio(
    prisms: dict[tuple[str, bool], Prism], peer_dir: Path, tally: list[str], errors: bool
) -> None:
    env = suite_env(prisms, peer_dir / f"suite-stdio-{errors}", errors)
    params = StdioServerParameters(
        command=sys.executable, args=["-m", "team_mcp"], env={**os.environ, **env}, cwd=str(ROOT)
    )
    count, results = anyio.run(both_vendors, params)
    check(results)
    against = "each vendor's own spec validated by Prism --errors" if errors else "lenient Prism"
    tally.append(f"suite team: mcp stdio: {count} tools listed, {', '.join(PROBES.values())} called ({against})")


async def _over_http(server: ServerProcess) -> tuple[int, list[Any]]:
    async with httpx2.AsyncClient(headers=server.headers, timeout=TIMEOUT, trust_env=False) as http:
        return await both_vendors(streamable_http_client(server.url, http_client=http))


def test_official_client_over_http(http_server: ServerProcess, tally: list[str]) -> None:
    count, results = anyio.run(_over_http, http_server)
    check(results)
    tally.append(f"suite team: mcp http (bearer): {count} tools listed, {', '.join(PROBES.values())} called")


def test_inspector_cli(prisms: dict[tuple[str, bool], Prism], peer_dir: Path, tally: list[str]) -> None:
    home = peer_dir / "inspector-team"
    home.mkdir(exist_ok=True)
    env = suite_env(prisms, peer_dir / "suite-inspector", errors=False)
    flags = [item for key, value in env.items() for item in ("-e", f"{key}={value}")]
    server = [sys.executable, "-m", "team_mcp"]
    listed = inspector_cli(home, *flags, "--strict", "--method", "tools/list", *server, timeout=TIMEOUT)
    assert listed.returncode == 0, listed.stderr[-3000:]
    answer = json.loads(listed.stdout)
    assert {tool["name"] for tool in answer["result"]["tools"]} == set(CATALOG)
    assert not [f for tool in answer.get("schemaFindings", []) for f in tool["findings"]]
    call_each_vendor(home, [*flags, "--protocol-era", "auto"], server)
    tally.append(f"suite team: inspector CLI: {len(CATALOG)} tools listed (--strict: 0 findings), one call per vendor")


def test_claude_code_and_the_inspector_through_a_connection_url(
    prisms: dict[tuple[str, bool], Prism], peer_dir: Path, tmp_path: Path, tally: list[str]
) -> None:
    """``team-mcp connections create`` prints one URL; Claude Code connects by it without a header, and the
    Inspector lists both vendors' tools and calls one of each through it."""
    env = suite_env(prisms, peer_dir / "suite-connection", errors=False) | {"TEAM_STORE": str(tmp_path / "team.db")}
    server = ServerProcess("team_mcp", env, peer_dir / "team-connection.log", secrets.token_urlsafe(32))
    try:
        server.wait_ready()
        base = f"http://127.0.0.1:{server.port}"
        create = [sys.executable, "-m", "team_mcp", "connections", "create", "--name", "alice", "--public-url", base]
        made = subprocess.run(
            create, env={**os.environ, **env}, capture_output=True, text=True, timeout=TIMEOUT, check=False
        )
        assert made.returncode == 0, made.stderr
        url = re.findall(r"URL: +(\S+)", made.stdout)[0]
        assert url.startswith(f"{base}/mcp/c/")
        version = claude(tmp_path, "--version").stdout.split()[0]
        added = claude(tmp_path, "mcp", "add", "--transport", "http", "team", url)
        assert added.returncode == 0, added.stdout + added.stderr
        listed = claude(tmp_path, "mcp", "list")
        assert "team:" in listed.stdout and listed.stdout.strip().endswith("✔ Connected"), listed.stdout
        home = tmp_path / "inspector"
        home.mkdir()
        found = inspector_cli(home, url, "--transport", "http", "--method", "tools/list", timeout=TIMEOUT)
        assert found.returncode == 0, found.stderr[-2000:]
        assert {tool["name"] for tool in json.loads(found.stdout)["result"]["tools"]} == set(CATALOG)
        call_each_vendor(home, [url, "--transport", "http"], [])
    finally:
        server.stop()
    assert url.rsplit("/", 1)[1] not in server.log.read_text(encoding="utf-8")  # the URL's secret is never logged
    tally.append(
        f"suite team: claude-code {version} by a connection URL: ✔ Connected; inspector CLI: one call per vendor"
    )
