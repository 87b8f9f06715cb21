"""Attacks on a served team's accounts and state, in process on the one HTTP stack, each a finding of issue 31's
audit (items 2, 3, 4 and 7): connect links bound to who asked, per-caller stateful sessions, removal, readiness
with the store down (a real PostgreSQL), rotation racing a refresh, abandoned refreshes, the store key checked at
start, and URL elicitation per protocol and mode.
"""

from __future__ import annotations

import dataclasses
import logging
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import anyio
import httpx2
import pytest
from mcp import Client, MCPError
from mcp.client.streamable_http import streamable_http_client

from generator.runtime.contract import VendorOAuth as OAuthConf
from generator.runtime.failures import StoreKeyError
from generator.runtime.team import accounts, sealing, vendor_oauth
from generator.runtime.team.account_cli import row
from generator.runtime.team.accounts import NEEDS_RECONNECT, OAUTH, Account, AccountSecret
from generator.runtime.team.connections import Connection
from generator.runtime.team.sealing import Sealer
from generator.runtime.team.store import Store
from generator.runtime.team.vendor_client import Client as OAuthClient
from tests.hostile import http_kit
from tests.hostile.http_kit import MCP_HEADERS, Served, args, serving
from tests.team_kit import pg_ctl
from tests.vendor_kit import VendorOAuth, page_parts

PUBLIC = "https://mcp.example.test"
HOME, OTHER = "https://us-1111.api.gong.io", "https://us-6666.api.gong.io"  # two companies' Gong logins


@pytest.fixture(scope="module")
def vendor() -> Iterator[VendorOAuth]:
    with VendorOAuth(customer_base=HOME) as oauth:
        yield oauth


@pytest.fixture(autouse=True)
def oauth_vendor(monkeypatch: pytest.MonkeyPatch, vendor: VendorOAuth) -> None:
    """The kit's vendor, with OAuth whose token answer names the approving company (as Gong's does)."""
    vendor.customer_base = HOME
    conf = OAuthConf(identity_field="api_base_url_for_customer")
    monkeypatch.setattr(http_kit, "VENDOR", dataclasses.replace(http_kit.VENDOR, oauth=conf))


@pytest.fixture
def env(vendor: VendorOAuth) -> dict[str, str]:
    """No process credential: every caller needs an account of its own."""
    revoke = {"ACME_OAUTH_REVOKE_URL": f"{vendor.url}/oauth2/revoke"}
    return {
        "ACME_STORE_KEY": sealing.generate(),
        "ACME_PUBLIC_URL": PUBLIC,
        "ACME_TOKEN": "",
        **vendor.env("ACME"),
        **revoke,
    }


def run(test: Any) -> None:
    anyio.run(test)


def sealer_of(env: dict[str, str]) -> Sealer:
    return Sealer.from_env(env, "ACME")


def oauth_client(env: dict[str, str]) -> OAuthClient:
    client = OAuthClient.from_env(http_kit.VENDOR, env, PUBLIC)
    assert client is not None
    return client


async def link_of(served: Served, who: str) -> str:
    """A call through ``who``'s connection URL, answered with the link to connect an account."""
    answer = await served.call("get_thing", {}, path=f"/mcp/c/{served.secrets[who]}")
    link = answer.json()["result"]["structuredContent"]["connect_url"]
    assert isinstance(link, str) and link.startswith(f"{PUBLIC}/oauth/connect?state=")
    return link.removeprefix(PUBLIC)


async def page(served: Served, path: str, **params: str) -> tuple[int, str, str]:
    return page_parts(await served.client.get(path, params=params or None))


def oauth_account(store: Store, env: dict[str, str], name: str, identity: str, state: str = "active") -> None:
    secret = AccountSecret({"ACME_TOKEN": f"{name}-token"}, f"{name}-refresh")
    accounts.save(store, sealer_of(env), Account(name, OAUTH, state, identity=identity), secret)


# --- item 2: connect links bound to who asked ----------------------------------------------------------------------


def test_a_connect_link_names_what_it_binds_and_the_login_that_completed_it(
    tmp_path: Path, env: dict[str, str], vendor: VendorOAuth
) -> None:
    """Finding (a): eve's link, opened by someone holding another login, said only "account eve is connected"."""
    flags = args(store=str(tmp_path / "team.db"))

    async def attack() -> None:
        async with serving(tmp_path, flags, env, people={"eve": Connection("eve")}) as served:
            status, text, onward = await page(served, await link_of(served, "eve"))
            assert status == 200 and "the Acme account 'eve' for the connection 'eve'" in text
            assert "if someone sent it to you, close this page" in text and onward.startswith(vendor.url)
            vendor.customer_base = OTHER  # the person who opened it holds another company's login, and approves
            code, state = vendor.authorize(onward)
            status, text, _ = await page(served, "/oauth/callback", code=code, state=state)
            assert status == 200 and f"connected as {OTHER}, for the connection 'eve'" in text

    run(attack)


