"""Accounts per vendor behind one connection, in the team suite (generated/team_mcp).

``team-mcp accounts add NAME --vendor gong|gumloop`` stores each account with its vendor; ``team-mcp connections
create --account gong=acme --account gumloop=beta`` gives one URL whose Gong calls go out as acme and Gumloop calls
as beta, inside ``run_code`` too. A connection with no account for a vendor gets, for that vendor's tools, a tool
error naming the admin command; the admin API makes the same connection. Served in process by the one HTTP stack,
driven by a real ``mcp`` client over streamable HTTP, one loopback upstream per vendor recording each credential.
"""

from __future__ import annotations

import argparse
import base64
import json
import re
import subprocess
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import anyio
import httpx2
import pytest
from mcp import Client
from mcp.client.streamable_http import streamable_http_client
from mcp.types import CallToolResult

from tests.gong_kit import LIST_CALLS
from tests.hostile.http_kit import args as http_args
from tests.test_suite import FLOW_ARGS, RUN_FLOW, SINCE, gong, gumloop, text  # the suite's two upstreams
from tests.upstream import Upstream

ADMIN = "admin-token-0123456789abcdef"
ACME = ("acme-key-31337", "acme-secret-31337")  # Gong: access key and its secret
BETA, BETA_USER = "beta-key-4242", "beta-user"  # Gumloop: API key and user id
GAMMA = "gamma-key-777"
__all__ = ["gong", "gumloop"]  # fixtures, shared with tests/test_suite.py


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return str(tmp_path / "team.db")
    from team_mcp.runtime.team.store import Store

    url, _folder = request.getfixturevalue("pg")
    with Store.open(url).transaction() as run:
        for table in ("connections", "accounts", "account_subjects", "oauth_states", "store_key", "audit"):
            run(f"DELETE FROM {table}")
    return str(url)


def suite_env(gong: Upstream, gumloop: Upstream, store: str, out: Path) -> dict[str, str]:
    """No process credential for either vendor: every call goes out as an account, or not at all."""
    from team_mcp.runtime.team.sealing import generate

    return {
        "GONG_BASE_URL": gong.url, "GUMLOOP_BASE_URL": gumloop.url, "TEAM_STORE": store,
        "TEAM_STORE_KEY": generate(), "TEAM_ADMIN_TOKEN": ADMIN, "TEAM_OUTPUT_DIR": str(out / "team"),
        "GONG_OUTPUT_DIR": str(out / "gong"), "GUMLOOP_OUTPUT_DIR": str(out / "gumloop"),
    }  # fmt: skip


def team(env: dict[str, str], *argv: str, **more: str) -> subprocess.CompletedProcess[str]:
    """``team-mcp ARGV`` in a process of its own, with ``env`` and ``more`` (and PATH)."""
    environ = {"PATH": "/usr/bin:/bin", **env, **more}
    command = [sys.executable, "-m", "team_mcp", *argv]
    return subprocess.run(command, env=environ, capture_output=True, text=True, timeout=60, check=False)


@asynccontextmanager
async def serving(env: dict[str, str], **more: str) -> AsyncIterator[httpx2.AsyncClient]:
    """The suite as ``--transport http`` plans and assembles it, its store opened; an httpx client on the app."""
    from team_mcp.runtime.serve.http import serving as http_serving
    from team_mcp.runtime.serve.http import stack
    from team_mcp.runtime.serve.metrics import Metrics
    from team_mcp.runtime.settings import Settings
    from team_mcp.server import SUITE, create_server

    environ = {**env, **more}
    flags: argparse.Namespace = http_args(store=environ["TEAM_STORE"])
    server = create_server(Settings.from_env(SUITE, environ))
    plan = http_serving.plan(server, flags, environ, len(server.operations))
    app, _ready = stack.assemble(server, plan, stack.open_team(server, plan.named), Metrics())
    async with server.session_manager.run():
        asgi = httpx2.ASGITransport(app=app, client=("127.0.0.1", 50000))
        async with httpx2.AsyncClient(transport=asgi, base_url="http://127.0.0.1", timeout=30) as http:
            yield http


async def through(http: httpx2.AsyncClient, url: str, *made: tuple[str, dict[str, Any]]) -> list[CallToolResult]:
    """Each ``(tool, arguments)`` called in turn by a real MCP client through the connection ``url``."""
    async with Client(streamable_http_client(url, http_client=http)) as client:
        return [await client.call_tool(name, args) for name, args in made]


def secret_of(url: str) -> str:
    return url.rsplit("/", 1)[1]


def gong_basic(key: str, secret: str) -> str:
    return "Basic " + base64.b64encode(f"{key}:{secret}".encode()).decode()


