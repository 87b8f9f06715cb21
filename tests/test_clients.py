"""Clients that users actually run drive each generated server as a subprocess, with Prism as the upstream.

The official ``mcp`` client over stdio and over streamable HTTP (with the bearer token), in both protocol modes;
the MCP Inspector's CLI over stdio; the OpenAI Agents SDK's MCP client over stdio and HTTP. Every tool's input
schema must also pass strict consumers: JSON Schema 2020-12, no OpenAPI-only keywords, only local ``$ref``s.
"""

from __future__ import annotations

import importlib
import json
import os
import secrets
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any

import anyio
import httpx2
import pytest
from agents.mcp import MCPServerStdio, MCPServerStreamableHttp
from jsonschema import Draft202012Validator
from mcp import Client, StdioServerParameters
from mcp.client.streamable_http import streamable_http_client

from tests.conftest import VENDORS
from tests.peers import ROOT, Prism, ServerProcess, inspector_cli, vendor_env
from tests.schema_args import arguments

# A read tool per vendor whose answer (Prism's example) is a JSON object: the structured result to check.
PROBES = {"gong": "list_all_gong_users", "gumloop": "list_all_gumloop_flows"}
MODES = {"auto": "2026-07-28", "legacy": "2025-11-25"}
OPENAPI_ONLY = frozenset({"nullable", "example", "discriminator", "xml", "externalDocs"})
CLIENT_TIMEOUT = 60


def _tool_names(vendor: str) -> set[str]:
    return set(importlib.import_module(f"{vendor}_mcp.operations").OPERATIONS)


def _probe_args(vendor: str) -> dict[str, Any]:
    catalog = json.loads(resources.files(f"{vendor}_mcp").joinpath("tools.json").read_text(encoding="utf-8"))
    return arguments(catalog[PROBES[vendor]]["input_schema"])


@pytest.fixture(scope="module")
def server_env(prisms: dict[tuple[str, bool], Prism], peer_dir: Path) -> dict[str, dict[str, str]]:
    """Each vendor's server environment, its upstream the lenient Prism (the vendor's examples come back)."""
    folder = peer_dir / "clients"
    folder.mkdir(exist_ok=True)
    return {vendor: vendor_env(vendor, prisms[(vendor, False)].url, folder) for vendor in VENDORS}


@pytest.fixture(scope="module")
def http_servers(server_env: dict[str, dict[str, str]], peer_dir: Path) -> Iterator[dict[str, ServerProcess]]:
    """Each vendor's server over streamable HTTP on a free loopback port, with a bearer token."""
    started: dict[str, ServerProcess] = {}
    try:
        for vendor in VENDORS:
            log = peer_dir / f"{vendor}-http.log"
            started[vendor] = ServerProcess(f"{vendor}_mcp", server_env[vendor], log, secrets.token_urlsafe(32))
        for server in started.values():
            server.wait_ready()
        yield started
    finally:
        for server in started.values():
            server.stop()


def _stdio(vendor: str, env: dict[str, str]) -> StdioServerParameters:
    return StdioServerParameters(
        command=sys.executable, args=["-m", f"{vendor}_mcp"], env={**os.environ, **env}, cwd=str(ROOT)
    )


def _check_probe(vendor: str, result: Any) -> None:
    text = " ".join(getattr(c, "text", "") for c in result.content)
    assert not result.is_error, text
    assert isinstance(result.structured_content, dict) and result.structured_content, text
    assert json.loads(result.content[0].text) == result.structured_content  # the same JSON as text, first


async def _official(vendor: str, transport: Any, mode: str) -> tuple[str, int]:
    async with Client(transport, mode=mode, read_timeout_seconds=CLIENT_TIMEOUT) as client:
        listed = (await client.list_tools()).tools
        assert {tool.name for tool in listed} == _tool_names(vendor)
        _check_probe(vendor, await client.call_tool(PROBES[vendor], _probe_args(vendor)))
        return client.protocol_version, len(listed)


