"""Tasks with known answers, done as a scripted model would in ``full``, ``dynamic`` and ``code``.

The model follows the server literally: it reads every note beside an answer and does what it says. An answer cut
at the size cap says which fields its records have and to call again with ``select``: the model writes a
``select`` that keeps what the task needs (as a model would) and calls again. A note with a cursor says to call
again with it (and with ``max_pages`` when it offers that): the model does, until no note names a cursor. A note
that says a list reached the most the vendor returns makes the model count that list as a lower bound. In code
mode the model reads ``describe_tool`` and writes one ``run_code``; the code filters in Python.

Every byte through the model's context is tallied (bench P7 prints them); the answers are checked against the
fakes' ground truth (``tests.answer_fakes``) in ``tests/test_answer_tasks.py``.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from mcp import Client
from mcp.types import CallToolResult

from tests.answer_fakes import DECEMBER, MONTH

MODES = ("full", "dynamic", "code")
LIST_CALLS, EXTENSIVE = "list_all_gong_calls", "create_a_gong_calls_extensive"
TRANSCRIPT, USERS = "create_a_gong_calls_transcript", "list_all_gong_users"
FLOWS, HISTORY = "list_all_gumloop_flows", "list_all_gumloop_get_plrun_saved_item_maps"
ENV = {
    "gong": {"GONG_ACCESS_KEY": "k", "GONG_ACCESS_KEY_SECRET": "s", "GONG_MAX_RPS": "0", "GONG_DAILY_QUOTA": "0"},
    "gumloop": {"GUMLOOP_API_KEY": "bench", "GUMLOOP_USER_ID": "user-1", "GUMLOOP_MAX_RPS": "0"},
}
_AGAIN = re.compile(
    r"Call (\w+) again with the same arguments and (\w+)=(\"(?:[^\"\\]|\\.)*\")(?:, and max_pages=(\d+))?"
)
_CUT = re.compile(r"over the [\d,]+-byte cap")
_REACHED = re.compile(r"returns at most (\d+) per list.*?reached \d+: (.*?)\. ")
_MOST_RECENT = re.compile(r"the (\d+) most recent")
PARTIES = {"exposedFields": {"parties": True}}


@dataclass
class Tally:
    """Bytes through the model's context, by kind, and the tool calls it made."""

    listing: int = 0
    arguments: int = 0
    results: int = 0
    code: int = 0
    calls: int = 0

    @property
    def total(self) -> int:
        """Every byte."""
        return self.listing + self.arguments + self.results + self.code


@dataclass(frozen=True)
class Reply:
    """One answer as the model reads it: the data of its first text block, and the notes after it."""

    data: Any
    notes: str


@dataclass
class Model:
    """A scripted model over one MCP client: ``full`` calls tools directly, ``dynamic`` through ``call_tool``."""

    client: Client
    mode: str
    tally: Tally = field(default_factory=Tally)

    async def list(self) -> None:
        listed = await self.client.list_tools()
        self.tally.listing += len(listed.model_dump_json(by_alias=True, exclude_none=True).encode("utf-8"))

    async def meta(self, name: str, arguments: dict[str, Any]) -> CallToolResult:
        """A meta-tool call (search, describe, run_code), tallied."""
        sent = arguments["code"] if name == "run_code" else json.dumps({"name": name, "arguments": arguments})
        if name == "run_code":
            self.tally.code += len(sent.encode("utf-8"))
        else:
            self.tally.arguments += len(sent.encode("utf-8"))
        result = await self.client.call_tool(name, arguments)
        self.tally.results += len(_text(result).encode("utf-8"))
        if result.is_error:
            raise RuntimeError(f"{name}: {_text(result)}")
        return result

    async def call(self, name: str, arguments: dict[str, Any]) -> Reply:
        """One tool call, as this toolset makes it."""
        self.tally.calls += 1
        if self.mode == "dynamic":
            result = await self.meta("call_tool", {"name": name, "arguments": arguments})
        else:
            result = await self.meta(name, arguments)
        texts = [block.text for block in result.content if block.type == "text"]
        return Reply(json.loads(texts[0]), "\n".join(texts[1:]))

    async def discover(self, query: str, name: str) -> dict[str, Any]:
        """Search for a tool, then describe it (its name is what the task is about, whatever the ranking)."""
        await self.meta("search_tools", {"query": query, "limit": 5})
        described = await self.meta("describe_tool", {"name": name})
        return dict(described.structured_content or {})


