"""Attacks on a served team, as an outsider would make them, in process on the one HTTP stack.

Each finding of issue 22's audit is a test here, and so are the attacks that held.
"""

from __future__ import annotations

import logging
from pathlib import Path

import anyio
import pytest

from generator.runtime.failures import StartError
from generator.runtime.serve.http import exposure
from generator.runtime.team.connections import Connection
from tests.hostile.http_kit import TOKEN, args, serving

READER = {"alice": Connection("alice", methods=frozenset({"read"}))}


def run(test: object) -> None:
    anyio.run(test)  # type: ignore[arg-type]


def test_the_team_recipe_refuses_a_request_with_no_credential(tmp_path: Path) -> None:
    # The package README's old team recipe: a store, connection URLs, loopback behind a proxy, no server token.
    flags = args(allowed_hosts="mcp.example.com", store=str(tmp_path / "team.db"))

    async def attack() -> None:
        async with serving(tmp_path, flags, people=READER) as served:
            answer = await served.call("delete_thing", {"id": "1"})
            assert answer.status_code == 401 and 'Bearer realm="mcp"' in answer.headers["www-authenticate"]
            listed = await served.rpc("tools/list", {})
            assert listed.status_code == 401
            assert served.seen == []  # nothing reached the vendor
            ok = await served.call("get_thing", {}, path=f"/mcp/c/{served.secrets['alice']}")
            assert ok.status_code == 200 and '"isError":false' in ok.text.replace(" ", "")

    run(attack)


@pytest.mark.parametrize(
    ("flags", "env"),
    [
        (args(allowed_hosts="mcp.example.com"), {}),  # a proxy's host name, no store, no token
        (args(host="0.0.0.0", allowed_hosts="mcp.example.com"), {}),
        (args(), {"ACME_PUBLIC_URL": "https://mcp.example.com"}),
    ],
)
def test_a_server_beyond_loopback_with_no_way_to_check_callers_refuses_to_start(
    tmp_path: Path, flags: object, env: dict[str, str]
) -> None:
    with pytest.raises(StartError, match=r"refusing to serve: .*MCP_SERVER_TOKEN"):
        run(lambda: _enter(tmp_path, flags, env))


async def _enter(tmp_path: Path, flags: object, env: dict[str, str]) -> None:
    async with serving(tmp_path, flags, env):  # type: ignore[arg-type]
        pass


def test_loopback_for_one_person_is_open_and_nothing_else_is(tmp_path: Path) -> None:
    async def one_person() -> None:
        async with serving(tmp_path, args()) as served:
            answer = await served.call("get_thing", {})
            assert answer.status_code == 200 and len(served.seen) == 1

    run(one_person)

    async def with_a_token() -> None:
        async with serving(tmp_path, args(), {"MCP_SERVER_TOKEN": TOKEN}) as served:
            assert (await served.call("get_thing", {})).status_code == 401
            assert (await served.call("get_thing", {}, Authorization=f"Bearer {TOKEN}")).status_code == 200

    run(with_a_token)


def test_guessing_never_locks_out_a_valid_secret_and_is_throttled_in_both_forms(tmp_path: Path) -> None:
    flags = args(allowed_hosts="mcp.example.com", store=str(tmp_path / "team.db"))

    async def guess() -> None:
        async with serving(tmp_path, flags, people=READER) as served:
            secret = served.secrets["alice"]
            statuses = [(await served.call("get_thing", {}, path=f"/mcp/c/{'B' * 43}")).status_code for _ in range(12)]
            statuses += [
                (await served.call("get_thing", {}, Authorization=f"Bearer {'C' * 43}")).status_code for _ in range(12)
            ]
            assert statuses[:19] == [401] * 19 and set(statuses[19:]) == {429}  # 20 wrong ones, in either form
            assert (await served.call("get_thing", {}, path=f"/mcp/c/{secret}")).status_code == 200
            assert (await served.call("get_thing", {}, Authorization=f"Bearer {secret}")).status_code == 200

    run(guess)


