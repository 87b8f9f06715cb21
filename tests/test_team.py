"""Serving a team: the store on SQLite and a real PostgreSQL server, connection URLs through a real HTTP server
and the ``mcp`` client, the audit trail, hostile paths and secrets, and OAuth against an issuer of our own."""

from __future__ import annotations

import http.client
import json
import multiprocessing
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import anyio
import httpx2
import jwt
import pytest
from gong_mcp.operations import OPERATIONS
from mcp import Client
from mcp.client.streamable_http import streamable_http_client

from generator.runtime.failures import ManagementError, StoreDown
from generator.runtime.team import audit, connections, counters
from generator.runtime.team.connections import Connection
from generator.runtime.team.schema import VERSION
from generator.runtime.team.store import Store
from tests.team_kit import Issuer, pg_ctl, signing_key
from tests.test_transports import INIT, MCP_HEADERS, TOKEN, http_server, server_env
from tests.upstream import Upstream

READ_CALLS_USERS = sorted(
    op.name for op in OPERATIONS.values() if op.kind == "read" and op.tag in ("Calls", "Users")
)  # fmt: skip
LIST_CALLS = "list_all_gong_users"
WRITE_TOOL = next(op.name for op in OPERATIONS.values() if op.kind == "write" and op.tag == "Calls")


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return str(tmp_path / "team.db")
    url, _folder = request.getfixturevalue("pg")
    fresh = Store.open(url)
    with fresh.transaction() as run:
        for table in ("connections", "audit", "counters"):
            run(f"DELETE FROM {table}")
    return str(url)


@pytest.fixture(scope="module")
def upstream() -> Iterator[Upstream]:
    with Upstream() as up:
        yield up


def open_at(url: str, at: float) -> str:
    """In a process of its own: open the store at wall-clock time ``at``; the error, if any."""
    time.sleep(max(0.0, at - time.time()))
    try:
        Store.open(url).close()
    except BaseException as exc:
        return repr(exc)
    return ""


def test_migrations_run_once_when_four_processes_start_at_once(store_url: str) -> None:
    spawn = multiprocessing.get_context("spawn")  # real processes: SQLite's file locks differ from threads'
    with ProcessPoolExecutor(4, mp_context=spawn) as pool:
        at = time.time() + 3  # after every process has started and imported
        errors = [error for error in pool.map(open_at, [store_url] * 4, [at] * 4) if error]
    assert not errors
    store = Store.open(store_url)
    assert store.version() == VERSION
    assert store.query("SELECT COUNT(*) FROM schema_version") == [(VERSION,)]


def test_connections_live_revoke_rotate_and_count_on_the_store(store_url: str) -> None:
    store, other = Store.open(store_url), Store.open(store_url)  # two processes' worth of connections
    secret = connections.create(store, Connection("alice", frozenset({"read"}), frozenset({"Users", "Calls"})))
    assert len(secret) == 43
    assert all(secret not in str(row) for row in store.query("SELECT * FROM connections"))
    found = connections.lookup(other, secret)
    assert found is not None and found.name == "alice" and found.refusal() is None
    assert found.filters.reason(OPERATIONS[LIST_CALLS]) is None and found.filters.reason(OPERATIONS[WRITE_TOOL])
    for wrong in ("", secret[:-1], secret + "A", "A" * 43, "../" + secret, secret.upper(), "x" * 5000):
        assert connections.lookup(other, wrong) is None
    with pytest.raises(ManagementError, match="exists"):
        connections.create(store, Connection("alice"))
    new = connections.rotate(store, "alice")
    assert connections.lookup(other, secret) is None and connections.lookup(other, new) is not None
    connections.revoke(store, "alice")
    revoked = connections.lookup(other, new)
    assert revoked is not None and "revoked" in (revoked.refusal() or "")
    assert [c.name for c in connections.listed(other)] == ["alice"]
    taken = [counters.take(s, "gong:day", 3, 86400, now=1000.0).allowed for s in (store, other, store, other)]
    assert taken == [True, True, True, False]
    assert counters.take(store, "gong:day", 3, 86400, now=86400.0 + 5).allowed  # a new day


def test_an_unreachable_store_is_one_line() -> None:
    with pytest.raises(StoreDown, match=r"^store postgresql://u:\*\*\*@127\.0\.0\.1:1/x failed: ") as caught:
        Store.open("postgresql://u:secret-pw@127.0.0.1:1/x")
    assert "secret-pw" not in str(caught.value) and "\n" not in str(caught.value)


