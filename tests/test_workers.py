"""``gong-mcp --transport http --workers 2``: two whole servers on one port, both answering calls, and a SIGTERM
that drains both and exits 0."""

from __future__ import annotations

import asyncio
import json
import signal
import socket
import subprocess
import sys
from pathlib import Path

from tests.test_ops import _serve, raw_call
from tests.test_transports import TOKEN, free_port, server_env
from tests.upstream import Reply, Upstream


def test_two_workers_share_the_port_answer_calls_and_drain_on_sigterm(tmp_path: Path) -> None:
    with Upstream() as up:
        up.route("GET", "/v2/calls/w", Reply(200, {"id": "w"}))
        process, base = _serve(up.url, tmp_path, GONG_WORKERS="2", GONG_LOG_FORMAT="json")
        try:
            for _ in range(16):  # each call on its own connection: the kernel picks a worker for each
                answer = raw_call(base, "w")
                assert answer.status_code == 200 and '"isError":false' in answer.text
            process.send_signal(signal.SIGTERM)
            assert process.wait(timeout=20) == 0
        finally:
            process.kill()
    stderr = (tmp_path / "drain.txt").read_text(encoding="utf-8")
    pids = {json.loads(line)["pid"] for line in stderr.splitlines() if line.startswith('{"')}
    assert len(pids) == 2 and process.pid not in pids  # both workers answered; the parent only supervises
    assert stderr.count("draining: SIGTERM") == 2


def test_workers_refuse_in_memory_sessions(tmp_path: Path) -> None:
    argv = [sys.executable, "-m", "gong_mcp", "--transport", "http", "--port", str(free_port()), "--stateful"]
    done = subprocess.run(
        [*argv, "--workers", "2"],
        env=server_env("http://127.0.0.1:9", MCP_SERVER_TOKEN=TOKEN),
        capture_output=True,
        check=False,
    )
    assert done.returncode == 2 and b"--stateful keeps sessions in one process" in done.stderr


def test_a_worker_listener_turns_nagle_off_on_accepted_connections() -> None:
    """asyncio sets TCP_NODELAY only where the socket's protocol is IPPROTO_TCP; a worker's listener must say so."""
    from gong_mcp.runtime.serve.workers import listener

    async def accepted_nodelay() -> int:
        found: asyncio.Future[int] = asyncio.get_running_loop().create_future()

        class Probe(asyncio.Protocol):
            def connection_made(self, transport: asyncio.BaseTransport) -> None:
                sock = transport.get_extra_info("socket")
                found.set_result(sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))

        sock = listener("127.0.0.1", 0)
        server = await asyncio.get_running_loop().create_server(Probe, sock=sock)
        _, writer = await asyncio.open_connection(*sock.getsockname()[:2])
        nodelay = await found
        writer.close()
        server.close()
        return nodelay

    assert asyncio.run(accepted_nodelay()) != 0
