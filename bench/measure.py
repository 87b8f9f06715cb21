"""The five figures, each measured the same way for every server: P1 generation, P2 cold start, P3 per-call
overhead, P4 listing size, P5 peak memory."""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import import_module
from pathlib import Path
from typing import Any

import httpx2

from bench import peers
from bench.stdio import Session, cold_start
from generator.emit.verify import PRELOAD
from generator.model.config import VendorConfig


@dataclass(frozen=True)
class Probe:
    """The call P3 times: one read with simple arguments, known by method and path (and operationId).

    ``package`` is our generated package for the vendor (``gong_mcp``), whose operations table names the tool.
    """

    method: str
    path: str
    operation_id: str
    args: dict[str, str]
    package: str = ""

    def url_path(self) -> str:
        """The path with its parameters filled in from the arguments."""
        path = self.path
        for name, value in self.args.items():
            path = path.replace("{" + name + "}", value)
        return path

    def query(self) -> dict[str, str]:
        """Arguments that are not path parameters."""
        return {k: v for k, v in self.args.items() if "{" + k + "}" not in self.path}


def median(values: list[float]) -> float:
    """The median (``nan`` for no values)."""
    return statistics.median(values) if values else float("nan")


def p95(values: list[float]) -> float:
    """The 95th percentile, nearest rank."""
    ordered = sorted(values)
    return ordered[max(0, round(0.95 * len(ordered)) - 1)] if ordered else float("nan")


def timed(command: list[str], cwd: Path) -> float:
    """Wall seconds of one command that must succeed."""
    return timed_with_memory(command, cwd)[0]


def timed_with_memory(command: list[str], cwd: Path) -> tuple[float, float]:
    """Wall seconds and peak RSS in MB (its largest process, children included) of one command that must succeed."""
    with tempfile.TemporaryFile() as output:
        started = time.perf_counter()
        proc = subprocess.Popen(command, cwd=cwd, stdout=output, stderr=output)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            output.seek(0)
            said = output.read().decode("utf-8", "replace").strip()[-300:]
            raise peers.SetupFailed(f"{' '.join(command[:3])} … failed: {said}")
    return seconds, usage.ru_maxrss / 1024  # Linux reports kilobytes


# What a Python generator built on the chosen libraries pays before it does any work, in the two processes
# ``mcpgen generate`` runs side by side: the main one imports click, jinja2, PyYAML and openapi-pydantic
# (``imports``); the models worker pays datamodel-code-generator's fixed cost, i.e. its lazy imports and a
# first run, here on a one-class schema (``models``). The slower of the two bounds the whole run from below.
FLOORS = {
    "imports": "import click, jinja2, yaml, openapi_pydantic",
    "models": "from generator.emit.models import models_text\n"
    "models_text({'A': {'type': 'object', 'properties': {'x': {'type': 'string'}}}})",
}


def generation(config: Path, spec: Path, runs: int) -> dict[str, Any]:
    """P1: ``mcpgen generate`` (parse, type, render, ruff) vs ``openapi-mcp-generator`` on the same spec.

    Also the floor a Python generator on these libraries cannot go below (see ``FLOORS``), and the floor of
    what ``mcpgen generate`` is required to run on this spec (see ``REQUIRED``), each run the same way.
    """
    from generator.model.config import load_config

    ours, peer = [], []
    floors: dict[str, list[float]] = {name: [] for name in FLOORS}
    required: dict[str, list[float]] = {name: [] for name in REQUIRED}
    mcpgen = str(Path(sys.executable).with_name("mcpgen"))
    peers.WORK.mkdir(parents=True, exist_ok=True)
    # Under bench/ so that the peer's build resolves its imports to bench/node_modules.
    with tempfile.TemporaryDirectory(prefix="p1-", dir=peers.WORK) as scratch:
        models = Path(scratch) / "models.json"
        models.write_text(json.dumps(_models(load_config(config))), encoding="utf-8")
        for run in range(runs):
            out = Path(scratch) / f"ours{run}"
            ours.append(timed([mcpgen, "generate", str(config), "--out", str(out)], peers.ROOT))
            peer.append(peers.generate_peer(spec, Path(scratch) / f"peer{run}"))
            for name, code in FLOORS.items():
                floors[name].append(timed([sys.executable, "-c", code], peers.ROOT))
            _time_required(required, spec, models, out)
        build = peers.build_peer(Path(scratch) / "peer0")
    return {
        "ours_s": median(ours),
        "peer_s": median(peer),
        "peer_build_s": build,
        "floor_s": {name: median(values) for name, values in floors.items()},
        **_required_floor(required),
        "runs": {
            "ours": ours,
            "peer": peer,
            **{f"floor {name}": values for name, values in floors.items()},
            **{f"required {name}": values for name, values in required.items()},
        },
    }


