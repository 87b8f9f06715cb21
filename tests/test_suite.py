"""The team suite (generated/team_mcp): Gong and Gumloop in one server, driven by a real in-process MCP client
against one loopback upstream per vendor.

Each call must go to its own vendor with its own credential and limits; search, describe and run_code must span
both vendors and say which one a tool belongs to; a vendor without credentials must say what to set while the
other keeps working. The generator's side: ``--suite``, the suite config, and their one-line refusals.
"""

from __future__ import annotations

import base64
import json
import subprocess
import sys
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import anyio
import pytest
from mcp import Client
from mcp.types import CallToolResult

from tests.cli import mcpgen
from tests.code_kit import calls_page, longest
from tests.gong_kit import KEY, LIST_CALLS, SECRET
from tests.upstream import Reply, Upstream

RUN_FLOW = "create_a_gumloop_flow_run"
INPUTS = {"inputs": [{"name": "call_ids", "data_type": "string"}]}
FLOW_ARGS = {"saved_item_id": "flow-1", "additional_properties": {"call_ids": "9001"}}
SINCE = {"fromDateTime": "2024-01-01T00:00:00Z", "toDateTime": "2024-02-01T00:00:00Z"}
GUMLOOP_KEY, GUMLOOP_USER = "gl-key-123", "user-7"
TOOLS = json.loads(Path("generated/team_mcp/src/team_mcp/tools.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def gong() -> Iterator[Upstream]:
    with Upstream() as up:
        up.route("GET", "/v2/calls", calls_page)
        yield up


@pytest.fixture(scope="module")
def gumloop() -> Iterator[Upstream]:
    with Upstream() as up:
        up.route("GET", "/get_inputs", Reply(200, INPUTS))
        up.route("POST", "/start_pipeline", Reply(200, {"run_id": "run-1", "saved_item_id": "flow-1"}))
        yield up


def environment(gong: Upstream, gumloop: Upstream, out: Path, **more: str) -> dict[str, str]:
    """Both vendors' base URLs and credentials (a ``NAME=""`` in ``more`` leaves NAME out), the suite's output."""
    env = {
        "GONG_BASE_URL": gong.url,
        "GONG_ACCESS_KEY": KEY,
        "GONG_ACCESS_KEY_SECRET": SECRET,
        "GUMLOOP_BASE_URL": gumloop.url,
        "GUMLOOP_API_KEY": GUMLOOP_KEY,
        "GUMLOOP_USER_ID": GUMLOOP_USER,
        "TEAM_OUTPUT_DIR": str(out / "team"),
        "GONG_OUTPUT_DIR": str(out / "gong"),
        "GUMLOOP_OUTPUT_DIR": str(out / "gumloop"),
        **more,
    }
    return {name: value for name, value in env.items() if value}


def session(env: dict[str, str], body: Callable[[Client], Awaitable[Any]]) -> Any:
    """Run ``body`` with a client of a fresh suite server built from ``env``."""
    from team_mcp.runtime.settings import Settings
    from team_mcp.server import SUITE, create_server

    async def go() -> Any:
        async with Client(create_server(Settings.from_env(SUITE, env))) as client:
            return await body(client)

    return anyio.run(go)


def calls(env: dict[str, str], *made: tuple[str, dict[str, Any]]) -> list[CallToolResult]:
    """Each ``(tool, arguments)`` called in turn on one server."""

    async def body(client: Client) -> list[CallToolResult]:
        return [await client.call_tool(name, args) for name, args in made]

    found: list[CallToolResult] = session(env, body)
    return found


def listing_command(env: dict[str, str], *argv: str) -> subprocess.CompletedProcess[str]:
    """``team-mcp --list-tools`` (or ``argv``) in a process of its own, with only ``env`` (and PATH)."""
    command = [sys.executable, "-m", "team_mcp", *(argv or ["--list-tools"])]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=60, check=False)


def text(result: CallToolResult) -> str:
    return "\n".join(block.text for block in result.content if block.type == "text")


@pytest.fixture
def env(gong: Upstream, gumloop: Upstream, tmp_path: Path) -> dict[str, str]:
    gong.seen.clear()
    gumloop.seen.clear()
    return environment(gong, gumloop, tmp_path)


def test_full_lists_every_tool_of_both_vendors(env: dict[str, str]) -> None:
    async def body(client: Client) -> set[str]:
        return {tool.name for tool in (await client.list_tools()).tools}

    listed = session(env, body)
    assert listed == set(TOOLS)
    assert LIST_CALLS in listed and RUN_FLOW in listed
    assert len(listed) == 67 + 49  # Gong's and Gumloop's own packages serve 67 and 49


def test_each_call_goes_to_its_vendor_with_its_own_credential(
    env: dict[str, str], gong: Upstream, gumloop: Upstream
) -> None:
    listed, started = calls(env, (LIST_CALLS, SINCE), (RUN_FLOW, FLOW_ARGS))
    assert not listed.is_error and not started.is_error, (text(listed), text(started))
    assert [s.path for s in gong.seen] == ["/v2/calls"]
    assert gong.seen[0].headers["Authorization"] == "Basic " + base64.b64encode(f"{KEY}:{SECRET}".encode()).decode()
    [sent] = [s for s in gumloop.seen if s.path == "/start_pipeline"]
    assert sent.headers["Authorization"] == f"Bearer {GUMLOOP_KEY}"
    assert sent.json() == {
        "user_id": GUMLOOP_USER,
        "saved_item_id": "flow-1",
        "call_ids": "9001",
    }  # user: GUMLOOP_USER_ID
    assert KEY not in json.dumps([dict(s.headers) for s in gumloop.seen])


def test_a_vendor_without_credentials_says_what_to_set_and_the_other_works(
    gong: Upstream, gumloop: Upstream, tmp_path: Path
) -> None:
    env = environment(gong, gumloop, tmp_path, GUMLOOP_API_KEY="", GUMLOOP_USER_ID="")
    gumloop.seen.clear()
    refused, listed = calls(env, (RUN_FLOW, FLOW_ARGS), (LIST_CALLS, SINCE))
    assert refused.is_error and "GUMLOOP_API_KEY" in text(refused)
    assert not gumloop.seen
    assert not listed.is_error, text(listed)


def test_the_command_names_a_vendor_without_credentials_at_start(gong: Upstream, gumloop: Upstream) -> None:
    env = {"PATH": "/usr/bin:/bin", **environment(gong, gumloop, Path("unused"), GONG_ACCESS_KEY="")}
    env.pop("GONG_ACCESS_KEY_SECRET")
    ran = listing_command(env)
    assert ran.returncode == 0, ran.stderr
    [line] = ran.stderr.splitlines()
    assert line.startswith("team-mcp: gong: ") and "GONG_ACCESS_KEY" in line and "gumloop" not in line.split(":")[1]
    assert set(ran.stdout.split()) == set(TOOLS)


def test_each_vendor_keeps_its_own_quota(gong: Upstream, gumloop: Upstream, tmp_path: Path) -> None:
    env = environment(gong, gumloop, tmp_path, GONG_DAILY_QUOTA="1")
    first, second, flow = calls(env, (LIST_CALLS, SINCE), (LIST_CALLS, SINCE), (RUN_FLOW, FLOW_ARGS))
    assert not first.is_error, text(first)
    assert second.is_error and "quota" in text(second).lower()
    assert not flow.is_error, text(flow)  # Gumloop's calls are not Gong's quota


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("GUMLOOP_MAX_RETRIES", "abc"),
        ("GONG_INCLUDE_TOOLS", "list_all_gumloop_flows"),
        ("TEAM_TOOLSET", "all"),
        ("GUMLOOP_UPLOAD_DIR", "/"),  # holds the working directory, where the store lives
    ],
)
def test_a_bad_variable_is_one_line_naming_it(gong: Upstream, gumloop: Upstream, variable: str, value: str) -> None:
    env = {"PATH": "/usr/bin:/bin", **environment(gong, gumloop, Path("unused"), **{variable: value})}
    ran = listing_command(env)
    assert ran.returncode == 2
    [line] = ran.stderr.splitlines()
    assert line.startswith("team-mcp: error: ") and variable in line, line


