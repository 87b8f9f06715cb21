"""Vendor accounts across processes: the package's own ``accounts``/``keys`` commands, a PostgreSQL dump searched
for plaintext, and three processes on a real PostgreSQL (and on one SQLite file) racing one expiring token."""

from __future__ import annotations

import json
import multiprocessing
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import anyio
import pytest
from gong_mcp.vendor import VENDOR

from generator.runtime.serve.http.vendor_callback import VendorCallback
from generator.runtime.team import accounts, sealing, vendor_oauth
from generator.runtime.team.account_access import fresh
from generator.runtime.team.sealing import Sealer
from generator.runtime.team.store import Store
from generator.runtime.team.vendor_client import Client
from tests.team_kit import free_port
from tests.test_transports import server_env
from tests.vendor_kit import VendorOAuth, open_page

PUBLIC = "https://mcp.example.test"


@pytest.fixture(scope="module")
def vendor() -> Iterator[VendorOAuth]:
    with VendorOAuth(customer_base="https://us-1234.api.gong.io") as oauth:
        yield oauth


def gong(store: str, *argv: str, stdin: str | None = None, **env: str) -> subprocess.CompletedProcess[str]:
    """``gong-mcp ARGV --store STORE`` in a process of its own, with the server's usual variables and ``env``."""
    command = [sys.executable, "-m", "gong_mcp", *argv, "--store", store]
    environ = {**server_env("http://x"), **env}
    return subprocess.run(command, input=stdin, capture_output=True, text=True, timeout=60, check=False, env=environ)


def test_the_accounts_and_keys_commands(tmp_path: Path, vendor: VendorOAuth) -> None:
    db = str(tmp_path / "team.db")
    key = gong(db, "keys", "generate").stdout.strip()
    assert len(key) == 43 and sealing.Sealer.from_env({"GONG_STORE_KEY": key}, "GONG").current_id
    refused = gong(db, "accounts", "add", "acme")
    assert refused.returncode == 1 and refused.stderr.count("\n") == 1 and "GONG_STORE_KEY is not set" in refused.stderr
    added = gong(db, "accounts", "add", "acme", GONG_STORE_KEY=key)  # GONG_ACCESS_KEY + _SECRET from the environment
    assert added.returncode == 0 and "GONG_ACCESS_KEY, GONG_ACCESS_KEY_SECRET" in added.stdout
    no_env = {"GONG_ACCESS_KEY": "", "GONG_ACCESS_KEY_SECRET": "", "GONG_STORE_KEY": key}
    piped = json.dumps({"GONG_ACCESS_TOKEN": "stdin-token-9876"})
    assert gong(db, "accounts", "add", "beta", "--stdin", stdin=piped, **no_env).returncode == 0
    nothing = gong(db, "accounts", "add", "gamma", **no_env)
    assert nothing.returncode == 1 and "GONG_ACCESS_TOKEN" in nothing.stderr
    listed = gong(db, "accounts", "list", GONG_STORE_KEY=key).stdout
    assert listed.startswith("acme\tkey\tactive\t") and "beta\tkey\tactive" in listed
    assert "secret-5678" not in listed and "stdin-token-9876" not in listed
    for path in tmp_path.glob("team.db*"):
        assert b"secret-5678" not in path.read_bytes() and b"stdin-token-9876" not in path.read_bytes()
    made = gong(db, "connections", "create", "--name", "alice", "--account", "acme")
    assert made.returncode == 0 and "/mcp/c/" in made.stdout
    assert "account=acme" in gong(db, "connections", "list").stdout
    ghost = gong(db, "connections", "create", "--name", "bob", "--account", "ghost")
    assert ghost.returncode == 1 and "no account named 'ghost'" in ghost.stderr
    assert gong(db, "accounts", "map", "dana", "beta", GONG_STORE_KEY=key).returncode == 0


