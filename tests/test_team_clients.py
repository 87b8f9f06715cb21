"""Real clients against one server that serves a team: Claude Code from npm (``claude mcp add`` / ``mcp list``)
and the MCP Inspector CLI, through a connection URL with no header and with an OAuth token from our own issuer.

One server process (a SQLite store in a temporary folder, the issuer and the upstream on 127.0.0.1) serves
every check here. Claude Code runs with its home and config in a temporary folder, telemetry and updates off,
and a dead proxy for anything but loopback. The ``mcp`` client's checks of the same paths are in test_team.py.
"""

from __future__ import annotations

import base64
import json
import os
import re
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from gong_mcp.operations import OPERATIONS

from generator.runtime.team import audit, connections
from generator.runtime.team.connections import Connection
from generator.runtime.team.store import Store
from tests.peers import claude_code, free_port, inspector_cli
from tests.team_kit import Issuer
from tests.test_accounts import gong
from tests.test_team import READ_CALLS_USERS, manage
from tests.test_transports import GET_CALL, TOKEN, http_server
from tests.upstream import Upstream

CLIENT_TIMEOUT = 60
ACME_KEY = "acme-key-1234"
READ_ONLY = sorted(op.name for op in OPERATIONS.values() if op.read_only)
NO_TRAFFIC = {  # Claude Code's switches for update checks, telemetry and error reports; other hosts hit a dead proxy
    "DISABLE_AUTOUPDATER": "1",
    "DISABLE_TELEMETRY": "1",
    "DISABLE_ERROR_REPORTING": "1",
    "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC": "1",
    "HTTPS_PROXY": "http://127.0.0.1:9",
    "HTTP_PROXY": "http://127.0.0.1:9",
    "NO_PROXY": "127.0.0.1,localhost",
}


@dataclass(frozen=True)
class Served:
    """The running server: its base URL, a live and a revoked connection URL, a ``gong:read`` token, its log."""

    base: str
    url: str
    revoked_url: str
    token: str
    upstream: Upstream
    log: Path
    store: str
    account_url: str  # a connection bound to the vendor account ``acme`` (its own Gong key)


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    folder = tmp_path_factory.mktemp("team-clients")
    store, port = str(folder / "team.db"), free_port()
    base = f"http://127.0.0.1:{port}"
    argv = ("connections", "create", "--name", "alice", "--methods", "read", "--tags", "Calls,Users")
    created = manage(store, *argv, "--public-url", base)  # the management command, as an operator runs it
    assert created.returncode == 0, created.stderr
    url = re.findall(r"URL: +(\S+)", created.stdout)[0]
    assert url.startswith(f"{base}/mcp/c/")  # printed with --public-url, pasted as is
    key = gong(store, "keys", "generate").stdout.strip()
    acme = {"GONG_STORE_KEY": key, "GONG_ACCESS_KEY": ACME_KEY, "GONG_ACCESS_KEY_SECRET": "acme-secret-5678"}
    assert gong(store, "accounts", "add", "acme", **acme).returncode == 0  # the credential from the environment
    bound = gong(store, "connections", "create", "--name", "carol", "--account", "acme", "--public-url", base, **acme)
    assert bound.returncode == 0, bound.stderr
    account_url = re.findall(r"URL: +(\S+)", bound.stdout)[0]
    opened = Store.open(store)
    revoked = connections.create(opened, Connection("bob"))
    connections.revoke(opened, "bob")
    opened.close()
    issuer = Issuer()
    try:
        with Upstream() as upstream:
            flags = ("--store", store, "--oauth-issuer", issuer.url, "--resource-url", f"{base}/mcp")
            with http_server(upstream.url, folder, *flags, port=port, MCP_SERVER_TOKEN=TOKEN, GONG_STORE_KEY=key):
                token = issuer.token(f"{base}/mcp", "gong:read")
                revoked_url, log = f"{base}/mcp/c/{revoked}", folder / "stderr.txt"
                yield Served(base, url, revoked_url, token, upstream, log, store, account_url)
    finally:
        issuer.close()


def claude(home: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    """The ``claude`` CLI with ``home`` as its HOME, config folder and project; nothing of the user's."""
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home),
        "CLAUDE_CONFIG_DIR": str(home / ".claude"),
    }
    return subprocess.run(
        [str(claude_code()), *argv],
        cwd=home,
        env={**env, **NO_TRAFFIC},
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=CLIENT_TIMEOUT,
        check=False,
    )


