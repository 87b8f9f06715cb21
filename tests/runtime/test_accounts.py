"""Vendor accounts in process: sealed secrets, two accounts through two connections to a real upstream, the
vendor's OAuth against a loopback vendor of our own (callback driven through httpx's ASGITransport), refresh,
granted scopes, the connect prompt, and the admin API."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from pathlib import Path
from typing import Any, cast

import anyio
import httpx2 as httpx
import pytest
from mcp.types import CallToolResult

from generator.runtime.contract import Operation
from generator.runtime.dispatch.dispatcher import Dispatcher
from generator.runtime.dispatch.tool_call import ToolCall
from generator.runtime.failures import OAuthRefused, StoreKeyError
from generator.runtime.serve.http.vendor_callback import VendorCallback
from generator.runtime.settings import Settings
from generator.runtime.team import account_access, accounts, audit, connections, sealing, vendor_oauth
from generator.runtime.team.account_access import AccountCredentials, account_for
from generator.runtime.team.accounts import KEY, Account, AccountSecret
from generator.runtime.team.caller import Caller
from generator.runtime.team.connections import Connection
from generator.runtime.team.sealing import Sealer
from generator.runtime.team.store import Store
from generator.runtime.team.vendor_client import Client
from generator.runtime.visibility import Sight
from tests.upstream import Upstream
from tests.vendor_kit import VendorOAuth, open_page

from .conftest import text_of
from .vendors import GONG as VENDOR
from .vendors import GUMLOOP, SAVED_ITEMS, TRANSCRIPT, USERS

OPERATIONS = {op.name: op for op in (USERS, TRANSCRIPT)}
PUBLIC = "http://127.0.0.1:9"  # the server's public URL: only named in links, never reached


@pytest.fixture(scope="module")
def upstream() -> Iterator[Upstream]:
    with Upstream() as up:
        yield up


@pytest.fixture(scope="module")
def vendor(upstream: Upstream) -> Iterator[VendorOAuth]:
    with VendorOAuth(customer_base=upstream.url) as oauth:
        yield oauth


@pytest.fixture
def env(tmp_path: Path, vendor: VendorOAuth) -> dict[str, str]:
    return {"GONG_STORE_KEY": sealing.generate(), "GONG_OUTPUT_DIR": str(tmp_path / "out"), **vendor.env()}


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store.open(str(tmp_path / "team.db"))


class AccountDispatcher(Dispatcher):
    """A dispatcher with the store's accounts, as a served team's calls reach it (``GeneratedServer.tool_call``)."""

    accounts: AccountCredentials

    def made_by(self, caller: Caller | None, op: Operation) -> ToolCall:
        who, name = (caller.who, caller.account_name) if caller is not None else ("local", None)
        return ToolCall.of(op, self.limits, who, account_name=name, account=self.accounts.for_caller(caller))


def dispatcher(env: dict[str, str], store: Store, base: str) -> AccountDispatcher:
    settings = Settings.from_env(VENDOR, {**env, "GONG_BASE_URL": base})
    d = AccountDispatcher(VENDOR, settings, operations=OPERATIONS)
    d.accounts = AccountCredentials(store, VENDOR, settings.env, PUBLIC)
    return d


Call = tuple[Caller | None, Any, dict[str, Any]]


def calls(d: AccountDispatcher, *made: Call) -> list[CallToolResult]:
    """Each call in turn, as its caller, in one event loop (the dispatcher's HTTP client lives in one)."""

    async def go() -> list[CallToolResult]:
        return [await d.call(op, dict(args), d.made_by(caller, op)) for caller, op, args in made]

    return anyio.run(go)


def call_as(
    d: AccountDispatcher, caller: Caller | None, op: Any = USERS, args: dict[str, Any] | None = None
) -> CallToolResult:
    return calls(d, (caller, op, args or {}))[0]


def add_key_account(store: Store, env: dict[str, str], name: str, values: dict[str, str], **kw: Any) -> None:
    accounts.save(store, Sealer.from_env(env, "GONG"), Account(name, KEY, **kw), AccountSecret(values))


def connect(vendor: VendorOAuth, store: Store, env: dict[str, str], name: str, **start: Any) -> httpx.Response:
    """The whole OAuth connect: the link, its page on this server, the person approving at the vendor, the browser
    back at our callback (``start``: the link's ``bind`` and ``intent``; by default the admin's)."""
    code, state = vendor.approve(pages(store, env), link(store, env, name, **start))
    return callback(store, env, {"code": code, "state": state})


def link(store: Store, env: dict[str, str], name: str, **start: Any) -> str:
    """A new connect link for ``name``."""
    client = Client.from_env(VENDOR, env, PUBLIC)
    assert client is not None
    return vendor_oauth.start(store, Sealer.from_env(env, "GONG"), client, name, **start)


def pages(store: Store, env: dict[str, str]) -> Any:
    """The connect page and the callback, as the server serves them."""
    client = Client.from_env(VENDOR, env, PUBLIC)
    assert client is not None
    return VendorCallback(store, Sealer.from_env(env, "GONG"), client)


def callback(store: Store, env: dict[str, str], query: dict[str, str]) -> httpx.Response:
    app = pages(store, env)

    async def go() -> httpx.Response:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=cast(Any, app)), base_url=PUBLIC) as http:
            return await http.get("/oauth/callback", params=query)

    return anyio.run(go)