async def follow(model: Model, name: str, arguments: dict[str, Any], narrow: str = "") -> list[Reply]:
    """Call, and do what each note says until none names a cursor: narrow a cut answer with ``select``, call again
    with the cursor (and ``max_pages``) it hands back."""
    replies: list[Reply] = []
    args = dict(arguments)
    while True:
        reply = await model.call(name, args)
        if _CUT.search(reply.notes):
            if not narrow or "select" in args:
                raise AssertionError(f"{name}: cut, and no select of mine fits: {reply.notes}")
            args["select"] = narrow
            continue
        replies.append(reply)
        again = _AGAIN.search(reply.notes)
        if again is None:
            return replies
        args[again.group(2)] = json.loads(again.group(3))
        if again.group(4):
            args["max_pages"] = int(again.group(4))


def _text(result: CallToolResult) -> str:
    return "\n".join(block.text for block in result.content if block.type == "text")


def _records(replies: list[Reply], key: str) -> list[Any]:
    """Every record of the replies: the list under ``key``, or the reply itself when ``select`` made it a list."""
    found: list[Any] = []
    for reply in replies:
        found += reply.data if isinstance(reply.data, list) else reply.data[key]
    return found


# --- the tasks, step by step (full and dynamic) ---------------------------------------------------------------


async def longest_three(model: Model) -> Any:
    """The three longest December calls with more than two participants."""
    narrow = "calls[].{id: metaData.id, duration: metaData.duration, parties: length(parties)}"
    replies = await follow(model, EXTENSIVE, {"filter": dict(MONTH), "contentSelector": PARTIES}, narrow)
    crowded = [c for c in _records(replies, "calls") if _parties(c) > 2]
    return [_id(c) for c in sorted(crowded, key=_duration, reverse=True)[:3]]


def _parties(call: dict[str, Any]) -> int:
    return int(call["parties"]) if isinstance(call["parties"], int) else len(call["parties"])


def _id(call: dict[str, Any]) -> str:
    return str(call["id"] if "id" in call else call["metaData"]["id"])


def _duration(call: dict[str, Any]) -> int:
    return int(call["duration"] if "duration" in call else call["metaData"]["duration"])


async def top_speaker(model: Model) -> Any:
    """Who spoke longest in December's longest call, by name."""
    calls = _records(await follow(model, LIST_CALLS, dict(MONTH), "calls[].{id: id, duration: duration}"), "calls")
    longest = _id(max(calls, key=_duration))
    narrow = "callTranscripts[0].transcript[].{speakerId: speakerId, sentences: sentences[].[start, end]}"
    parts = _records(await follow(model, TRANSCRIPT, {"filter": {"callIds": [longest]}}, narrow), "callTranscripts")
    turns = parts if "speakerId" in parts[0] else parts[0]["transcript"]
    spoke: Counter[str] = Counter()
    for turn in turns:
        spans = turn["sentences"]
        spoke[turn["speakerId"]] += sum(s[1] - s[0] if isinstance(s, list) else s["end"] - s["start"] for s in spans)
    found = await follow(model, EXTENSIVE, {"filter": {"callIds": [longest]}, "contentSelector": PARTIES})
    parties = found[0].data["calls"][0]["parties"]
    return next(p["name"] for p in parties if p["speakerId"] == spoke.most_common(1)[0][0])