def manage(store: str, *argv: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """A management command on ``store`` (``""``: the default store, in ``cwd``)."""
    command = [sys.executable, "-m", "gong_mcp", *argv, *(["--store", store] if store else [])]
    env = server_env("http://x")
    return subprocess.run(command, capture_output=True, text=True, timeout=60, check=False, env=env, cwd=cwd)


def secret_of(created: subprocess.CompletedProcess[str]) -> str:
    assert created.returncode == 0, created.stderr
    return created.stdout.split("/mcp/c/")[1].split()[0]


async def tool_names(url: str, **headers: str) -> tuple[list[str], Any]:
    async with httpx2.AsyncClient(headers=headers, timeout=30) as http:
        async with Client(streamable_http_client(url, http_client=http)) as client:
            listed = await client.list_tools()
            called = await client.call_tool(LIST_CALLS, {})
            return sorted(t.name for t in listed.tools), called


def post(url: str, headers: dict[str, str] | None = None) -> httpx2.Response:
    return httpx2.post(url, json=INIT, headers={**MCP_HEADERS, **(headers or {})}, timeout=10)


def test_a_connection_url_serves_its_tools_is_audited_and_revoked(
    upstream: Upstream, tmp_path: Path, store_url: str, tally: list[str]
) -> None:
    store = store_url
    secret = secret_of(
        manage(store, "connections", "create", "--name", "alice", "--methods", "read", "--tags", "Calls,Users")
    )
    listed = manage(store, "connections", "list")
    assert "alice\tactive" in listed.stdout and secret not in listed.stdout
    with http_server(upstream.url, tmp_path, "--store", store, MCP_SERVER_TOKEN=TOKEN) as base:
        names, called = anyio.run(tool_names, f"{base}/mcp/c/{secret}")
        assert names == READ_CALLS_USERS and not called.is_error
        all_names, _ = anyio.run(lambda: tool_names(f"{base}/mcp", Authorization=f"Bearer {TOKEN}"))
        assert len(all_names) == len(OPERATIONS)  # the server token still sees everything
        header_names, _ = anyio.run(lambda: tool_names(f"{base}/mcp", Authorization=f"Bearer {secret}"))
        assert header_names == READ_CALLS_USERS
        trail = manage(store, "audit", "--json", "--who", "alice")
        entries = [json.loads(line) for line in trail.stdout.splitlines()]
        assert [(e["who"], e["tool"], e["kind"], e["outcome"]) for e in entries] == [
            ("alice", LIST_CALLS, "read", "ok")
        ] * 2
        assert manage(store, "connections", "revoke", "alice").returncode == 0
        refused = post(f"{base}/mcp/c/{secret}")
        assert refused.status_code == 401 and "revoked" in refused.json()["error_description"]
    log = (tmp_path / "stderr.txt").read_text(encoding="utf-8")
    assert secret not in log and "alice POST /mcp/c/***" in log and "Traceback" not in log
    kind = "postgresql" if store.startswith("postgresql") else "sqlite"
    tally.append(
        f"team gong ({kind}): connection URL listed {len(names)} of {len(all_names)} tools via mcp client, "
        f"{LIST_CALLS} called and audited, revoked → 401"
    )


def raw_post(base: str, path: str) -> int:
    """POST ``path`` exactly as written (no client-side dot-segment cleanup); the status."""
    host, port = base.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=10)
    try:
        conn.request("POST", path, body=json.dumps(INIT), headers=MCP_HEADERS)
        return conn.getresponse().status
    finally:
        conn.close()


def test_hostile_connection_paths_get_401_or_404_and_guessing_gets_429(upstream: Upstream, tmp_path: Path) -> None:
    secret = secret_of(manage("", "connections", "create", "--name", "bob", cwd=tmp_path))  # ./mcp-team.db
    with http_server(upstream.url, tmp_path) as base:  # no --store: the default file is there, so it is used
        discovery = httpx2.get(f"{base}/.well-known/oauth-protected-resource/mcp/c/{secret}", timeout=10)
        assert discovery.status_code == 404  # what Claude Code asks first; the secret must not reach the log
        for path, status in (
            (f"/mcp/c/{secret[:-1]}", 401), (f"/mcp/c/{secret}A", 401), ("/mcp/c/" + "A" * 5000, 401),
            ("/mcp/c/../", 401), ("/mcp/c/", 404), (f"/mcp/c/a%2F{secret}", 404), (f"/mcp/c/{secret}/x", 404),
        ):  # fmt: skip
            assert raw_post(base, path) == status, path
        for _ in range(25):
            post(f"{base}/mcp/c/{'B' * 43}")
        assert post(f"{base}/mcp/c/{'B' * 43}").status_code == 429
        assert post(f"{base}/mcp/c/{secret}").status_code == 200  # a valid URL is never refused for others' guesses
        other = httpx2.HTTPTransport(local_address="127.0.0.2")
        with httpx2.Client(transport=other, timeout=10) as client:
            started = time.monotonic()
            answer = client.post(f"{base}/mcp/c/{secret}", json=INIT, headers=MCP_HEADERS)
            assert answer.status_code == 200 and time.monotonic() - started < 2  # another address is not slowed
    log = (tmp_path / "stderr.txt").read_text(encoding="utf-8")
    assert "Traceback" not in log and secret not in log and "bob POST /mcp/c/***" in log