def test_a_pending_link_dies_when_its_name_is_taken_by_anyone_else(
    tmp_path: Path, env: dict[str, str], vendor: VendorOAuth
) -> None:
    """Finding (b): member zed's link stayed bound after the operator connected tenant ``zed``."""
    db = str(tmp_path / "team.db")

    async def attack() -> None:
        async with serving(tmp_path, args(store=db), env, people={"zed": Connection("zed")}) as served:
            _, _, member = await page(served, await link_of(served, "zed"))  # zed opened it and went on to the vendor
            store = Store.open(db)
            operator = vendor_oauth.start(store, sealer_of(env), oauth_client(env), "zed")  # `accounts connect zed`
            _, _, onward = page_parts(await served.client.get(operator.removeprefix(PUBLIC)))
            code, state = vendor.authorize(onward)
            assert (await page(served, "/oauth/callback", code=code, state=state))[0] == 200
            tenant = accounts.secret_of(store, sealer_of(env), "zed")
            vendor.customer_base = OTHER
            code, state = vendor.authorize(member)  # the member approves later, with their own login
            status, text, _ = await page(served, "/oauth/callback", code=code, state=state)
            assert status == 400 and "unknown, used or expired" in text
            assert accounts.secret_of(store, sealer_of(env), "zed") == tenant  # still the tenant's tokens
            answer = await served.call("get_thing", {}, path=f"/mcp/c/{served.secrets['zed']}")
            assert answer.json()["result"]["structuredContent"]["account"] != "zed"  # never bound to the tenant

    run(attack)


def test_a_key_account_added_by_name_spends_the_pending_links_for_it(tmp_path: Path, env: dict[str, str]) -> None:
    store, client = Store.open(str(tmp_path / "team.db")), oauth_client(env)
    vendor_oauth.start(store, sealer_of(env), client, "zed", ("zed", None), vendor_oauth.NEW)
    accounts.save(store, sealer_of(env), Account("zed", "key"), AccountSecret({"ACME_TOKEN": "tenant"}))
    assert store.query("SELECT COUNT(*) FROM oauth_states") == [(0,)]


def test_reconnecting_a_shared_account_needs_the_login_it_was_connected_with(
    tmp_path: Path, env: dict[str, str], vendor: VendorOAuth
) -> None:
    """Finding (c): any member of a shared account that needed reconnecting could re-link it to their own login."""
    db = str(tmp_path / "team.db")
    store = Store.open(db)
    oauth_account(store, env, "acme", HOME, NEEDS_RECONNECT)
    people = {"alice": Connection("alice", account="acme"), "bob": Connection("bob", account="acme")}

    async def attack() -> None:
        async with serving(tmp_path, args(store=db), env, people=people) as served:
            status, text, onward = await page(served, await link_of(served, "bob"))
            assert status == 200 and "reconnects the Acme account 'acme', asked for by the connection 'bob'" in text
            assert "only the Acme login it was connected with can complete it" in text
            vendor.customer_base = OTHER  # bob's own company
            issued = set(vendor.state.access)
            code, state = vendor.authorize(onward)
            status, text, _ = await page(served, "/oauth/callback", code=code, state=state)
            assert status == 400 and f"this Acme login ({OTHER}) is not the one the account 'acme'" in text
            assert set(vendor.state.access) - issued <= set(vendor.state.revoked)  # what it may not keep is revoked
            kept = accounts.get(store, "acme")
            assert kept is not None and kept.state == NEEDS_RECONNECT and kept.identity == HOME
            vendor.customer_base = HOME  # the login it was connected with
            _, _, onward = await page(served, await link_of(served, "bob"))
            code, state = vendor.authorize(onward)
            assert (await page(served, "/oauth/callback", code=code, state=state))[0] == 200
            assert accounts.get(store, "acme").state == "active"  # type: ignore[union-attr]

    run(attack)


