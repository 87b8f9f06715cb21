"""P7: what a task costs in context. Each task of a fixed suite is done three ways by a scripted agent against a
loopback upstream, and every byte that passes through the model's context is counted.

- ``full``: the whole tool list, then each call's arguments and its answer, one by one;
- ``dynamic``: the three meta-tools' list, ``search_tools`` and ``describe_tool`` for each tool used, then each
  call through ``call_tool`` (arguments and answer);
- ``code``: the code toolset's list, ``search_tools`` and ``describe_tool`` (signature and answer shape) for each
  tool used, then one ``run_code`` (the code, and its answer).

A listing counts as its ``tools/list`` JSON; a call as its name and arguments in JSON plus the text blocks of its
answer (the structured copy is not counted twice). The three ways must find the same answer. ``python -m
bench.context`` runs it alone; ``make bench`` prints it with the other figures.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field, replace
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Any

import anyio
from mcp import Client

from bench.context_tasks import TASKS, Task, upstream
from tests import answer_fakes, answer_tasks

MODES = ("full", "dynamic", "code")
TARGET = 0.1  # code mode's bytes over the full toolset's, on every multi-step task
ENV = {
    "gong": {"GONG_ACCESS_KEY": "k", "GONG_ACCESS_KEY_SECRET": "s", "GONG_MAX_RPS": "0", "GONG_DAILY_QUOTA": "0"},
    "gumloop": {"GUMLOOP_API_KEY": "bench", "GUMLOOP_USER_ID": "user-1", "GUMLOOP_MAX_RPS": "0"},
}


@dataclass
class Tally:
    """Bytes through the model's context, by kind, and the tool calls the upstream answered."""

    listing: int = 0
    arguments: int = 0
    results: int = 0
    code: int = 0
    calls: int = 0
    parts: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.listing + self.arguments + self.results + self.code


class Agent:
    """A scripted model: it lists, calls and reads, and every byte it sends or reads is tallied."""

    def __init__(self, client: Client, tally: Tally) -> None:
        self.client, self.tally = client, tally
        self.last: Any = None  # the last call's whole result

    async def list(self) -> None:
        listed = await self.client.list_tools()
        self.tally.listing += len(listed.model_dump_json(by_alias=True, exclude_none=True).encode("utf-8"))

    async def call(self, name: str, arguments: dict[str, Any]) -> Any:
        """Call a tool; its answer parsed from the text the model reads."""
        if name == "run_code":
            self.tally.code += len(arguments["code"].encode("utf-8"))
        else:
            self.tally.arguments += len(json.dumps({"name": name, "arguments": arguments}).encode("utf-8"))
        result = self.last = await self.client.call_tool(name, arguments)
        shown = "\n".join(block.text for block in result.content if block.type == "text")
        self.tally.results += len(shown.encode("utf-8"))
        if result.is_error:
            raise RuntimeError(f"{name}: {shown}")
        return json.loads(result.content[0].text)

    async def direct(self, name: str, arguments: dict[str, Any]) -> Any:
        self.tally.calls += 1
        return await self.call(name, arguments)

    async def through_meta(self, name: str, arguments: dict[str, Any]) -> Any:
        self.tally.calls += 1
        return await self.call("call_tool", {"name": name, "arguments": arguments})

    async def discover(self, task: Task) -> None:
        for query, name in task.tools:
            found = await self.call("search_tools", {"query": query, "limit": 5})
            assert name in [row["name"] for row in found["tools"]], (query, name, found)
            await self.call("describe_tool", {"name": name})


async def do(task: Task, mode: str, url: str, out: Path) -> tuple[Any, Tally]:
    """One task done one way on a fresh server: the answer and the tally."""
    server = _server(task.vendor, mode, url, out)
    tally = Tally()
    async with Client(server) as client:
        agent = Agent(client, tally)
        await agent.list()
        if mode == "full":
            return await task.steps(agent.direct), tally
        await agent.discover(task)
        if mode == "dynamic":
            return await task.steps(agent.through_meta), tally
        ran = await agent.call("run_code", {"code": task.code})
        tally.calls = (agent.last.meta or {}).get("io.mcpgen/code", {}).get("tool_calls", 0)
        return ran["result"] if set(ran) == {"result"} else ran, tally


