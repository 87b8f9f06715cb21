"""P7's fixed task suite and the loopback upstream it runs against: realistic answers, the same on every run.

Gong serves five pages of a hundred calls (every field its spec lists), call transcripts of a few hundred
sentences and single calls; Gumloop serves six saved flows, six runs each, and each run's state and log. Each
task is written twice: ``steps`` (the calls a model makes one by one, reading every answer) and ``code`` (the same
work as one ``run_code``); both must find the same answer.
"""

from __future__ import annotations

import json
import random
import threading
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

Call = Callable[[str, dict[str, Any]], Awaitable[Any]]
PAGES, PER_PAGE, FLOWS, RUNS = 5, 100, 6, 6
SINCE = {"fromDateTime": "2024-01-01T00:00:00Z", "toDateTime": "2024-02-01T00:00:00Z"}
LIST_CALLS, GET_CALL = "list_all_gong_calls", "get_single_gong_call_by_id"
TRANSCRIPT = "create_a_gong_calls_transcript"
FLOWS_TOOL, RUN = "list_all_gumloop_flows", "list_all_gumloop_get_pl_runs"
RUN_MAP = "list_all_gumloop_get_plrun_saved_item_maps"


def _calls() -> list[dict[str, Any]]:
    pick = random.Random(7)
    calls = []
    for n in range(PAGES * PER_PAGE):
        ident = str(7_700_000_000_000_000 + n * 7919)
        day, hour = 1 + n % 31, 8 + n % 10
        calls.append(
            {
                "id": ident,
                "url": f"https://app.gong.io/call?id={ident}",
                "title": f"{pick.choice(TOPICS)} with {pick.choice(ACCOUNTS)}",
                "scheduled": f"2024-01-{day:02d}T{hour:02d}:00:00Z",
                "started": f"2024-01-{day:02d}T{hour:02d}:02:11Z",
                "duration": pick.randrange(300, 5400),
                "primaryUserId": str(300 + n % 23),
                "direction": "Conference",
                "system": "Zoom",
                "scope": "External",
                "media": "Video",
                "language": "eng",
                "workspaceId": "5562739194953732039",
                "sdrDisposition": None,
                "clientUniqueId": f"zoom-{n}",
                "customData": None,
                "purpose": None,
                "meetingUrl": f"https://acme.zoom.us/j/{9_000_000_000 + n}",
                "isPrivate": False,
                "calendarEventId": f"evt-{n}",
            }
        )
    return calls


TOPICS = ("Discovery call", "Pricing review", "Security questionnaire", "Renewal check-in", "Onboarding", "Demo")
ACCOUNTS = ("Globex", "Initech", "Umbrella", "Hooli", "Stark Industries", "Wayne Enterprises", "Acme", "Soylent")
WORDS = "the rollout plan pricing tiers integration timeline security review budget approval renewal".split()
CALLS = _calls()


def _transcript(call_id: str) -> dict[str, Any]:
    pick = random.Random(call_id)
    parts, clock = [], 0
    for turn in range(120):
        sentences = []
        for _ in range(3):
            length = pick.randrange(2000, 9000)
            text = " ".join(pick.choice(WORDS) for _ in range(pick.randrange(8, 20))).capitalize() + "."
            sentences.append({"start": clock, "end": clock + length, "text": text})
            clock += length
        speaker = str(4100 + turn % 5 + (turn % 3 == 0))
        parts.append({"speakerId": speaker, "topic": pick.choice(TOPICS), "sentences": sentences})
    return {"callId": call_id, "transcript": parts}