# --- sealing -----------------------------------------------------------------------------------------------------


def test_a_sealed_secret_opens_only_with_its_key_and_on_its_own_row() -> None:
    key, other = sealing.generate(), sealing.generate()
    sealer = Sealer.from_env({"GONG_STORE_KEY": key}, "GONG")
    sealed = sealer.seal(b"the-credential", "acme")
    assert b"the-credential" not in sealed.encode() and sealer.open(sealed, "acme") == b"the-credential"
    assert sealer.seal(b"the-credential", "acme") != sealed  # a fresh nonce every time
    with pytest.raises(StoreKeyError, match="does not open"):
        sealer.open(sealed, "beta")  # moved to another row
    with pytest.raises(StoreKeyError, match="does not hold"):
        Sealer.from_env({"GONG_STORE_KEY": other}, "GONG").open(sealed, "acme")
    rotated = Sealer.from_env({"GONG_STORE_KEY": other, "GONG_STORE_KEY_OLD": key}, "GONG")
    assert rotated.open(sealed, "acme") == b"the-credential"
    for bad in ({}, {"GONG_STORE_KEY": "short"}, {"GONG_STORE_KEY": base64.b64encode(b"x" * 31).decode()}):
        with pytest.raises(StoreKeyError, match="GONG_STORE_KEY"):
            Sealer.from_env(bad, "GONG")


def test_the_store_file_never_holds_a_credential_in_plaintext(
    tmp_path: Path, env: dict[str, str], store: Store
) -> None:
    secret = "plain-secret-value-7f3a9c"
    add_key_account(store, env, "acme", {"GONG_ACCESS_KEY": "k-" + secret, "GONG_ACCESS_KEY_SECRET": secret})
    assert accounts.secret_of(store, Sealer.from_env(env, "GONG"), "acme").values["GONG_ACCESS_KEY_SECRET"] == secret
    store.close()
    files = [p for p in tmp_path.iterdir() if p.name.startswith("team.db")]
    assert files and all(secret.encode() not in p.read_bytes() for p in files)


def test_rotating_the_key_reseals_every_secret(env: dict[str, str], store: Store) -> None:
    add_key_account(store, env, "acme", {"GONG_ACCESS_TOKEN": "tok-acme-1"})
    new = {**env, "GONG_STORE_KEY": sealing.generate(), "GONG_STORE_KEY_OLD": env["GONG_STORE_KEY"]}
    assert accounts.rotate_keys(store, Sealer.from_env(new, "GONG")) == 1
    only_new = Sealer.from_env({"GONG_STORE_KEY": new["GONG_STORE_KEY"]}, "GONG")
    assert accounts.secret_of(store, only_new, "acme").values == {"GONG_ACCESS_TOKEN": "tok-acme-1"}
    with pytest.raises(StoreKeyError):
        accounts.secret_of(store, Sealer.from_env(env, "GONG"), "acme")  # the old key alone no longer opens it


# --- calls as an account -----------------------------------------------------------------------------------------


def test_two_connections_reach_the_upstream_with_their_own_accounts(
    env: dict[str, str], store: Store, upstream: Upstream
) -> None:
    add_key_account(store, env, "acme", {"GONG_ACCESS_KEY": "acme-key", "GONG_ACCESS_KEY_SECRET": "acme-secret"})
    add_key_account(store, env, "beta", {"GONG_ACCESS_TOKEN": "beta-token"})
    connections.create(store, Connection("alice", account="acme"))
    connections.create(store, Connection("bob", account="beta"))
    found = {c.name: c for c in connections.listed(store)}
    upstream.seen.clear()
    made: list[Call] = [(Caller(name, connection=found[name]), USERS, {}) for name in ("alice", "bob")]
    assert not any(r.is_error for r in calls(dispatcher(env, store, upstream.url), *made))
    basic = base64.b64encode(b"acme-key:acme-secret").decode()
    assert [s.headers["Authorization"] for s in upstream.seen] == [f"Basic {basic}", "Bearer beta-token"]
    assert accounts.get(store, "acme").last_used_at is not None  # type: ignore[union-attr]


