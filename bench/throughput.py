"""P6 throughput: streamable-HTTP tool calls per second at 1 and 32 concurrent clients, with p50 and p99.

Every server runs as its own process on 127.0.0.1 against ``bench/upstream.py`` in another (it writes each answer
in one piece with Nagle off, so no call waits for a delayed ACK); the clients are ``mcp`` SDK sessions in this
process, opened and warmed before the clock starts. Servers: ours (``gong-mcp --transport http``, one process and
``--workers 2``), the bare-SDK floor (``bench/floor_server.py``: one ``MCPServer`` tool that calls the upstream with
``httpx2``, one process and two uvicorn workers), FastMCP ``from_openapi`` over HTTP when ``bench/.venv-peers`` has
it, and openapi-mcp-generator's ``--transport streamable-http`` output. Beside calls per second, each row gives calls
per CPU second the server's processes used (calls/s per core used). A server that cannot be driven gets its error
instead of a figure. ``python -m bench.throughput`` runs it alone.
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

from bench import cpu, measure, p6_table, peers
from bench.measure import Probe

LEVELS = (1, 32)
PROBE = Probe(
    "GET",
    "/v2/calls",
    "listCalls",
    {"fromDateTime": "2024-01-01T00:00:00Z", "toDateTime": "2024-01-02T00:00:00Z"},
    "gong_mcp",
)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


Server = tuple[list[str], dict[str, str], int]  # command ({port} to fill), environment, a fixed port (0: any)


def servers(upstream: str, fastmcp: Path | None, node: bool = True) -> dict[str, Server | str]:
    """Each server's command, environment and port, or why it could not be set up."""
    vendor = import_module("gong_mcp.vendor").VENDOR
    ours = {**peers.base_env(), **{e: "bench-credential" for a in vendor.auth for e in a.env}}
    ours |= {"GONG_BASE_URL": upstream, "GONG_MAX_RPS": "0", "GONG_DAILY_QUOTA": "0"}  # measure us, not Gong's limits
    gong = [str(peers.our_script("gong-mcp")), "--transport", "http", "--port", "{port}"]
    floor = [sys.executable, "-m", "bench.floor_server", "{port}", upstream, PROBE.url_path()]
    found: dict[str, Server | str] = {
        "mcpgen": (gong, ours, 0),
        "mcpgen x2 workers": ([*gong, "--workers", "2"], ours, 0),
        "bare SDK floor": (floor, peers.base_env(), 0),
        "bare SDK floor x2": ([*floor, "2"], peers.base_env(), 0),
    }
    from generator.model.config import load_config

    location = str(load_config(peers.ROOT / "openapi" / "gong.toml").spec_location())
    if fastmcp is not None:
        script = str(peers.BENCH / "fastmcp_server.py")
        found["FastMCP from_openapi"] = ([str(fastmcp), script, location, upstream, "{port}"], peers.base_env(), 0)
    if node:
        port = _free_port()
        try:
            found[p6_table.PEER] = (
                peers.streamable_peer(Path(location), port),
                {**peers.base_env(), "API_BASE_URL": upstream},
                port,
            )
        except (peers.SetupFailed, OSError) as exc:
            found[p6_table.PEER] = f"could not be built: {exc}"
    return found


@contextmanager
def running(command: list[str], env: dict[str, str], log: Path, port: int = 0) -> Iterator[tuple[str, int]]:
    """The server's ``/mcp`` URL and process id once its port accepts connections; the process is ended afterwards."""
    port = port or _free_port()
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
        yield f"http://127.0.0.1:{port}/mcp", proc.pid
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


async def drive(url: str, clients: int, calls_each: int, pid: int = 0) -> dict[str, Any]:
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
        started, cpu_before = time.perf_counter(), cpu.seconds(pid)
        async with anyio.create_task_group() as group:
            for session in sessions:
                group.start_soon(one, session, calls_each, True)
        wall, cpu_used = time.perf_counter() - started, cpu.seconds(pid) - cpu_before
    return {
        "clients": clients,
        "calls": len(latencies),
        "calls_per_s": len(latencies) / wall,
        "server_cores": cpu_used / wall,  # cores the server's processes kept busy on average
        "calls_per_cpu_s": len(latencies) / cpu_used if cpu_used > 0 else None,
        "p50_ms": statistics.median(latencies) * 1e3,
        "p99_ms": percentile(latencies, 0.99) * 1e3,
    }


def run(fastmcp: Path | None, calls: int = 400, node: bool = True, only: list[str] | None = None) -> dict[str, Any]:
    """Every server at every level, in this one run."""
    log = peers.WORK / "p6-servers.log"
    peers.WORK.mkdir(parents=True, exist_ok=True)
    found: dict[str, Any] = {"cores": os.cpu_count(), "load_before": os.getloadavg(), "servers": {}}
    with measure.upstream() as upstream:
        for label, server in servers(upstream, fastmcp, node).items():
            if only and label not in only:
                continue
            if isinstance(server, str):
                found["servers"][label] = {str(n): {"clients": n, "error": server} for n in LEVELS}
                continue
            found["servers"][label] = _levels(label, server, log, calls)
    found["load_after"] = os.getloadavg()
    found["ratios"] = p6_table.ratios(found["servers"])
    return found


def _levels(label: str, server: Server, log: Path, calls: int) -> dict[str, Any]:
    command, env, port = server
    levels: dict[str, Any] = {}
    try:
        with running(command, env, log, port) as (url, pid):
            for clients in LEVELS:
                print(f"[P6] {label}: {clients} client(s)", flush=True)
                try:
                    levels[str(clients)] = anyio.run(drive, url, clients, max(1, calls // clients), pid)
                except Exception as exc:  # a server that cannot be driven is reported, not fatal to the run
                    levels[str(clients)] = {"clients": clients, "error": _first_error(exc)}
    except peers.SetupFailed as exc:
        levels = {str(n): {"clients": n, "error": str(exc)} for n in LEVELS}
    return levels


def _first_error(exc: BaseException) -> str:
    """The innermost first error, with its causes: ``ReadError`` alone says little."""
    while isinstance(exc, BaseExceptionGroup) and exc.exceptions:
        exc = exc.exceptions[0]
    said = [f"{type(exc).__name__}: {str(exc)[:160]}"]
    cause = exc.__cause__ or exc.__context__
    while cause is not None and len(said) < 4:
        said.append(f"{type(cause).__name__}: {str(cause)[:120]}")
        cause = cause.__cause__ or cause.__context__
    return " <- ".join(said)


def main(argv: list[str] | None = None) -> int:
    """P6 alone: ``python -m bench.throughput [--calls N] [--no-peers]``."""
    parser = argparse.ArgumentParser(prog="python -m bench.throughput", description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=400, help="timed calls per server and level")
    parser.add_argument("--no-peers", action="store_true", help="skip FastMCP and openapi-mcp-generator (no install)")
    parser.add_argument("--only", action="append", default=[], help="measure only this server (repeatable)")
    args = parser.parse_args(argv)
    try:
        fastmcp = None if args.no_peers else peers.ensure_fastmcp()
        if not args.no_peers:
            peers.ensure_node()
        found = run(fastmcp, args.calls, node=not args.no_peers, only=args.only)
    except (peers.SetupFailed, OSError) as exc:
        print(f"bench: {exc}", file=sys.stderr)
        return 1
    print(p6_table.table(found))
    (peers.BENCH / "results-p6.json").write_text(json.dumps(found, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