def _runs(flow: int) -> list[dict[str, Any]]:
    pick = random.Random(flow)
    runs = []
    for n in range(RUNS):
        failed = pick.random() < 0.15 * (flow + 1)
        log = [f"[2024-01-0{1 + n % 9}T10:{i:02d}:00Z] node {i}: {pick.choice(WORDS)} step finished" for i in range(30)]
        if failed:
            log.append("ERROR: the Google Sheets node could not read the sheet (403)")
        runs.append(
            {
                "run_id": f"run-{flow}-{n}",
                "user_id": "user-1",
                "state": "FAILED" if failed else "DONE",
                "created_ts": f"2024-01-0{1 + n % 9}T10:00:00Z",
                "finished_ts": f"2024-01-0{1 + n % 9}T10:31:00Z",
                "outputs": {} if failed else {"rows_written": pick.randrange(10, 500)},
                "log": log,
            }
        )
    return runs


FLOW_RUNS = {f"flow-{f}": _runs(f) for f in range(FLOWS)}


def answer(method: str, path: str, query: dict[str, str], body: Any) -> Any:
    """The upstream's answer to one request (both vendors share the server; their paths differ)."""
    if path == "/v2/calls":
        page = int(query.get("cursor") or 0)
        records: dict[str, Any] = {"totalRecords": len(CALLS), "currentPageSize": PER_PAGE, "currentPageNumber": page}
        if page + 1 < PAGES:
            records["cursor"] = str(page + 1)
        return {"requestId": f"req-{page}", "records": records, "calls": CALLS[page * PER_PAGE : (page + 1) * PER_PAGE]}
    if path.startswith("/v2/calls/") and method == "GET":
        return {"requestId": "req-one", "call": next(c for c in CALLS if c["id"] == path.rsplit("/", 1)[1])}
    if path == "/v2/calls/transcript":
        ids = body["filter"]["callIds"]
        found = [_transcript(i) for i in ids]
        return {"requestId": "req-t", "records": {"totalRecords": len(ids)}, "callTranscripts": found}
    if path == "/list_saved_items":
        flows = [
            {"saved_item_id": f"flow-{f}", "name": f"{TOPICS[f]} sync", "description": "Copies rows into a sheet"}
            for f in range(FLOWS)
        ]
        return {"saved_items": flows}
    if path == "/get_plrun_saved_item_map":
        runs = FLOW_RUNS[query["saved_item_id"]]
        return {"runs": [{"run_id": r["run_id"], "created_ts": r["created_ts"]} for r in runs]}
    if path == "/get_pl_run":
        flow = query["run_id"].rsplit("-", 1)[0].replace("run", "flow")
        return next(r for r in FLOW_RUNS[flow] if r["run_id"] == query["run_id"])
    return {"ok": True}