def test_a_caller_without_an_account_gets_the_process_credential_or_a_link(
    env: dict[str, str], store: Store, upstream: Upstream
) -> None:
    add_key_account(store, env, "acme", {"GONG_ACCESS_TOKEN": "acme-token"})
    alone = call_as(dispatcher(env, store, upstream.url), Caller("carol", connection=Connection("carol")))
    assert alone.is_error and "carol has no Gong account" in text_of(alone)
    shown = (alone.structured_content or {})["connect_url"]
    assert shown.startswith(f"{PUBLIC}/oauth/connect?state=") and shown in text_of(alone)
    status, page, onward = open_page(pages(store, env), shown)  # the link names what it binds, then leads on
    assert status == 200 and "the Gong account 'carol' for the connection 'carol'" in page
    assert onward.startswith(env["GONG_OAUTH_AUTHORIZE_URL"])
    assert (alone.structured_content or {})["account"] == "carol"
    add_key_account(store, env, "carol", {"GONG_ACCESS_TOKEN": "someone-elses"})  # not carol's connection's account
    other = call_as(dispatcher(env, store, upstream.url), Caller("carol", connection=Connection("carol")))
    assert (other.structured_content or {})["account"].startswith("carol-")  # never overwrites another account
    server_token = call_as(dispatcher(env, store, upstream.url), Caller("token"))
    assert "connect_url" not in (server_token.structured_content or {}) and "accounts add" in text_of(server_token)
    upstream.seen.clear()
    process = dispatcher({**env, "GONG_ACCESS_TOKEN": "process-token"}, store, upstream.url)
    made: list[Call] = [(Caller("carol", connection=Connection("carol")), USERS, {}), (None, USERS, {})]  # None: stdio
    assert not any(r.is_error for r in calls(process, *made))
    assert [s.headers["Authorization"] for s in upstream.seen] == ["Bearer process-token"] * 2


def test_the_account_base_url_and_the_gumloop_user_and_team_ids_come_from_the_account(
    env: dict[str, str], store: Store, upstream: Upstream
) -> None:
    genv = {**env, "GUMLOOP_STORE_KEY": env["GONG_STORE_KEY"], "GUMLOOP_TEAM_ID": "process-team"}
    given = {"GUMLOOP_API_KEY": "gl-key", "GUMLOOP_USER_ID": "user-42", "GUMLOOP_TEAM_ID": "team-7", "OTHER": "x"}
    values = accounts.credential_from(GUMLOOP.auth, given, accounts.default_variables([SAVED_ITEMS]))
    assert values == {k: v for k, v in given.items() if k != "OTHER"}
    accounts.save(
        store, Sealer.from_env(genv, "GUMLOOP"), Account("pat", KEY, base_url=upstream.url), AccountSecret(values)
    )
    settings = Settings.from_env(GUMLOOP, {**genv, "GUMLOOP_BASE_URL": "http://127.0.0.1:9/unused"})
    d = AccountDispatcher(GUMLOOP, settings, operations={SAVED_ITEMS.name: SAVED_ITEMS})
    d.accounts = AccountCredentials(store, GUMLOOP, settings.env, PUBLIC)
    accounts.save(store, Sealer.from_env(genv, "GUMLOOP"), Account("kim", KEY, base_url=upstream.url),
                  AccountSecret({"GUMLOOP_API_KEY": "kim-key"}))  # fmt: skip
    upstream.seen.clear()
    result, kim = calls(
        d, (Caller("pat", account="pat"), SAVED_ITEMS, {}), (Caller("kim", account="kim"), SAVED_ITEMS, {})
    )
    assert not result.is_error and not kim.is_error, text_of(result)
    assert upstream.seen[1].query == [] and "x-auth-key" not in upstream.seen[1].headers  # none of the process's
    seen = upstream.seen[0]
    assert seen.headers["Authorization"] == "Bearer gl-key" and seen.headers["x-auth-key"] == "user-42"
    assert ("user_id", "user-42") in seen.query and ("team_id", "team-7") in seen.query


# --- the vendor's OAuth --------------------------------------------------------------------------------------------


