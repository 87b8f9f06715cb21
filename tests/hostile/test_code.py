"""Hostile code in ``run_code``: each escape or bomb ends as a clear tool error, and the server keeps serving.

A real Gong server in the code toolset, a real in-process MCP client, a loopback upstream; the code runs in
pydantic-monty's worker subprocesses with the server's limits (set low here so the tests stay quick).
"""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from mcp import Client
from mcp.types import CallToolResult

from tests.code_kit import calls_page, code_settings, run, session, text, value
from tests.gong_kit import LIST_CALLS
from tests.upstream import Reply, Seen, Upstream

SINCE = "fromDateTime='2024-01-01T00:00:00Z', toDateTime='2024-02-01T00:00:00Z'"


@pytest.fixture(scope="module")
def upstream() -> Iterator[Upstream]:
    with Upstream() as up:
        up.route("GET", "/v2/calls", calls_page)
        yield up


@pytest.fixture
def settings(upstream: Upstream, tmp_path: Path) -> Any:
    upstream.seen.clear()
    return code_settings(upstream.url, tmp_path / "out", GONG_CODE_TIMEOUT="2", GONG_CODE_MAX_MEMORY="20000000")


def refused(result: CallToolResult, *words: str) -> str:
    """The error text of a refused run, checked to hold each of ``words``."""
    shown = text(result)
    assert result.is_error, shown
    for word in words:
        assert word in shown, shown
    return shown


def two_runs(settings: Any, hostile: str) -> tuple[CallToolResult, CallToolResult, float]:
    """The hostile run, then a plain one on the same server and session, and how long the hostile one took."""

    async def body(client: Client) -> tuple[CallToolResult, CallToolResult, float]:
        started = time.monotonic()
        first = await client.call_tool("run_code", {"code": hostile})
        took = time.monotonic() - started
        return first, await client.call_tool("run_code", {"code": "sum([1, 2, 3])"}), took

    result: tuple[CallToolResult, CallToolResult, float] = session(settings, body)
    assert value(result[1]) == {"result": 6}, "the server must keep serving after a hostile run"
    return result


@pytest.mark.parametrize(
    ("code", "words"),
    [
        ("open('/etc/passwd').read()", ("PermissionError",)),
        ("open('/tmp/x', 'w').write('x')", ("PermissionError",)),
        ("import pathlib\npathlib.Path('/etc/passwd').read_text()", ("'pathlib' is not allowed",)),
        ("import os\nos.listdir('/')", ("'os' is not allowed",)),
        ("import sys\nsys.exit(0)", ("'sys' is not allowed",)),
        ("import subprocess", ("'subprocess' is not allowed",)),
        ("from os import path", ("'os' is not allowed",)),
        ("import json, socket", ("'socket' is not allowed",)),
        ("def f():\n    import os\n    return os\nf()", ("'os' is not allowed",)),
    ],
)
def test_files_os_and_network_are_refused(settings: Any, code: str, words: tuple[str, ...]) -> None:
    refused(run(settings, code), *words)


@pytest.mark.parametrize(
    ("code", "words"),
    [
        ("__import__('os').system('id')", ("__import__() is not allowed",)),
        ("__builtins__", ("NameError",)),
        ("(1).__class__.__subclasses__()", ("AttributeError",)),
        ("type(gong).__mro__", ("AttributeError",)),
        ("gong.__dict__", ("AttributeError",)),
        ("gong.call", ("AttributeError",)),  # the host object's own attributes do not cross
        ("await gong.call('x', {})", ("no tool 'call'",)),
        ("await gong.names()", ("no tool 'names'",)),
        ("getattr(gong, 'vendor')", ("AttributeError",)),
        ("eval('1 + 1')", ("eval() is not allowed",)),
        ("exec('import os')", ("exec() is not allowed",)),
        ("f = exec\nf('import os')", ("exec() is not allowed",)),
        ("globals()['gong']", ("NameError",)),
        (f"await gong.{LIST_CALLS}('positional')", ("keyword arguments only",)),
    ],
)
def test_import_and_introspection_escapes_fail(settings: Any, code: str, words: tuple[str, ...]) -> None:
    refused(run(settings, code), *words)


def test_an_endless_loop_is_stopped_at_the_wall_time(settings: Any) -> None:
    first, _, took = two_runs(settings, "while True:\n    pass")
    shown = refused(first, "wall time", "GONG_CODE_TIMEOUT")
    assert first.structured_content and first.structured_content["limit"] == "code_timeout", shown
    assert took < 6


def test_code_that_catches_the_time_limit_and_goes_on_is_still_stopped(settings: Any) -> None:
    code = "n = 0\nwhile True:\n    try:\n        while True:\n            n += 1\n"
    code += "    except BaseException:\n        n = 0"
    first, _, took = two_runs(settings, code)
    refused(first, "wall time")
    assert first.structured_content and first.structured_content["limit"] == "code_timeout" and took < 6


def test_a_loop_waiting_on_slow_tool_calls_is_stopped_at_the_wall_time(upstream: Upstream, settings: Any) -> None:
    upstream.route("GET", "/v2/users", Reply(body={"users": []}, delay=0.4))
    code = "while True:\n    await gong.list_all_gong_users()"
    first, _, took = two_runs(settings, code)
    refused(first, "wall time")
    assert took < 6 and len([s for s in upstream.seen if s.path == "/v2/users"]) <= 6


