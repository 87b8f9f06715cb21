"""Fake Gong and Gumloop upstreams of realistic size, with the ground truth the answer tasks are checked against.

Gong: 1,000 calls from November 2024 to January 2025 (350 in December), 40 users, extensive calls with their
parties (a page of 100 is over the 100 kB answer cap), transcripts as long as the call (two hours: about 190 kB).
Gumloop: 40 saved flows and 400 runs, of which the run history answers each flow's 10 most recent, as the vendor
says it does. Everything is made from fixed seeds: the same on every run.
"""

from __future__ import annotations

import json
import random
import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

MONTH = {"fromDateTime": "2024-12-01T00:00:00Z", "toDateTime": "2025-01-01T00:00:00Z"}
DECEMBER = ("2024-12-01", "2025-01-01")
PER_PAGE, HISTORY = 100, 10
FIRST = ("Ana", "Ben", "Chloe", "Dev", "Eli", "Fay", "Gus", "Hana", "Ivo", "Jade")
LAST = ("Ito", "Khan", "Lopez", "Meyer", "Novak", "Okafor", "Park", "Quinn")
TOPICS = ("Discovery", "Pricing review", "Security questionnaire", "Renewal", "Onboarding", "Demo", "QBR")
ACCOUNTS = ("Globex", "Initech", "Umbrella", "Hooli", "Stark Industries", "Wayne Enterprises", "Acme", "Soylent")
WORDS = "the rollout plan pricing tiers integration timeline security review budget approval renewal seats".split()


def _stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _users() -> list[dict[str, Any]]:
    return [
        {
            "id": str(5_100_000 + n * 17),
            "emailAddress": f"{FIRST[n % 10].lower()}.{LAST[n % 8].lower()}{n}@acme.test",
            "firstName": FIRST[n % 10],
            "lastName": f"{LAST[n % 8]}{n}",
            "title": "Account Executive" if n % 3 else "Sales Engineer",
            "active": True,
        }
        for n in range(40)
    ]


USERS = _users()


def _parties(pick: random.Random, host: dict[str, Any], n: int) -> list[dict[str, Any]]:
    count = pick.choice((2, 2, 3, 4, 5, 6, 8))
    found = [
        {"id": f"p{n}-0", "name": f"{host['firstName']} {host['lastName']}", "emailAddress": host["emailAddress"],
         "userId": host["id"], "speakerId": f"s{n}-0", "affiliation": "Internal", "methods": ["Invitee"]}
    ]  # fmt: skip
    for k in range(1, count):
        name = f"{pick.choice(FIRST)} {pick.choice(LAST)}"
        found.append(
            {"id": f"p{n}-{k}", "name": name, "emailAddress": f"guest{n}.{k}@{pick.choice(ACCOUNTS).lower()}.test",
             "title": pick.choice(("CFO", "IT Director", "Buyer", "VP Sales")), "speakerId": f"s{n}-{k}",
             "affiliation": "External", "methods": ["Invitee"]}
        )  # fmt: skip
    return found