def test_connecting_through_the_vendor_stores_tokens_scopes_and_the_customer_host(
    env: dict[str, str], store: Store, vendor: VendorOAuth, upstream: Upstream
) -> None:
    answer = connect(vendor, store, env, "acme")
    assert answer.status_code == 200 and "acme is connected" in answer.text
    assert answer.headers["referrer-policy"] == "no-referrer" and "at-" not in answer.text
    account = accounts.get(store, "acme")
    assert account is not None and account.kind == "oauth" and account.base_url == upstream.url
    assert account.scopes == frozenset(vendor.state.grant_scope.split())
    d = dispatcher(env, store, "http://127.0.0.1:9/not-this-one")
    upstream.seen.clear()
    assert not call_as(d, Caller("x", account="acme")).is_error
    assert upstream.seen[0].headers["Authorization"].removeprefix("Bearer ") in vendor.state.access


def test_granted_scopes_choose_the_tools(
    env: dict[str, str], store: Store, vendor: VendorOAuth, upstream: Upstream
) -> None:
    connect(vendor, store, env, "acme")
    connections.create(store, Connection("alice", account="acme"))
    alice = account_for(store, Caller("alice", connection=connections.listed(store)[0]))
    sees = alice.sight(Sight())
    assert alice.account == "acme" and sees.allows(USERS) and not sees.allows(TRANSCRIPT) and alice.filtered
    refused = call_as(dispatcher(env, store, upstream.url), alice, TRANSCRIPT, {"filter": {}})
    assert refused.is_error and "api:calls:read:transcript" in text_of(refused)
    accounts.map_subject(store, "dana", "acme")
    assert account_for(store, Caller("oauth:dana")).account == "acme"
    assert accounts.for_subject(store, "erin", {"mcp_account": "acme"}, "mcp_account") == "acme"
    assert accounts.for_subject(store, "erin", {"mcp_account": "nobody"}, "mcp_account") is None
    assert accounts.for_subject(store, "erin", {"mcp_account": "acme"}) is None  # no setting names a claim: ignored


def test_a_token_near_its_expiry_is_refreshed_once_and_a_refused_refresh_asks_to_reconnect(
    env: dict[str, str], store: Store, vendor: VendorOAuth, upstream: Upstream
) -> None:
    vendor.state.expires_in = 60  # inside the refresh margin: the next call refreshes first
    try:
        connect(vendor, store, env, "acme")
        before, d = vendor.state.refreshes, dispatcher(env, store, upstream.url)
        first = accounts.secret_of(store, Sealer.from_env(env, "GONG"), "acme")
        assert not call_as(d, Caller("x", account="acme")).is_error
        assert vendor.state.refreshes == before + 1
        assert first.refresh_token not in vendor.state.refresh  # rotated: the old refresh token is spent
        vendor.state.misbehave = "refuse_refresh"
        d = dispatcher(env, store, upstream.url)
        dead, again = calls(d, (Caller("x", account="acme"), USERS, {}), (Caller("x", account="acme"), USERS, {}))
        assert dead.is_error and "connect_url" in (dead.structured_content or {})
        assert accounts.get(store, "acme").state == "needs_reconnect"  # type: ignore[union-attr]
        assert "needs reconnecting" in text_of(again) and vendor.state.refreshes == before + 2
    finally:
        vendor.state.expires_in, vendor.state.misbehave = 3600, ""


@pytest.mark.parametrize("mode", ["huge", "not_json", "no_token"])
def test_a_bad_token_answer_connects_nothing(env: dict[str, str], store: Store, vendor: VendorOAuth, mode: str) -> None:
    vendor.state.misbehave = mode
    try:
        answer = connect(vendor, store, env, "acme")
    finally:
        vendor.state.misbehave = ""
    assert answer.status_code == 400 and "did not connect" in answer.text and accounts.get(store, "acme") is None


def test_hostile_callbacks_are_refused(env: dict[str, str], store: Store, vendor: VendorOAuth) -> None:
    app = pages(store, env)
    code, state = vendor.approve(app, link(store, env, "acme"))
    assert callback(store, env, {"code": code, "state": state}).status_code == 200
    replayed = callback(store, env, {"code": code, "state": state})
    assert replayed.status_code == 400 and "unknown, used or expired" in replayed.text
    assert callback(store, env, {"code": code, "state": "made-up"}).status_code == 400
    assert callback(store, env, {"code": code}).status_code == 400  # no pending connect named at all
    _, fresh_state = vendor.approve(app, link(store, env, "beta"))
    reused_code = callback(store, env, {"code": code, "state": fresh_state})  # a code the vendor already spent
    assert reused_code.status_code == 400 and accounts.get(store, "beta") is None
    _, declined = vendor.approve(app, link(store, env, "gamma"))
    assert callback(store, env, {"error": "access_denied", "state": declined}).status_code == 400
    assert callback(store, env, {"code": "c", "state": declined}).status_code == 400  # a declined state is spent
    assert store.query("SELECT COUNT(*) FROM oauth_states") == [(0,)]