async def hosted(model: Model) -> Any:
    """December calls hosted per user, by full name."""
    users = _records(await follow(model, USERS, {}), "users")
    calls = _records(await follow(model, LIST_CALLS, dict(MONTH), "calls[].primaryUserId"), "calls")
    names = {u["id"]: f"{u['firstName']} {u['lastName']}" for u in users}
    return dict(Counter(names[c if isinstance(c, str) else c["primaryUserId"]] for c in calls))


async def most_failed(model: Model) -> Any:
    """The flow with the most failed December runs; the flows whose count is only a lower bound, because the
    answer said their list reached the most the vendor returns and its oldest run is still in December."""
    flows = _records(await follow(model, FLOWS, {}), "saved_items")
    failed: dict[str, int] = {}
    lower: list[str] = []
    for flow in flows:
        (reply,) = await follow(model, HISTORY, {"saved_item_id": flow["saved_item_id"]})
        runs = reply.data[flow["saved_item_id"]]
        failed[flow["name"]] = sum(r["state"] == "FAILED" and _in_december(r) for r in runs)
        reached = _REACHED.search(reply.notes)
        if reached and runs and runs[-1]["created_ts"] >= DECEMBER[0]:
            lower.append(flow["name"])
    worst = max(failed, key=lambda name: failed[name])
    return {"flow": worst, "failed": failed[worst], "at_least": sorted(lower)}


def _in_december(run: dict[str, Any]) -> bool:
    return DECEMBER[0] <= run["created_ts"] < DECEMBER[1]


# --- the same tasks as one run_code ---------------------------------------------------------------------------

MONTH_ARGS = f"fromDateTime={MONTH['fromDateTime']!r}, toDateTime={MONTH['toDateTime']!r}"


def _every(into: str, call: str, key: str) -> str:
    """Code that follows the cursors of ``call`` (its arguments end with a comma or are empty) into ``into``."""
    return (
        f"{into}, cursor = [], None\n"
        "while True:\n"
        f"    page = await {call}**({{'cursor': cursor}} if cursor else {{}}))\n"
        f"    {into}.extend(page[{key!r}])\n"
        "    cursor = page['records'].get('cursor')\n"
        "    if not cursor:\n"
        "        break\n"
    )


def _code_longest(_described: dict[str, dict[str, Any]]) -> str:
    return _every("calls", f"gong.{EXTENSIVE}(filter={dict(MONTH)!r}, contentSelector={PARTIES!r}, ", "calls") + (
        "crowded = [c for c in calls if len(c['parties']) > 2]\n"
        "[c['metaData']['id'] for c in sorted(crowded, key=lambda c: c['metaData']['duration'], reverse=True)[:3]]\n"
    )


def _code_speaker(_described: dict[str, dict[str, Any]]) -> str:
    return _every("calls", f"gong.{LIST_CALLS}({MONTH_ARGS}, ", "calls") + (
        "longest = max(calls, key=lambda c: c['duration'])['id']\n"
        f"found = await gong.{TRANSCRIPT}(filter={{'callIds': [longest]}})\n"
        "spoke = {}\n"
        "for turn in found['callTranscripts'][0]['transcript']:\n"
        "    said = sum(s['end'] - s['start'] for s in turn['sentences'])\n"
        "    spoke[turn['speakerId']] = spoke.get(turn['speakerId'], 0) + said\n"
        "top = max(spoke, key=lambda k: spoke[k])\n"
        f"call = (await gong.{EXTENSIVE}(filter={{'callIds': [longest]}}, contentSelector={PARTIES!r}))['calls'][0]\n"
        "[p['name'] for p in call['parties'] if p['speakerId'] == top][0]\n"
    )


def _code_hosted(_described: dict[str, dict[str, Any]]) -> str:
    users = _every("users", f"gong.{USERS}(", "users")
    return (
        users
        + _every("calls", f"gong.{LIST_CALLS}({MONTH_ARGS}, ", "calls")
        + (
            "names = {u['id']: u['firstName'] + ' ' + u['lastName'] for u in users}\n"
            "hosted = {}\n"
            "for c in calls:\n"
            "    hosted[names[c['primaryUserId']]] = hosted.get(names[c['primaryUserId']], 0) + 1\n"
            "hosted\n"
        )
    )