def test_metrics_need_the_server_token_in_every_mode(tmp_path: Path) -> None:
    oauth = {"ACME_OAUTH_ISSUER": "http://127.0.0.1:9", "ACME_RESOURCE_URL": "https://mcp.example.com/mcp"}
    modes = [
        (args(), {}, None),  # loopback for one person
        (args(allowed_hosts="mcp.example.com", store=str(tmp_path / "a.db")), oauth, None),  # OAuth, no token
        (args(), {"MCP_SERVER_TOKEN": TOKEN}, TOKEN),
    ]

    async def scrape() -> None:
        for flags, env, token in modes:
            async with serving(tmp_path, flags, env) as served:
                assert (await served.client.get("/metrics")).status_code == 401
                assert (
                    await served.client.get("/metrics", headers={"Authorization": "Bearer wrong"})
                ).status_code == 401
                if token:
                    answer = await served.client.get("/metrics", headers={"Authorization": f"Bearer {token}"})
                    assert answer.status_code == 200 and "mcp_tool_calls" in answer.text

    run(scrape)


def test_a_hidden_tool_is_an_unknown_tool_before_its_arguments_are_checked(tmp_path: Path) -> None:
    flags = args(allowed_hosts="mcp.example.com", store=str(tmp_path / "team.db"))

    async def probe() -> None:
        async with serving(tmp_path, flags, people=READER) as served:
            path = f"/mcp/c/{served.secrets['alice']}"
            hidden = (await served.call("delete_thing", {}, path=path)).json()["result"]
            missing = (await served.call("no_such_tool", {}, path=path)).json()["result"]
            assert hidden["isError"] and "id" not in hidden["content"][0]["text"]
            assert hidden["content"][0]["text"].replace("delete_thing", "X") == missing["content"][0]["text"].replace(
                "no_such_tool", "X"
            )
            assert served.seen == []

    run(probe)


def test_a_newline_in_a_path_cannot_forge_an_access_log_line(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    flags = args(allowed_hosts="mcp.example.com", store=str(tmp_path / "team.db"))

    async def forge() -> None:
        async with serving(tmp_path, flags, people=READER) as served:
            await served.client.post("/mcp%0aalice%20POST%20/mcp%20200%201ms", headers={"Authorization": "Bearer x"})
            await served.client.post("/mcp/c/x%0aalice%20POST%20/mcp%20200%201ms")

    logger = logging.getLogger("mcpgen.access")
    logger.propagate = True
    try:
        with caplog.at_level(logging.INFO, logger="mcpgen.access"):
            run(forge)
    finally:
        logger.propagate = False
    lines = [r.getMessage() for r in caplog.records if r.name == "mcpgen.access"]
    assert lines and all("\n" not in line for line in lines)


def test_dns_rebinding_and_foreign_origins_are_refused(tmp_path: Path) -> None:
    async def rebind() -> None:
        async with serving(tmp_path, args(), {"MCP_SERVER_TOKEN": TOKEN}) as served:
            auth = {"Authorization": f"Bearer {TOKEN}"}
            evil_host = await served.call("get_thing", {}, Host="evil.example", **auth)
            evil_origin = await served.call("get_thing", {}, Origin="https://evil.example", **auth)
            assert evil_host.status_code in {421, 400}
            assert evil_origin.status_code == 403
            assert served.seen == []

    run(rebind)


def test_the_plan_names_the_bad_flag(tmp_path: Path) -> None:
    with pytest.raises(StartError, match="--token-expires-at"):
        run(lambda: _enter(tmp_path, args(token_expires_at="next tuesday"), {"MCP_SERVER_TOKEN": TOKEN}))
    assert exposure.FORWARDED_ENV == "MCP_FORWARDED_ALLOW_IPS"
    assert exposure.proxies("10.0.0.5, 10.1.0.0/16", None) == "10.0.0.5,10.1.0.0/16"
    assert exposure.proxies(None, None) is None
    with pytest.raises(StartError, match=r"'proxy\.internal' is not an IP address"):
        exposure.proxies(None, "proxy.internal")  # uvicorn would take it and match it against nothing
