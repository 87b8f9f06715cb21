"""A generated server against a misbehaving vendor: a real MCP client → gong_mcp → a scripted upstream on 127.0.0.1.

Rate limits and retries, upstream faults as tool errors, big answers, and hostile arguments.
"""

from __future__ import annotations

import json
import time
from dataclasses import replace
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import anyio
import pytest
from gong_mcp.operations import OPERATIONS
from gong_mcp.runtime.contract import Operation, ParamSpec
from gong_mcp.runtime.dispatch.dispatcher import Dispatcher as Gateway
from gong_mcp.runtime.serve.cli import parse_args
from gong_mcp.runtime.settings import Settings
from gong_mcp.server import create_server
from gong_mcp.vendor import VENDOR
from mcp import Client
from mcp.types import CallToolResult

from tests.gong_kit import (
    BASIC,
    GET_CALL,
    KEY,
    LIST_CALLS,
    MEETING_STATUS,
    SECRET,
    SINCE,
    call,
    free_port,
    settings,
    shared_upstream,
    text,
    up,
)
from tests.upstream import Reply, Seen, Upstream, sequence

__all__ = ["settings", "shared_upstream", "up"]  # fixtures used by name


# --- rate limits and retries -------------------------------------------------------------------------------


def test_429_with_retry_after_succeeds_on_retry(up: Upstream, settings: Settings) -> None:
    limited = Reply(429, {"errors": ["slow down"]}, {"Retry-After": "1", "X-RateLimit-Limit": "3"})
    fine = Reply(200, {"calls": [{"id": "1"}]}, {"X-RateLimit-Limit": "3", "X-RateLimit-Remaining": "2"})
    up.route("GET", "/v2/calls", sequence(limited, fine))
    result = call(settings, LIST_CALLS, SINCE)
    assert not result.is_error, text(result)
    assert result.structured_content["calls"] == [{"id": "1"}]
    assert len(up.seen) == 2
    assert result.meta["io.mcpgen/retries"] == 1
    assert result.meta["ratelimit-limit"] == 3
    assert result.meta["ratelimit-remaining"] == 2


def test_exhausted_retries_say_when_to_try_again(up: Upstream, settings: Settings) -> None:
    body = {"requestId": "req-429", "errors": ["API call quota exceeded"]}
    up.route("GET", "/v2/calls", Reply(429, body, {"Retry-After": "1", "RateLimit-Remaining": "0"}))
    result = call(replace(settings, max_retries=1), LIST_CALLS, SINCE)
    assert result.is_error
    assert len(up.seen) == 2
    message = text(result)
    assert "HTTP 429" in message and "API call quota exceeded" in message and "req-429" in message
    assert "after 1 retry" in message
    assert "try again in 1 s (after " in message
    assert result.structured_content["retry_after_s"] == 1
    assert result.meta["ratelimit-remaining"] == 0 and result.meta["ratelimit-reset"] == 1


def test_a_wait_longer_than_the_cap_is_not_slept(up: Upstream, settings: Settings) -> None:
    up.route("GET", "/v2/calls", Reply(429, {"errors": ["daily limit"]}, {"Retry-After": "3600"}))
    result = call(settings, LIST_CALLS, SINCE)
    assert result.is_error
    assert len(up.seen) == 1
    assert "try again in 3600 s" in text(result)


def test_503_on_a_read_is_retried_with_backoff(up: Upstream, settings: Settings) -> None:
    up.route("GET", "/v2/calls", sequence(Reply(503, "busy"), Reply(200, {"calls": []})))
    result = call(settings, LIST_CALLS, SINCE)
    assert not result.is_error, text(result)
    assert len(up.seen) == 2


def test_a_non_idempotent_post_is_not_retried(up: Upstream, settings: Settings) -> None:
    up.route("POST", "/v2/meetings/integration/status", Reply(429, {"errors": ["slow"]}, {"Retry-After": "0"}))
    result = call(settings, MEETING_STATUS, {"emails": ["a@example.com"]})
    assert result.is_error
    assert len(up.seen) == 1
    assert "HTTP 429" in text(result)


