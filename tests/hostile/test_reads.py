"""Hostile reads (issue 22, items 3, 6, 9, 10): an upstream that answers too much, forever, too slowly, with the
caller's credential echoed back, or with a redirect; and a spec host that trickles bytes to ``mcpgen``.

A generated Gong server (``gong_mcp``) is driven by a real MCP client against loopback upstreams; ``mcpgen`` is
run in process as its console script. Every test is bounded in time (a few seconds).
"""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest
from gong_mcp.runtime.settings import Settings
from gong_mcp.vendor import VENDOR

from tests.cli import mcpgen
from tests.gong_kit import BASIC, KEY, LIST_CALLS, NO_LIMITS, SECRET, SINCE, call, settings, shared_upstream, text, up
from tests.upstream import LoopbackServer, Reply, Seen, Upstream

__all__ = ["settings", "shared_upstream", "up"]  # fixtures used by name

BIG_MB = 200
PEAK_MB = 300
MB = 1024 * 1024


class Streams(LoopbackServer):
    """Chunked answers an outsider's upstream might send: ``big`` (a 200 MB JSON document), ``endless`` (a chunk
    every 50 ms, forever), ``flood`` (chunks as fast as they go, forever), ``trickle`` (a spec's headers, then a
    byte every 300 ms); ``sent`` counts the bytes written."""

    def __init__(self, mode: str, status: int = 200) -> None:
        self.mode, self.status, self.sent, self.stop = mode, status, 0, threading.Event()
        super().__init__()

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        super().__exit__(*exc)

    def chunks(self) -> Iterator[bytes]:
        """The body of the current mode, chunk by chunk (endless ones end when the server stops)."""
        if self.mode == "big":
            item = b'"' + b"x" * 1000 + b'",'
            block = item * (MB // len(item))
            yield b'{"records":{"cursor":"c2"},"calls":['
            for _ in range(BIG_MB):
                yield block
            yield b'"end"]}'
            return
        pause = {"endless": 0.05, "flood": 0.0, "trickle": 0.3}[self.mode]
        piece = b" " if self.mode == "trickle" else b"[" * 65536
        while not self.stop.is_set():
            yield piece
            time.sleep(pause)

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        streams = self

        class _Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                self.send_response(streams.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                try:
                    for chunk in streams.chunks():
                        self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                        streams.sent += len(chunk)
                    self.wfile.write(b"0\r\n\r\n")
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client hung up: what a bounded reader does

            def log_message(self, *args: object) -> None:
                pass

        return _Handler


def gong_settings(url: str, out: Path, **env: str) -> Settings:
    """A Gong server's settings against ``url``, saving under ``out``, with these ``GONG_*`` variables too."""
    base = {"GONG_BASE_URL": url, "GONG_ACCESS_KEY": KEY, "GONG_ACCESS_KEY_SECRET": SECRET, **NO_LIMITS}
    return replace(Settings.from_env(VENDOR, {**base, **env}), output_dir=out)


def test_a_200_mb_answer_leaves_the_process_under_300_mb(tmp_path: Path) -> None:
    out = tmp_path / "out"
    with Streams("big") as streams:
        child = [sys.executable, "-m", "tests.hostile.one_call", streams.url, str(out), LIST_CALLS, json.dumps(SINCE)]
        began = time.monotonic()
        done = subprocess.run(child, capture_output=True, text=True, timeout=120, check=False)
        took = time.monotonic() - began
    assert done.returncode == 0, done.stderr[-2000:]
    report = json.loads(done.stdout.splitlines()[-1])
    print(
        f"\n200 MB JSON answer: peak RSS {report['peak_mb']} MB (before the call {report['peak_mb_before_call']} MB), "
        f"{took:.1f} s"
    )
    assert report["peak_mb"] < PEAK_MB
    facts = report["structured"]
    assert not report["is_error"] and facts["truncated"] is True
    assert facts["size_bytes"] == streams.sent and facts["size_bytes"] > BIG_MB * 1_000_000
    saved = Path(facts["full_body_path"])
    assert saved.parent == out.resolve() and saved.stat().st_size == facts["size_bytes"]
    assert report["text_chars"] < 110_000  # the preview fits the 100 kB response cap
    assert not [p for p in out.iterdir() if p.name.endswith(".part")]


def test_an_endless_answer_ends_in_a_tool_error_at_the_deadline(tmp_path: Path) -> None:
    with Streams("endless") as streams:
        began = time.monotonic()
        result = call(gong_settings(streams.url, tmp_path / "out", GONG_ANSWER_TIMEOUT="2"), LIST_CALLS, SINCE)
        took = time.monotonic() - began
    print(f"\nendless chunked answer: a tool error after {took:.2f} s (deadline 2 s)")
    assert result.is_error and "within 2 s" in text(result) and "GONG_ANSWER_TIMEOUT" in text(result)
    assert took < 4.0
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())


def test_an_endless_flood_is_cut_at_the_size_cap(tmp_path: Path) -> None:
    env = {"GONG_MAX_DOWNLOAD_BYTES": str(30 * MB), "GONG_ANSWER_TIMEOUT": "20"}
    with Streams("flood") as streams:
        began = time.monotonic()
        result = call(gong_settings(streams.url, tmp_path / "out", **env), LIST_CALLS, SINCE)
        took = time.monotonic() - began
    print(f"\nendless fast answer: a tool error after {took:.2f} s and {streams.sent / MB:.0f} MB sent (cap 30 MB)")
    assert result.is_error and f"{30 * MB:,} bytes" in text(result)
    assert took < 15.0
    assert not list((tmp_path / "out").iterdir())  # the partial file is gone


def test_an_endless_error_body_is_read_only_as_far_as_the_memory_cap(tmp_path: Path) -> None:
    with Streams("flood", status=500) as streams:
        began = time.monotonic()
        result = call(gong_settings(streams.url, tmp_path / "out", GONG_ANSWER_TIMEOUT="20"), LIST_CALLS, SINCE)
        took = time.monotonic() - began
    print(f"\nendless 500 answer: a tool error after {took:.2f} s and {streams.sent / MB:.0f} MB sent")
    assert result.is_error and "HTTP 500" in text(result) and took < 10.0
    assert streams.sent < 64 * MB  # its first 8 MB were read, the rest never
    assert not (tmp_path / "out").exists()


def test_json_nested_past_the_parser_is_a_tool_error(up: Upstream, settings: Settings) -> None:
    up.route("GET", "/v2/calls", Reply(200, "[" * 200_000, {"Content-Type": "application/json"}))
    result = call(settings, LIST_CALLS, SINCE)
    assert result.is_error and "nested too deeply" in text(result)


def echo(seen: Seen) -> Reply:
    """A vendor that echoes the request (headers and query) back in a 2xx answer, as httpbin does."""
    return Reply(200, {"headers": seen.headers, "query": seen.query, "note": f"you sent {seen.headers}"})


def test_a_2xx_answer_that_echoes_the_credential_does_not_hand_it_over(up: Upstream, settings: Settings) -> None:
    up.route("GET", "/v2/calls", echo)
    result = call(settings, LIST_CALLS, SINCE)
    assert not result.is_error and up.seen[0].headers["Authorization"] == f"Basic {BASIC}"
    shown = text(result) + json.dumps(result.structured_content) + json.dumps(result.meta)
    for value in (KEY, SECRET, BASIC, f"{KEY}:{SECRET}"):
        assert value not in shown
    assert "[redacted]" in json.dumps(result.structured_content)


def test_a_failure_that_echoes_the_credential_does_not_hand_it_over(up: Upstream, settings: Settings) -> None:
    up.route("GET", "/v2/calls", lambda seen: Reply(400, {"message": f"bad header {seen.headers['Authorization']}"}))
    result = call(settings, LIST_CALLS, SINCE)
    shown = text(result) + json.dumps(result.structured_content)
    assert result.is_error and BASIC not in shown and SECRET not in shown and "HTTP 400" in shown


def test_a_vendor_redirect_is_a_tool_error_naming_the_location(up: Upstream, settings: Settings) -> None:
    elsewhere = f"{up.url}/elsewhere?stolen=1"
    up.route("GET", "/v2/calls", Reply(302, b"", {"Location": elsewhere}))
    result = call(settings, LIST_CALLS, SINCE)
    assert result.is_error and "HTTP 302" in text(result) and elsewhere in text(result)
    assert result.structured_content is not None and result.structured_content["location"] == elsewhere
    assert [seen.path for seen in up.seen] == ["/v2/calls"]  # never followed, so no credential went there


@pytest.mark.parametrize("command", ["init", "pull", "generate"])
def test_mcpgen_downloads_end_at_their_deadline(
    command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("MCPGEN_DOWNLOAD_TIMEOUT", "2")
    with Streams("trickle") as streams:
        url = f"{streams.url}/openapi.json"
        began = time.monotonic()
        run = mcpgen(capsys, monkeypatch, *mcpgen_args(command, url, tmp_path))
        took = time.monotonic() - began
    print(f"\nmcpgen {command} from a trickling host: exit {run.code} after {took:.2f} s (deadline 2 s)")
    assert run.code != 0 and took < 4.0
    said = [line for line in run.lines if url in line]
    assert said and "2 s" in said[0] and "deadline" in said[0]
    assert written(tmp_path) == before_files(command, tmp_path)


def test_mcpgen_downloads_stop_at_the_size_cap(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("MCPGEN_DOWNLOAD_MAX_BYTES", str(5 * MB))
    with Streams("flood") as streams:
        url = f"{streams.url}/openapi.json"
        began = time.monotonic()
        run = mcpgen(capsys, monkeypatch, "generate", "--spec", url, "--name", "acme", "--out", "gen")
        took = time.monotonic() - began
    assert run.code != 0 and took < 10.0
    said = [line for line in run.lines if url in line]
    assert said and f"{5 * MB:,} bytes" in said[0] and "cap" in said[0]
    assert not (tmp_path / "gen").exists()


CONFIG = 'name = "acme"\n\n[spec]\nurl = "{url}"\n'


def mcpgen_args(command: str, url: str, root: Path) -> list[str]:
    """The command line that makes ``mcpgen COMMAND`` download ``url``."""
    if command == "init":
        return ["init", "--spec", url, "--name", "acme", "--requirement", "mcpgen==0.1.0"]
    if command == "pull":
        (root / "acme.toml").write_text(CONFIG.format(url=url), encoding="utf-8")
        return ["pull", "acme.toml"]
    return ["generate", "--spec", url, "--name", "acme", "--out", "gen"]


def before_files(command: str, root: Path) -> list[str]:
    """What the test itself put in ``root`` before the run."""
    return ["acme.toml"] if command == "pull" else []


def written(root: Path) -> list[str]:
    """Every file under ``root``, relative."""
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def test_a_download_bound_that_does_not_parse_is_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("MCPGEN_DOWNLOAD_TIMEOUT", "soon")
    run = mcpgen(capsys, monkeypatch, "generate", "--spec", "http://127.0.0.1:9/openapi.json", "--name", "acme")
    assert run.code != 0 and any("MCPGEN_DOWNLOAD_TIMEOUT" in line and "'soon'" in line for line in run.lines)
    assert written(tmp_path) == []


@contextmanager
def read_only(folder: Path) -> Iterator[Path]:
    """``folder``, made so that nothing can be written in it: read-only, and immutable when run as root (whom
    permissions do not stop)."""
    folder.mkdir(parents=True, exist_ok=True)
    folder.chmod(0o555)
    immutable = os.geteuid() == 0
    if immutable and subprocess.run(["chattr", "+i", str(folder)], capture_output=True, check=False).returncode:
        folder.chmod(0o755)
        pytest.skip("root, and chattr +i is refused here: no folder root cannot write in")
    try:
        yield folder
    finally:
        if immutable:
            subprocess.run(["chattr", "-i", str(folder)], check=True)
        folder.chmod(0o755)


def big_page(index: int) -> dict[str, object]:
    """A page of calls of about 3 KB, different for each ``index``."""
    return {"records": {"totalRecords": 1}, "calls": [{"id": f"{index}-{n}", "title": "x" * 100} for n in range(25)]}


@pytest.mark.parametrize("size", ["small", "large"])  # saved whole from memory; written as it arrives
def test_an_answer_the_output_folder_cannot_take_is_one_line_with_the_reason_and_leaves_nothing(
    up: Upstream, settings: Settings, tmp_path: Path, size: str
) -> None:
    # The audit: answers of 100 KB - 8 MB on a read-only folder were "Error executing tool", with no reason.
    body = big_page(0) if size == "small" else {"calls": ["x" * 1000] * 10_000}  # 3 KB, or 10 MB: past 8 MB
    up.route("GET", "/v2/calls", Reply(200, body))
    with read_only(tmp_path / "out") as out:
        result = call(replace(settings, max_response_bytes=1000), LIST_CALLS, SINCE)
        reason, hint = text(result).split("\n")  # the reason on one line, then what to do
        assert result.is_error and f"saving it under {out} failed: " in reason and reason.endswith("nothing was kept")
        assert "GONG_OUTPUT_DIR" in hint
        assert list(out.iterdir()) == []


def test_saved_answers_are_kept_under_the_total_and_the_retention_oldest_first(
    up: Upstream, settings: Settings, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    stale = out / "0123456789abcdef.json"
    stale.write_text("{}", encoding="utf-8")
    mine = out / "notes.txt"  # not a saved answer: never counted, never deleted
    mine.write_text("mine", encoding="utf-8")
    for old in (stale, mine):
        os.utime(old, (time.time() - 8 * 86_400,) * 2)  # older than the default retention of 7 days
    pages = iter(range(100))
    up.route("GET", "/v2/calls", lambda _seen: Reply(200, big_page(next(pages))))
    capped = replace(Settings.from_env(VENDOR, {**settings.env, "GONG_OUTPUT_MAX_BYTES": "7000"}), output_dir=out)
    saved = []
    for _ in range(4):
        result = call(replace(capped, max_response_bytes=1000), LIST_CALLS, SINCE)
        assert not result.is_error and result.structured_content is not None
        links = [block for block in result.content if block.type == "resource_link"]
        saved.append(Path(links[0].uri.removeprefix("file://")))  # the file the answer links to, whole
    assert not stale.exists() and mine.exists()  # past the retention: gone at the first save
    left = sorted(set(out.iterdir()) - {mine})
    assert sum(path.stat().st_size for path in left) <= 7000  # the total holds, the oldest went first
    assert saved[-1] in left and saved[-2] in left and saved[0] not in left


def test_a_gzip_bomb_is_stopped_early_and_leaves_nothing(up: Upstream, settings: Settings, tmp_path: Path) -> None:
    # The audit: a 0.5 MB gzip answer left a 524 MB file; a 3 GB one wrote 1.97 GB before the download cap.
    packed = gzip.compress(b"\0" * (100 * MB), compresslevel=9)
    headers = {"Content-Type": "application/octet-stream", "Content-Encoding": "gzip"}
    up.route("GET", "/v2/calls", Reply(200, packed, headers))
    result = call(settings, LIST_CALLS, SINCE)
    assert result.is_error and "compression bomb" in text(result) and "nothing was kept" in text(result)
    unpacked = int(text(result).split("unpacked to over ")[1].split(" bytes")[0].replace(",", ""))
    assert unpacked < 25 * MB  # stopped once the ratio showed (200 times what came), not at the download cap
    assert not (tmp_path / "out").exists() or list((tmp_path / "out").iterdir()) == []
