"""The admin API driven in process through httpx's ASGITransport, and the connect prompt through a real ``mcp``
client: a URL-mode elicitation on 2025-11-25 for a client that declared it, the tool error's link otherwise."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any, cast

import anyio
import httpx2 as httpx
import pytest
from mcp import Client, MCPError
from mcp.server.mcpserver import Context, MCPServer
from mcp.types import CallToolResult

from generator.runtime.serve.connect_prompt import ask_to_connect
from generator.runtime.serve.http.admin import AdminApi
from generator.runtime.serve.http.vendor_callback import VendorCallback
from generator.runtime.shaping import results
from generator.runtime.team import accounts, connections, sealing, vendor_oauth
from generator.runtime.team.sealing import Sealer
from generator.runtime.team.store import Store
from generator.runtime.team.vendor_client import Client as OAuthClient
from tests.vendor_kit import VendorOAuth

from .conftest import text_of
from .vendors import GONG as VENDOR
from .vendors import TRANSCRIPT, USERS

OPERATIONS = {op.name: op for op in (USERS, TRANSCRIPT)}

ADMIN = "admin-token-for-tests-0123456789"
PUBLIC = "https://mcp.example.test"


@pytest.fixture(scope="module")
def vendor() -> Iterator[VendorOAuth]:
    with VendorOAuth() as oauth:
        yield oauth


@pytest.fixture
def env(vendor: VendorOAuth) -> dict[str, str]:
    return {
        "GONG_STORE_KEY": sealing.generate(),
        **vendor.env(),
        "GONG_OAUTH_REVOKE_URL": f"{vendor.url}/oauth2/revoke",
    }


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store.open(str(tmp_path / "team.db"))


def admin(
    store: Store, env: dict[str, str], token: str | None, *requests: tuple[str, str, Any]
) -> list[httpx.Response]:
    """Send each (method, path, json or bytes) to the admin API in one event loop."""
    app = AdminApi(store, token, VENDOR, OPERATIONS, env, PUBLIC)

    async def go() -> list[httpx.Response]:
        answers = []
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=cast(Any, app)), base_url=PUBLIC) as http:
            for method, path, body in requests:
                headers = {"authorization": f"Bearer {ADMIN}"}
                sent = {"content": body} if isinstance(body, bytes) else {"json": body} if body is not None else {}
                answers.append(await http.request(method, path, headers=headers, **sent))
        return answers

    return anyio.run(go)


def test_the_admin_api_is_off_without_its_token_and_refuses_a_wrong_one(store: Store, env: dict[str, str]) -> None:
    (off,) = admin(store, env, None, ("GET", "/admin/connections", None))
    assert off.status_code == 404
    (wrong,) = admin(store, env, "another-token", ("GET", "/admin/accounts", None))
    assert wrong.status_code == 401 and wrong.headers["www-authenticate"].startswith("Bearer")


def test_wrong_admin_tokens_are_throttled_and_the_right_one_still_works(store: Store, env: dict[str, str]) -> None:
    app = AdminApi(store, ADMIN, VENDOR, OPERATIONS, env, PUBLIC)

    async def guess() -> tuple[list[int], int]:
        transport = httpx.ASGITransport(app=cast(Any, app))
        async with httpx.AsyncClient(transport=transport, base_url=PUBLIC) as http:
            wrong = {"authorization": "Bearer not-the-admin-token"}
            statuses = [(await http.get("/admin/accounts", headers=wrong)).status_code for _ in range(22)]
            right = await http.get("/admin/accounts", headers={"authorization": f"Bearer {ADMIN}"})
            return statuses, right.status_code

    statuses, right = anyio.run(guess)
    assert statuses[:19] == [401] * 19 and set(statuses[19:]) == {429} and right == 200


def test_connections_are_made_listed_and_revoked_with_the_url_shown_once(store: Store, env: dict[str, str]) -> None:
    key = {"GONG_ACCESS_TOKEN": "acme-token-value"}
    body = {"name": "alice", "account": "acme", "methods": ["read"], "tags": "Calls, Users", "exclude": []}
    _, made, listed, bad_tag, no_account, dup, revoked, after = admin(
        store, env, ADMIN,
        ("POST", "/admin/accounts", {"name": "acme", "credential": key}),
        ("POST", "/admin/connections", body),
        ("GET", "/admin/connections", None),
        ("POST", "/admin/connections", {"name": "bob", "tags": ["Nope"]}),
        ("POST", "/admin/connections", {"name": "carl", "account": "ghost"}),
        ("POST", "/admin/connections", {"name": "alice"}),
        ("DELETE", "/admin/connections/alice", None),
        ("GET", "/admin/connections", None),
    )  # fmt: skip
    assert made.status_code == 201 and made.json()["url"].startswith(f"{PUBLIC}/mcp/c/")
    secret = made.json()["secret"]
    assert connections.lookup(store, secret) is not None and secret not in listed.text
    assert listed.json()["connections"][0]["tags"] == ["Calls", "Users"]
    assert listed.json()["connections"][0]["account"] == "acme"
    assert bad_tag.status_code == 400 and "tags: unknown tag 'Nope'" in bad_tag.json()["error_description"]
    assert no_account.status_code == 400 and "no account named 'ghost'" in no_account.text
    assert dup.status_code == 400 and revoked.status_code == 200
    assert "revoked" in after.json()["connections"][0]["state"]


def test_accounts_are_made_listed_and_removed_never_showing_a_secret(
    store: Store, env: dict[str, str], vendor: VendorOAuth
) -> None:
    key = {"GONG_ACCESS_TOKEN": "acme-token-value"}
    made, bound, listed, link, removed, gone = admin(
        store, env, ADMIN,
        ("POST", "/admin/accounts", {"name": "acme", "credential": key, "scopes": ["api:users:read"]}),
        ("POST", "/admin/connections", {"name": "alice", "account": "acme"}),
        ("GET", "/admin/accounts", None),
        ("POST", "/admin/accounts", {"name": "beta", "connect": True}),
        ("DELETE", "/admin/accounts/acme", None),
        ("GET", "/admin/accounts", None),
    )  # fmt: skip
    assert made.status_code == 201 and bound.status_code == 201
    assert "acme-token-value" not in made.text + listed.text
    assert listed.json()["accounts"] == [
        {"name": "acme", "kind": "key", "state": "active", "base_url": None, "scopes": ["api:users:read"],
         "token_expires_at": None, "last_used_at": None, "identity": None},
    ]  # fmt: skip
    assert link.status_code == 201 and link.json()["connect_url"].startswith(f"{PUBLIC}/oauth/connect?state=")
    assert removed.status_code == 200 and gone.json() == {"accounts": []}
    assert removed.json()["revoked_connections"] == ["alice"]  # a later account named acme never reaches them
    (alice,) = connections.listed(store)
    assert alice.account is None and alice.refusal() is not None and "revoked" in alice.refusal()  # type: ignore[operator]


def test_bad_bodies_are_refused(store: Store, env: dict[str, str]) -> None:
    huge, broken, listy, no_cred, missing = admin(
        store, env, ADMIN,
        ("POST", "/admin/connections", b"{" + b" " * 70_000 + b"}"),
        ("POST", "/admin/connections", b"{not json"),
        ("POST", "/admin/connections", b"[]"),
        ("POST", "/admin/accounts", {"name": "acme", "credential": {"OTHER": "x"}}),
        ("DELETE", "/admin/accounts/ghost", None),
    )  # fmt: skip
    assert huge.status_code == 413 and broken.status_code == 400 and listy.status_code == 400
    assert no_cred.status_code == 400 and "GONG_ACCESS_TOKEN" in no_cred.text
    assert missing.status_code == 400 and accounts.listed(store) == []


def test_the_admin_api_describes_itself(store: Store, env: dict[str, str]) -> None:
    (doc,) = admin(store, env, ADMIN, ("GET", "/admin/openapi.json", None))
    paths = doc.json()["paths"]
    assert doc.json()["openapi"] == "3.1.0" and set(paths) == {
        "/admin/connections", "/admin/connections/{name}", "/admin/accounts", "/admin/accounts/{name}",
    }  # fmt: skip
    assert set(paths["/admin/connections"]) == {"get", "post"} and "delete" in paths["/admin/accounts/{name}"]


# --- the connect prompt ------------------------------------------------------------------------------------------

LINK = "https://vendor.example/authorize?state=s1"


def prompting_server() -> MCPServer:
    server = MCPServer("prompting")

    @server.tool()
    async def needs_account(ctx: Context) -> CallToolResult:
        """A tool whose caller has no account."""
        missing = results.error(
            "carol has no Gong account connected", hint=f"open {LINK}", details={"connect_url": LINK}
        )
        return ask_to_connect(ctx, missing)

    return server


async def _elicit(*_args: Any) -> Any:
    raise AssertionError("the server answers with URLElicitationRequired, it does not send a request")


@pytest.mark.parametrize("mode", ["legacy", "2026-07-28"])  # legacy: the handshake, which settles on 2025-11-25
def test_a_client_that_shows_urls_is_asked_to_open_the_connect_link(mode: str) -> None:
    async def go() -> tuple[MCPError, CallToolResult, str]:
        async with Client(prompting_server(), mode=mode, elicitation_callback=cast(Any, _elicit)) as client:
            with pytest.raises(MCPError) as raised:
                await client.call_tool("needs_account", {})
            version = client.protocol_version
        async with Client(prompting_server(), mode=mode) as plain:
            return raised.value, await plain.call_tool("needs_account", {}), version

    raised, plain, version = anyio.run(go)
    assert version in ("2025-11-25", "2026-07-28")
    assert raised.error.code == -32042 and raised.error.data["elicitations"][0]["url"] == LINK
    assert plain.is_error and LINK in text_of(plain)


def test_removing_an_oauth_account_revokes_its_tokens_at_the_vendor(
    store: Store, env: dict[str, str], vendor: VendorOAuth
) -> None:
    sealer = Sealer.from_env(env, "GONG")
    client = OAuthClient.from_env(VENDOR, env, PUBLIC)
    assert client is not None
    pages = VendorCallback(store, sealer, client)
    code, state = vendor.approve(pages, vendor_oauth.start(store, sealer, client, "acme"))
    anyio.run(vendor_oauth.finish, store, sealer, client, state, code)
    secret = accounts.secret_of(store, sealer, "acme")
    (removed,) = admin(store, env, ADMIN, ("DELETE", "/admin/accounts/acme", None))
    assert removed.json() == {"name": "acme", "removed": True, "revoked_at_vendor": True, "revoked_connections": []}
    assert {secret.refresh_token, secret.values["GONG_ACCESS_TOKEN"]} <= set(vendor.state.revoked)
    assert accounts.get(store, "acme") is None


def test_the_sealer_is_the_admin_apis_too(store: Store, env: dict[str, str]) -> None:
    admin(store, env, ADMIN, ("POST", "/admin/accounts", {"name": "acme", "credential": {"GONG_ACCESS_TOKEN": "t1"}}))
    assert accounts.secret_of(store, Sealer.from_env(env, "GONG"), "acme").values == {"GONG_ACCESS_TOKEN": "t1"}