def test_ietf_fields_come_from_vendor_headers(up: Upstream, settings: Settings) -> None:
    reset = str(int(time.time()) + 30)  # a Unix time, as many vendors send it
    headers = {"X-RateLimit-Limit": "10000", "X-RateLimit-Remaining": "9999", "X-RateLimit-Reset": reset}
    up.route("GET", "/v2/calls", Reply(200, {"calls": []}, headers))
    meta = call(settings, LIST_CALLS, SINCE).meta
    assert meta["ratelimit-limit"] == 10000 and meta["ratelimit-remaining"] == 9999
    assert 0 < meta["ratelimit-reset"] <= 31
    up.route("GET", "/v2/calls", Reply(200, {"calls": []}, {"RateLimit": '"default";r=7;t=12'}))
    meta = call(settings, LIST_CALLS, SINCE).meta
    assert meta["ratelimit-remaining"] == 7 and meta["ratelimit-reset"] == 12


# --- upstream faults ---------------------------------------------------------------------------------------


def test_a_500_carries_status_message_request_id_and_a_hint(up: Upstream, settings: Settings) -> None:
    up.route("GET", "/v2/calls/42", Reply(500, {"requestId": "4al018gzaztcr8nbukw", "errors": ["internal failure"]}))
    result = call(settings, GET_CALL, {"id": "42"})
    assert result.is_error
    first, hint = text(result).split("\n")
    assert "HTTP 500" in first and "internal failure" in first and "4al018gzaztcr8nbukw" in first
    assert hint.startswith("What to do: ")
    assert result.structured_content["status"] == 500
    assert result.structured_content["request_id"] == "4al018gzaztcr8nbukw"


def test_a_403_names_the_scope_the_tool_needs(up: Upstream, settings: Settings) -> None:
    up.route("GET", "/v2/calls", Reply(403, {"requestId": "r-403", "errors": ["Forbidden"]}))
    result = call(settings, LIST_CALLS, SINCE)
    assert result.is_error
    assert all(scope in text(result) for scope in OPERATIONS[LIST_CALLS].scopes)


def test_a_slow_vendor_times_out_with_a_hint(up: Upstream, settings: Settings) -> None:
    up.route("GET", "/v2/calls/slow", Reply(200, {"late": True}, delay=1.0))
    result = call(replace(settings, read_timeout=0.2, max_retries=1), GET_CALL, {"id": "slow"})
    assert result.is_error
    assert "timed out" in text(result) and "(also on 1 retry)" in text(result) and "GONG_READ_TIMEOUT" in text(result)
    assert len(up.seen) == 2 and result.structured_content["retries"] == 1


def test_a_read_whose_answer_is_late_once_is_sent_again(up: Upstream, settings: Settings) -> None:
    up.route("GET", "/v2/calls/x", sequence(Reply(200, {"late": True}, delay=1.0), Reply(200, {"id": "x"})))
    result = call(replace(settings, read_timeout=0.2), GET_CALL, {"id": "x"})
    assert not result.is_error, text(result)
    assert result.structured_content == {"id": "x"} and result.meta["io.mcpgen/retries"] == 1
    assert len(up.seen) == 2


def test_a_write_whose_answer_is_lost_is_not_sent_twice(up: Upstream, settings: Settings) -> None:
    up.route("POST", "/v2/meetings/integration/status", Reply(200, {"ok": True}, delay=1.0))
    result = call(replace(settings, read_timeout=0.2), MEETING_STATUS, {"emails": ["a@example.com"]})
    assert result.is_error and "timed out" in text(result) and "retr" not in text(result)
    assert len(up.seen) == 1  # it may have arrived: sending it again could do it twice


def test_a_dropped_connection_on_a_read_is_retried(up: Upstream, settings: Settings) -> None:
    tries: list[int] = []

    def hang_up_once(_seen: Seen) -> Reply:
        tries.append(1)
        if len(tries) == 1:
            raise ConnectionResetError("the upstream hung up")
        return Reply(200, {"id": "back"})

    up.route("GET", "/v2/calls/flaky", hang_up_once)
    result = call(settings, GET_CALL, {"id": "flaky"})
    assert not result.is_error, text(result)
    assert result.structured_content == {"id": "back"} and len(tries) == 2


