"""The code toolset: search, describe and run_code, driven by a real in-process client against a loopback upstream.

Every call the code makes is a real tool call: the caller's filters and scopes, the daily quota, the audit row
(marked as from code) apply as they do to a direct call.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import anyio
import pytest
from mcp import Client
from mcp.types import CallToolResult

from tests.code_kit import calls_page, code_settings, flat_rows, longest, run, session, text, value
from tests.gong_kit import LIST_CALLS
from tests.upstream import Reply, Seen, Upstream

SINCE = "fromDateTime='2024-01-01T00:00:00Z', toDateTime='2024-02-01T00:00:00Z'"
EVERY_PAGE = f"""
calls, cursor = [], None
while True:
    page = await gong.{LIST_CALLS}({SINCE}, **({{'cursor': cursor}} if cursor else {{}}))
    calls.extend(page['calls'])
    cursor = page['records'].get('cursor')
    if not cursor:
        break
print(len(calls), 'calls')
[c['id'] for c in sorted(calls, key=lambda c: c['duration'], reverse=True)[:3]]
"""


@pytest.fixture(scope="module")
def upstream() -> Iterator[Upstream]:
    with Upstream() as up:
        up.route("GET", "/v2/calls", calls_page)
        yield up


@pytest.fixture
def settings(upstream: Upstream, tmp_path: Path) -> Any:
    upstream.seen.clear()
    return code_settings(upstream.url, tmp_path / "out")


def test_the_code_listing_is_search_describe_and_run_code(settings: Any) -> None:
    async def body(client: Client) -> Any:
        return await client.list_tools()

    listed = session(settings, body)
    assert [t.name for t in listed.tools] == ["search_tools", "describe_tool", "run_code"]
    run_code = listed.tools[2]
    assert run_code.input_schema["required"] == ["code"] and "await gong.<tool_name>" in (run_code.description or "")
    assert len(listed.model_dump_json(by_alias=True, exclude_none=True)) < 3000


def test_search_then_describe_gives_a_python_signature_and_the_answer_shape(settings: Any) -> None:
    async def body(client: Client) -> tuple[Any, Any]:
        found = await client.call_tool("search_tools", {"query": "list calls"})
        return found, await client.call_tool("describe_tool", {"name": LIST_CALLS})

    found, described = session(settings, body)
    assert value(found)["tools"][0]["name"] == LIST_CALLS and "run_code" in value(found)["next"]
    data = value(described)
    assert data["python"].startswith(f"gong.{LIST_CALLS}(*, fromDateTime: str, toDateTime: str, ")
    assert data["python"].endswith(") -> dict") and "cursor: str | None = None" in data["python"]
    rows = flat_rows(data["returns"])
    assert rows["calls[].duration"].startswith("int") and rows["records.cursor"].startswith("str")


def test_a_multi_page_task_returns_only_the_answer(upstream: Upstream, settings: Any) -> None:
    result = run(settings, EVERY_PAGE)
    assert value(result) == {"result": longest(3)} == result.structured_content
    assert [block.text for block in result.content[1:]] == ["printed (not part of the answer):\n120 calls\n"]  # type: ignore[union-attr]
    assert result.meta and result.meta["io.mcpgen/code"] == {"tool_calls": 3}
    assert [dict(s.query).get("cursor") for s in upstream.seen] == [None, "1", "2"]
    assert len(text(result)) < 200  # three pages of calls passed through the code, not the context


def test_a_tool_error_is_an_exception_the_code_can_catch(upstream: Upstream, settings: Any) -> None:
    upstream.route("GET", "/v2/users", Reply(404, {"errors": ["no such user"]}))
    code = "try:\n    await gong.list_all_gong_users()\n    r = 'no error'\n"
    code += "except RuntimeError as e:\n    r = str(e)\nr"
    caught = value(run(settings, code))["result"]
    assert caught.startswith("list_all_gong_users:") and "404" in caught
    uncaught = run(settings, "await gong.list_all_gong_users()")
    assert uncaught.is_error and "RuntimeError" in text(uncaught) and "404" in text(uncaught)


def test_bad_arguments_are_refused_like_a_direct_call(settings: Any) -> None:
    result = run(settings, f"await gong.{LIST_CALLS}()")
    assert result.is_error and "fromDateTime" in text(result) and "RuntimeError" in text(result)


def test_the_allowed_imports_work(settings: Any) -> None:
    code = (
        "import json, re, datetime, math, statistics, itertools, collections\n"
        "d = datetime.datetime.fromisoformat('2024-01-05T10:00:00+00:00')\n"
        "{'mean': statistics.mean([1, 2, 3, 4]), 'median': statistics.median([3, 1, 2]), 'day': d.date().isoformat(),"
        " 'count': collections.Counter('abca')['a'], 'pairs': list(itertools.combinations([1, 2, 3], 2))[:1],"
        " 'sqrt': math.sqrt(16), 'words': re.findall('[a-z]+', 'a1bc'), 'text': json.dumps({'k': 1})}"
    )
    assert value(run(settings, code)) == {
        "mean": 2.5, "median": 2, "day": "2024-01-05", "count": 2, "pairs": [[1, 2]], "sqrt": 4.0,
        "words": ["a", "bc"], "text": '{"k": 1}',
    }  # fmt: skip


def test_the_daily_quota_applies_to_calls_from_code(upstream: Upstream, tmp_path: Path) -> None:
    upstream.seen.clear()
    settings = code_settings(upstream.url, tmp_path, GONG_DAILY_QUOTA="2")
    code = f"done = []\nfor i in range(3):\n    try:\n        await gong.{LIST_CALLS}({SINCE})\n"
    code += "        done.append('ok')\n    except RuntimeError as e:\n        done.append(str(e))\ndone"
    done = value(run(settings, code))["result"]
    assert done[:2] == ["ok", "ok"] and "daily quota of 2" in done[2]
    assert len(upstream.seen) == 2


def test_filters_hide_tools_from_code_as_from_the_listing(upstream: Upstream, tmp_path: Path) -> None:
    upstream.seen.clear()
    settings = code_settings(upstream.url, tmp_path, GONG_METHODS="write")
    result = run(settings, f"await gong.{LIST_CALLS}({SINCE})")
    assert result.is_error and f"no tool {LIST_CALLS!r}" in text(result) and not upstream.seen


def test_a_read_only_connection_cannot_reach_a_write_tool_from_code_and_calls_are_audited(
    upstream: Upstream, tmp_path: Path
) -> None:
    from gong_mcp.runtime.team import audit
    from gong_mcp.runtime.team.caller import CALLER, Caller
    from gong_mcp.runtime.team.connections import Connection
    from gong_mcp.runtime.team.service import Team
    from gong_mcp.runtime.team.store import Store

    upstream.seen.clear()
    store = Store.open(str(tmp_path / "team.db"))
    settings = code_settings(upstream.url, tmp_path / "out")
    write = "update_a_gong_calls_users_access"
    code = f"r = await gong.{LIST_CALLS}({SINCE})\ntry:\n    await gong.{write}(body={{}})\n    w = 'reached'\n"
    code += "except AttributeError as e:\n    w = str(e)\n[len(r['calls']), w]"

    def prepare(server: Any) -> None:
        server.join(Team(store, 90.0, "gong"))

    async def body(client: Client) -> Any:
        return await client.call_tool("run_code", {"code": code})

    mark = CALLER.set(Caller("reader", connection=Connection("reader", methods=frozenset({"read"}))))
    try:
        result = session(settings, body, prepare)
    finally:
        CALLER.reset(mark)
    count, refusal = value(result)["result"]
    assert count == 40 and f"no tool {write!r}" in refusal
    assert [s.method for s in upstream.seen] == ["GET"]
    rows = [e.as_dict() for e in audit.read(store)]
    assert [(r["who"], r["tool"], r["outcome"], r["via"]) for r in rows] == [("reader", LIST_CALLS, "ok", "code")]


def test_full_and_dynamic_listings_are_unchanged(upstream: Upstream, tmp_path: Path) -> None:
    async def body(client: Client) -> Any:
        return await client.list_tools()

    full = session(code_settings(upstream.url, tmp_path, GONG_TOOLSET="full"), body)
    dynamic = session(code_settings(upstream.url, tmp_path, GONG_TOOLSET="dynamic"), body)
    assert len(full.tools) == 67 and "run_code" not in {t.name for t in full.tools}
    assert [t.name for t in dynamic.tools] == ["search_tools", "describe_tool", "call_tool"]


def test_the_sandbox_library_loads_only_when_code_runs(upstream: Upstream) -> None:
    probe = (
        "import json, sys, anyio\n"
        "from mcp import Client\n"
        "from gong_mcp.runtime.settings import Settings\n"
        "from gong_mcp.server import create_server\n"
        "from gong_mcp.vendor import VENDOR\n"
        "env = {'GONG_BASE_URL': sys.argv[1], 'GONG_ACCESS_KEY': 'k', 'GONG_ACCESS_KEY_SECRET': 's', "
        "'GONG_TOOLSET': sys.argv[2]}\n"
        "async def go():\n"
        "    async with Client(create_server(Settings.from_env(VENDOR, env))) as client:\n"
        "        await client.list_tools()\n"
        "        seen = ['pydantic_monty' in sys.modules]\n"
        "        if sys.argv[2] == 'code':\n"
        "            await client.call_tool('run_code', {'code': '1 + 1'})\n"
        "            seen.append('pydantic_monty' in sys.modules)\n"
        "        return seen\n"
        "print(json.dumps(anyio.run(go)))\n"
    )
    for toolset, expected in (("full", [False]), ("dynamic", [False]), ("code", [False, True])):
        done = subprocess.run(
            [sys.executable, "-c", probe, upstream.url, toolset], capture_output=True, text=True, timeout=60, check=True
        )
        assert json.loads(done.stdout) == expected, (toolset, done.stderr)


def test_the_last_expression_is_the_answer_inside_blocks(settings: Any) -> None:
    inside_try = (
        f"try:\n    r = await gong.{LIST_CALLS}({SINCE})\n    len(r['calls'])\nexcept RuntimeError as e:\n    str(e)"
    )
    assert value(run(settings, inside_try)) == {"result": 40}
    assert value(run(settings, "total = 0\nfor i in range(4):\n    total += i\n    total * 10")) == {"result": 60}
    assert value(run(settings, "x = 3\nif x > 2:\n    'big'\nelse:\n    'small'")) == {"result": "big"}
    assert value(run(settings, "if False:\n    'never'")) == {"result": None}  # no tail ran: nothing answered
    failed = run(settings, "x = 1\nif x:\n    y = x / 0\n    'never'")
    assert failed.is_error and "line 3" in text(failed) and "ZeroDivisionError" in text(failed)  # lines unchanged
    assert "_run_code_answer" not in text(run(settings, "for i in range(2):\n    i / 0"))


def test_a_tool_named_without_a_call_is_refused_with_how_to_call_it(upstream: Upstream, settings: Any) -> None:
    result = run(settings, "f = gong.list_all_gong_users\nf")
    assert result.is_error and not upstream.seen
    assert "line 1: gong.list_all_gong_users is a tool: call it, `await gong.list_all_gong_users(...)`" in text(result)


def test_a_run_that_ends_cancels_its_inner_calls_so_nothing_is_sent_after_its_answer(
    upstream: Upstream, tmp_path: Path
) -> None:
    # A slow 503 asking for a retry in 3 s: left alone, the call would send again after the run's 2.5 s answer.
    upstream.route("GET", "/v2/users", Reply(503, {"busy": True}, headers={"Retry-After": "3"}, delay=0.3))
    settings = code_settings(upstream.url, tmp_path, GONG_CODE_TIMEOUT="2.5")
    upstream.seen.clear()

    async def body(client: Client) -> tuple[Any, float]:
        result = await client.call_tool("run_code", {"code": "await gong.list_all_gong_users()"})
        answered = time.monotonic()
        await anyio.sleep(4.0)  # the server still runs: a retry left behind would arrive now (twice)
        return result, answered

    result, answered = session(settings, body)
    users = [s for s in upstream.seen if s.path == "/v2/users"]
    assert users and all(s.at < answered for s in users), [s.at - answered for s in users]
    assert result.is_error and result.structured_content and result.structured_content["limit"] == "code_timeout"
    assert result.structured_content["tool_calls"] == [
        {"tool": "list_all_gong_users", "write": False, "outcome": "cancelled in flight"}
    ]
    assert "- list_all_gong_users: cancelled in flight" in text(result)


def test_a_timed_out_run_says_how_long_it_waited_for_the_rate_limit(upstream: Upstream, tmp_path: Path) -> None:
    settings = code_settings(upstream.url, tmp_path, GONG_CODE_TIMEOUT="3", GONG_MAX_RPS="1")
    upstream.seen.clear()
    result = run(settings, f"for i in range(10):\n    await gong.{LIST_CALLS}({SINCE})")
    assert result.is_error and result.structured_content, text(result)
    waited = re.search(r"it waited (\d+) s for the 1/s limit \(GONG_MAX_RPS\)", text(result))
    assert waited and 1 <= int(waited[1]) <= 3, text(result)
    sent, listed = len(upstream.seen), result.structured_content["tool_calls"]
    assert sent >= 2 and len(listed) == sent + 1, listed  # the last call was still waiting for its slot
    assert listed[-1]["outcome"] == "cancelled in flight"


FLOW_START, FLOW_STATUS = "create_a_gumloop_flow_run", "list_all_gumloop_get_pl_runs"


def gumloop_run(tmp_path: Path, code: str) -> tuple[CallToolResult, list[Seen]]:
    """One ``run_code`` on a Gumloop server in the code toolset (4 s a run) whose flow runs never end; what the
    vendor saw."""
    from gumloop_mcp.runtime.settings import Settings as GumloopSettings
    from gumloop_mcp.server import create_server
    from gumloop_mcp.vendor import VENDOR as GUMLOOP

    env = {"GUMLOOP_API_KEY": "key", "GUMLOOP_USER_ID": "u1", "GUMLOOP_TOOLSET": "code", "GUMLOOP_MAX_RPS": "0"}
    env |= {"GUMLOOP_CODE_TIMEOUT": "4", "GUMLOOP_JOB_POLL_INTERVAL": "0.2"}
    with Upstream() as up:
        up.route("GET", "/get_inputs", Reply(200, {"inputs": []}))
        up.route("POST", "/start_pipeline", Reply(200, {"run_id": "run-1", "state": "RUNNING"}))
        up.route("GET", "/get_pl_run", Reply(200, {"run_id": "run-1", "state": "RUNNING"}))
        settings = replace(GumloopSettings.from_env(GUMLOOP, {"GUMLOOP_BASE_URL": up.url, **env}), output_dir=tmp_path)

        async def go() -> CallToolResult:
            async with Client(create_server(settings)) as client:
                return await client.call_tool("run_code", {"code": code})

        return anyio.run(go), list(up.seen)


def test_a_flow_run_started_by_a_run_that_times_out_is_listed_with_its_id_and_how_to_check(tmp_path: Path) -> None:
    code = f"r = await gumloop.{FLOW_START}(saved_item_id='flow-1', wait=True)\nprint(r['state'])\n"
    code += "while True:\n    pass"
    result, seen = gumloop_run(tmp_path, code)
    assert len([s for s in seen if s.path == "/start_pipeline"]) == 1
    assert result.is_error and result.structured_content["limit"] == "code_timeout", text(result)
    assert result.structured_content["printed"] == "RUNNING\n"  # the wait gave up in time, the code went on
    [call] = result.structured_content["tool_calls"]
    assert (call["tool"], call["write"], call["outcome"]) == (FLOW_START, True, "ok")
    assert call["job"] == {
        "id": "run-1", "state": "RUNNING", "finished": False,
        "check_with": {"tool": FLOW_STATUS, "args": {"run_id": "run-1"}},
    }  # fmt: skip
    cut = re.search(r"its wait was cut from 45 s to ([\d.]+) s, the run's time left", call["note"])
    assert cut and 0.0 <= float(cut[1]) <= 3.0, call["note"]  # 4 s a run, less what passed, less the 1 s margin
    shown = text(result)
    assert f'job run-1 is RUNNING, check on it with {FLOW_STATUS} {{"run_id": "run-1"}}' in shown
    assert "do not repeat a write" in shown
    check = call["job"]["check_with"]  # the hint followed: the run is found by the call it names
    followed, seen = gumloop_run(tmp_path, f"(await gumloop.{check['tool']}(**{check['args']!r}))['state']")
    assert value(followed) == {"result": "RUNNING"}
    assert [(s.path, ("run_id", "run-1") in s.query) for s in seen] == [("/get_pl_run", True)]


def test_a_run_that_answers_still_says_what_it_started_and_that_its_wait_was_cut(tmp_path: Path) -> None:
    code = f"r = await gumloop.{FLOW_START}(saved_item_id='flow-1', wait=True, timeout_s=60)\nr['state']"
    result, _seen = gumloop_run(tmp_path, code)
    assert value(result) == {"result": "RUNNING"}
    said = result.content[1].text  # type: ignore[union-attr]
    assert said.startswith("Tool calls the code made") and "its wait was cut from 60 s to" in said
    assert f'job run-1 is RUNNING, check on it with {FLOW_STATUS} {{"run_id": "run-1"}}' in said


def test_sandbox_processes_are_capped_and_a_queued_run_says_it_waited(upstream: Upstream, tmp_path: Path) -> None:
    settings = code_settings(upstream.url, tmp_path, GONG_CODE_WORKERS="1", GONG_CODE_TIMEOUT="3")
    most = 0

    async def watch() -> None:
        nonlocal most
        while True:
            most = max(most, len(monty_workers()))
            await anyio.sleep(0.02)

    async def body(client: Client) -> tuple[Any, Any, Any]:
        async with anyio.create_task_group() as group:
            group.start_soon(watch)
            slow = f"n = 0\nfor i in range(3):\n    n += len((await gong.{LIST_CALLS}({SINCE}))['calls'])\n    n"
            runs = [
                ran(client, code, after) for code, after in ((slow, 0), ("1 + 1", 0), ("while True:\n    pass", 0.3))
            ]
            done = await gather(*runs)
            group.cancel_scope.cancel()
        return done

    upstream.route("GET", "/v2/calls", lambda seen: replace(calls_page(seen), delay=0.3))
    try:
        first, second, third = session(settings, body)
    finally:
        upstream.route("GET", "/v2/calls", calls_page)
    assert most == 1
    assert value(first) == {"result": 120} and value(second) == {"result": 2}
    queued = [(r.meta or {}).get("io.mcpgen/code", {}).get("queued_s", 0) for r in (first, second)]
    assert max(queued) >= 0.5, queued  # one of them waited for the other's worker, and says so
    assert third.is_error and "for a sandbox worker (GONG_CODE_WORKERS)" in text(third), text(third)


async def ran(client: Client, code: str, after: float) -> CallToolResult:
    """``run_code`` called ``after`` seconds from now."""
    await anyio.sleep(after)
    return await client.call_tool("run_code", {"code": code})


async def gather(*calls: Any) -> list[Any]:
    """Await ``calls`` at once, their results in order."""
    done: list[Any] = [None] * len(calls)

    async def one(index: int, call: Any) -> None:
        done[index] = await call

    async with anyio.create_task_group() as group:
        for index, call in enumerate(calls):
            group.start_soon(one, index, call)
    return done


def monty_workers() -> list[int]:
    """The sandbox worker processes this process runs now (a thread that ends while being read has none)."""
    children = [int(pid) for task in Path("/proc/self/task").iterdir() for pid in _children(task).split()]
    return [pid for pid in children if _comm(pid) == "monty"]


def _children(task: Path) -> str:
    try:
        return (task / "children").read_text()
    except OSError:
        return ""


def _comm(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/comm").read_text(encoding="utf-8").strip()
    except OSError:
        return ""