CODE = f"""
page = await gong.{LIST_CALLS}(fromDateTime='2024-01-01T00:00:00Z', toDateTime='2024-02-01T00:00:00Z')
run = await gumloop.{RUN_FLOW}(saved_item_id='flow-1', additional_properties={{'call_ids': page['calls'][0]['id']}})
run['run_id']
"""


def test_one_connection_calls_each_vendor_as_its_own_account(
    gong: Upstream, gumloop: Upstream, store_url: str, tmp_path: Path
) -> None:
    env = suite_env(gong, gumloop, store_url, tmp_path)
    acme = {"GONG_ACCESS_KEY": ACME[0], "GONG_ACCESS_KEY_SECRET": ACME[1]}
    added = team(env, "accounts", "add", "acme", "--vendor", "gong", **acme)
    assert added.returncode == 0 and "account acme for Gong: stored" in added.stdout, added.stderr
    assert team(env, "accounts", "add", "beta", "--vendor", "gumloop", GUMLOOP_API_KEY=BETA,
                GUMLOOP_USER_ID=BETA_USER).returncode == 0  # fmt: skip
    listed = team(env, "accounts", "list").stdout
    assert "acme\tkey\tactive\tvendor=gong " in listed and "beta\tkey\tactive\tvendor=gumloop " in listed
    made = team(env, "connections", "create", "--name", "alice", "--account", "gong=acme", "--account",
                "gumloop=beta", "--public-url", "http://127.0.0.1")  # fmt: skip
    assert made.returncode == 0 and not made.stderr, made.stderr
    alice = re.findall(r"URL: +(\S+)", made.stdout)[0]
    only_gong = team(env, "connections", "create", "--name", "bob", "--account", "gong=acme",
                     "--public-url", "http://127.0.0.1")  # fmt: skip
    bob = re.findall(r"URL: +(\S+)", only_gong.stdout)[0]
    assert "account=gong=acme,gumloop=beta" in team(env, "connections", "list").stdout
    for path in Path(store_url).parent.glob("team.db*") if "://" not in store_url else ():  # sealed at rest
        assert all(secret not in path.read_bytes() for secret in (ACME[1].encode(), BETA.encode()))
    gong.seen.clear()
    gumloop.seen.clear()

    async def go() -> tuple[list[CallToolResult], list[CallToolResult]]:
        async with serving(env) as http:
            as_alice = await through(http, alice, (LIST_CALLS, SINCE), (RUN_FLOW, FLOW_ARGS))
            as_bob = await through(http, bob, (RUN_FLOW, FLOW_ARGS), (LIST_CALLS, SINCE))
            return as_alice, as_bob

    (listed_calls, started), (refused, bobs_calls) = anyio.run(go)
    assert not listed_calls.is_error and not started.is_error, (text(listed_calls), text(started))
    assert not bobs_calls.is_error, text(bobs_calls)
    assert [s.headers["Authorization"] for s in gong.seen] == [gong_basic(*ACME)] * 2  # alice's, then bob's
    [sent] = [s for s in gumloop.seen if s.path == "/start_pipeline"]
    assert sent.headers["Authorization"] == f"Bearer {BETA}" and sent.json()["user_id"] == BETA_USER
    assert ACME[0] not in json.dumps([dict(s.headers) for s in gumloop.seen])  # never one vendor's key at another
    assert refused.is_error and len([s for s in gumloop.seen if s.path == "/start_pipeline"]) == 1
    said = text(refused)
    assert "bob has no Gumloop account connected" in said
    assert "team-mcp accounts add NAME --vendor gumloop" in said and "--account gumloop=NAME" in said
    audit = team(env, "audit").stdout
    assert f"alice\t{LIST_CALLS}" in audit and "(as acme)" in audit and "(as beta)" in audit


def test_run_code_makes_each_inner_call_as_that_vendors_account(
    gong: Upstream, gumloop: Upstream, tmp_path: Path
) -> None:
    env = suite_env(gong, gumloop, str(tmp_path / "team.db"), tmp_path) | {"TEAM_TOOLSET": "code"}
    team(env, "accounts", "add", "acme", "--vendor", "gong", GONG_ACCESS_KEY=ACME[0], GONG_ACCESS_KEY_SECRET=ACME[1])
    team(env, "accounts", "add", "beta", "--vendor", "gumloop", GUMLOOP_API_KEY=BETA, GUMLOOP_USER_ID=BETA_USER)
    made = team(env, "connections", "create", "--name", "alice", "--account", "gong=acme", "--account",
                "gumloop=beta", "--public-url", "http://127.0.0.1")  # fmt: skip
    alice = re.findall(r"URL: +(\S+)", made.stdout)[0]
    gong.seen.clear()
    gumloop.seen.clear()

    async def go() -> list[CallToolResult]:
        async with serving(env) as http:
            return await through(http, alice, ("run_code", {"code": CODE}))

    [ran] = anyio.run(go)
    assert not ran.is_error, text(ran)
    assert json.loads(text(ran).split("\n")[0]) == {"result": "run-1"}
    assert [s.headers["Authorization"] for s in gong.seen] == [gong_basic(*ACME)]
    [sent] = [s for s in gumloop.seen if s.path == "/start_pipeline"]
    assert sent.headers["Authorization"] == f"Bearer {BETA}" and sent.json()["user_id"] == BETA_USER