def _server(vendor: str, mode: str, url: str, out: Path) -> Any:
    package = __import__(f"{vendor}_mcp.server", fromlist=["create_server"])
    settings_module = __import__(f"{vendor}_mcp.runtime.settings", fromlist=["Settings"])
    vendor_module = __import__(f"{vendor}_mcp.vendor", fromlist=["VENDOR"])
    prefix = vendor.upper()
    env = {f"{prefix}_BASE_URL": url, f"{prefix}_TOOLSET": mode, **ENV[vendor]}
    settings = replace(settings_module.Settings.from_env(vendor_module.VENDOR, env), output_dir=out)
    return package.create_server(settings)


def run() -> dict[str, Any]:
    """Every task, every way: the bytes, the calls, and whether the answers agree; then the tasks with known answers
    (``tests.answer_tasks``: fakes of realistic size, the model following the server's notes), checked too."""
    rows: list[dict[str, Any]] = []
    with upstream() as url, TemporaryDirectory() as folder:
        for task in TASKS:
            done = {mode: anyio.run(do, task, mode, url, Path(folder)) for mode in MODES}
            rows.append(_row(task.vendor, task.name, done))
    with answer_fakes.upstreams() as url, TemporaryDirectory() as folder:
        for known in answer_tasks.TASKS:
            done = {mode: anyio.run(answer_tasks.do, known, mode, url, Path(folder)) for mode in MODES}
            rows.append(_row(known.vendor, known.name, done))
    return {"tasks": rows, "ratios": ratios(rows)}


def _row(vendor: str, name: str, done: dict[str, tuple[Any, Tally | answer_tasks.Tally]]) -> dict[str, Any]:
    row: dict[str, Any] = {"vendor": vendor, "task": name}
    for mode, (_, tally) in done.items():
        row[mode] = {
            "bytes": tally.total,
            "listing": tally.listing,
            "arguments": tally.arguments,
            "results": tally.results,
            "code": tally.code,
            "calls": tally.calls,
        }
    row["steps"] = row["full"]["calls"]
    row["same_answer"] = done["full"][0] == done["dynamic"][0] == done["code"][0]
    row["answer"] = done["code"][0]
    return row


def ratios(rows: list[dict[str, Any]]) -> dict[str, float]:
    """Code and dynamic over full, worst case over multi-step tasks; and over every task."""
    multi = [r for r in rows if r["steps"] > 1] or rows
    return {
        "P7 code / full bytes (multi-step, worst)": max(r["code"]["bytes"] / r["full"]["bytes"] for r in multi),
        "P7 dynamic / full bytes (multi-step, worst)": max(r["dynamic"]["bytes"] / r["full"]["bytes"] for r in multi),
        "P7 code / full bytes (all tasks, total)": sum(r["code"]["bytes"] for r in rows)
        / sum(r["full"]["bytes"] for r in rows),
    }


def table(found: dict[str, Any]) -> str:
    """One row per task: the bytes each way, the ratios, whether the answers agree."""
    lines = ["P7 context per task: bytes through the model's context (listing + arguments + results + code)"]
    head = f"{'task':<72}{'steps':>6}{'full':>10}{'dynamic':>10}{'code':>9}{'code/full':>10}{'dyn/full':>9}  same"
    lines.append(head)
    for row in found["tasks"]:
        full, dyn, code = row["full"]["bytes"], row["dynamic"]["bytes"], row["code"]["bytes"]
        lines.append(
            f"{row['vendor'] + ': ' + row['task']:<72}{row['steps']:>6}{full:>10,}{dyn:>10,}{code:>9,}"
            f"{code / full:>10.3f}{dyn / full:>9.3f}  {'yes' if row['same_answer'] else 'NO'}"
        )
    lines += [f"{name:<72}{value:>10.3f}" for name, value in found["ratios"].items()]
    worst = found["ratios"]["P7 code / full bytes (multi-step, worst)"]
    lines.append(f"target: code at most {TARGET} x full on multi-step tasks: {'yes' if worst <= TARGET else 'NO'}")
    return "\n".join(lines)


def main() -> int:
    """Run the suite, print the table; exit 1 when an answer differs or the target is missed."""
    found = run()
    print(table(found))
    held = found["ratios"]["P7 code / full bytes (multi-step, worst)"] <= TARGET
    return 0 if held and all(row["same_answer"] for row in found["tasks"]) else 1


if __name__ == "__main__":
    sys.exit(main())