def _calls() -> list[dict[str, Any]]:
    """1,000 calls in time order: 350 in December, the rest in November and January; one of two hours."""
    pick = random.Random(30)
    starts = [datetime(2024, 12, 1, tzinfo=UTC) + timedelta(minutes=pick.randrange(31 * 24 * 60)) for _ in range(350)]
    starts += [datetime(2024, 11, 1, tzinfo=UTC) + timedelta(minutes=pick.randrange(30 * 24 * 60)) for _ in range(325)]
    starts += [datetime(2025, 1, 1, tzinfo=UTC) + timedelta(minutes=pick.randrange(31 * 24 * 60)) for _ in range(325)]
    calls = []
    for n, start in enumerate(sorted(starts)):
        host = pick.choice(USERS)
        ident = str(7_700_000_000_000_000 + n * 7919)
        duration = 300 + pick.randrange(3300) * 1 + n % 7  # distinct enough; the month's longest is set below
        calls.append(
            {
                "id": ident, "url": f"https://app.gong.io/call?id={ident}",
                "title": f"{pick.choice(TOPICS)} with {pick.choice(ACCOUNTS)}", "scheduled": _stamp(start),
                "started": _stamp(start + timedelta(seconds=pick.randrange(30, 300))), "duration": duration,
                "primaryUserId": host["id"], "direction": "Conference", "system": "Zoom", "scope": "External",
                "media": "Video", "language": "eng", "_parties": _parties(pick, host, n),
            }
        )  # fmt: skip
    december = [c for c in calls if DECEMBER[0] <= c["started"] < DECEMBER[1]]
    december[len(december) // 2]["duration"] = 7200  # a two-hour call
    return calls


CALLS = _calls()


def _basic(call: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in call.items() if not key.startswith("_")}


def _extensive(call: dict[str, Any], parties: bool) -> dict[str, Any]:
    found: dict[str, Any] = {"metaData": _basic(call)}
    if parties:
        found["parties"] = call["_parties"]
    return found


def transcript(call: dict[str, Any]) -> dict[str, Any]:
    """A transcript as long as the call: a sentence every four seconds or so, in turns of a few sentences."""
    pick = random.Random(call["id"])
    speakers = [party["speakerId"] for party in call["_parties"]]
    weights = [pick.randrange(1, 10) for _ in speakers]
    parts, clock, end = [], 0, call["duration"] * 1000
    while clock < end:
        sentences = []
        for _ in range(pick.randrange(1, 6)):
            length = pick.randrange(2500, 6000)
            text = " ".join(pick.choice(WORDS) for _ in range(pick.randrange(6, 11))).capitalize() + "."
            sentences.append({"start": clock, "end": clock + length, "text": text})
            clock += length
        speaker = pick.choices(speakers, weights)[0]
        parts.append({"speakerId": speaker, "topic": pick.choice(TOPICS), "sentences": sentences})
    return {"callId": call["id"], "transcript": parts}


def _page(found: list[dict[str, Any]], cursor: str | None, key: str) -> dict[str, Any]:
    number = int(cursor or 0)
    records: dict[str, Any] = {"totalRecords": len(found), "currentPageSize": 0, "currentPageNumber": number}
    shown = found[number * PER_PAGE : (number + 1) * PER_PAGE]
    records["currentPageSize"] = len(shown)
    if (number + 1) * PER_PAGE < len(found):
        records["cursor"] = str(number + 1)
    return {"requestId": f"req-{key}-{number}", "records": records, key: shown}


def _in(call: dict[str, Any], since: str | None, until: str | None) -> bool:
    return (since is None or call["started"] >= since[:19]) and (until is None or call["started"] < until[:19])


def gong(method: str, path: str, query: dict[str, str], body: Any) -> Any:
    """Gong's answer to one request."""
    if path == "/v2/users":
        return _page(USERS, query.get("cursor"), "users")
    if path == "/v2/calls" and method == "GET":
        found = [_basic(c) for c in CALLS if _in(c, query.get("fromDateTime"), query.get("toDateTime"))]
        return _page(found, query.get("cursor"), "calls")
    if path in ("/v2/calls/extensive", "/v2/calls/transcript"):
        rules = body.get("filter") or {}
        ids = set(rules.get("callIds") or ())
        chosen = [
            c
            for c in CALLS
            if (not ids or c["id"] in ids) and _in(c, rules.get("fromDateTime"), rules.get("toDateTime"))
        ]
        if path.endswith("transcript"):
            return _page([transcript(c) for c in chosen], body.get("cursor"), "callTranscripts")
        parties = bool(((body.get("contentSelector") or {}).get("exposedFields") or {}).get("parties"))
        return _page([_extensive(c, parties) for c in chosen], body.get("cursor"), "calls")
    return None


def _flows() -> tuple[list[dict[str, Any]], dict[str, list[dict[str, Any]]]]:
    """40 flows and 400 runs between mid-November and mid-January, most recent first; some flows run far more."""
    pick = random.Random(12)
    flows = [
        {"saved_item_id": f"si-{n:03d}", "name": f"{TOPICS[n % 7]} sync {n}", "description": "Copies rows into a sheet",
         "created_ts": "2024-06-01T09:00:00Z"}
        for n in range(40)
    ]  # fmt: skip
    weights = [pick.choice((1, 1, 1, 4, 6)) for _ in flows]
    runs: dict[str, list[dict[str, Any]]] = {flow["saved_item_id"]: [] for flow in flows}
    for n in range(400):
        flow = pick.choices(flows, weights)[0]
        began = datetime(2024, 11, 15, tzinfo=UTC) + timedelta(minutes=pick.randrange(61 * 24 * 60))
        failing = 0.1 + 0.5 * (int(flow["saved_item_id"][3:]) % 5 == 0)
        state = "FAILED" if pick.random() < failing else "DONE"
        runs[flow["saved_item_id"]].append(
            {"run_id": f"run-{n:04d}", "state": state, "created_ts": _stamp(began),
             "finished_ts": _stamp(began + timedelta(minutes=pick.randrange(1, 40)))}
        )  # fmt: skip
    for found in runs.values():
        found.sort(key=lambda run: run["created_ts"], reverse=True)
    return flows, runs


FLOWS, RUNS = _flows()


def gumloop(method: str, path: str, query: dict[str, str], body: Any) -> Any:
    """Gumloop's answer to one request: its run history holds each flow's 10 most recent runs."""
    if path == "/list_saved_items":
        return {"saved_items": FLOWS}
    if path == "/get_plrun_saved_item_map":
        ident = query.get("saved_item_id", "")
        return {ident: RUNS.get(ident, [])[:HISTORY]}
    return None


@contextmanager
def upstreams() -> Iterator[str]:
    """Both fakes on one loopback server (their paths differ); yields its base URL."""

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _answer(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            parts = urlsplit(self.path)
            asked = (self.command, parts.path, dict(parse_qsl(parts.query)), json.loads(raw) if raw else {})
            data = gong(*asked) if parts.path.startswith("/v2/") else gumloop(*asked)
            body = json.dumps(data if data is not None else {"errors": ["not found"]}).encode("utf-8")
            self.send_response(200 if data is not None else 404)
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


# --- the ground truth ---------------------------------------------------------------------------------------


def december_calls() -> list[dict[str, Any]]:
    """The calls that started in December."""
    return [c for c in CALLS if DECEMBER[0] <= c["started"] < DECEMBER[1]]


def truth_longest_three() -> list[str]:
    """The three longest December calls with more than two participants."""
    crowded = [c for c in december_calls() if len(c["_parties"]) > 2]
    return [c["id"] for c in sorted(crowded, key=lambda c: c["duration"], reverse=True)[:3]]


def truth_top_speaker() -> str:
    """The name of whoever spoke longest in December's longest call."""
    longest = max(december_calls(), key=lambda c: c["duration"])
    spoke: Counter[str] = Counter()
    for part in transcript(longest)["transcript"]:
        spoke[part["speakerId"]] += sum(s["end"] - s["start"] for s in part["sentences"])
    speaker = spoke.most_common(1)[0][0]
    return next(p["name"] for p in longest["_parties"] if p["speakerId"] == speaker)


def truth_hosted() -> dict[str, int]:
    """December calls hosted per user, by full name."""
    names = {u["id"]: f"{u['firstName']} {u['lastName']}" for u in USERS}
    return dict(Counter(names[c["primaryUserId"]] for c in december_calls()))


def truth_failures() -> dict[str, int]:
    """December's failed runs per flow, by name, from every run (not only the ten the vendor answers)."""
    names = {f["saved_item_id"]: f["name"] for f in FLOWS}
    return {
        names[ident]: sum(r["state"] == "FAILED" and DECEMBER[0] <= r["created_ts"] < DECEMBER[1] for r in runs)
        for ident, runs in RUNS.items()
    }


def truth_hidden_december() -> set[str]:
    """The flows with December runs the vendor's ten most recent leave out."""
    names = {f["saved_item_id"]: f["name"] for f in FLOWS}
    return {
        names[ident]
        for ident, runs in RUNS.items()
        if any(DECEMBER[0] <= r["created_ts"] < DECEMBER[1] for r in runs[HISTORY:])
    }