def _code_failed(described: dict[str, dict[str, Any]]) -> str:
    """The history tool's description says how many runs it returns: the code counts a full list as a lower
    bound when its oldest run is still in December."""
    stated = _MOST_RECENT.search(str(described[HISTORY].get("description", "")))
    most = int(stated.group(1)) if stated else 10**9
    return (
        f"failed, lower = {{}}, []\n"
        f"for flow in (await gumloop.{FLOWS}())['saved_items']:\n"
        f"    runs = (await gumloop.{HISTORY}(saved_item_id=flow['saved_item_id']))[flow['saved_item_id']]\n"
        f"    failed[flow['name']] = sum(1 for r in runs if r['state'] == 'FAILED' and "
        f"{DECEMBER[0]!r} <= r['created_ts'] < {DECEMBER[1]!r})\n"
        f"    if len(runs) >= {most} and runs[-1]['created_ts'] >= {DECEMBER[0]!r}:\n"
        "        lower.append(flow['name'])\n"
        "worst = max(failed, key=lambda k: failed[k])\n"
        "{'flow': worst, 'failed': failed[worst], 'at_least': sorted(lower)}\n"
    )


@dataclass(frozen=True)
class Task:
    """One task: its vendor, the tools the model looks up (search query, tool), its steps, and its code."""

    vendor: str
    name: str
    tools: tuple[tuple[str, str], ...]
    steps: Callable[[Model], Awaitable[Any]]
    code: Callable[[dict[str, dict[str, Any]]], str]


TASKS = (
    Task(
        "gong",
        "three longest December calls with more than two participants",
        (("calls with parties", EXTENSIVE),),
        longest_three,
        _code_longest,
    ),
    Task(
        "gong",
        "who spoke most in December's longest call",
        (("list calls", LIST_CALLS), ("call transcript", TRANSCRIPT), ("calls with parties", EXTENSIVE)),
        top_speaker,
        _code_speaker,
    ),
    Task(
        "gong",
        "December calls hosted per user",
        (("list users", USERS), ("list calls", LIST_CALLS)),
        hosted,
        _code_hosted,
    ),
    Task(
        "gumloop",
        "the flow with the most failed December runs",
        (("list flows", FLOWS), ("flow run history", HISTORY)),
        most_failed,
        _code_failed,
    ),
)


async def do(task: Task, mode: str, url: str, out: Path) -> tuple[Any, Tally]:
    """One task done one way on a fresh server against the fakes at ``url``: the answer, and the tally."""
    async with Client(server(task.vendor, mode, url, out)) as client:
        model = Model(client, mode)
        await model.list()
        if mode == "full":
            return await task.steps(model), model.tally
        described = {name: await model.discover(query, name) for query, name in task.tools}
        if mode == "dynamic":
            return await task.steps(model), model.tally
        ran = await model.meta("run_code", {"code": task.code(described)})
        model.tally.calls = (ran.meta or {}).get("io.mcpgen/code", {}).get("tool_calls", 0)
        value = json.loads(ran.content[0].text) if ran.content else None
        return (value["result"] if isinstance(value, dict) and set(value) == {"result"} else value), model.tally


def server(vendor: str, mode: str, url: str, out: Path) -> Any:
    """A generated server of ``vendor`` in ``mode`` against ``url``, saving big answers under ``out``."""
    package = __import__(f"{vendor}_mcp.server", fromlist=["create_server"])
    settings_module = __import__(f"{vendor}_mcp.runtime.settings", fromlist=["Settings"])
    vendor_module = __import__(f"{vendor}_mcp.vendor", fromlist=["VENDOR"])
    prefix = vendor.upper()
    env = {f"{prefix}_BASE_URL": url, f"{prefix}_TOOLSET": mode, **ENV[vendor]}
    settings = replace(settings_module.Settings.from_env(vendor_module.VENDOR, env), output_dir=out)
    return package.create_server(settings)