def test_dynamic_search_spans_both_vendors_and_says_each_ones(env: dict[str, str], gumloop: Upstream) -> None:
    async def body(client: Client) -> tuple[set[str], Any, Any, CallToolResult]:
        listed = {tool.name for tool in (await client.list_tools()).tools}
        gong_found = await client.call_tool("search_tools", {"query": "list calls by date range"})
        flow_found = await client.call_tool("search_tools", {"query": "start flow run"})
        ran = await client.call_tool("call_tool", {"name": RUN_FLOW, "arguments": FLOW_ARGS})
        return listed, gong_found.structured_content, flow_found.structured_content, ran

    listed, gong_found, flow_found, ran = session({**env, "TEAM_TOOLSET": "dynamic"}, body)
    assert listed == {"search_tools", "describe_tool", "call_tool"}
    rows = {row["name"]: row["vendor"] for row in gong_found["tools"] + flow_found["tools"]}
    assert rows[LIST_CALLS] == "gong" and rows[RUN_FLOW] == "gumloop"
    assert all(vendor == ("gong" if "_gong_" in name else "gumloop") for name, vendor in rows.items())
    assert not ran.is_error, text(ran)


def test_code_mode_hands_the_longest_calls_to_a_flow(env: dict[str, str], gumloop: Upstream) -> None:
    code = f"""
calls, cursor = [], None
while True:
    page = await gong.{LIST_CALLS}(fromDateTime='2024-01-01T00:00:00Z', toDateTime='2024-02-01T00:00:00Z',
                                   **({{'cursor': cursor}} if cursor else {{}}))
    calls.extend(page['calls'])
    cursor = page['records'].get('cursor')
    if not cursor:
        break
top = [c['id'] for c in sorted(calls, key=lambda c: c['duration'], reverse=True)[:3]]
run = await gumloop.{RUN_FLOW}(saved_item_id='flow-1', additional_properties={{'call_ids': ','.join(top)}})
{{'top': top, 'run_id': run['run_id']}}
"""

    async def body(client: Client) -> tuple[set[str], Any, CallToolResult]:
        listed = {tool.name for tool in (await client.list_tools()).tools}
        described = await client.call_tool("describe_tool", {"name": RUN_FLOW})
        return listed, described.structured_content, await client.call_tool("run_code", {"code": code})

    listed, described, ran = session({**env, "TEAM_TOOLSET": "code"}, body)
    assert listed == {"search_tools", "describe_tool", "run_code"}
    assert (
        described["python"].startswith(f"async def gumloop.{RUN_FLOW}(")
        or f"gumloop.{RUN_FLOW}(" in described["python"]
    )
    assert not ran.is_error, text(ran)
    answer = json.loads(text(ran).split("\n")[0])
    assert answer == {"top": longest(3), "run_id": "run-1"}
    [sent] = [s for s in gumloop.seen if s.path == "/start_pipeline"]
    assert sent.json()["call_ids"] == ",".join(longest(3))