def test_postgres_store_lost_gives_503_and_comes_back(
    upstream: Upstream, tmp_path: Path, pg: tuple[str, Path], tally: list[str]
) -> None:
    url, folder = pg
    secret = secret_of(manage(url, "connections", "create", "--name", f"carol{time.monotonic_ns()}"))
    with http_server(upstream.url, tmp_path, "--store", url) as base:
        assert post(f"{base}/mcp/c/{secret}").status_code == 200
        pg_ctl(folder, "stop")
        try:
            down = post(f"{base}/mcp/c/{secret}")
            assert down.status_code == 503 and down.json()["error"] == "store_unavailable"
        finally:
            pg_ctl(folder, "start")
        assert post(f"{base}/mcp/c/{secret}").status_code == 200  # no restart
    tally.append("team gong (postgresql): server stopped mid-run → 503 store_unavailable, back → 200 without restart")
    assert "Traceback" not in (tmp_path / "stderr.txt").read_text(encoding="utf-8")


def test_an_unreachable_store_at_start_refuses_with_one_line(upstream: Upstream) -> None:
    argv = [sys.executable, "-m", "gong_mcp", "--transport", "http", "--store", "postgresql://u:pw@127.0.0.1:1/x"]
    done = subprocess.run(argv, capture_output=True, text=True, timeout=60, check=False, env=server_env(upstream.url))
    assert done.returncode == 2 and done.stderr.startswith("error: cannot open the store postgresql://u:***@")
    assert len(done.stderr.strip().splitlines()) == 1


@pytest.fixture(scope="module")
def issuer() -> Iterator[Issuer]:
    found = Issuer()
    yield found
    found.close()


def test_oauth_tokens_scopes_step_up_and_hostile_tokens(
    upstream: Upstream, tmp_path: Path, issuer: Issuer, tally: list[str]
) -> None:
    store = str(tmp_path / "team.db")
    resource = "https://mcp.example.com/mcp"
    flags = ("--store", store, "--oauth-issuer", issuer.url, "--resource-url", resource)
    with http_server(upstream.url, tmp_path, *flags) as base:
        meta = httpx2.get(f"{base}/.well-known/oauth-protected-resource/mcp", timeout=10).json()
        assert meta["resource"] == resource and meta["authorization_servers"] == [issuer.url]
        bare = post(f"{base}/mcp")
        assert bare.status_code == 401
        assert (
            'resource_metadata="https://mcp.example.com/.well-known/oauth-protected-resource/mcp"'
            in bare.headers["www-authenticate"]
        )
        reader = issuer.token(resource, "gong:read")
        names, called = anyio.run(lambda: tool_names(f"{base}/mcp", Authorization=f"Bearer {reader}"))
        assert names == sorted(op.name for op in OPERATIONS.values() if op.read_only) and not called.is_error
        step_up = {"jsonrpc": "2.0", "id": 2, "method": "tools/call", "params": {"name": WRITE_TOOL, "arguments": {}}}
        denied = httpx2.post(
            f"{base}/mcp", json=step_up, headers={**MCP_HEADERS, "Authorization": f"Bearer {reader}"}, timeout=10
        )
        assert (
            denied.status_code == 403
            and 'error="insufficient_scope", scope="gong:write"' in denied.headers["www-authenticate"]
        )
        issuer.rotate()  # seconds after the first fetch: the unknown kid is fetched at once
        rotated = issuer.token(resource, "gong:read")
        answer = post(f"{base}/mcp", headers={"Authorization": f"Bearer {rotated}"})
        assert answer.status_code == 200, answer.text
        public_pem = (
            issuer.keys[0][1]
            .public_key()
            .public_bytes(
                __import__("cryptography").hazmat.primitives.serialization.Encoding.PEM,
                __import__("cryptography").hazmat.primitives.serialization.PublicFormat.SubjectPublicKeyInfo,
            )
        )
        now = int(time.time())
        claims = {"iss": issuer.url, "aud": resource, "sub": "eve", "scope": "gong:write", "exp": now + 300}
        hostile = {
            "alg none": jwt.encode(claims, None, algorithm="none"),
            "HS256 with the public key": _hs256(claims, public_pem, issuer.keys[0][0]),
            "wrong issuer": issuer.token(resource, "gong:read", iss="http://127.0.0.1:1"),
            "wrong audience": issuer.token("https://other.example/mcp", "gong:read"),
            "expired": issuer.token(resource, "gong:read", exp=now - 120),
            "unknown key id": jwt.encode(claims, issuer.keys[0][1], algorithm="RS256", headers={"kid": "nope"}),
        }
        for why, token in hostile.items():
            assert (
                post(f"{base}/mcp", headers={**MCP_HEADERS, "Authorization": f"Bearer {token}"}).status_code == 401
            ), why
        entries = [json.loads(line) for line in manage(store, "audit", "--json").stdout.splitlines()]
        assert {e["who"] for e in entries} == {"oauth:dana"}
    log = (tmp_path / "stderr.txt").read_text(encoding="utf-8")
    assert reader not in log and "Traceback" not in log
    assert all(reader not in seen.headers.get("authorization", "") for seen in upstream.seen)  # never forwarded
    tally.append(
        f"team gong: OAuth (issuer on 127.0.0.1): gong:read token listed {len(names)} tools via mcp client, "
        f"write → 403 insufficient_scope, rotated key → 200, {len(hostile)} hostile tokens → 401"
    )