def test_connect_rotate_and_remove_from_the_command_line(tmp_path: Path, vendor: VendorOAuth) -> None:
    db, key, new = str(tmp_path / "team.db"), sealing.generate(), sealing.generate()
    no_client = gong(db, "accounts", "connect", "acme", "--public-url", PUBLIC, GONG_STORE_KEY=key)
    assert no_client.returncode == 1 and no_client.stderr.count("\n") == 1
    assert "GONG_OAUTH_CLIENT_ID and GONG_OAUTH_CLIENT_SECRET" in no_client.stderr
    linked = gong(db, "accounts", "connect", "acme", "--public-url", PUBLIC, GONG_STORE_KEY=key, **vendor.env())
    link = linked.stdout.splitlines()[-1]
    assert link.startswith(f"{PUBLIC}/oauth/connect?state=") and "GONG_OAUTH_*" in linked.stdout
    store, env = Store.open(db), {"GONG_STORE_KEY": key, **vendor.env()}
    client = Client.from_env(VENDOR, env, PUBLIC)
    assert client is not None
    page = VendorCallback(store, Sealer.from_env(env, "GONG"), client)  # the server that serves the link
    status, text, onward = open_page(page, link)
    assert status == 200 and "the Gong account 'acme' for the server's operator" in text
    assert onward.startswith(f"{vendor.url}/oauth2/authorize?") and "code_challenge=" in onward
    code, state = vendor.authorize(onward)
    connected = anyio.run(vendor_oauth.finish, store, Sealer.from_env(env, "GONG"), client, state, code)
    assert connected.account.base_url == "https://us-1234.api.gong.io"
    assert connected.account.identity == "https://us-1234.api.gong.io"
    assert gong(db, "accounts", "add", "beta", GONG_STORE_KEY=key).returncode == 0
    rotated = gong(db, "keys", "rotate", GONG_STORE_KEY=new, GONG_STORE_KEY_OLD=key)
    assert rotated.returncode == 0 and "resealed 2 secret(s)" in rotated.stdout
    wrong = gong(db, "accounts", "remove", "acme", GONG_STORE_KEY=key, **vendor.env())  # the old key opens nothing
    assert wrong.returncode == 1 and wrong.stderr.count("\n") == 1
    removed = gong(db, "accounts", "remove", "acme", GONG_STORE_KEY=new, **vendor.env())
    assert removed.returncode == 0 and "deleted" in removed.stdout
    assert [a.name for a in accounts.listed(store)] == ["beta"]


def pg_dump(url: str, folder: Path) -> bytes:
    initdb = shutil.which("initdb") or ""
    dump = Path(os.path.realpath(initdb)).parent / "pg_dump"
    return subprocess.run([str(dump), "-d", url], capture_output=True, check=True, timeout=60, cwd=folder).stdout


@pytest.fixture
def pg_store(pg: tuple[str, Path]) -> Iterator[str]:
    url, _folder = pg
    store = Store.open(url)
    with store.transaction() as run:
        for table in ("connections", "accounts", "account_subjects", "oauth_states"):
            run(f"DELETE FROM {table}")
    yield url


def test_a_postgresql_dump_holds_no_credential(pg_store: str, pg: tuple[str, Path]) -> None:
    env = {"GONG_STORE_KEY": sealing.generate()}
    values = {"GONG_ACCESS_KEY": "pg-key-31337", "GONG_ACCESS_KEY_SECRET": "pg-secret-31337"}
    accounts.save(
        Store.open(pg_store),
        Sealer.from_env(env, "GONG"),
        accounts.Account("acme", "key"),
        accounts.AccountSecret(values),
    )
    dump = pg_dump(pg_store, pg[1])
    assert b"acme" in dump and b"pg-secret-31337" not in dump and b"pg-key-31337" not in dump


def refresh_at(url: str, env: dict[str, str], at: float) -> str:
    """In a process of its own, at wall-clock time ``at``: the account's access token, fresh."""
    store = Store.open(url)
    client = Client.from_env(VENDOR, env, PUBLIC)
    time.sleep(max(0.0, at - time.time()))
    _account, secret = anyio.run(fresh, store, Sealer.from_env(env, "GONG"), client, "acme")
    return secret.values["GONG_ACCESS_TOKEN"]


@pytest.mark.parametrize("backend", ["postgresql", "sqlite"])
def test_three_processes_racing_one_expiring_token_refresh_it_once(
    backend: str, tmp_path: Path, vendor: VendorOAuth, request: pytest.FixtureRequest
) -> None:
    url = request.getfixturevalue("pg_store") if backend == "postgresql" else str(tmp_path / "team.db")
    env = {"GONG_STORE_KEY": sealing.generate(), **vendor.env()}
    store, sealer = Store.open(url), Sealer.from_env(env, "GONG")
    client = Client.from_env(VENDOR, env, PUBLIC)
    assert client is not None
    vendor.state.expires_in = 30  # inside the refresh margin from the start
    pages = VendorCallback(store, sealer, client)
    code, state = vendor.approve(pages, vendor_oauth.start(store, sealer, client, "acme"))
    first = anyio.run(vendor_oauth.finish, store, sealer, client, state, code).account
    vendor.state.expires_in, vendor.state.refresh_delay = 3600, 0.5  # a slow token endpoint widens the race
    before = vendor.state.refreshes
    try:
        with ProcessPoolExecutor(3, mp_context=multiprocessing.get_context("spawn")) as pool:
            at = time.time() + 4  # after every process has started and imported
            tokens = list(pool.map(refresh_at, [url] * 3, [env] * 3, [at] * 3))
    finally:
        vendor.state.refresh_delay = 0.0
    assert vendor.state.refreshes == before + 1
    assert len(set(tokens)) == 1 and tokens[0] in vendor.state.access
    after = accounts.get(store, "acme")
    assert after is not None and after.token_expires_at != first.token_expires_at and after.state == "active"