# The floor at scale: what the chosen libraries alone cost on the large spec, each in its own process as
# ``mcpgen generate`` runs them side by side (the collector paused, as there). ``validate``: the main process's
# imports, reading the spec and openapi-pydantic's validation of it; ``models``: datamodel-code-generator on the
# spec's models (written to ``{models}`` beforehand). The slower of the two bounds the whole run from below.
SCALE_FLOORS = {
    "validate": "import gc, json, sys; gc.disable()\n"
    "import click, jinja2, pydantic, yaml\n"
    "from openapi_pydantic.v3 import v3_0, v3_1\n"
    "text = open(sys.argv[1], encoding='utf-8').read()\n"
    "document = json.loads(text) if text.lstrip().startswith('{') else yaml.safe_load(text)\n"
    "try:\n"
    "    (v3_1 if str(document['openapi']).startswith('3.1') else v3_0).OpenAPI.model_validate(document)\n"
    "except pydantic.ValidationError:\n"  # a raw spec may fail where a normalized one passes: all was checked
    "    pass",
    "models": "import gc, json, sys; gc.disable()\n"
    "from generator.emit.models import models_text\n"
    "models_text(json.loads(open(sys.argv[2], encoding='utf-8').read()))",
}


# What every ``mcpgen generate`` must run on a given spec, each piece in its own process as the command runs them
# side by side (the collector paused, as there): ``validate`` and ``models`` as in ``SCALE_FLOORS`` (the models
# being this spec's own, not one class), and ``server import``: issue 15's import of the generated server in a
# child, i.e. the MCP SDK and then the package (from a fresh copy, no bytecode written, as ``verify`` does).
# No schedule of these processes on the machine's cores ends before the longest of them, nor before their sum
# spread over the cores: that is the required floor (``required_s``), whatever the generator's own code costs.
REQUIRED = {
    "validate": SCALE_FLOORS["validate"],
    "models": SCALE_FLOORS["models"],
    "server import": "import gc, importlib, sys; gc.disable(); sys.dont_write_bytecode = True\n"
    f"import {', '.join(PRELOAD)}\n"
    "sys.path.insert(0, sys.argv[3])\n"
    "importlib.import_module(sys.argv[4] + '.server')",
}


def _time_required(required: dict[str, list[float]], spec: Path, models: Path, out: Path) -> None:
    """One run of each ``REQUIRED`` process, on ``out``: the package this run of ``mcpgen generate`` wrote."""
    [package] = [p for p in out.iterdir() if p.is_dir()]
    with tempfile.TemporaryDirectory(prefix="import-", dir=out.parent) as fresh:
        shutil.copytree(package / "src", Path(fresh) / "src", ignore=shutil.ignore_patterns("__pycache__"))
        for name, code in REQUIRED.items():
            argv = [sys.executable, "-c", code, str(spec), str(models), f"{fresh}/src", package.name]
            required[name].append(timed(argv, peers.ROOT))


def _required_floor(required: dict[str, list[float]]) -> dict[str, Any]:
    """The medians, and the floor they set on this machine's cores (see ``REQUIRED``)."""
    medians = {name: median(values) for name, values in required.items()}
    cores = os.cpu_count() or 1
    return {
        "required_s": {**medians, "cores": cores},
        "required_floor_s": max(*medians.values(), sum(medians.values()) / cores),
    }


def generation_at_scale(spec: Path, name: str, runs: int) -> dict[str, Any]:
    """P1 at scale: ``mcpgen generate --spec`` vs ``openapi-mcp-generator`` on a large spec, runs interleaved.

    Our runs also record their peak memory, and each run the floors of ``SCALE_FLOORS``. The peer's project is
    not built: at this size, ``tsc`` is not the question; our own per-operation work is.
    """
    from generator.model.config import default_config

    ours, peer, memory = [], [], []
    floors: dict[str, list[float]] = {floor: [] for floor in SCALE_FLOORS}
    required: dict[str, list[float]] = {floor: [] for floor in REQUIRED}
    mcpgen = str(Path(sys.executable).with_name("mcpgen"))
    peers.WORK.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="p1-scale-", dir=peers.WORK) as scratch:
        models = Path(scratch) / "models.json"
        models.write_text(json.dumps(_models(default_config(name, str(spec)))), encoding="utf-8")
        for run in range(runs):
            out = Path(scratch) / f"ours{run}"
            command = [mcpgen, "generate", "--spec", str(spec), "--name", name, "--out", str(out)]
            seconds, peak = timed_with_memory(command, peers.ROOT)
            ours.append(seconds)
            memory.append(peak)
            peer.append(peers.generate_peer(spec, Path(scratch) / f"peer{run}"))
            for floor, code in SCALE_FLOORS.items():
                floors[floor].append(timed([sys.executable, "-c", code, str(spec), str(models)], peers.ROOT))
            _time_required(required, spec, models, out)
    return {
        "spec": spec.name,
        "ours_s": median(ours),
        "peer_s": median(peer),
        "ours_peak_mb": max(memory),
        "floor_s": {floor: median(values) for floor, values in floors.items()},
        **_required_floor(required),
        "runs": {
            "ours": ours,
            "peer": peer,
            "ours_peak_mb": memory,
            **{f"floor {k}": v for k, v in floors.items()},
            **{f"required {k}": v for k, v in required.items()},
        },
    }