def timed_post(base: str, token: str) -> tuple[int, float]:
    started = time.monotonic()
    answer = post(f"{base}/mcp", headers={"Authorization": f"Bearer {token}"})
    return answer.status_code, time.monotonic() - started


def test_an_issuer_that_never_answers_gets_503_after_a_bounded_wait(
    upstream: Upstream, tmp_path: Path, tally: list[str]
) -> None:
    resource = "https://mcp.example.com/mcp"
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(64)  # connections complete in the backlog and are never answered
        url = f"http://127.0.0.1:{silent.getsockname()[1]}"
        claims = {"iss": url, "aud": resource, "sub": "dana", "exp": int(time.time()) + 300}
        token = jwt.encode(claims, signing_key(), algorithm="RS256", headers={"kid": "k1"})
        flags = ("--store", str(tmp_path / "team.db"), "--oauth-issuer", url, "--resource-url", resource)
        with http_server(upstream.url, tmp_path, *flags) as base:
            status, waited = timed_post(base, token)
            assert status == 503 and waited < 8, waited
            tally.append(f"team gong: OAuth issuer that never answers → 503 after {waited:.1f} s")
            assert httpx2.get(f"{base}/healthz", timeout=2).status_code == 200  # the server itself never hung


def test_a_slow_jwks_gets_503_for_a_new_key_and_cached_keys_still_work(upstream: Upstream, tmp_path: Path) -> None:
    resource, slow = "https://mcp.example.com/mcp", Issuer()
    try:
        flags = ("--store", str(tmp_path / "team.db"), "--oauth-issuer", slow.url, "--resource-url", resource)
        with http_server(upstream.url, tmp_path, *flags) as base:
            known = slow.token(resource, "gong:read")
            assert timed_post(base, known)[0] == 200
            slow.down = True  # answers after 5 s, past the server's per-read timeout
            slow.rotate()
            status, waited = timed_post(base, slow.token(resource, "gong:read"))
            assert status == 503 and waited < 8, waited
            status, waited = timed_post(base, known)  # keys already fetched need no issuer
            assert status == 200 and waited < 2, waited
    finally:
        slow.down = False
        slow.close()
    assert "Traceback" not in (tmp_path / "stderr.txt").read_text(encoding="utf-8")


def _hs256(claims: dict[str, Any], key: bytes, kid: str) -> str:
    import base64
    import hashlib
    import hmac

    def b64(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

    head = b64(json.dumps({"alg": "HS256", "typ": "JWT", "kid": kid}).encode())
    body = b64(json.dumps(claims).encode())
    signature = hmac.new(key, f"{head}.{body}".encode(), hashlib.sha256).digest()  # the classic key-confusion forgery
    return f"{head}.{body}.{b64(signature)}"


def test_audit_since_and_retention(tmp_path: Path) -> None:
    store = Store.open(str(tmp_path / "a.db"))
    for at in ("2020-01-01T00:00:00.000000Z", "2099-01-01T00:00:00.000000Z"):
        audit.record(store, audit.Entry(at, "alice", LIST_CALLS, "read", "ok", 3, "req-1"))
    assert [e.at[:4] for e in audit.read(store, since=audit.since_text("24h"))] == ["2099"]
    assert audit.prune(store, 30) == 1 and len(audit.read(store)) == 1