def test_connect_links_per_account_are_capped(env: dict[str, str], store: Store, upstream: Upstream) -> None:
    carol = Caller("carol", connection=Connection("carol"))
    links = [call_as(dispatcher(env, store, upstream.url), carol) for _ in range(8)]
    assert all("connect_url" in (r.structured_content or {}) for r in links)
    assert store.query("SELECT COUNT(*) FROM oauth_states") == [(vendor_oauth.MAX_PENDING,)]


def test_a_wrong_store_key_opens_nothing(env: dict[str, str], store: Store, upstream: Upstream) -> None:
    add_key_account(store, env, "acme", {"GONG_ACCESS_TOKEN": "acme-token"})
    wrong = {**env, "GONG_STORE_KEY": sealing.generate()}
    result = call_as(dispatcher(wrong, store, upstream.url), Caller("x", account="acme"))
    assert result.is_error and "does not hold" in text_of(result)
    with pytest.raises(StoreKeyError, match="GONG_STORE_KEY is not set"):
        AccountCredentials(store, VENDOR, {}, PUBLIC)


def test_audit_rows_name_the_account(store: Store) -> None:
    entry = audit.Entry("2026-01-01T00:00:00.000000Z", "alice", "t", "read", "ok", 3, None, account="acme")
    audit.record(store, entry)
    assert audit.read(store)[0].account == "acme"


def test_a_refresh_writes_its_tokens_only_while_it_holds_its_lease(
    env: dict[str, str], store: Store, vendor: VendorOAuth
) -> None:
    connect(vendor, store, env, "acme")
    sealer, account = Sealer.from_env(env, "GONG"), accounts.get(store, "acme")
    assert account is not None
    lease = account_access.take_lease(store, "acme", account.token_expires_at)
    assert lease is not None and account_access.take_lease(store, "acme", account.token_expires_at) is None
    before = accounts.secret_of(store, sealer, "acme")
    late = AccountSecret({"GONG_ACCESS_TOKEN": "late"}, "rt-late")
    store.query("UPDATE accounts SET refresh_lease = ? WHERE name = 'acme'", ("9999-01-01T00:00:00.000000Z",))
    with pytest.raises(OAuthRefused, match="another process took over"):  # its lease lapsed and was taken
        account_access.released(store, sealer, account, late, lease)
    assert accounts.secret_of(store, sealer, "acme") == before
    store.query("UPDATE accounts SET refresh_lease = ? WHERE name = 'acme'", (lease,))
    account_access.released(store, sealer, account, late, lease)  # the tokens and the release, in one write
    after = accounts.get(store, "acme")
    assert accounts.secret_of(store, sealer, "acme") == late and after is not None and after.lease is None


def test_the_account_claim_is_read_only_when_a_setting_names_it(store: Store, env: dict[str, str]) -> None:
    for name in ("acme", "beta"):
        add_key_account(store, env, name, {"GONG_ACCESS_TOKEN": f"{name}-token"})
    accounts.map_subject(store, "dana", "beta")
    claims = {"mcp_account": "acme"}
    assert account_for(store, Caller("oauth:dana"), claims).account == "beta"  # the map, not the token's say
    named = Settings.from_env(VENDOR, {"GONG_ACCOUNT_CLAIM": "mcp_account"}).account_claim
    assert named == "mcp_account" and account_for(store, Caller("oauth:dana"), claims, named).account == "acme"


def test_an_account_whose_login_is_unknown_is_reconnected_by_the_admin_only(
    env: dict[str, str], store: Store, upstream: Upstream
) -> None:
    secret = AccountSecret({"GONG_ACCESS_TOKEN": "t"}, "rt")
    accounts.save(store, Sealer.from_env(env, "GONG"), Account("team", "oauth", "needs_reconnect"), secret)
    connections.create(store, Connection("alice", account="team"))
    alice = account_for(store, Caller("alice", connection=connections.listed(store)[0]))
    answer = call_as(dispatcher(env, store, upstream.url), alice)
    assert answer.is_error and "connect_url" not in (answer.structured_content or {})
    assert "`gong-mcp accounts connect team`" in text_of(answer)  # the one way that works, named
    assert store.query("SELECT COUNT(*) FROM oauth_states") == [(0,)]  # no link that could never complete
