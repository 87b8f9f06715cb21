"""Attacks on a served team, as an outsider would make them, in process on the one HTTP stack.

Each finding of issue 22's audit is a test here, and so are the attacks that held.
"""

from __future__ import annotations

import argparse
import logging
from pathlib import Path
from typing import Any
from urllib.parse import quote

import anyio
import httpx2
import pytest

from generator.runtime.failures import StartError
from generator.runtime.serve.http import exposure
from generator.runtime.serve.http.admin import AdminApi
from generator.runtime.team import audit, sealing
from generator.runtime.team.connections import Connection
from generator.runtime.team.store import Store
from generator.runtime.team.vendor_client import Client as OAuthClient
from generator.runtime.team.vendor_client import token_call
from tests.hostile.http_kit import MCP_HEADERS, TOKEN, VENDOR, args, serving
from tests.runtime.vendors import GONG
from tests.test_accounts import gong

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

    paths = ["/mcp%0aalice%20POST%20/mcp%20200%201ms", "/mcp/c/x%0aalice%20POST%20/mcp%20200%201ms"]
    lines = access_lines(tmp_path, flags, paths, caplog)
    assert lines and all("\n" not in line for line in lines)


def access_lines(
    tmp_path: Path, flags: argparse.Namespace, paths: list[str], caplog: pytest.LogCaptureFixture
) -> list[str]:
    """The access log's lines for a POST to each of ``paths`` (with a wrong bearer)."""
    logger = logging.getLogger("mcpgen.access")

    async def forge() -> None:
        async with serving(tmp_path, flags, people=READER) as served:
            logger.propagate = True  # after the stack set its own handler up (which turns propagation off)
            for path in paths:
                await served.client.post(path, headers={"Authorization": "Bearer x"})

    try:
        with caplog.at_level(logging.INFO, logger="mcpgen.access"):
            run(forge)
    finally:
        logger.propagate = False
    return [r.getMessage() for r in caplog.records if r.name == "mcpgen.access"]


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


HIDDEN = "\u0085\u2028\u2029\u009b\u202e\u2066\x1b"  # a line break, separators, a CSI, a bidi override, an isolate


def test_line_separators_and_bidi_overrides_are_escaped_in_the_access_log_and_the_audit(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    flags = args(allowed_hosts="mcp.example.com", store=str(tmp_path / "team.db"))
    lines = access_lines(tmp_path, flags, [quote(f"/mcp{HIDDEN}alice POST /mcp 200 1ms")], caplog)
    assert lines and "\\u2028" in lines[0] and "\\u202e" in lines[0] and "\\x85" in lines[0]
    assert not any(char in line for line in lines for char in HIDDEN)
    store = Store.open(str(tmp_path / "audit.db"))
    audit.record(store, audit.Entry("2026-01-01T00:00:00Z", f"bob{HIDDEN}", "get_thing", "read", "ok", 1, HIDDEN))
    (kept,) = audit.read(store)
    assert not any(char in f"{kept.who}{kept.request_id}" for char in HIDDEN) and kept.who.startswith("bob\\x85")


def test_json_nested_past_the_bound_is_a_400_not_a_traceback(tmp_path: Path) -> None:
    deep = b"[" * 30_000
    store = Store.open(str(tmp_path / "team.db"))
    admin = AdminApi(store, "admin-token-0123456789abcdef", VENDOR, {}, {}, "")

    async def nest() -> None:
        async with httpx2.AsyncClient(transport=httpx2.ASGITransport(app=admin), base_url="http://t") as http:
            auth = {"authorization": "Bearer admin-token-0123456789abcdef"}
            for body in (deep, b"[" * 101 + b"]" * 101):
                answer = await http.post("/admin/connections", content=body, headers=auth)
                assert answer.status_code == 400, answer.text
                assert answer.json()["error_description"] == "the JSON nests deeper than 100 levels"
        async with serving(tmp_path, args(), {"MCP_SERVER_TOKEN": TOKEN}) as served:
            mcp = await served.client.post(
                "/mcp", content=deep, headers={**MCP_HEADERS, "Authorization": f"Bearer {TOKEN}"}
            )
            assert mcp.status_code == 400 and served.seen == []

    run(nest)


BAD_URLS = ("http://evil.example:1/x", "file:///etc/passwd", "https://user:pw@api.example", "gopher://127.0.0.1:1")


def test_every_way_to_set_an_account_base_url_applies_the_one_rule(tmp_path: Path) -> None:
    store = Store.open(str(tmp_path / "team.db"))
    env = {"ACME_STORE_KEY": sealing.generate()}
    token = "admin-token-0123456789abcdef"
    admin = AdminApi(store, token, VENDOR, {}, env, "")

    async def by_admin(url: str) -> httpx2.Response:
        body = {"name": f"n{abs(hash(url)) % 10_000}", "credential": {"ACME_TOKEN": "t"}, "base_url": url}
        async with httpx2.AsyncClient(transport=httpx2.ASGITransport(app=admin), base_url="http://t") as http:
            return await http.post("/admin/accounts", json=body, headers={"authorization": f"Bearer {token}"})

    for url in BAD_URLS:
        refused = anyio.run(by_admin, url)
        assert refused.status_code == 400 and "base_url" in refused.json()["error_description"], url
    for url in ("https://us-1.api.example.com", "http://127.0.0.1:8080/v2"):
        assert anyio.run(by_admin, url).status_code == 201, url
    # the vendor's OAuth answer: a URL the rule refuses is dropped (the server's base URL is used), not stored
    for url, kept in (
        ("http://evil.example:1/x", None),
        ("https://us-1.api.example.com/", "https://us-1.api.example.com"),
    ):
        answer = {"access_token": "a", "api_base_url_for_customer": url}
        transport = httpx2.MockTransport(lambda request, answer=answer: httpx2.Response(200, json=answer))
        client = OAuthClient(GONG, "https://app.test/a", "https://app.test/t", "id", "secret")
        assert anyio.run(token_call, client, {"code": "c"}, transport).base_url == kept
    # the command line
    db = str(tmp_path / "cli.db")
    key = gong(db, "keys", "generate").stdout.strip()
    cli = gong(db, "accounts", "add", "acme", "--base-url", "file:///etc/passwd", GONG_STORE_KEY=key)
    assert cli.returncode != 0 and cli.stderr.count("\n") == 1 and "base_url 'file:///etc/passwd'" in cli.stderr


def test_a_save_the_output_folder_refuses_is_a_tool_error_with_its_reason_and_an_audit_row(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("", encoding="utf-8")
    env = {"MCP_SERVER_TOKEN": TOKEN, "ACME_MAX_RESPONSE_BYTES": "50", "ACME_OUTPUT_DIR": str(blocker / "out")}
    store = str(tmp_path / "team.db")

    async def save() -> dict[str, Any]:
        async with serving(tmp_path, args(store=store), env) as served:
            answer = await served.call("get_thing", {}, Authorization=f"Bearer {TOKEN}")
            assert answer.status_code == 200 and len(served.seen) == 1
            result: dict[str, Any] = answer.json()["result"]
            return result

    result = anyio.run(save)
    reason = result["content"][0]["text"].split("\n")[0]
    assert result["isError"] and reason.endswith("failed: Not a directory; nothing was kept"), reason
    (row,) = audit.read(Store.open(store))
    assert (row.tool, row.outcome) == ("get_thing", "tool_error")
    assert list(tmp_path.glob("**/.download-*")) == []
