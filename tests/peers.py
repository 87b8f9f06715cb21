"""Peers nobody here wrote, run as subprocesses on 127.0.0.1: Prism mocks and generated servers.

``Prism`` serves a vendor spec (normalized as the generator normalizes it) and validates every request
against it; ``RecordingProxy`` sits in front of it and records each exchange with Prism's verdict
(its ``sl-violations`` header and problem bodies). ``ServerProcess`` runs a generated server over
streamable HTTP. Every process is stopped by its owner in a ``finally`` block (or a fixture's teardown).
"""

from __future__ import annotations

import http.client
import importlib
import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

from generator.model.config import load_config
from generator.spec.load import load_spec
from generator.spec.normalize import normalize
from tests.upstream import LoopbackServer

ROOT = Path(__file__).resolve().parents[1]
NODE_MODULES = ROOT / "node_modules"
NODE_BIN = NODE_MODULES / ".bin"
START_TIMEOUT = 120.0
_DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # loopback only, never a proxy
HOP_HEADERS = frozenset({"connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade", "host"})


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def node_tool(name: str) -> Path:
    """An npm-installed command from this repo's ``node_modules``; a clear error when it is missing."""
    path = NODE_BIN / name
    if not path.exists():
        raise FileNotFoundError(f"{path} is missing: run `make node_modules` (npm ci) first")
    return path


def claude_code() -> Path:
    """Claude Code's native binary from ``node_modules``: npm installs only this platform's optional package.

    ``npm ci --ignore-scripts`` leaves ``bin/claude.exe`` a stub (its postinstall copies the binary over it),
    so the platform package is run directly, as the package's own ``cli-wrapper.cjs`` does.
    """
    found = sorted(NODE_MODULES.glob("@anthropic-ai/claude-code-*/claude"))
    if not found:
        raise FileNotFoundError(
            f"no {NODE_MODULES}/@anthropic-ai/claude-code-<platform>/claude: run `make node_modules`"
        )
    return found[0]