def _models(config: VendorConfig) -> dict[str, Any]:
    """The component schemas ``mcpgen`` sends datamodel-code-generator for this config's spec."""
    from generator.errors import Report
    from generator.pipeline import build_ir

    server, _notes, _count = build_ir(config, Report(), responses=False)
    return server.models


def cold_starts(
    commands: dict[str, tuple[list[str], dict[str, str]]], runs: int, log: Path
) -> dict[str, dict[str, Any]]:
    """P2 and P4: process start → first ``tools/list`` answered, per server (label → command and environment).

    One untimed start each (the file cache), then ``runs`` rounds in which every server starts once, in turn: a
    drift in the machine's load over the minutes this takes then touches every server alike, not the last ones.
    """
    for command, env in commands.values():
        cold_start(command, env, log)
    times: dict[str, list[float]] = {label: [] for label in commands}
    sizes: dict[str, tuple[int, int]] = {}
    for _ in range(runs):
        for label, (command, env) in commands.items():
            seconds, size, listing = cold_start(command, env, log)
            times[label].append(seconds)
            sizes[label] = (size, len(listing.get("tools", [])))
    return {
        label: {"cold_start_s": median(times[label]), "runs": times[label], "list_bytes": size, "tools": tools}
        for label, (size, tools) in sizes.items()
    }


@contextmanager
def upstream() -> Iterator[str]:
    """``bench/upstream.py`` in its own process (so it never shares a GIL with a client being timed)."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "bench.upstream"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=peers.ROOT,
    )
    try:
        assert proc.stdout is not None
        yield proc.stdout.readline().strip()
    finally:
        assert proc.stdin is not None
        proc.stdin.close()
        proc.wait(timeout=10)


def find_tool(listing: dict[str, Any], probe: Probe) -> str:
    """The tool behind the probe's operation: ours by the package's own operations table, a peer's by operationId.

    Our listing does not name a tool's method and path; its package's ``operations.py`` does (``probe.package``).
    """
    ours = sorted({tool["name"] for tool in listing["tools"]} & our_tools(probe))
    if ours:
        return ours[0]
    for tool in listing["tools"]:
        if tool["name"].lower() == probe.operation_id.lower():
            return tool["name"]
    raise peers.SetupFailed(f"no tool for {probe.method} {probe.path} among {len(listing['tools'])}")


def our_tools(probe: Probe) -> set[str]:
    """Names of the tools of our generated package whose operation is the probe's (none without a package)."""
    if not probe.package:
        return set()
    operations = import_module(f"{probe.package}.operations").OPERATIONS
    return {name for name, op in operations.items() if (op.method, op.path) == (probe.method, probe.path)}


def per_call(
    command: list[str], env: dict[str, str], probe: Probe, calls: int, log: Path, through: str | None = None
) -> dict[str, Any]:
    """P3 and P5: ``calls`` timed tool calls after 20 untimed ones; then the process's peak RSS.

    ``through`` names the tool to reach through the dynamic toolset's ``call_tool`` meta-tool.
    """
    with Session(command, env, stderr=log) as session:
        session.handshake()
        listing, _ = session.request("tools/list")
        if through:
            name, params = through, {"name": "call_tool", "arguments": {"name": through, "arguments": probe.args}}
        else:
            name = find_tool(listing, probe)
            params = {"name": name, "arguments": probe.args}
        times = []
        for index in range(calls + 20):
            started = time.perf_counter()
            result, _ = session.request("tools/call", params)
            if index >= 20:
                times.append(time.perf_counter() - started)
            if result.get("isError"):
                raise peers.SetupFailed(f"{name} answered an error: {str(result.get('content'))[:300]}")
        rss = session.peak_rss_mb()
    return {"tool": name, "median_ms": median(times) * 1e3, "p95_ms": p95(times) * 1e3, "rss_mb": rss}


def direct_calls(url: str, probe: Probe, calls: int) -> dict[str, float]:
    """P3's baseline: the same request straight from an ``httpx2`` client."""
    times = []
    with httpx2.Client(base_url=url, trust_env=False) as client:
        for index in range(calls + 20):
            started = time.perf_counter()
            client.request(probe.method, probe.url_path(), params=probe.query()).raise_for_status()
            if index >= 20:
                times.append(time.perf_counter() - started)
    return {"median_ms": median(times) * 1e3, "p95_ms": p95(times) * 1e3}