@pytest.mark.parametrize("mode", sorted(MODES))
@pytest.mark.parametrize("vendor", VENDORS)
def test_official_client_over_stdio(
    vendor: str, mode: str, server_env: dict[str, dict[str, str]], tally: list[str]
) -> None:
    """``python -m <pkg>`` as a subprocess: negotiate, list every tool, call one, read its structured result."""
    version, count = anyio.run(_official, vendor, _stdio(vendor, server_env[vendor]), mode)
    assert version == MODES[mode]
    tally.append(f"clients {vendor}: mcp stdio mode={mode} → {version}: {count} tools listed, {PROBES[vendor]} called")


async def _official_http(vendor: str, server: ServerProcess, mode: str) -> tuple[str, int]:
    async with httpx2.AsyncClient(headers=server.headers, timeout=CLIENT_TIMEOUT, trust_env=False) as http:
        return await _official(vendor, streamable_http_client(server.url, http_client=http), mode)


@pytest.mark.parametrize("mode", sorted(MODES))
@pytest.mark.parametrize("vendor", VENDORS)
def test_official_client_over_http(
    vendor: str, mode: str, http_servers: dict[str, ServerProcess], tally: list[str]
) -> None:
    """Streamable HTTP with the bearer token; without it the server answers 401."""
    server = http_servers[vendor]
    request = urllib.request.Request(server.url, data=b"{}", headers={"Content-Type": "application/json"})
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.build_opener(urllib.request.ProxyHandler({})).open(request, timeout=10)
    assert refused.value.code == 401
    version, count = anyio.run(_official_http, vendor, server, mode)
    assert version == MODES[mode]
    tally.append(f"clients {vendor}: mcp http mode={mode} → {version}: {count} tools listed, {PROBES[vendor]} called")


def _inspector(vendor: str, env: dict[str, str], home: Path, *options: str) -> subprocess.CompletedProcess[str]:
    flags = [item for key, value in env.items() for item in ("-e", f"{key}={value}")]
    return inspector_cli(home, *flags, *options, sys.executable, "-m", f"{vendor}_mcp", timeout=CLIENT_TIMEOUT)


@pytest.mark.parametrize("vendor", VENDORS)
def test_inspector_cli(vendor: str, server_env: dict[str, dict[str, str]], peer_dir: Path, tally: list[str]) -> None:
    """The Inspector's ``tools/list --strict`` (no schema findings at all) and one ``tools/call``."""
    home = peer_dir / f"inspector-{vendor}"
    home.mkdir(exist_ok=True)
    listed = _inspector(vendor, server_env[vendor], home, "--strict", "--method", "tools/list")
    assert listed.returncode == 0, listed.stderr[-3000:]
    answer = json.loads(listed.stdout)
    assert {tool["name"] for tool in answer["result"]["tools"]} == _tool_names(vendor)
    findings = [f for tool in answer.get("schemaFindings", []) for f in tool["findings"]]
    assert not findings, findings  # no errors, and no warnings either (type arrays are listed as anyOf)
    call = ["--protocol-era", "auto", "--method", "tools/call", "--tool-name", PROBES[vendor]]
    called = _inspector(vendor, server_env[vendor], home, *call, "--tool-args-json", json.dumps(_probe_args(vendor)))
    assert called.returncode == 0, called.stdout[-2000:] + called.stderr[-2000:]
    result = json.loads(called.stdout)["result"]
    assert not result.get("isError") and isinstance(result.get("structuredContent"), dict), result
    rules = sorted({f["rule"] for f in findings})
    tally.append(
        f"clients {vendor}: inspector CLI: {len(answer['result']['tools'])} tools listed (--strict: 0 errors, "
        f"{len(findings)} warnings{': ' + ', '.join(rules) if rules else ''}), {PROBES[vendor]} called (era auto)"
    )


async def _agents(vendor: str, server: MCPServerStdio | MCPServerStreamableHttp) -> int:
    async with server:
        listed = await server.list_tools()
        assert {tool.name for tool in listed} == _tool_names(vendor)
        _check_probe(vendor, await server.call_tool(PROBES[vendor], _probe_args(vendor)))
        return len(listed)