def test_a_refused_connection_points_at_the_base_url(settings: Settings) -> None:
    nobody = replace(settings, base_url=f"http://127.0.0.1:{free_port()}", max_retries=0)
    result = call(nobody, GET_CALL, {"id": "1"})
    assert result.is_error
    assert "cannot reach" in text(result) and "GONG_BASE_URL" in text(result)


def test_a_refused_connection_is_tried_again_even_for_a_write(settings: Settings) -> None:
    # Nothing was sent, so sending again cannot do the write twice.
    nobody = replace(settings, base_url=f"http://127.0.0.1:{free_port()}", max_retries=1)
    result = call(nobody, MEETING_STATUS, {"emails": ["a@example.com"]})
    assert result.is_error
    assert "cannot reach" in text(result) and "(also on 1 retry)" in text(result)


@pytest.mark.parametrize(
    ("reply", "expected"),
    [
        (Reply(200, b"{not json", {"Content-Type": "application/json"}), "invalid JSON"),
        (Reply(502, b"<html>Bad Gateway</html>", {"Content-Type": "text/html"}), "HTTP 502"),
        (Reply(404, b"", {"Content-Type": "application/json"}), "HTTP 404"),
    ],
)
def test_garbage_and_empty_error_bodies_are_tool_errors(
    up: Upstream, settings: Settings, reply: Reply, expected: str
) -> None:
    up.route("GET", "/v2/calls/x", reply)
    result = call(settings, GET_CALL, {"id": "x"})
    assert result.is_error
    assert expected in text(result)


def test_empty_and_non_json_successes_are_results(up: Upstream, settings: Settings) -> None:
    up.route("GET", "/v2/calls/empty", Reply(200, b"", {"Content-Type": "application/json"}))
    up.route("GET", "/v2/calls/html", Reply(200, "<p>plain page</p>", {"Content-Type": "text/html"}))
    empty = call(settings, GET_CALL, {"id": "empty"})
    assert not empty.is_error and empty.structured_content == {"status": 200, "body": None}
    page = call(settings, GET_CALL, {"id": "html"})
    assert not page.is_error and text(page) == "<p>plain page</p>"


def test_secrets_are_redacted_from_errors(up: Upstream, settings: Settings) -> None:
    def echo(seen: Seen) -> Reply:
        return Reply(401, {"errors": [f"bad header Authorization: {seen.headers['Authorization']} for {SECRET}"]})

    up.route("GET", "/v2/calls/1", echo)
    result = call(settings, GET_CALL, {"id": "1"})
    assert result.is_error
    dumped = result.model_dump_json()
    assert SECRET not in dumped and BASIC not in dumped and KEY not in dumped
    assert "[redacted]" in text(result)


def test_a_huge_answer_is_cut_between_records_and_saved_whole(up: Upstream, settings: Settings) -> None:
    big = {"records": {"cursor": "c2"}, "calls": [{"id": str(i), "title": "x" * 200} for i in range(2000)]}
    up.route("GET", "/v2/calls", Reply(200, big))
    result = call(settings, LIST_CALLS, SINCE)
    assert not result.is_error
    shown = json.loads(result.content[0].text)  # whole JSON: never a record cut in two
    kept = len(shown["calls"])
    assert shown == {"records": {"cursor": "c2"}, "calls": big["calls"][:kept]} and kept > 100
    assert len(text(result).encode("utf-8")) <= settings.max_response_bytes
    facts = result.meta["io.mcpgen/truncated"]
    assert facts["records"] == "calls" and facts["shown"] == kept and facts["total"] == 2000
    saved = Path(facts["saved_to"])
    assert json.loads(saved.read_bytes()) == big and facts["size_bytes"] == saved.stat().st_size
    link = next(block for block in result.content if block.type == "resource_link")
    assert link.uri == saved.as_uri() and link.size == saved.stat().st_size
    assert saved.is_relative_to(settings.output_dir.resolve())
    note = result.content[1].text
    assert f"shows {kept} of the 2000 records in calls" in note and 'select="calls[].{id: id, title: title}"' in note
    assert 'next_cursor="c2"' in note  # the way on survives the cut


