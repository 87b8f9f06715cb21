"""The team suite (``team-mcp``) beside Gong's and Gumloop's servers run separately: P2, P4, P5 and a cross-vendor P7.

- P2: process start → first ``tools/list`` answered (median of ``runs``), ``full`` and ``dynamic``;
- P4: the bytes of that listing;
- P5: peak RSS after ``calls`` tool calls (the suite's calls Gong's probe, as ``gong-mcp`` does);
- P7: one task that spans both vendors, done ``full``, ``dynamic`` and ``code`` by the scripted agent of
  ``bench.context``: the three longest calls of a month (three Gong pages) handed to a Gumloop flow run.

Two separate servers are what a team runs today, so their figures are summed (starts in parallel: the longer).
``python -m bench.suite`` runs it alone; ``make bench`` prints it with the other figures.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Any

import anyio
from mcp import Client

from bench import measure, peers
from bench.context import MODES, Agent, Tally
from bench.context_tasks import EVERY_CALL, LIST_CALLS, SINCE, answer, longest_three, upstream
from bench.measure import Probe

RUN_FLOW = "create_a_gumloop_flow_run"
FLOW = "flow-0"
CREDENTIALS = {
    "GONG_ACCESS_KEY": "k",
    "GONG_ACCESS_KEY_SECRET": "s",
    "GUMLOOP_API_KEY": "bench",
    "GUMLOOP_USER_ID": "user-1",
    **{f"{p}_{s}": "0" for p in ("GONG", "GUMLOOP") for s in ("MAX_RPS", "DAILY_QUOTA")},  # measure us, not them
}
GONG_PROBE = Probe("GET", "/v2/calls", "listCalls", dict(SINCE), "gong_mcp")
GUMLOOP_PROBE = Probe("GET", "/agents/{agent_id}", "retrieveAgent", {"agent_id": "agent-1"}, "gumloop_mcp")
HANDED = (
    EVERY_CALL
    + f"""