def test_each_inner_call_keeps_its_vendors_quota(gong: Upstream, gumloop: Upstream, tmp_path: Path) -> None:
    env = environment(gong, gumloop, tmp_path, GONG_DAILY_QUOTA="1", TEAM_TOOLSET="code")
    code = f"""
first = await gong.{LIST_CALLS}(fromDateTime='2024-01-01T00:00:00Z', toDateTime='2024-02-01T00:00:00Z')
try:
    await gong.{LIST_CALLS}(fromDateTime='2024-01-01T00:00:00Z', toDateTime='2024-02-01T00:00:00Z')
    second = 'sent'
except RuntimeError as exc:
    second = str(exc)
run = await gumloop.{RUN_FLOW}(saved_item_id='flow-1', additional_properties={{'call_ids': '9001'}})
{{'first': len(first['calls']), 'second': second, 'run': run['run_id']}}
"""
    gong.seen.clear()
    [ran] = calls(env, ("run_code", {"code": code}))
    assert not ran.is_error, text(ran)
    answer = json.loads(text(ran).split("\n")[0])
    assert answer["first"] == 40 and "quota" in answer["second"].lower() and answer["run"] == "run-1"
    assert len(gong.seen) == 1  # the refused call never left


def test_run_code_names_each_vendors_object(env: dict[str, str]) -> None:
    async def body(client: Client) -> str:
        listed = (await client.list_tools()).tools
        return next(tool.description or "" for tool in listed if tool.name == "run_code")

    described = session({**env, "TEAM_TOOLSET": "code"}, body)
    assert "`await gong.<tool_name>(**arguments)` for Gong" in described
    assert "`await gumloop.<tool_name>(**arguments)` for Gumloop" in described


def test_suite_needs_two_vendor_configs(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    ran = mcpgen(capsys, monkeypatch, "generate", "openapi/gong.toml", "--suite", "team", "--dry-run")
    assert ran.code == 2
    assert "--suite NAME takes two or more vendor configs" in ran.err


def test_a_bad_suite_config_is_one_line_naming_the_key(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    config = tmp_path / "crew.suite.toml"
    config.write_text('[suite]\nname = "crew"\nvendors = ["gong.toml", "gumloop.toml"]\ncolour = "red"\n', "utf-8")
    ran = mcpgen(capsys, monkeypatch, "generate", str(config), "--dry-run")
    assert ran.code == 2
    [line] = ran.lines
    assert line.startswith(f"error: {config.as_posix()}: colour") and "Extra inputs" in line


def test_suite_flag_and_suite_config_write_the_committed_package(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    by_flag = mcpgen(capsys, monkeypatch, "generate", "openapi/gong.toml", "openapi/gumloop.toml", "--suite", "team",
                     "--out", str(tmp_path / "flag"))  # fmt: skip
    by_config = mcpgen(capsys, monkeypatch, "generate", "openapi/team.suite.toml", "--out", str(tmp_path / "config"))
    assert by_flag.code == by_config.code == 0, by_flag.err + by_config.err
    assert [p.name for p in (tmp_path / "flag").iterdir()] == ["team_mcp"]  # the vendors are its parts, not written
    committed = Path("generated/team_mcp")
    for folder in (tmp_path / "flag" / "team_mcp", tmp_path / "config" / "team_mcp"):
        written = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}
        assert written == set(tracked(committed))
        assert all((folder / name).read_bytes() == (committed / name).read_bytes() for name in written)


def tracked(folder: Path) -> list[str]:
    """The files of ``folder`` that git tracks (no build or cache output), relative to it."""
    listed = subprocess.run(["git", "ls-files", "."], cwd=folder, capture_output=True, text=True, check=True)
    return listed.stdout.split()
