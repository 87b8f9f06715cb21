"""P6 throughput: streamable-HTTP tool calls per second at 1 and 32 concurrent clients, with p50 and p99.

Every server runs as its own process on 127.0.0.1 against ``bench/upstream.py`` in another (it writes each answer
in one piece with Nagle off, so no call waits for a delayed ACK); the clients are ``mcp`` SDK sessions in this
process, opened and warmed before the clock starts. Servers: ours (``gong-mcp --transport http``), the bare-SDK
floor (``bench/floor_server.py``: one ``MCPServer`` tool that calls the upstream with ``httpx2``), and FastMCP
``from_openapi`` over HTTP when ``bench/.venv-peers`` has it. ``python -m bench.throughput`` runs it alone.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import AsyncExitStack, contextmanager
from importlib import import_module
from pathlib import Path
from typing import Any

import anyio
import httpx2
from mcp import Client
from mcp.client.streamable_http import streamable_http_client

from bench import measure, peers
from bench.measure import Probe

LEVELS = (1, 32)
PROBE = Probe(
    "GET", "/v2/calls", "listCalls", {"fromDateTime": "2024-01-01T00:00:00Z", "toDateTime": "2024-01-02T00:00:00Z"}
)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def servers(upstream: str, fastmcp: Path | None) -> dict[str, tuple[list[str], dict[str, str]]]:
    """Each server's command (``{port}`` to fill) and environment."""
    vendor = import_module("gong_mcp.vendor").VENDOR
    ours = {**peers.base_env(), **{e: "bench-credential" for a in vendor.auth for e in a.env}}
    ours |= {"GONG_BASE_URL": upstream, "GONG_MAX_RPS": "0", "GONG_DAILY_QUOTA": "0"}  # measure us, not Gong's limits
    found = {
        "mcpgen": ([str(peers.our_script("gong-mcp")), "--transport", "http", "--port", "{port}"], ours),
        "bare SDK floor": (
            [sys.executable, "-m", "bench.floor_server", "{port}", upstream, PROBE.url_path()],
            peers.base_env(),
        ),
    }
    if fastmcp is not None:
        spec = peers.ROOT / "openapi" / "gong.toml"
        from generator.model.config import load_config

        location = str(load_config(spec).spec_location())
        script = str(peers.BENCH / "fastmcp_server.py")
        found["FastMCP from_openapi"] = ([str(fastmcp), script, location, upstream, "{port}"], peers.base_env())
    return found


@contextmanager
def running(command: list[str], env: dict[str, str], log: Path) -> Iterator[str]:
    """The server's ``/mcp`` URL once its port accepts connections; the process is ended afterwards."""
    port = _free_port()
    argv = [part.replace("{port}", str(port)) for part in command]
    with log.open("ab") as sink:
        proc = subprocess.Popen(argv, env=env, stdout=sink, stderr=sink, cwd=peers.ROOT)
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                raise peers.SetupFailed(f"{argv[0]} exited {proc.returncode}; see {log}")
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise peers.SetupFailed(f"{argv[0]} did not listen in 60 s") from None
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}/mcp"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


def percentile(values: list[float], share: float) -> float:
    """Nearest rank."""
    ordered = sorted(values)
    return ordered[max(0, round(share * len(ordered)) - 1)]


async def _tool_name(client: Client) -> str:
    listed = await client.list_tools()
    tools = [t.model_dump(by_alias=True, mode="json") for t in listed.tools]
    if len(tools) == 1:
        return str(tools[0]["name"])
    return measure.find_tool({"tools": tools}, PROBE)


async def drive(url: str, clients: int, calls_each: int) -> dict[str, Any]:
    """``clients`` sessions, each making ``calls_each`` calls one after another, all at once."""
    latencies: list[float] = []
    async with AsyncExitStack() as stack:
        sessions = []
        for _ in range(clients):
            http = await stack.enter_async_context(httpx2.AsyncClient(timeout=120))
            sessions.append(await stack.enter_async_context(Client(streamable_http_client(url, http_client=http))))
        name = await _tool_name(sessions[0])

        async def one(session: Client, count: int, record: bool) -> None:
            for _ in range(count):
                started = time.perf_counter()
                result = await session.call_tool(name, PROBE.args)
                if result.is_error:
                    raise peers.SetupFailed(f"{name} answered an error: {str(result.content)[:300]}")
                if record:
                    latencies.append(time.perf_counter() - started)

        async with anyio.create_task_group() as group:  # warm every session and the server's pools
            for session in sessions:
                group.start_soon(one, session, 3, False)
        started = time.perf_counter()
        async with anyio.create_task_group() as group:
            for session in sessions:
                group.start_soon(one, session, calls_each, True)
        wall = time.perf_counter() - started
    return {
        "clients": clients,
        "calls": len(latencies),
        "calls_per_s": len(latencies) / wall,
        "p50_ms": statistics.median(latencies) * 1e3,
        "p99_ms": percentile(latencies, 0.99) * 1e3,
    }