@pytest.mark.parametrize("vendor", VENDORS)
def test_openai_agents_sdk(
    vendor: str, server_env: dict[str, dict[str, str]], http_servers: dict[str, ServerProcess], tally: list[str]
) -> None:
    """``MCPServerStdio`` and ``MCPServerStreamableHttp``: list every tool and call one; no model involved."""
    params = _stdio(vendor, server_env[vendor])
    stdio = MCPServerStdio(
        {"command": params.command, "args": params.args, "env": params.env, "cwd": str(ROOT)},
        client_session_timeout_seconds=CLIENT_TIMEOUT,
        use_structured_content=True,
    )
    served = http_servers[vendor]
    http = MCPServerStreamableHttp(
        {"url": served.url, "headers": served.headers, "timeout": CLIENT_TIMEOUT},
        client_session_timeout_seconds=CLIENT_TIMEOUT,
        use_structured_content=True,
    )
    counts = [anyio.run(_agents, vendor, stdio), anyio.run(_agents, vendor, http)]
    tally.append(f"clients {vendor}: openai-agents stdio + http: {counts[0]} tools listed, {PROBES[vendor]} called")


def _keywords(node: Any, path: str, found: list[str], refs: list[str]) -> None:
    """Collect OpenAPI-only keywords and ``$ref`` targets, skipping property names (they are data)."""
    if isinstance(node, list):
        for i, item in enumerate(node):
            _keywords(item, f"{path}/{i}", found, refs)
        return
    if not isinstance(node, dict):
        return
    for key, value in node.items():
        if key in OPENAPI_ONLY or key.startswith("x-"):
            found.append(f"{path}/{key}")
        if key == "$ref":
            refs.append(value)
        if key in ("properties", "patternProperties", "$defs", "definitions", "dependentSchemas"):
            for name, sub in value.items():
                _keywords(sub, f"{path}/{key}/{name}", found, refs)
        elif key not in ("enum", "const", "default", "examples", "required"):
            _keywords(value, f"{path}/{key}", found, refs)


def _resolves(schema: dict[str, Any], ref: str) -> bool:
    if not ref.startswith("#"):
        return False
    target: Any = schema
    for part in [p for p in ref[1:].split("/") if p]:
        key = part.replace("~1", "/").replace("~0", "~")
        if not isinstance(target, dict) or key not in target:
            return False
        target = target[key]
    return isinstance(target, dict)


async def _listed(vendor: str, env: dict[str, str]) -> list[Any]:
    server = importlib.import_module(f"{vendor}_mcp.server")
    settings = importlib.import_module(f"{vendor}_mcp.runtime.settings").Settings
    spec = importlib.import_module(f"{vendor}_mcp.vendor").VENDOR
    async with Client(server.create_server(settings.from_env(spec, env))) as client:
        return (await client.list_tools()).tools


@pytest.mark.parametrize("vendor", VENDORS)
def test_input_schemas_are_strict_json_schema(vendor: str, tally: list[str]) -> None:
    """Every inputSchema is valid 2020-12, free of OpenAPI-only keywords, with every ``$ref`` local and resolvable."""
    tools = anyio.run(_listed, vendor, vendor_env(vendor, "http://127.0.0.1:9", Path("unused")))
    problems: list[str] = []
    refs_checked = 0
    for tool in tools:
        schema = tool.input_schema
        Draft202012Validator.check_schema(schema)
        found: list[str] = []
        refs: list[str] = []
        _keywords(schema, "#", found, refs)
        problems += [f"{tool.name}: OpenAPI-only keyword at {where}" for where in found]
        problems += [
            f"{tool.name}: $ref {ref} does not resolve inside the schema" for ref in refs if not _resolves(schema, ref)
        ]
        refs_checked += len(refs)
    assert tools and not problems, "\n".join(problems[:40])
    tally.append(
        f"schemas {vendor}: {len(tools)} input schemas valid JSON Schema 2020-12, no OpenAPI-only keywords, "
        f"{refs_checked} $refs resolve"
    )
