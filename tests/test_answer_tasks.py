"""Answers a model can trust (issue 30): tasks with known answers, done in full, dynamic and code by a scripted model
that follows the server's notes literally, against fakes of realistic size; and the cursors the answers hand out,
followed to the end, reach every record once."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import anyio
import pytest
from mcp import Client

from tests.answer_fakes import (
    CALLS,
    december_calls,
    transcript,
    truth_failures,
    truth_hidden_december,
    truth_hosted,
    truth_longest_three,
    truth_top_speaker,
    upstreams,
)
from tests.answer_tasks import LIST_CALLS, MODES, TASKS, TRANSCRIPT, Model, Task, do, follow, server


@pytest.fixture(scope="module")
def url() -> Any:
    with upstreams() as found:
        yield found


def _check(task: Task, answer: Any) -> None:
    if task.steps.__name__ == "longest_three":
        assert answer == truth_longest_three()
    elif task.steps.__name__ == "top_speaker":
        assert answer == truth_top_speaker()
    elif task.steps.__name__ == "hosted":
        assert answer == truth_hosted() and sum(answer.values()) == 350
    else:
        # The vendor returns each flow's ten most recent runs: the right answer names the flow with the most failures
        # seen, and every flow whose count is only a lower bound because older December runs were left out.
        truth, lower, worst = truth_failures(), set(answer["at_least"]), answer["flow"]
        assert truth_hidden_december() <= lower  # every flow whose December the ten runs cut is flagged
        assert answer["failed"] == truth[worst] if worst not in lower else answer["failed"] <= truth[worst]
        assert all(answer["failed"] >= n for name, n in truth.items() if name not in lower)
        assert max(truth, key=lambda name: truth[name]) in lower | {worst}


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("task", TASKS, ids=lambda task: task.steps.__name__)
def test_each_task_reaches_the_known_answer(task: Task, mode: str, url: str, tmp_path: Path) -> None:
    answer, tally = anyio.run(do, task, mode, url, tmp_path)
    _check(task, answer)
    assert tally.total > 0


def test_following_the_cursors_the_answers_hand_out_reaches_every_call_once(url: str, tmp_path: Path) -> None:
    """All 1,000 calls over ten pages of about 34 kB: max_pages=10 stops on a page boundary under the cap, says
    how many pages fit, and hands back the next cursor; counts in each merged answer describe what it holds."""

    async def go() -> list[Any]:
        async with Client(server("gong", "full", url, tmp_path)) as client:
            model = Model(client, "full")
            arguments = {"fromDateTime": "2024-11-01T00:00:00Z", "toDateTime": "2025-02-01T00:00:00Z", "max_pages": 10}
            return await follow(model, LIST_CALLS, arguments)

    replies = anyio.run(go)
    assert len(replies) > 1
    for reply in replies:
        assert reply.data["records"]["currentPageSize"] == len(reply.data["calls"])
        assert len(json.dumps(reply.data, separators=(",", ":")).encode("utf-8")) < 100_000
    assert "Read 3 pages; the next page would pass" in replies[0].notes and "max_pages=3" in replies[0].notes
    ids = [call["id"] for reply in replies for call in reply.data["calls"]]
    assert ids == [call["id"] for call in CALLS]  # each once, in order


def test_select_on_a_two_hour_transcript_answers_a_short_list(url: str, tmp_path: Path) -> None:
    longest = max(december_calls(), key=lambda c: c["duration"])
    expected = [part["speakerId"] for part in transcript(longest)["transcript"]]
    narrow = {"filter": {"callIds": [longest["id"]]}, "select": "callTranscripts[0].transcript[].speakerId"}

    async def go() -> tuple[Any, Any]:
        async with Client(server("gong", "full", url, tmp_path)) as client:
            whole = await client.call_tool(TRANSCRIPT, {"filter": {"callIds": [longest["id"]]}})
            return whole, await client.call_tool(TRANSCRIPT, narrow)

    whole, narrowed = anyio.run(go)
    assert whole.meta["io.mcpgen/truncated"]["size_bytes"] > 200_000  # the whole answer is over the cap
    assert json.loads(narrowed.content[0].text) == expected and len(narrowed.content[0].text) < 20_000


def test_code_mode_offers_no_select(url: str, tmp_path: Path) -> None:
    async def go() -> Any:
        async with Client(server("gong", "code", url, tmp_path)) as client:
            return await client.call_tool("describe_tool", {"name": LIST_CALLS})

    described = anyio.run(go).structured_content
    assert "select" not in described["input_schema"]["properties"] and "select" not in described["python"]
    assert "max_pages" in described["input_schema"]["properties"]


START = """
import sys
import anyio
from mcp import Client
from gong_mcp import server
from gong_mcp.runtime.settings import Settings
from gong_mcp.vendor import VENDOR

async def go():
    async with Client(server.create_server(Settings.from_env(VENDOR, {}))) as client:
        await client.list_tools()
        print("jmespath" in sys.modules)

anyio.run(go)
"""


def test_jmespath_loads_with_the_first_select_not_at_start() -> None:
    done = subprocess.run([sys.executable, "-c", START], capture_output=True, text=True, timeout=60, check=True)
    assert done.stdout.strip() == "False", done.stderr[-2000:]