@contextmanager
def upstream(answering: Callable[[str, str, dict[str, str], Any], Any] = answer) -> Iterator[str]:
    """The loopback upstream for both vendors (``answering`` each request, ``answer`` unless given); yields its base
    URL."""

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _answer(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            parts = urlsplit(self.path)
            data = answering(self.command, parts.path, dict(parse_qsl(parts.query)), json.loads(raw) if raw else None)
            body = json.dumps(data).encode("utf-8")
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_POST = _answer

        def log_message(self, format: str, *args: object) -> None:
            """Quiet."""

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@dataclass(frozen=True)
class Task:
    """One task: the vendor, what the model searches for and describes, the calls one by one, and the code."""

    vendor: str
    name: str
    tools: tuple[tuple[str, str], ...]  # (search query, the tool it leads to)
    steps: Callable[[Call], Awaitable[Any]]
    code: str


async def _every_call(call: Call) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    cursor = None
    while True:
        page = await call(LIST_CALLS, {**SINCE, **({"cursor": cursor} if cursor else {})})
        found += page["calls"]
        cursor = page["records"].get("cursor")
        if not cursor:
            return found


async def longest_three(call: Call) -> Any:
    found = await _every_call(call)
    return [c["id"] for c in sorted(found, key=lambda c: c["duration"], reverse=True)[:3]]


async def top_speaker(call: Call) -> Any:
    longest = max(await _every_call(call), key=lambda c: c["duration"])
    answer = await call(TRANSCRIPT, {"filter": {**SINCE, "callIds": [longest["id"]]}})
    spoke: dict[str, int] = {}
    for part in answer["callTranscripts"][0]["transcript"]:
        said = sum(s["end"] - s["start"] for s in part["sentences"])
        spoke[part["speakerId"]] = spoke.get(part["speakerId"], 0) + said
    return {"call": longest["id"], "speaker": max(spoke, key=lambda k: spoke[k])}


async def one_title(call: Call) -> Any:
    return (await call(GET_CALL, {"id": CALLS[42]["id"]}))["call"]["title"]


async def most_failures(call: Call) -> Any:
    failed: dict[str, int] = {}
    for flow in (await call(FLOWS_TOOL, {}))["saved_items"]:
        runs = (await call(RUN_MAP, {"saved_item_id": flow["saved_item_id"]}))["runs"]
        for run in runs:
            state = (await call(RUN, {"run_id": run["run_id"]}))["state"]
            failed[flow["name"]] = failed.get(flow["name"], 0) + (state == "FAILED")
    worst = max(failed, key=lambda k: failed[k])
    return {"flow": worst, "failed": failed[worst]}


async def one_state(call: Call) -> Any:
    return (await call(RUN, {"run_id": "run-2-3"}))["state"]


EVERY_CALL = f"""
calls, cursor = [], None
while True:
    page = await gong.{LIST_CALLS}(fromDateTime='2024-01-01T00:00:00Z', toDateTime='2024-02-01T00:00:00Z',
                                   **({{'cursor': cursor}} if cursor else {{}}))
    calls.extend(page['calls'])
    cursor = page['records'].get('cursor')
    if not cursor:
        break
"""
TASKS = (
    Task(
        "gong",
        "three longest calls of a month",
        (("list calls", LIST_CALLS),),
        longest_three,
        EVERY_CALL + "[c['id'] for c in sorted(calls, key=lambda c: c['duration'], reverse=True)[:3]]",
    ),
    Task(
        "gong",
        "who spoke most in the month's longest call",
        (("list calls", LIST_CALLS), ("call transcript", TRANSCRIPT)),
        top_speaker,
        EVERY_CALL
        + f"""
longest = max(calls, key=lambda c: c['duration'])
found = await gong.{TRANSCRIPT}(filter={{'fromDateTime': '2024-01-01T00:00:00Z', 'toDateTime': '2024-02-01T00:00:00Z',
                                          'callIds': [longest['id']]}})
spoke = {{}}
for part in found['callTranscripts'][0]['transcript']:
    said = sum(s['end'] - s['start'] for s in part['sentences'])
    spoke[part['speakerId']] = spoke.get(part['speakerId'], 0) + said
{{'call': longest['id'], 'speaker': max(spoke, key=lambda k: spoke[k])}}
""",
    ),
    Task(
        "gong",
        "one call's title",
        (("get call by id", GET_CALL),),
        one_title,
        f"(await gong.{GET_CALL}(id={CALLS[42]['id']!r}))['call']['title']",
    ),
    Task(
        "gumloop",
        "the flow with the most failed runs",
        (("list flows", FLOWS_TOOL), ("flow run history", RUN_MAP), ("flow run status", RUN)),
        most_failures,
        f"""
failed = {{}}
for flow in (await gumloop.{FLOWS_TOOL}())['saved_items']:
    for run in (await gumloop.{RUN_MAP}(saved_item_id=flow['saved_item_id']))['runs']:
        state = (await gumloop.{RUN}(run_id=run['run_id']))['state']
        failed[flow['name']] = failed.get(flow['name'], 0) + (state == 'FAILED')
worst = max(failed, key=lambda k: failed[k])
{{'flow': worst, 'failed': failed[worst]}}
""",
    ),
    Task(
        "gumloop",
        "one flow run's state",
        (("flow run status", RUN),),
        one_state,
        f"(await gumloop.{RUN}(run_id='run-2-3'))['state']",
    ),
)