def test_a_served_tool_calls_as_its_callers_account_with_no_process_credential(tmp_path: Path) -> None:
    """The generated package end to end: ``mount`` on a server with no vendor variables, a real ``mcp`` client
    per caller, the upstream seeing each caller's own account."""
    from gong_mcp.runtime.serve.http.account_routes import configured, mount
    from gong_mcp.runtime.settings import Settings
    from gong_mcp.runtime.team import accounts as own_accounts
    from gong_mcp.runtime.team import connections as own_connections
    from gong_mcp.runtime.team.account_access import account_for
    from gong_mcp.runtime.team.caller import CALLER, Caller
    from gong_mcp.runtime.team.sealing import Sealer as OwnSealer
    from gong_mcp.runtime.team.store import Store as OwnStore
    from gong_mcp.server import create_server
    from mcp import Client

    from tests.upstream import Upstream

    with Upstream() as up:
        env = server_env(up.url, GONG_STORE_KEY=sealing.generate(), GONG_ACCESS_KEY="", GONG_ACCESS_KEY_SECRET="")
        store, sealer = OwnStore.open(str(tmp_path / "team.db")), OwnSealer.from_env(env, "GONG")
        for name, token in (("acme", "acme-token"), ("beta", "beta-token")):
            own_accounts.save(
                store,
                sealer,
                own_accounts.Account(name, "key"),
                own_accounts.AccountSecret({"GONG_ACCESS_TOKEN": token}),
            )
            own_connections.create(store, own_connections.Connection(f"for-{name}", account=name))
        keyless = create_server(Settings.from_env(VENDOR, {**env, "GONG_STORE_KEY": ""}))
        with pytest.raises(Exception, match="GONG_STORE_KEY is not set") as refused:
            mount(keyless, store)  # accounts exist: serving them without the key refuses to start, in one line
        assert "\n" not in str(refused.value)
        server = create_server(Settings.from_env(VENDOR, env))
        routes = mount(server, store)
        assert routes.source is not None and routes.callback is None  # no OAuth client configured: no callback

        async def as_caller(name: str) -> tuple[str | None, Any]:
            conn = next(c for c in own_connections.listed(store) if c.name == name)
            mark = CALLER.set(Caller(name, connection=conn))
            try:
                async with Client(server) as client:
                    return await configured(server, store)(), await client.call_tool("list_all_gong_users", {})
            finally:
                CALLER.reset(mark)

        async def both() -> list[tuple[str | None, Any]]:  # one event loop: the server's HTTP client lives in it
            return [await as_caller(name) for name in ("for-acme", "for-beta")]

        answers = anyio.run(both)
        assert all(ready is None and not result.is_error for ready, result in answers)
        assert [s.headers["Authorization"] for s in up.seen] == ["Bearer acme-token", "Bearer beta-token"]

        granted = own_accounts.Account("narrow", "key", scopes=frozenset({"api:users:read"}))
        own_accounts.save(store, sealer, granted, own_accounts.AccountSecret({"GONG_ACCESS_TOKEN": "narrow-token"}))
        narrow = account_for(store, Caller("oauth:erin"), {"mcp_account": "narrow"}, "mcp_account")

        async def listed() -> list[str]:
            mark = CALLER.set(narrow)
            try:
                async with Client(server) as client:
                    return sorted(tool.name for tool in (await client.list_tools()).tools)
            finally:
                CALLER.reset(mark)

        expected = sorted(op.name for op in server.operations.values() if set(op.scopes) <= {"api:users:read"})
        assert anyio.run(listed) == expected and 0 < len(expected) < len(server.operations)


def test_a_server_started_with_a_key_that_does_not_open_its_store_refuses_in_one_line(tmp_path: Path) -> None:
    db, key = str(tmp_path / "team.db"), sealing.generate()
    assert gong(db, "accounts", "add", "acme", GONG_STORE_KEY=key).returncode == 0
    port = str(free_port())
    wrong = gong(db, "--transport", "http", "--port", port, GONG_STORE_KEY=sealing.generate())
    assert wrong.returncode == 2 and wrong.stderr.count("\n") == 1 and "Traceback" not in wrong.stderr
    assert wrong.stderr.startswith("error: GONG_STORE_KEY does not open this store's secrets")
    listed = gong(db, "accounts", "list", GONG_STORE_KEY=sealing.generate())  # and no command touches it
    assert listed.returncode == 1 and "does not open this store's secrets" in listed.stderr