@pytest.mark.parametrize(
    "code",
    [
        "x = 'a' * 10**10",
        "x = []\nwhile True:\n    x.append([0] * 100000)",
        "x = []\ntry:\n    while True:\n        x.append('a' * 1000000)\n"
        "except MemoryError:\n    x = []\n    y = 'b' * 10**9",
        "d = {}\nfor i in range(10**8):\n    d[i] = str(i) * 10",
    ],
)
def test_memory_bombs_end_in_a_memory_error(settings: Any, code: str) -> None:
    first, _, _took = two_runs(settings, code)
    refused(first, "MemoryError")


def test_recursion_bombs_end_in_a_recursion_error(settings: Any) -> None:
    first, _, _ = two_runs(settings, "def f(n):\n    return f(n + 1)\nf(0)")
    refused(first, "RecursionError")


def test_a_deeply_nested_answer_is_refused_not_crashing_the_server(settings: Any) -> None:
    first, _, _ = two_runs(settings, "x = []\nfor i in range(200000):\n    x = [x]\nx")
    assert first.is_error, text(first)


def test_ten_thousand_inner_calls_stop_at_the_limit_even_when_the_code_catches(
    upstream: Upstream, settings: Any
) -> None:
    settings = replace(settings, code_timeout=30.0)  # fifty real calls on a shared machine take a while
    code = f"n = 0\nfor i in range(10000):\n    try:\n        await gong.{LIST_CALLS}({SINCE})\n        n += 1\n"
    code += "    except RuntimeError:\n        pass\nn"
    first, _, took = two_runs(settings, code)
    refused(first, "more than 50 tool calls", "GONG_CODE_MAX_CALLS", f"and 40 more reads: {LIST_CALLS}: ok x40")
    assert len([s for s in upstream.seen if s.path == "/v2/calls"]) == 50
    assert first.structured_content and len(first.structured_content["tool_calls"]) == 10  # the first ten, listed
    assert first.structured_content["more_reads"] == {f"{LIST_CALLS}: ok": 40}
    assert took < 30


def test_a_huge_answer_is_saved_to_a_file_and_a_huge_print_is_clipped(settings: Any) -> None:
    result = run(settings, "'x' * 3_000_000")
    assert not result.is_error and result.structured_content
    assert result.structured_content["truncated"] is True and result.structured_content["size_bytes"] > 3_000_000
    saved = Path(result.structured_content["full_body_path"])
    assert saved.is_file() and saved.stat().st_size > 3_000_000
    printed = run(settings, "for i in range(2000):\n    print('y' * 1000)\n1")
    assert not printed.is_error and len(text(printed)) < 200_000 and "printed output truncated" in text(printed)
    flood, _, took = two_runs(settings, "while True:\n    print('z' * 100000)")
    assert flood.is_error and took < 6, text(flood)  # the collector refuses more; the wall time ends the run


def _kill_workers(_seen: Seen) -> Reply:
    """An upstream answer that first kills this process's sandbox workers (as a crash would)."""
    for pid in _children(os.getpid()):
        if _name(pid) == "monty":
            os.kill(pid, signal.SIGKILL)
    return Reply(body={"users": []})


def _children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        children = (task / "children").read_text(encoding="utf-8").split()
        found += [int(child) for child in children]
    return found


def _name(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/comm").read_text(encoding="utf-8").strip()
    except OSError:
        return ""


def test_a_crashed_worker_is_replaced_and_the_server_keeps_serving(upstream: Upstream, settings: Any) -> None:
    upstream.route("GET", "/v2/users", _kill_workers)
    first, _, _ = two_runs(settings, "await gong.list_all_gong_users()\n'never'")
    refused(first, "sandbox stopped")


def test_large_answers_do_not_stay_in_the_server_s_memory(tmp_path: Path) -> None:
    """A real server process (stdio): its RSS after four answers of 30 MB is what it was before them."""
    import sys

    import anyio
    from mcp import ClientSession, StdioServerParameters
    from mcp.client.stdio import stdio_client

    env = {**os.environ, "GONG_BASE_URL": "http://127.0.0.1:9", "GONG_ACCESS_KEY": "k", "GONG_ACCESS_KEY_SECRET": "s"}
    env |= {"GONG_TOOLSET": "code", "GONG_OUTPUT_DIR": str(tmp_path)}
    params = StdioServerParameters(command=sys.executable, args=["-m", "gong_mcp"], env=env)

    async def go() -> tuple[int, int, list[int]]:
        with anyio.fail_after(120):
            async with stdio_client(params) as (read, write), ClientSession(read, write) as client:
                await client.initialize()
                await client.call_tool("run_code", {"code": "1 + 1"})  # the sandbox library loaded
                [server] = [pid for pid in _children(os.getpid()) if b"gong_mcp" in _cmdline(pid)]
                before, sizes = _rss(server), []
                for n in range(4):
                    result = await client.call_tool("run_code", {"code": f"'{n}' * 30_000_000"})
                    sizes.append((result.structured_content or {}).get("size_bytes", 0))
                return before, _rss(server), sizes

    before, after, sizes = anyio.run(go)
    assert all(size > 30_000_000 for size in sizes), sizes  # each answer was saved whole
    assert after - before < 20_000_000, (before, after)  # before the fix: 79 MB, then 309 MB


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def _rss(pid: int) -> int:
    """A process's resident memory in bytes."""
    status = Path(f"/proc/{pid}/status").read_text(encoding="utf-8")
    return next(int(line.split()[1]) * 1024 for line in status.splitlines() if line.startswith("VmRSS:"))
