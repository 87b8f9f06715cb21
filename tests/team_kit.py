"""Real parts for the team tests: a PostgreSQL server in a temporary folder, and an OAuth issuer on 127.0.0.1.

The PostgreSQL server is started with the machine's own ``initdb``/``pg_ctl`` and stopped by the fixture; the
issuer serves RFC 8414 metadata and a JWKS and signs tokens with RSA keys made here (PyJWT signs them).
"""

from __future__ import annotations

import glob
import json
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa


def pg_bin() -> Path | None:
    """The folder with ``initdb`` and ``pg_ctl``: on PATH, else the newest /usr/lib/postgresql/*/bin."""
    found = shutil.which("initdb")
    if found:
        return Path(found).parent
    folders = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: _major(Path(p).parents[1].name))
    return Path(folders[-1]).parent if folders else None


def _major(version: str) -> tuple[int, ...]:
    """``15`` → (15,), ``9.6`` → (9, 6); a folder that is not a version sorts first."""
    parts = version.split(".")
    return tuple(int(part) for part in parts) if all(part.isdigit() for part in parts) else (-1,)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _owner() -> dict[str, Any]:
    """PostgreSQL refuses to run as root: as root, run it as the ``postgres`` (else ``nobody``) user."""
    if os.geteuid() != 0:
        return {}
    for name in ("postgres", "nobody"):
        try:
            entry = pwd.getpwnam(name)
        except KeyError:
            continue
        return {"user": entry.pw_uid, "group": entry.pw_gid}
    return {}


def pg_folder() -> Path:
    """A folder the server's user owns and can reach (pytest's own temporary folders are private to root)."""
    folder = Path(tempfile.mkdtemp(prefix="mcpgen-pg-"))
    owner = _owner()
    if owner:
        os.chown(folder, owner["user"], owner["group"])
    return folder


@contextmanager
def postgres(folder: Path) -> Iterator[str]:
    """A PostgreSQL server of its own on a free loopback port in ``folder``; its URL. Stopped (fast) at the end."""
    bin_dir = pg_bin()
    assert bin_dir is not None
    data, port = folder / "data", free_port()
    env = {**os.environ, "LC_ALL": "C"}
    run: dict[str, Any] = {"capture_output": True, "timeout": 60, "env": env, "cwd": folder, **_owner()}
    initdb = [str(bin_dir / "initdb"), "-D", str(data), "-U", "mcp", "-A", "trust", "-E", "UTF8", "--no-sync"]
    subprocess.run(initdb, check=True, **run)
    settings = f"port = {port}\nunix_socket_directories = '{folder}'\nlisten_addresses = '127.0.0.1'\nfsync = off\n"
    with (data / "postgresql.conf").open("a", encoding="utf-8") as conf:  # kept for a restart mid-test
        conf.write(settings)
    start = [str(bin_dir / "pg_ctl"), "-D", str(data), "-l", str(folder / "log"), "-w", "start"]
    subprocess.run(start, check=True, **run)
    try:
        yield f"postgresql://mcp@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run([str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"], check=False, **run)


def pg_ctl(url_folder: Path, action: str) -> None:
    """Stop or start the test server in ``url_folder`` (to lose the store mid-run)."""
    bin_dir = pg_bin()
    assert bin_dir is not None
    data = url_folder / "data"
    argv = [str(bin_dir / "pg_ctl"), "-D", str(data), "-l", str(url_folder / "log"), "-w", action]
    if action == "stop":
        argv += ["-m", "immediate"]
    subprocess.run(argv, check=True, capture_output=True, timeout=60, cwd=url_folder, **_owner())


def signing_key() -> Any:
    """A fresh RSA private key for signing test tokens."""
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


class Issuer:
    """An OAuth issuer on 127.0.0.1: metadata, a JWKS that can rotate, and tokens signed with its current key."""

    def __init__(self) -> None:
        self.keys: list[tuple[str, Any]] = []
        self.rotate()
        self.down = False
        issuer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                if issuer.down:
                    time.sleep(5)  # slower than the server's bounded wait
                if self.path == "/.well-known/oauth-authorization-server":
                    body: Any = {"issuer": issuer.url, "jwks_uri": f"{issuer.url}/jwks", "token_endpoint": "x"}
                elif self.path == "/jwks":
                    body = {"keys": [issuer.jwk(kid, key) for kid, key in issuer.keys]}
                else:
                    self.send_response(404)
                    self.send_header("content-length", "0")
                    self.end_headers()
                    return
                data = json.dumps(body).encode()
                self.send_response(200)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def rotate(self) -> None:
        """A new signing key; the JWKS lists only it from now on."""
        self.keys = [(f"k{len(self.keys) + time.monotonic_ns()}", signing_key())]

    @staticmethod
    def jwk(kid: str, key: Any) -> dict[str, Any]:
        data: dict[str, Any] = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(key.public_key()))
        return {**data, "kid": kid, "use": "sig", "alg": "RS256"}

    def token(self, audience: str, scope: str, **claims: Any) -> str:
        kid, key = self.keys[0]
        now = int(time.time())
        payload = {"iss": self.url, "aud": audience, "sub": "dana", "scope": scope, "iat": now, "exp": now + 300}
        return jwt.encode({**payload, **claims}, key, algorithm="RS256", headers={"kid": kid})

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
