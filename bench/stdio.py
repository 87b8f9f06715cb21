"""A bare MCP client over stdio (newline-delimited JSON-RPC), so every server is timed the same way.

The benchmark speaks the protocol itself instead of through an SDK client: what it times is the server, and
the bytes it counts are exactly the lines the server wrote.
"""

from __future__ import annotations

import json
import os
import queue
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

PROTOCOL = "2025-06-18"
TIMEOUT = 120.0


class ServerFailed(RuntimeError):
    """The server exited, answered with an error, or said nothing in time."""


@dataclass
class Session:
    """One running server process and the JSON-RPC conversation with it."""

    command: list[str]
    env: dict[str, str]
    cwd: Path | None = None
    proc: subprocess.Popen[bytes] | None = None
    started: float = 0.0
    next_id: int = 0
    stderr: Path = field(default_factory=lambda: Path(os.devnull))
    lines: queue.Queue[bytes] = field(default_factory=queue.Queue)

    def __enter__(self) -> Session:
        self.started = time.perf_counter()
        self.proc = subprocess.Popen(
            self.command,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.stderr.open("ab"),
            env=self.env,
            cwd=self.cwd,
        )
        threading.Thread(target=self._pump, daemon=True).start()
        return self

    def _pump(self) -> None:
        assert self.proc is not None and self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.put(line)
        self.lines.put(b"")

    def __exit__(self, *exc: object) -> None:
        assert self.proc is not None
        if self.proc.stdin:
            self.proc.stdin.close()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()

    def request(self, method: str, params: dict[str, Any] | None = None) -> tuple[dict[str, Any], int]:
        """Send one request; return the answer and the size in bytes of the line that carried it."""
        self.next_id += 1
        self._send({"jsonrpc": "2.0", "id": self.next_id, "method": method, "params": params or {}})
        while True:
            line = self._read_line()
            message = json.loads(line)
            if message.get("id") == self.next_id and ("result" in message or "error" in message):
                if "error" in message:
                    raise ServerFailed(f"{method}: {message['error']}")
                return message["result"], len(line)

    def notify(self, method: str) -> None:
        """Send a notification (no answer expected)."""
        self._send({"jsonrpc": "2.0", "method": method})

    def handshake(self) -> None:
        """``initialize`` then ``notifications/initialized``."""
        info = {"name": "mcpgen-bench", "version": "1"}
        self.request("initialize", {"protocolVersion": PROTOCOL, "capabilities": {}, "clientInfo": info})
        self.notify("notifications/initialized")

    def peak_rss_mb(self) -> float:
        """The process's peak resident set size so far (Linux ``VmHWM``), in MB."""
        assert self.proc is not None
        for line in Path(f"/proc/{self.proc.pid}/status").read_text(encoding="utf-8").splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
        return float("nan")

    def _send(self, message: dict[str, Any]) -> None:
        assert self.proc is not None and self.proc.stdin is not None
        self.proc.stdin.write(json.dumps(message).encode("utf-8") + b"\n")
        self.proc.stdin.flush()

    def _read_line(self) -> bytes:
        assert self.proc is not None
        try:
            line = self.lines.get(timeout=TIMEOUT)
        except queue.Empty:
            raise ServerFailed(f"no answer within {TIMEOUT:.0f} s from {self.command[0]}") from None
        if not line:
            raise ServerFailed(f"{self.command[0]} exited with code {self.proc.wait()}")
        return line.rstrip(b"\n")


def cold_start(command: list[str], env: dict[str, str], stderr: Path) -> tuple[float, int, dict[str, Any]]:
    """Process start → first ``tools/list`` answered: seconds, the answer's bytes, and the answer."""
    with Session(command, env, stderr=stderr) as session:
        session.handshake()
        listing, size = session.request("tools/list")
        return time.perf_counter() - session.started, size, listing