top = [c['id'] for c in sorted(calls, key=lambda c: c['duration'], reverse=True)[:3]]
run = await gumloop.{RUN_FLOW}(saved_item_id='{FLOW}', additional_properties={{'call_ids': ','.join(top)}})
{{'top': top, 'run': run['run_id']}}
"""
)


FLOW_ANSWERS = {  # the flow's declared input, and its run started: the rest is bench.context_tasks' upstream
    "/get_inputs": {"inputs": [{"name": "call_ids", "data_type": "string"}]},
    "/start_pipeline": {"run_id": "run-0-9", "saved_item_id": FLOW},
}


def flow_answer(method: str, path: str, query: dict[str, str], body: Any) -> Any:
    """Both vendors' answers (``context_tasks.answer``), with the flow's declared input and its start added."""
    return FLOW_ANSWERS.get(path) or answer(method, path, query, body)


def commands(url: str) -> dict[str, tuple[list[str], dict[str, str]]]:
    """Each server's command and environment, both vendors' upstreams at ``url``."""
    env = {**peers.base_env(), **CREDENTIALS, "GONG_BASE_URL": url, "GUMLOOP_BASE_URL": url}
    found: dict[str, tuple[list[str], dict[str, str]]] = {}
    for name in ("gong-mcp", "gumloop-mcp", "team-mcp"):
        script = str(peers.our_script(name))
        found[name] = ([script], env)
        found[f"{name} dynamic"] = ([script, "--toolset", "dynamic"], env)
    return found


def servers(runs: int, calls: int, log: Path) -> dict[str, dict[str, Any]]:
    """P2 and P4 for every server, P5 (and P3's median) for each in the full toolset."""
    with measure.upstream() as url:
        chosen = commands(url)
        found = measure.cold_starts(chosen, runs, log)
        probes = {"gong-mcp": GONG_PROBE, "gumloop-mcp": GUMLOOP_PROBE, "team-mcp": GONG_PROBE}
        for name, probe in probes.items():
            found[name].update(measure.per_call(*chosen[name], probe, calls, log))
    return found


async def cross_vendor(mode: str, url: str, out: Path) -> tuple[Any, Tally]:
    """The cross-vendor task done one way on a fresh suite: its answer and the bytes through the model."""
    from team_mcp.runtime.settings import Settings
    from team_mcp.server import SUITE, create_server

    env = {**CREDENTIALS, "GONG_BASE_URL": url, "GUMLOOP_BASE_URL": url, "TEAM_TOOLSET": mode}
    env |= {f"{p}_OUTPUT_DIR": str(out) for p in ("TEAM", "GONG", "GUMLOOP")}
    tally = Tally()
    async with Client(create_server(Settings.from_env(SUITE, env))) as client:
        agent = Agent(client, tally)
        await agent.list()
        if mode != "full":  # the model finds and reads both tools first
            for query, name in (("list calls", LIST_CALLS), ("start flow run", RUN_FLOW)):
                await agent.call("search_tools", {"query": query, "limit": 5})
                await agent.call("describe_tool", {"name": name})
        if mode == "code":
            return await agent.call("run_code", {"code": HANDED}), tally
        call = agent.direct if mode == "full" else agent.through_meta
        top = await longest_three(call)  # every page of the month's calls, one call each
        run = await call(RUN_FLOW, {"saved_item_id": FLOW, "additional_properties": {"call_ids": ",".join(top)}})
        return {"top": top, "run": run["run_id"]}, tally


def p7() -> dict[str, Any]:
    """The cross-vendor task every way: bytes by kind, and whether the answers agree."""
    row: dict[str, Any] = {}
    answers = {}
    with upstream(flow_answer) as url, TemporaryDirectory() as folder:
        for mode in MODES:
            answers[mode], tally = anyio.run(cross_vendor, mode, url, Path(folder))
            row[mode] = {"bytes": tally.total, "listing": tally.listing, "results": tally.results, "code": tally.code}
    row["same_answer"] = answers["full"] == answers["dynamic"] == answers["code"]
    row["answer"] = answers["code"]
    return row


def run(runs: int = 5, calls: int = 200) -> dict[str, Any]:
    """Every figure of the suite and of the two servers it stands for."""
    peers.WORK.mkdir(parents=True, exist_ok=True)
    return {"servers": servers(runs, calls, peers.WORK / "suite-servers.log"), "P7": p7()}


def table(found: dict[str, Any]) -> str:
    """The suite beside the two servers (summed, starts in parallel), then the cross-vendor task."""
    s = found["servers"]
    lines = ["suite team-mcp (Gong + Gumloop) beside gong-mcp + gumloop-mcp run separately"]
    lines.append(f"{'server':<22}{'P2 start s':>11}{'P4 bytes':>10}{'tools':>6}{'P5 MB':>7}")
    for name in ("gong-mcp", "gumloop-mcp", "team-mcp"):
        for label in (name, f"{name} dynamic"):
            rss = f"{s[label]['rss_mb']:>7.1f}" if "rss_mb" in s[label] else f"{'-':>7}"
            lines.append(
                f"{label:<22}{s[label]['cold_start_s']:>11.2f}{s[label]['list_bytes']:>10,}{s[label]['tools']:>6}{rss}"
            )
    for suffix in ("", " dynamic"):
        two = [s[f"{n}{suffix}"] for n in ("gong-mcp", "gumloop-mcp")]
        rss = f"{sum(t['rss_mb'] for t in two):>7.1f}" if not suffix else f"{'-':>7}"
        start, size = max(t["cold_start_s"] for t in two), sum(t["list_bytes"] for t in two)
        lines.append(f"{'two servers' + suffix:<22}{start:>11.2f}{size:>10,}{sum(t['tools'] for t in two):>6}{rss}")
    row = found["P7"]
    lines.append("P7 cross-vendor task (longest three calls of a month handed to a Gumloop flow), bytes in context:")
    full = row["full"]["bytes"]
    parts = ", ".join(f"{mode} {row[mode]['bytes']:,} ({row[mode]['bytes'] / full:.3f} x full)" for mode in MODES)
    lines.append(f"  {parts}; same answer: {'yes' if row['same_answer'] else 'NO'}")
    return "\n".join(lines)


def main() -> int:
    """Measure, print the table, exit 1 when the ways disagree."""
    found = run()
    print(table(found))
    print(json.dumps(found["P7"]["answer"]))
    return 0 if found["P7"]["same_answer"] else 1


if __name__ == "__main__":
    sys.exit(main())