def test_claude_code_connects_by_connection_url_without_a_header(
    served: Served, tmp_path: Path, tally: list[str]
) -> None:
    version = claude(tmp_path, "--version").stdout.split()[0]
    added = {
        "gong": [served.url],
        "gong-oauth": [f"{served.base}/mcp", "--header", f"Authorization: Bearer {served.token}"],
        "gong-revoked": [served.revoked_url],
        "gong-wrong": [f"{served.base}/mcp", "--header", "Authorization: Bearer not-the-token"],
        "gong-acme": [served.account_url],
    }
    for name, rest in added.items():
        done = claude(tmp_path, "mcp", "add", "--transport", "http", name, *rest)
        assert done.returncode == 0, done.stdout + done.stderr
    listed = claude(tmp_path, "mcp", "list")
    assert listed.returncode == 0, listed.stdout + listed.stderr
    status = {line.split(":")[0]: line.rsplit(" - ", 1)[-1] for line in listed.stdout.splitlines() if " - " in line}
    assert set(status) == set(added), listed.stdout
    assert status["gong"] == status["gong-oauth"] == status["gong-acme"] == "✔ Connected", listed.stdout
    assert not status["gong-revoked"].startswith("✔") and not status["gong-wrong"].startswith("✔"), listed.stdout
    log = served.log.read_text(encoding="utf-8")
    assert "alice POST /mcp/c/***" in log and "oauth:dana POST /mcp" in log  # each went the way it was meant to
    assert served.url.rsplit("/", 1)[1] not in log and served.revoked_url.rsplit("/", 1)[1] not in log
    shown = "; ".join(f"{name}: {status[name][:90]}" for name in added)  # the first words of each verdict
    tally.append(f"clients gong: claude-code {version} `claude mcp add --transport http` then `mcp list`: {shown}")


def inspect(home: Path, url: str, *argv: str) -> dict[str, object]:
    """One Inspector CLI request over streamable HTTP; its JSON answer (the run must succeed)."""
    done = inspector_cli(home, url, "--transport", "http", *argv, timeout=CLIENT_TIMEOUT)  # --tool-arg takes the rest
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    answer: dict[str, object] = json.loads(done.stdout)
    return answer


def listed_and_called(served: Served, home: Path, url: str, *header: str) -> tuple[list[str], object]:
    """Tool names the Inspector lists at ``url``, and ``GET_CALL``'s result with ``--tool-arg id=…``."""
    tools = inspect(home, url, *header, "--method", "tools/list")["result"]
    assert isinstance(tools, dict)
    names = sorted(tool["name"] for tool in tools["tools"])
    mark = len(served.upstream.seen)
    call = ("--method", "tools/call", "--tool-name", GET_CALL, "--tool-arg", f"id=call-{mark}")
    result = inspect(home, url, *header, *call)["result"]
    assert isinstance(result, dict) and not result.get("isError"), result
    assert [seen.path for seen in served.upstream.seen[mark:]] == [f"/v2/calls/call-{mark}"]
    return names, result


def test_inspector_cli_through_a_connection_url_and_an_oauth_token(
    served: Served, tmp_path: Path, tally: list[str]
) -> None:
    by_url, _ = listed_and_called(served, tmp_path, served.url)
    assert by_url == READ_CALLS_USERS  # the connection's --methods read --tags Calls,Users
    bearer = ("--header", f"Authorization: Bearer {served.token}")
    by_token, _ = listed_and_called(served, tmp_path, f"{served.base}/mcp", *bearer)
    assert by_token == READ_ONLY  # gong:read
    store = Store.open(served.store)
    trail = [(e.who, e.outcome) for e in audit.read(store) if e.tool == GET_CALL]
    store.close()
    assert trail == [("alice", "ok"), ("oauth:dana", "ok")]
    by_account, _ = listed_and_called(served, tmp_path, served.account_url)
    sent = {k.lower(): v for k, v in served.upstream.seen[-1].headers.items()}["authorization"]
    assert sent == "Basic " + base64.b64encode(f"{ACME_KEY}:acme-secret-5678".encode()).decode()  # acme's own key
    assert len(by_account) == len(OPERATIONS)
    tally.append("clients gong: inspector CLI through an account-bound URL: the upstream saw account acme's key")
    tally.append(
        f"clients gong: inspector CLI over HTTP: connection URL listed {len(by_url)} of {len(OPERATIONS)} tools, "
        f"gong:read token {len(by_token)}; {GET_CALL} --tool-arg called through each and audited"
    )