def test_one_caller_cannot_hold_every_stateful_session(tmp_path: Path, env: dict[str, str]) -> None:
    """Finding: one member opened 10,500 sessions (78 → 478 MB) and the 10,000-session cap refused everyone else."""
    from generator.runtime.serve.http.session_cap import PER_CALLER

    flags = args(store=str(tmp_path / "team.db"), stateful=True)
    people = {"alice": Connection("alice"), "bob": Connection("bob")}
    hello = {"protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "t", "version": "1"}}

    async def attack() -> None:
        async with serving(tmp_path, flags, env, people=people) as served:

            async def opened(who: str) -> httpx2.Response:
                return await served.rpc("initialize", hello, path=f"/mcp/c/{served.secrets[who]}")

            sessions = [(await opened("alice")).headers["mcp-session-id"] for _ in range(PER_CALLER)]
            refused = await opened("alice")
            assert refused.status_code == 429 and f"alice holds {PER_CALLER} open MCP sessions" in refused.text
            assert (await opened("bob")).status_code == 200  # everyone else still gets in
            ended = await served.client.delete(
                f"/mcp/c/{served.secrets['alice']}", headers={**MCP_HEADERS, "mcp-session-id": sessions[0]}
            )
            assert ended.status_code == 200 and (await opened("alice")).status_code == 200

    run(attack)


# --- item 3: removing an account -------------------------------------------------------------------------------------


def test_removing_an_account_revokes_its_connections_so_a_new_one_of_that_name_never_reaches_them(
    tmp_path: Path, env: dict[str, str]
) -> None:
    db = str(tmp_path / "team.db")
    store = Store.open(db)
    accounts.save(store, sealer_of(env), Account("acme", "key"), AccountSecret({"ACME_TOKEN": "old-credential"}))

    async def attack() -> None:
        async with serving(tmp_path, args(store=db), env, people={"alice": Connection("alice", account="acme")}) as s:
            assert accounts.remove(store, "acme") == ["alice"]
            new = AccountSecret({"ACME_TOKEN": "someone-elses-credential"})
            accounts.save(store, sealer_of(env), Account("acme", "key"), new)
            answer = await s.call("get_thing", {}, path=f"/mcp/c/{s.secrets['alice']}")
            assert answer.status_code == 401 and "connection 'alice' was revoked" in answer.text
            assert s.seen == []

    run(attack)


# --- item 4: state that survives crashes ---------------------------------------------------------------------------


def test_readyz_is_503_while_postgresql_is_down(tmp_path: Path, env: dict[str, str], pg: tuple[str, Path]) -> None:
    url, folder = pg

    async def ready(served: Served, want: int) -> httpx2.Response:
        for _ in range(100):  # the store check is trusted for a second; bounded
            answer = await served.client.get("/readyz")
            if answer.status_code == want:
                return answer
            await anyio.sleep(0.1)
        return answer

    async def attack() -> None:
        async with serving(tmp_path, args(store=url), {**env, "ACME_TOKEN": "process-token"}) as served:
            assert (await ready(served, 200)).status_code == 200
            await anyio.to_thread.run_sync(pg_ctl, folder, "stop")
            try:
                down = await ready(served, 503)
                assert down.status_code == 503 and "store" in " ".join(down.json()["reasons"])
            finally:
                await anyio.to_thread.run_sync(pg_ctl, folder, "start")
            assert (await ready(served, 200)).status_code == 200

    run(attack)


def test_rotation_never_writes_back_tokens_a_replica_refreshed_meanwhile(pg: tuple[str, Path]) -> None:
    """``keys rotate`` on PostgreSQL read a row, a replica refreshed it, and the rotation wrote the old tokens back."""
    import psycopg

    url, _folder = pg
    old, new = sealing.generate(), sealing.generate()
    store, before = Store.open(url), Sealer.from_env({"ACME_STORE_KEY": old}, "ACME")
    with store.transaction() as sql:
        sql("DELETE FROM accounts")
        sql("DELETE FROM store_key")
    accounts.save(store, before, Account("acme", OAUTH), AccountSecret({"ACME_TOKEN": "stale"}, "rt-spent"))
    both = Sealer.from_env({"ACME_STORE_KEY": new, "ACME_STORE_KEY_OLD": old}, "ACME")
    refreshed = both.seal(AccountSecret({"ACME_TOKEN": "fresh"}, "rt-live").dumps(), "acme")
    with psycopg.connect(url, autocommit=False) as replica:  # a replica's refresh, mid-write: the row is locked
        replica.execute("UPDATE accounts SET sealed = %s, version = version + 1 WHERE name = 'acme'", (refreshed,))
        rotation = threading.Thread(target=accounts.rotate_keys, args=(Store(url), both))
        rotation.start()
        with psycopg.connect(url, autocommit=True) as watch:  # until the rotation waits on the replica's row
            for _ in range(200):
                waiting = watch.execute(
                    "SELECT COUNT(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE 'UPDATE%'"
                ).fetchone()
                if waiting and waiting[0]:
                    break
                time.sleep(0.05)
        replica.commit()
    rotation.join(30)
    only_new = Sealer.from_env({"ACME_STORE_KEY": new}, "ACME")
    assert accounts.secret_of(store, only_new, "acme") == AccountSecret({"ACME_TOKEN": "fresh"}, "rt-live")


def test_a_refresh_left_unfinished_is_said_at_start_and_in_accounts_list(
    tmp_path: Path, env: dict[str, str], caplog: pytest.LogCaptureFixture
) -> None:
    db = str(tmp_path / "team.db")
    store = Store.open(db)
    oauth_account(store, env, "acme", HOME)
    store.query("UPDATE accounts SET refresh_lease = ? WHERE name = 'acme'", ("2020-01-01T00:00:00.000000Z",))

    async def start() -> None:
        async with serving(tmp_path, args(store=db), env):
            pass

    with caplog.at_level(logging.WARNING, logger="mcpgen.team"):
        run(start)
    said = [r.getMessage() for r in caplog.records if "left unfinished" in r.getMessage()]
    assert len(said) == 1 and said[0].startswith("accounts acme: a token refresh was left unfinished")
    listed = accounts.get(store, "acme")
    assert listed is not None and "lease=abandoned@2020-01-01T00:00Z" in row(listed)


def test_a_wrong_store_key_refuses_the_start_and_a_finished_rotation_makes_an_old_key_replica_not_ready(
    tmp_path: Path, env: dict[str, str]
) -> None:
    db = str(tmp_path / "team.db")
    store = Store.open(db)
    oauth_account(store, env, "acme", HOME)
    accounts.check_key(store, sealer_of(env), "ACME_STORE_KEY")
    wrong = {**env, "ACME_STORE_KEY": sealing.generate()}
    with pytest.raises(StoreKeyError, match="ACME_STORE_KEY does not open this store's secrets") as refused:
        run(lambda: _started(tmp_path, db, wrong))
    assert "\n" not in str(refused.value)
    new = sealing.generate()

    async def rotate_under_a_running_replica() -> None:
        async with serving(tmp_path, args(store=db), {**env, "ACME_TOKEN": "process-token"}) as served:
            assert (await served.client.get("/readyz")).status_code == 200
            rotated = Sealer.from_env({"ACME_STORE_KEY": new, "ACME_STORE_KEY_OLD": env["ACME_STORE_KEY"]}, "ACME")
            await anyio.to_thread.run_sync(accounts.rotate_keys, store, rotated)
            for _ in range(100):  # the key check is trusted for a second; bounded
                answer = await served.client.get("/readyz")
                if answer.status_code == 503:
                    break
                await anyio.sleep(0.1)
            assert answer.status_code == 503 and "ACME_STORE_KEY_OLD" in " ".join(answer.json()["reasons"])

    run(rotate_under_a_running_replica)
    run(lambda: _started(tmp_path, db, {**env, "ACME_STORE_KEY": new, "ACME_STORE_KEY_OLD": env["ACME_STORE_KEY"]}))


async def _started(tmp_path: Path, db: str, env: dict[str, str]) -> None:
    async with serving(tmp_path, args(store=db), env) as served:
        assert (await served.client.get("/healthz")).status_code == 200


# --- item 7: URL elicitation in the recipes --------------------------------------------------------------------------


async def _refuse_requests(*_args: Any) -> Any:
    raise AssertionError("the server answers with URLElicitationRequired, it sends no request")


@pytest.mark.parametrize(
    ("mode", "stateful", "elicited"),
    [("auto", False, True), ("2026-07-28", False, True), ("legacy", True, True), ("legacy", False, False)],
)
def test_url_elicitation_reaches_a_client_that_declared_it(
    tmp_path: Path, env: dict[str, str], mode: str, stateful: bool, elicited: bool
) -> None:
    """The default (stateless) recipe: a 2026-07-28 client is asked; a 2025-11-25 one declared its capabilities
    only in a handshake the stateless server forgets, so it gets the link in the tool error (README: --stateful)."""
    flags = args(store=str(tmp_path / "team.db"), stateful=stateful, json_response=False)

    async def call() -> tuple[bool, str]:
        async with serving(tmp_path, flags, env, people={"carol": Connection("carol")}) as served:
            url = f"http://127.0.0.1/mcp/c/{served.secrets['carol']}"
            transport = streamable_http_client(url, http_client=served.client)
            async with Client(transport, mode=mode, elicitation_callback=_refuse_requests) as client:  # type: ignore[arg-type]
                try:
                    result = await client.call_tool("get_thing", {})
                except MCPError as exc:
                    assert exc.error.code == -32042
                    return True, str(exc.error.data["elicitations"][0]["url"])
                return False, str((result.structured_content or {}).get("connect_url"))

    asked, link = anyio.run(call)
    assert asked is elicited and link.startswith(f"{PUBLIC}/oauth/connect?state=")