def test_the_admin_api_makes_the_same_connection(gong: Upstream, gumloop: Upstream, tmp_path: Path) -> None:
    env = suite_env(gong, gumloop, str(tmp_path / "team.db"), tmp_path)
    team(env, "accounts", "add", "acme", "--vendor", "gong", GONG_ACCESS_KEY=ACME[0], GONG_ACCESS_KEY_SECRET=ACME[1])
    auth = {"authorization": f"Bearer {ADMIN}"}
    gumloop.seen.clear()

    async def go() -> dict[str, Any]:
        async with serving(env, TEAM_PUBLIC_URL="http://127.0.0.1") as http:
            answers: dict[str, Any] = {}
            gamma = {"name": "gamma", "vendor": "gumloop", "credential": {"GUMLOOP_API_KEY": GAMMA}}
            answers["account"] = await http.post("/admin/accounts", json=gamma, headers=auth)
            answers["no vendor"] = await http.post("/admin/accounts", json={**gamma, "name": "delta", "vendor": None},
                                                   headers=auth)  # fmt: skip
            crossed = {"name": "eve", "account": {"gong": "gamma"}}
            answers["crossed"] = await http.post("/admin/connections", json=crossed, headers=auth)
            carol = {"name": "carol", "account": {"gong": "acme", "gumloop": "gamma"}}
            answers["connection"] = made = await http.post("/admin/connections", json=carol, headers=auth)
            answers["listed"] = await http.get("/admin/connections", headers=auth)
            answers["document"] = await http.get("/admin/openapi.json", headers=auth)
            answers["calls"] = await through(http, made.json()["url"], (RUN_FLOW, FLOW_ARGS), (LIST_CALLS, SINCE))
            return answers

    answers = anyio.run(go)
    assert answers["account"].status_code == 201 and answers["account"].json()["vendor"] == "gumloop"
    assert answers["no vendor"].status_code == 400 and "one of gong, gumloop" in answers["no vendor"].text
    assert answers["crossed"].status_code == 400 and "calls gumloop, not gong" in answers["crossed"].text
    assert answers["connection"].status_code == 201
    assert answers["connection"].json()["account"] == {"gong": "acme", "gumloop": "gamma"}
    described = answers["document"].json()["paths"]
    assert '"enum": ["gong", "gumloop"]' in json.dumps(described["/admin/accounts"])
    assert '"gumloop": {"type": "string"' in json.dumps(described["/admin/connections"])
    [carol] = answers["listed"].json()["connections"]
    assert carol["account"] == {"gong": "acme", "gumloop": "gamma"}
    assert not any(result.is_error for result in answers["calls"]), [text(r) for r in answers["calls"]]
    [sent] = [s for s in gumloop.seen if s.path == "/start_pipeline"]
    assert sent.headers["Authorization"] == f"Bearer {GAMMA}"
    assert gong.seen[-1].headers["Authorization"] == gong_basic(*ACME)


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        (["accounts", "add", "acme"], "--vendor: which vendor the account calls, one of gong, gumloop"),
        (["accounts", "add", "acme", "--vendor", "stripe"], "--vendor 'stripe': which vendor"),
        (["connections", "create", "--name", "a", "--account", "acme"], "give VENDOR=NAME, VENDOR one of gong"),
        (["connections", "create", "--name", "a", "--account", "gong=x", "--account", "gong=y"], "given twice"),
        (["connections", "create", "--name", "a", "--account", "gong=ghost"], "no account named 'ghost'"),
        (["accounts", "connect", "acme"], "--vendor: which vendor the account calls, one of gong, gumloop"),
        (["accounts", "connect", "acme", "--vendor", "gumloop"], "--public-url"),
    ],
)
def test_a_bad_account_flag_is_one_line_naming_it(tmp_path: Path, argv: list[str], said: str) -> None:
    env = {"TEAM_STORE": str(tmp_path / "team.db"), "TEAM_STORE_KEY": "A" * 43, "GONG_ACCESS_KEY": "k",
           "GONG_ACCESS_KEY_SECRET": "s"}  # fmt: skip
    ran = team(env, *argv)
    assert ran.returncode in (1, 2) and not ran.stdout
    [line] = ran.stderr.splitlines()
    assert line.startswith("error: ") and said in line, line