def run(fastmcp: Path | None, calls: int = 400) -> dict[str, Any]:
    """Every server at every level, in this one run."""
    log = peers.WORK / "p6-servers.log"
    peers.WORK.mkdir(parents=True, exist_ok=True)
    found: dict[str, Any] = {"cores": os.cpu_count(), "servers": {}}
    with measure.upstream() as upstream:
        for label, (command, env) in servers(upstream, fastmcp).items():
            with running(command, env, log) as url:
                levels: dict[str, Any] = {}
                for clients in LEVELS:
                    print(f"[P6] {label}: {clients} client(s)", flush=True)
                    try:
                        levels[str(clients)] = anyio.run(drive, url, clients, max(1, calls // clients))
                    except Exception as exc:  # a server that cannot be driven is reported, not fatal to the run
                        levels[str(clients)] = {"clients": clients, "error": _first_error(exc)}
                found["servers"][label] = levels
    found["ratios"] = ratios(found["servers"])
    return found


def _first_error(exc: BaseException) -> str:
    while isinstance(exc, BaseExceptionGroup) and exc.exceptions:
        exc = exc.exceptions[0]
    return f"{type(exc).__name__}: {str(exc)[:200]}"


def _rate(servers: dict[str, Any], label: str, level: str) -> float | None:
    figures = servers.get(label, {}).get(level, {})
    return figures.get("calls_per_s")


def ratios(servers: dict[str, Any]) -> dict[str, float]:
    """Ours over the floor and over FastMCP (calls per second, same cores), and p99/p50 at 32 clients."""
    out = {}
    for peer in ("bare SDK floor", "FastMCP from_openapi"):
        for level in ("1", "32"):
            ours, theirs = _rate(servers, "mcpgen", level), _rate(servers, peer, level)
            if ours and theirs:
                out[f"P6 calls/s mcpgen / {peer} @{level}"] = ours / theirs
    if _rate(servers, "mcpgen", "32"):
        out["P6 p99/p50 mcpgen @32"] = servers["mcpgen"]["32"]["p99_ms"] / servers["mcpgen"]["32"]["p50_ms"]
    return out


def table(found: dict[str, Any]) -> str:
    """One row per server and level, then the ratios."""
    lines = [f"P6 throughput over streamable HTTP ({found['cores']} cores shared by client, server and upstream)"]
    lines.append(f"{'server':<24}{'clients':>8}{'calls':>7}{'calls/s':>9}{'p50 ms':>9}{'p99 ms':>9}")
    for label, levels in found["servers"].items():
        for level in levels.values():
            if "error" in level:
                lines.append(f"{label:<24}{level['clients']:>8}  could not be driven: {level['error']}")
                continue
            lines.append(
                f"{label:<24}{level['clients']:>8}{level['calls']:>7}{level['calls_per_s']:>9.1f}"
                f"{level['p50_ms']:>9.2f}{level['p99_ms']:>9.2f}"
            )
    lines += [f"{name:<48}{value:>10.3f}" for name, value in found["ratios"].items()]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """P6 alone: ``python -m bench.throughput [--calls N] [--no-peers]``."""
    parser = argparse.ArgumentParser(prog="python -m bench.throughput", description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=400, help="timed calls per server and level")
    parser.add_argument("--no-peers", action="store_true", help="skip FastMCP (no install)")
    args = parser.parse_args(argv)
    try:
        fastmcp = None if args.no_peers else peers.ensure_fastmcp()
        found = run(fastmcp, args.calls)
    except (peers.SetupFailed, OSError) as exc:
        print(f"bench: {exc}", file=sys.stderr)
        return 1
    print(table(found))
    (peers.BENCH / "results-p6.json").write_text(json.dumps(found, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