def inspector_cli(home: Path, *argv: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """``mcp-inspector --cli --format json ARGV`` with its catalog and home in ``home`` (never the user's)."""
    command = [str(node_tool("mcp-inspector")), "--cli", "--format", "json", *argv]
    env = {**os.environ, "HOME": str(home), "MCP_CATALOG_PATH": str(home / "mcp.json")}
    return subprocess.run(command, capture_output=True, text=True, timeout=timeout, cwd=ROOT, env=env, check=False)


def normalized_spec(vendor: str, folder: Path) -> Path:
    """The vendor's spec after the generator's own load + normalize, written to ``folder`` (never the repo)."""
    config = load_config(ROOT / "openapi" / f"{vendor}.toml")
    document, _notes = normalize(load_spec(config.spec_location(), config.spec.sha256).document)
    path = folder / f"{vendor}.normalized.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def vendor_env(vendor: str, upstream: str, folder: Path) -> dict[str, str]:
    """A generated server's environment: made-up credentials for every scheme, every upstream at ``upstream``.

    Operations with a server of their own are sent there too (``<PREFIX>_SERVER_URL_OVERRIDES``); no credit
    budget, retries or vendor limits (requests per second, per day) get in the way; uploads are read from and
    results saved under ``folder``.
    """
    spec = importlib.import_module(f"{vendor}_mcp.vendor").VENDOR
    operations = importlib.import_module(f"{vendor}_mcp.operations").OPERATIONS
    own = sorted({op.server_url for op in operations.values() if op.server_url})
    p = spec.env_prefix
    env = {name: f"peer-{name.lower()}" for scheme in spec.auth for name in scheme.env}
    if own:
        env[f"{p}_SERVER_URL_OVERRIDES"] = ",".join(f"{url}={upstream}" for url in own)
    return env | {
        f"{p}_BASE_URL": upstream,
        f"{p}_CREDIT_CALL_BUDGET": "1000",
        f"{p}_MAX_RETRIES": "0",
        f"{p}_MAX_RPS": "0",
        f"{p}_DAILY_QUOTA": "0",
        f"{p}_JOB_POLL_INTERVAL": "0.05",
        f"{p}_UPLOAD_DIR": str(folder),
        f"{p}_OUTPUT_DIR": str(folder / "output"),
    }


class Process:
    """One subprocess with its output in a log file; ``stop()`` ends it (and only it)."""

    def __init__(self, command: list[str], log: Path, env: dict[str, str] | None = None) -> None:
        self.command = command
        self.log = log
        self._log_file = log.open("wb")
        self.popen = subprocess.Popen(
            command, stdin=subprocess.DEVNULL, stdout=self._log_file, stderr=subprocess.STDOUT, env=env, cwd=ROOT
        )

    def wait_until(self, ready: Any, what: str, timeout: float = START_TIMEOUT) -> None:
        """Poll ``ready()`` until true; fail with the log's tail if the process dies or time runs out."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.popen.poll() is not None:
                raise RuntimeError(f"{what} exited with {self.popen.returncode}:\n{self.tail()}")
            if ready():
                return
            time.sleep(0.2)
        raise RuntimeError(f"{what} did not start within {timeout:.0f} s:\n{self.tail()}")

    def tail(self, chars: int = 3000) -> str:
        """The end of the log."""
        self._log_file.flush()
        return self.log.read_text(encoding="utf-8", errors="replace")[-chars:]

    def stop(self) -> None:
        """Terminate, then kill if it does not exit within 10 s."""
        stop_process(self.popen)
        self._log_file.close()


def stop_process(popen: subprocess.Popen[Any]) -> None:
    """Terminate a process, then kill it if it does not exit within 10 s."""
    if popen.poll() is None:
        popen.terminate()
        try:
            popen.wait(timeout=10)
        except subprocess.TimeoutExpired:
            popen.kill()
            popen.wait(timeout=10)


def _accepts(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


class Prism(Process):
    """``prism mock [--errors] <spec>`` on a free loopback port."""

    def __init__(self, spec: Path, log: Path, *, errors: bool) -> None:
        self.port = free_port()
        command = [str(node_tool("prism")), "mock", "-h", "127.0.0.1", "-p", str(self.port), "-v", "warn"]
        super().__init__([*command, *(["--errors"] if errors else []), str(spec)], log)
        self.errors = errors

    @property
    def url(self) -> str:
        """Where Prism listens."""
        return f"http://127.0.0.1:{self.port}"

    def wait_ready(self) -> None:
        """Block until Prism accepts connections."""
        self.wait_until(lambda: _accepts(self.port), f"prism mock {self.log.stem}")


@dataclass
class Exchange:
    """One request as forwarded to Prism, and Prism's verdict on it."""

    method: str
    path: str
    status: int
    violations: list[dict[str, Any]] = field(default_factory=list)
    body: bytes = b""
    request_type: str = ""
    request_body: bytes = b""

    def request_violations(self) -> list[str]:
        """Prism's complaints about the request (empty when it found the request valid)."""
        found = [v for v in self.violations if _where(v)[0] == "request" and not self._part_text(v)]
        messages = [f"{'.'.join(map(str, _where(v)))}: {v.get('message')}" for v in found]
        if not messages and 400 <= self.status < 500 and not self.prism_limits():
            messages.append(f"HTTP {self.status}: {self.body[:300].decode('utf-8', 'replace')}")
        return messages

    def prism_limits(self) -> list[str]:
        """Complaints that come from Prism, not the request: it reads every multipart part as one text."""
        return [f"{'.'.join(map(str, _where(v)))}: {v.get('message')}" for v in self.violations if self._part_text(v)]

    def _part_text(self, violation: dict[str, Any]) -> bool:
        """Prism 5 keeps each multipart part as a string (``parseMultipartFormDataParams``: ``data.toString()``,
        the part's ``Content-Type`` unread, the last of a repeated name kept), so an array sent as repeated parts
        'must be array', and an object sent as a JSON part (OpenAPI 3.x: ``application/json``) 'must be object'."""
        where = _where(violation)
        where = where[1:] if where[:1] == ["request"] else where  # ``--errors`` problems say ``body``, not ``request``
        if not self.request_type.startswith("multipart/") or where[:1] != ["body"] or len(where) != 2:
            return False
        message, name = str(violation.get("message")), str(where[1]).encode()
        if "must be array" in message:
            return name in re.findall(rb'form-data; name="([^"]+)"', self.request_body)
        return "must be object" in message and any(_json_object(part) for part in self._parts(name))

    def _parts(self, name: bytes) -> list[bytes]:
        """The bodies of the parts named ``name`` that say they are JSON."""
        found = re.finditer(rb'form-data; name="([^"]+)"\r\n((?:[^\r]+\r\n)*)\r\n(.*?)\r\n--', self.request_body, re.S)
        return [m[3] for m in found if m[1] == name and re.search(rb"content-type: [^\r]*json", m[2], re.I)]

    def response_violations(self) -> list[str]:
        """Prism's complaints about the vendor's own example response."""
        found = [v for v in self.violations if _where(v)[0] == "response"]
        return [f"{'.'.join(map(str, _where(v)))}: {v.get('message')}" for v in found]


def _json_object(text: bytes) -> bool:
    try:
        return isinstance(json.loads(text), dict)
    except ValueError:
        return False


def _where(violation: dict[str, Any]) -> list[Any]:
    return list(violation.get("location") or [""])


class RecordingProxy(LoopbackServer):
    """A loopback reverse proxy to one target that records every exchange (``with RecordingProxy(url) as p``)."""

    def __init__(self, target_port: int) -> None:
        self.target_port = target_port
        self.exchanges: list[Exchange] = []
        super().__init__()

    def since(self, mark: int) -> list[Exchange]:
        """The exchanges recorded after ``mark`` (a previous ``len(proxy.exchanges)``)."""
        with self._lock:
            return list(self.exchanges[mark:])

    def forward(self, method: str, target: str, headers: dict[str, str], body: bytes) -> tuple[int, list, bytes]:
        """Send one request to the target and record Prism's verdict."""
        connection = http.client.HTTPConnection("127.0.0.1", self.target_port, timeout=60)
        try:
            connection.request(method, target, body=body or None, headers=headers)
            response = connection.getresponse()
            data = response.read()
            status, pairs = response.status, response.getheaders()
        finally:
            connection.close()
        violations = _violations(dict((k.lower(), v) for k, v in pairs), data)
        sent_type = next((v for k, v in headers.items() if k.lower() == "content-type"), "")
        exchange = Exchange(method, target.split("?", maxsplit=1)[0], status, violations, data, sent_type, body)
        with self._lock:
            self.exchanges.append(exchange)
        return status, pairs, data

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        proxy = self

        class _Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _relay(self) -> None:
                body = _read_body(self)
                headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_HEADERS}
                headers["Content-Length"] = str(len(body))
                status, pairs, data = proxy.forward(self.command, self.path, headers, body)
                self.send_response(status)
                for key, value in pairs:
                    if key.lower() not in HOP_HEADERS and key.lower() != "content-length":
                        self.send_header(key, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _relay

            def log_message(self, *args: object) -> None:
                pass

        return _Handler


def _read_body(handler: BaseHTTPRequestHandler) -> bytes:
    if handler.headers.get("Transfer-Encoding", "").lower() == "chunked":
        chunks = []
        while True:
            size = int(handler.rfile.readline().split(b";")[0].strip() or b"0", 16)
            if size == 0:
                handler.rfile.readline()
                return b"".join(chunks)
            chunks.append(handler.rfile.read(size))
            handler.rfile.readline()
    length = int(handler.headers.get("Content-Length") or 0)
    return handler.rfile.read(length) if length else b""


def _violations(headers: dict[str, str], body: bytes) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    try:
        found.extend(json.loads(headers.get("sl-violations") or "[]"))
    except ValueError:
        found.append({"location": ["request"], "message": f"unreadable sl-violations: {headers['sl-violations']}"})
    if "problem+json" in headers.get("content-type", ""):
        try:
            problem = json.loads(body)
        except ValueError:
            problem = {}
        extra = problem.get("validation") if isinstance(problem, dict) else None
        found.extend(v for v in extra or [] if v not in found)
    return found


class ServerProcess(Process):
    """A generated server over streamable HTTP (``python -m <module> --transport http``) with a bearer token."""

    def __init__(self, module: str, env: dict[str, str], log: Path, token: str) -> None:
        self.port = free_port()
        self.token = token
        command = [sys.executable, "-m", module, "--transport", "http", "--host", "127.0.0.1", "--port", str(self.port)]
        super().__init__(command, log, env={**os.environ, **env, "MCP_SERVER_TOKEN": token})

    @property
    def url(self) -> str:
        """The MCP endpoint."""
        return f"http://127.0.0.1:{self.port}/mcp"

    @property
    def headers(self) -> dict[str, str]:
        """What every client must send."""
        return {"Authorization": f"Bearer {self.token}"}

    def wait_ready(self) -> None:
        """Block until ``/healthz`` answers 200."""
        self.wait_until(self._healthy, f"{self.command[2]} over HTTP")

    def _healthy(self) -> bool:
        try:
            with _DIRECT.open(f"http://127.0.0.1:{self.port}/healthz", timeout=1) as response:
                return response.status == 200
        except (urllib.error.URLError, OSError):
            return False