def test_each_accounts_granted_scopes_narrow_only_its_own_vendors_tools(
    gong: Upstream, gumloop: Upstream, tmp_path: Path
) -> None:
    from team_mcp.gong.operations import OPERATIONS as GONG_OPERATIONS
    from team_mcp.gumloop.operations import OPERATIONS as GUMLOOP_OPERATIONS

    env = suite_env(gong, gumloop, str(tmp_path / "team.db"), tmp_path)
    team(env, "accounts", "add", "acme", "--vendor", "gong", "--scopes", "api:users:read", GONG_ACCESS_KEY=ACME[0],
         GONG_ACCESS_KEY_SECRET=ACME[1])  # fmt: skip
    team(env, "accounts", "add", "beta", "--vendor", "gumloop", GUMLOOP_API_KEY=BETA)
    made = team(env, "connections", "create", "--name", "alice", "--account", "gong=acme", "--account",
                "gumloop=beta", "--public-url", "http://127.0.0.1")  # fmt: skip
    alice = re.findall(r"URL: +(\S+)", made.stdout)[0]
    gong.seen.clear()

    async def go() -> tuple[set[str], CallToolResult]:
        async with serving(env) as http, Client(streamable_http_client(alice, http_client=http)) as client:
            listed = {tool.name for tool in (await client.list_tools()).tools}
            return listed, await client.call_tool(LIST_CALLS, SINCE)

    listed, hidden = anyio.run(go)
    users_only = {op.name for op in GONG_OPERATIONS.values() if set(op.scopes) <= {"api:users:read"}}
    assert listed == users_only | set(GUMLOOP_OPERATIONS)  # Gumloop's tools need no scope; Gong's only acme's grant
    assert 0 < len(users_only) < len(GONG_OPERATIONS) and LIST_CALLS not in listed
    assert hidden.is_error and f"Unknown tool: {LIST_CALLS}" in text(hidden) and not gong.seen


def test_a_connect_link_binds_the_vendor_it_was_asked_for(gong: Upstream, gumloop: Upstream, tmp_path: Path) -> None:
    """Alice's connection binds only a Gumloop account; her Gong call answers with a connect link, which, approved
    at Gong, binds a new Gong account to her connection for Gong alone: her next Gong call goes out with its token,
    her Gumloop calls still as beta."""
    from tests.vendor_kit import VendorOAuth, page_parts

    with VendorOAuth(customer_base=gong.url) as vendor:
        env = suite_env(gong, gumloop, str(tmp_path / "team.db"), tmp_path) | vendor.env("GONG")
        team(env, "accounts", "add", "beta", "--vendor", "gumloop", GUMLOOP_API_KEY=BETA, GUMLOOP_USER_ID=BETA_USER)
        made = team(env, "connections", "create", "--name", "alice", "--account", "gumloop=beta",
                    "--public-url", "http://127.0.0.1")  # fmt: skip
        alice = re.findall(r"URL: +(\S+)", made.stdout)[0]
        gong.seen.clear()
        gumloop.seen.clear()

        async def go() -> tuple[CallToolResult, tuple[int, str, str], list[CallToolResult]]:
            async with serving(env, TEAM_PUBLIC_URL="http://127.0.0.1") as http:
                [asked] = await through(http, alice, (LIST_CALLS, SINCE))
                link = str((asked.structured_content or {}).get("connect_url", ""))
                _status, _text, onward = page_parts(await http.get(link))
                code, state = vendor.authorize(onward)
                page = page_parts(await http.get(f"/oauth/callback?code={code}&state={state}"))
                return asked, page, await through(http, alice, (LIST_CALLS, SINCE), (RUN_FLOW, FLOW_ARGS))

        asked, page, (listed, started) = anyio.run(go)
    assert asked.is_error and "alice has no Gong account connected" in text(asked)
    assert page[0] == 200 and "The Gong account alice-gong is connected" in page[1], page
    assert not listed.is_error and not started.is_error, (text(listed), text(started))
    [sent] = gong.seen  # the first call never went out
    assert sent.headers["Authorization"].removeprefix("Bearer ") in vendor.state.access
    [flow] = [s for s in gumloop.seen if s.path == "/start_pipeline"]
    assert flow.headers["Authorization"] == f"Bearer {BETA}"
    shown = team(env, "connections", "list").stdout + team(env, "accounts", "list").stdout
    assert "account=gong=alice-gong,gumloop=beta" in shown and "alice-gong\toauth\tactive\tvendor=gong " in shown