def test_a_dropped_connection_is_a_tool_error(up: Upstream, settings: Settings) -> None:
    def hang_up(_seen: Seen) -> Reply:
        raise ConnectionResetError("the upstream hung up")  # the handler dies: no response at all

    up.route("GET", "/v2/calls/gone", hang_up)
    result = call(replace(settings, max_retries=0), GET_CALL, {"id": "gone"})
    assert result.is_error
    assert "cannot reach" in text(result) and "What to do:" in text(result)


def test_max_rps_spaces_requests_out(up: Upstream, settings: Settings) -> None:
    arrivals: list[float] = []

    def stamp(_seen: Seen) -> Reply:
        arrivals.append(time.monotonic())
        return Reply(200, {"ok": True})

    up.route("GET", "/v2/calls/paced", stamp)

    async def go() -> list[CallToolResult]:
        async with Client(create_server(replace(settings, max_rps=10))) as client:
            found: list[CallToolResult] = []

            async def one() -> None:
                found.append(await client.call_tool(GET_CALL, {"id": "paced"}))

            async with anyio.create_task_group() as group:
                for _ in range(5):
                    group.start_soon(one)
            return found

    assert not any(r.is_error for r in anyio.run(go))
    # Five sends at 10/s start at least 0.4 s apart end to end; a slow first connection may eat some of
    # that, so the floor is half. Unpaced, they all arrive within a few milliseconds.
    assert len(arrivals) == 5 and max(arrivals) - min(arrivals) >= 0.2


# --- hostile arguments -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("call_id", "wire"), [("../../admin", "..%2F..%2Fadmin"), ("a/b?x=1", "a%2Fb%3Fx%3D1"), ("..", "%2E%2E")]
)
def test_path_parameters_stay_in_their_segment(up: Upstream, settings: Settings, call_id: str, wire: str) -> None:
    result = call(settings, GET_CALL, {"id": call_id})
    assert not result.is_error, text(result)
    assert [(s.method, s.path, s.query) for s in up.seen] == [("GET", f"/v2/calls/{wire}", [])]
    assert unquote(up.seen[0].path.rsplit("/", 1)[1]) == call_id


def test_header_line_breaks_are_refused_before_sending(up: Upstream, settings: Settings) -> None:
    op = Operation("echo", "GET", "/v2/echo", params=(ParamSpec("trace", "X-Trace", "header"),), read_only=True)

    async def go() -> CallToolResult:
        return await Gateway(VENDOR, settings).call(op, {"trace": "ok\r\nX-Injected: 1"})

    result = anyio.run(go)
    assert result.is_error
    assert "'trace'" in text(result) and "line break" in text(result)
    assert up.seen == []


@pytest.mark.parametrize(
    ("args", "field"),
    [({**SINCE, "fromDateTime": {"not": "a date"}}, "fromDateTime"), ({**SINCE, "max_pages": 11}, "max_pages")],
)
def test_a_bad_argument_names_the_field_and_sends_nothing(
    up: Upstream, settings: Settings, args: dict[str, Any], field: str
) -> None:
    result = call(settings, LIST_CALLS, args)
    assert result.is_error
    assert field in text(result)
    assert up.seen == []


# --- command line ------------------------------------------------------------------------------------------


def test_command_line_limits_override_the_environment(tmp_path: Path) -> None:
    env = {"GONG_MAX_RETRIES": "5", "GONG_MAX_RPS": "1", "GONG_READ_TIMEOUT": "9"}
    argv = ["--max-rps", "2.5", "--max-retries", "0", "--connect-timeout", "3", "--max-response-bytes", "5000"]
    args = parse_args("gong-mcp", [*argv, "--output-dir", str(tmp_path), "--methods", "read"])
    settings = Settings.from_env(VENDOR, env).with_args(args)
    assert (settings.max_rps, settings.max_retries, settings.connect_timeout) == (2.5, 0, 3.0)
    assert (settings.read_timeout, settings.max_response_bytes, settings.output_dir) == (9.0, 5000, tmp_path)
    assert settings.methods == {"read"}
