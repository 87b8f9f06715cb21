"""Vendor workflows end to end: a real MCP client → a generated server → a scripted vendor on 127.0.0.1.

Async jobs followed to the end (and given up on in time), uploads received intact, skills checked and
packaged, binary answers saved byte-identical, flow runs checked against the flow's inputs, and the
credit budget. Poll pauses are set to a few milliseconds so the whole module runs in a few seconds.
"""

from __future__ import annotations

import base64
import io
import json
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import replace
from email import policy
from email.parser import BytesParser
from pathlib import Path
from typing import Any

import anyio
import gong_mcp.server
import gumloop_mcp.server
import pytest
from gong_mcp.operations import OPERATIONS as GONG_OPS
from gong_mcp.runtime.settings import Settings as GongSettings
from gong_mcp.vendor import VENDOR as GONG
from gumloop_mcp.operations import OPERATIONS as GUMLOOP_OPS
from gumloop_mcp.runtime.settings import Settings as GumloopSettings
from gumloop_mcp.vendor import VENDOR as GUMLOOP
from mcp import Client
from mcp.types import CallToolResult, Tool

from generator.model.config import JobConfig, load_config
from generator.pipeline import generate
from tests.gong_kit import text
from tests.upstream import Reply, Seen, Upstream, sequence

ROOT = Path(__file__).resolve().parents[1]
FAST = {"JOB_POLL_INTERVAL": "0.01", "MAX_RPS": "0", "DAILY_QUOTA": "0"}


def tool(operations: dict[str, Any], method: str, path: str) -> str:
    """The tool behind ``METHOD path`` (names are the naming module's business, not these tests')."""
    return next(op.name for op in operations.values() if op.method == method and op.path == path)


@pytest.fixture
def up() -> Iterator[Upstream]:
    with Upstream() as upstream:
        yield upstream


def gong(up: Upstream, tmp_path: Path, **env: str) -> Callable[..., Any]:
    settings = GongSettings.from_env(
        GONG,
        {"GONG_BASE_URL": up.url, "GONG_ACCESS_KEY": "k", "GONG_ACCESS_KEY_SECRET": "s"}
        | {f"GONG_{k}": v for k, v in (FAST | env).items()},
    )
    settings = replace(settings, output_dir=tmp_path / "out", upload_dir=tmp_path / "uploads")
    return lambda: gong_mcp.server.create_server(settings)


def gumloop(up: Upstream, tmp_path: Path, **env: str) -> Callable[..., Any]:
    settings = GumloopSettings.from_env(
        GUMLOOP,
        {"GUMLOOP_BASE_URL": up.url, "GUMLOOP_API_KEY": "key", "GUMLOOP_USER_ID": "u1"}
        | {f"GUMLOOP_{k}": v for k, v in (FAST | env).items()},
    )
    settings = replace(settings, output_dir=tmp_path / "out", upload_dir=tmp_path / "uploads")
    return lambda: gumloop_mcp.server.create_server(settings)


def calls(make_server: Callable[[], Any], *steps: tuple[str, dict[str, Any]]) -> list[CallToolResult]:
    """Call tools in turn through one client session on one server."""

    async def go() -> list[CallToolResult]:
        async with Client(make_server()) as client:
            return [await client.call_tool(name, args) for name, args in steps]

    return anyio.run(go)


def listed(make_server: Callable[[], Any]) -> dict[str, Tool]:
    async def go() -> dict[str, Tool]:
        async with Client(make_server()) as client:
            return {t.name: t for t in (await client.list_tools()).tools}

    return anyio.run(go)


def multipart(seen: Seen) -> list[tuple[str, str | None, str, bytes]]:
    """``(field name, file name, content type, bytes)`` of each part, parsed as the vendor would."""
    head = f"Content-Type: {seen.headers['Content-Type']}\r\n\r\n".encode()
    message = BytesParser(policy=policy.default).parsebytes(head + seen.body)
    return [
        (
            part.get_param("name", header="content-disposition"),
            part.get_filename(),
            part.get_content_type(),
            part.get_payload(decode=True),
        )
        for part in message.iter_parts()
    ]


def requests(up: Upstream, method: str, path: str) -> list[Seen]:
    return [s for s in up.seen if s.method == method and s.path == path]


# --- async jobs -----------------------------------------------------------------------------------------

START_SESSION = tool(GUMLOOP_OPS, "POST", "/agents/{agent_id}/sessions")
GET_SESSION = tool(GUMLOOP_OPS, "GET", "/sessions/{session_id}")


def session(state: str) -> dict[str, Any]:
    return {"session": {"id": "sess_1", "agent_id": "a1", "state": state, "messages": []}, "queue_position": None}


def test_202_processing_then_done_with_wait(up: Upstream, tmp_path: Path) -> None:
    up.route("POST", "/agents/a1/sessions", Reply(202, session("processing")))
    states = [Reply(200, session("processing")), Reply(200, session("queued")), Reply(200, session("completed"))]
    up.route("GET", "/sessions/sess_1", sequence(*states))
    [result] = calls(gumloop(up, tmp_path), (START_SESSION, {"agent_id": "a1", "input": "hi", "wait": True}))
    assert not result.is_error, text(result)
    data = result.structured_content
    assert (data["job_id"], data["state"], data["finished"], data["failed"]) == ("sess_1", "completed", True, False)
    assert data["result"]["session"]["state"] == "completed"
    assert len(requests(up, "GET", "/sessions/sess_1")) == 3
    assert requests(up, "POST", "/agents/a1/sessions")[0].json() == {"input": "hi"}  # wait stays local


def test_a_waited_job_reports_each_state_as_progress(up: Upstream, tmp_path: Path) -> None:
    up.route("POST", "/agents/a1/sessions", Reply(202, session("queued")))
    states = [Reply(200, session("processing")), Reply(200, session("completed"))]
    up.route("GET", "/sessions/sess_1", sequence(*states))
    heard: list[tuple[float, float | None, str | None]] = []

    async def listen(progress: float, total: float | None, message: str | None) -> None:
        heard.append((progress, total, message))

    async def go() -> CallToolResult:
        async with Client(gumloop(up, tmp_path)()) as client:
            args = {"agent_id": "a1", "input": "hi", "wait": True}
            return await client.call_tool(START_SESSION, args, progress_callback=listen)

    result = anyio.run(go)
    assert not result.is_error, text(result)
    assert [p for p, _, _ in heard] == [0, 1, 2]  # strictly growing, as the spec asks
    messages = [m or "" for _, _, m in heard]
    assert messages[0].startswith("job sess_1 is queued after") and messages[1].startswith("job sess_1 is processing")
    assert messages[2] == "job sess_1 is completed"


def test_without_wait_the_start_answer_says_how_to_follow(up: Upstream, tmp_path: Path) -> None:
    up.route("POST", "/agents/a1/sessions", Reply(202, session("processing")))
    [result] = calls(gumloop(up, tmp_path), (START_SESSION, {"agent_id": "a1", "input": "hi"}))
    assert not result.is_error
    assert result.structured_content == session("processing")
    assert f'call {GET_SESSION} with {{"session_id": "sess_1"}}' in text(result)
    assert result.meta["io.mcpgen/job"]["check_with"] == {"tool": GET_SESSION, "args": {"session_id": "sess_1"}}
    assert not requests(up, "GET", "/sessions/sess_1")


def test_201_idle_session_is_already_finished(up: Upstream, tmp_path: Path) -> None:
    up.route("POST", "/agents/a1/sessions", Reply(201, session("idle")))
    [result] = calls(gumloop(up, tmp_path), (START_SESSION, {"agent_id": "a1", "wait": True}))
    assert result.meta["io.mcpgen/job"]["finished"] is True
    assert not requests(up, "GET", "/sessions/sess_1")


def test_a_job_that_never_ends_times_out_with_its_id_and_how_to_check(up: Upstream, tmp_path: Path) -> None:
    up.route("POST", "/export_data", Reply(200, {"success": True, "data_export_id": "exp-9", "state": "REQUESTED"}))
    up.route("GET", "/export_status", Reply(200, {"data_export_id": "exp-9", "state": "IN_PROGRESS"}))
    args = {"export_fields": ["run_id"], "start_date": "2026-01-01", "end_date": "2026-02-01"}
    start = tool(GUMLOOP_OPS, "POST", "/export_data")
    [result] = calls(gumloop(up, tmp_path), (start, {**args, "wait": True, "timeout_s": 0.3}))
    assert not result.is_error, text(result)
    data = result.structured_content
    status = tool(GUMLOOP_OPS, "GET", "/export_status")
    assert (data["job_id"], data["state"], data["finished"]) == ("exp-9", "IN_PROGRESS", False)
    assert data["check_with"] == {"tool": status, "arguments": {"data_export_id": "exp-9"}}
    assert "To check later" in text(result) and status in text(result)
    polls = requests(up, "GET", "/export_status")
    assert polls and all(("data_export_id", "exp-9") in p.query and ("user_id", "u1") in p.query for p in polls)


# --- uploads --------------------------------------------------------------------------------------------

UPLOAD_CRM = tool(GONG_OPS, "POST", "/v2/crm/entities")
CRM_ARGS = {"integrationId": 42, "objectType": "ACCOUNT", "clientRequestId": "req-1"}


def test_crm_upload_arrives_intact_and_is_followed_to_done(up: Upstream, tmp_path: Path) -> None:
    (tmp_path / "uploads").mkdir()
    data = b'{"objectId":"1","name":"Acme"}\n{"objectId":"2","name":"\xc3\x89clair"}\n' * 500
    (tmp_path / "uploads" / "accounts.ldjson").write_bytes(data)
    up.route("POST", "/v2/crm/entities", Reply(201, {"requestId": "r1", "clientRequestId": "req-1"}))
    pending, done = Reply(200, {"status": "PENDING"}), Reply(200, {"status": "DONE", "totalSuccessCount": 2})
    up.route("GET", "/v2/crm/request-status", sequence(pending, done))
    args = {**CRM_ARGS, "dataFile": "accounts.ldjson", "wait": True, "timeout_s": 5}
    [result] = calls(gong(up, tmp_path), (UPLOAD_CRM, args))
    assert not result.is_error, text(result)
    assert (result.structured_content["state"], result.structured_content["job_id"]) == ("DONE", "req-1")
    [sent] = requests(up, "POST", "/v2/crm/entities")
    assert multipart(sent) == [("dataFile", "accounts.ldjson", "application/octet-stream", data)]
    assert sorted(sent.query) == [("clientRequestId", "req-1"), ("integrationId", "42"), ("objectType", "ACCOUNT")]
    polls = requests(up, "GET", "/v2/crm/request-status")
    assert [sorted(p.query) for p in polls] == [[("clientRequestId", "req-1"), ("integrationId", "42")]] * 2


def test_inline_base64_upload_keeps_bytes_and_media_type(up: Upstream, tmp_path: Path) -> None:
    audio = bytes(range(256)) * 64
    inline = {"content": base64.b64encode(audio).decode(), "encoding": "base64", "filename": "call.mp3"}
    inline["media_type"] = "audio/mpeg"
    [result] = calls(
        gong(up, tmp_path), (tool(GONG_OPS, "PUT", "/v2/calls/{id}/media"), {"id": "c7", "mediaFile": inline})
    )
    assert not result.is_error, text(result)
    [sent] = requests(up, "PUT", "/v2/calls/c7/media")
    assert multipart(sent) == [("mediaFile", "call.mp3", "audio/mpeg", audio)]


def test_uploads_over_the_limit_or_outside_the_root_are_refused_unsent(up: Upstream, tmp_path: Path) -> None:
    (tmp_path / "uploads").mkdir()
    with (tmp_path / "uploads" / "huge.ldjson").open("wb") as sparse:
        sparse.truncate(200_000_001)  # one byte over Gong's 200 MB; sparse, so nothing is written
    (tmp_path / "secret.txt").write_text("no", encoding="utf-8")
    too_big, outside, bad_b64 = calls(
        gong(up, tmp_path),
        (UPLOAD_CRM, {**CRM_ARGS, "dataFile": "huge.ldjson"}),
        (UPLOAD_CRM, {**CRM_ARGS, "dataFile": "../secret.txt"}),
        (UPLOAD_CRM, {**CRM_ARGS, "dataFile": {"content": "not base64!", "encoding": "base64"}}),
    )
    assert too_big.is_error and "200,000,001 bytes, over the vendor's limit of 200,000,000" in text(too_big)
    assert outside.is_error and "outside the upload folder" in text(outside)
    assert bad_b64.is_error and "not valid base64" in text(bad_b64)
    assert not up.seen


def test_skill_markdown_is_checked_then_packaged(up: Upstream, tmp_path: Path) -> None:
    create = tool(GUMLOOP_OPS, "POST", "/skills")
    lacking = "---\nname: Lead enrichment\n---\nEnrich leads.\n"
    good = "---\nname: Lead enrichment\ndescription: Enriches inbound leads.\n---\nEnrich leads.\n"
    up.route("POST", "/skills", Reply(201, {"skill": {"id": "skill_1"}}))
    bare, named, refused, created = calls(
        gumloop(up, tmp_path),
        (create, {"files": [{"content": "Enrich leads.\n"}]}),
        (create, {"files": [{"content": good, "filename": "a.md"}, {"content": good, "filename": "b.md"}]}),
        (create, {"files": [{"content": lacking}]}),
        (create, {"files": [{"content": good}]}),
    )
    for result in (bare, named, refused):  # each names the argument the caller passed, not a file it lacks
        assert result.is_error and text(result).startswith("argument 'files' is not a valid skill: "), text(result)
    assert "no frontmatter" in text(bare) and "none of the files is SKILL.md" in text(named)
    assert "lacks description" in text(refused)
    assert not created.is_error, text(created)
    [sent] = requests(up, "POST", "/skills")
    [(field, filename, media, archive)] = multipart(sent)
    assert (field, filename, media) == ("files", "Lead-enrichment.skill", "application/zip")
    with zipfile.ZipFile(io.BytesIO(archive)) as package:
        assert package.namelist() == ["SKILL.md"] and package.read("SKILL.md").decode() == good


# --- binary downloads -----------------------------------------------------------------------------------


def test_binary_body_is_saved_byte_identical_with_a_resource_link(up: Upstream, tmp_path: Path) -> None:
    body = b"PK\x03\x04" + bytes(range(256)) * 400
    up.route("POST", "/download_files", Reply(200, body, {"Content-Type": "application/zip"}))
    [result] = calls(gumloop(up, tmp_path), (tool(GUMLOOP_OPS, "POST", "/download_files"), {"file_names": ["a"]}))
    assert not result.is_error, text(result)
    saved = Path(result.structured_content["saved_to"])
    assert saved.read_bytes() == body and saved.parent == (tmp_path / "out").resolve() and saved.suffix == ".zip"
    assert (result.structured_content["media_type"], result.structured_content["size_bytes"]) == (
        "application/zip",
        len(body),
    )
    [link] = [block for block in result.content if block.type == "resource_link"]
    assert (str(link.uri), link.mime_type, link.size) == (saved.as_uri(), "application/zip", len(body))
    assert len(text(result)) < 400  # path, type and size; never the bytes


def test_a_file_answer_over_the_download_limit_is_refused_and_not_kept(up: Upstream, tmp_path: Path) -> None:
    # Streamed to disk as it arrives, so the limit is checked before the whole file is ever in memory.
    body = bytes(range(256)) * 4096  # 1 MiB
    up.route("POST", "/download_files", Reply(200, body, {"Content-Type": "application/zip"}))
    zipped = tool(GUMLOOP_OPS, "POST", "/download_files")
    small, large = calls(gumloop(up, tmp_path, MAX_DOWNLOAD_BYTES="65536"), (zipped, {"file_names": ["a"]})) + calls(
        gumloop(up, tmp_path), (zipped, {"file_names": ["a"]})
    )
    assert small.is_error and "over 65,536 bytes" in text(small) and "GUMLOOP_MAX_DOWNLOAD_BYTES" in text(small)
    saved = Path(large.structured_content["saved_to"])
    assert saved.read_bytes() == body
    assert [p.name for p in (tmp_path / "out").iterdir()] == [saved.name]  # no partial file left behind


def test_csv_export_is_a_file_not_context(up: Upstream, tmp_path: Path) -> None:
    csv = "run_id,credit_cost\n" + "".join(f"r{i},{i}\n" for i in range(2000))
    up.route("GET", "/export_status", Reply(200, csv.encode(), {"Content-Type": "text/csv"}))
    status = tool(GUMLOOP_OPS, "GET", "/export_status")
    [result] = calls(gumloop(up, tmp_path), (status, {"data_export_id": "exp-9", "download": True}))
    saved = Path(result.structured_content["saved_to"])
    assert saved.suffix == ".csv" and saved.read_text(encoding="utf-8") == csv


def test_linked_artifact_is_fetched_without_credentials_and_saved(up: Upstream, tmp_path: Path) -> None:
    pdf = b"%PDF-1.7\n" + bytes(range(256)) * 50
    link = {"download_url": f"{up.url}/signed/art1?sig=abc", "filename": "q4.pdf", "media_type": "application/pdf"}
    up.route("GET", "/artifacts/art1/download", Reply(200, {**link, "size": len(pdf)}))
    up.route("GET", "/signed/art1", Reply(200, pdf, {"Content-Type": "application/pdf"}))
    [result] = calls(
        gumloop(up, tmp_path), (tool(GUMLOOP_OPS, "GET", "/artifacts/{artifact_id}/download"), {"artifact_id": "art1"})
    )
    assert not result.is_error, text(result)
    saved = Path(result.structured_content["saved_to"])
    assert saved.read_bytes() == pdf and saved.suffix == ".pdf"
    assert result.structured_content["filename"] == "q4.pdf" and "download_url" not in result.structured_content
    [fetched] = requests(up, "GET", "/signed/art1")
    assert "Authorization" not in fetched.headers and ("sig", "abc") in fetched.query


# --- dynamic flow inputs --------------------------------------------------------------------------------

RUN_FLOW = tool(GUMLOOP_OPS, "POST", "/start_pipeline")
INPUTS = {"inputs": [{"name": "recipient", "data_type": "string"}, {"name": "subject", "data_type": "string"}]}


def test_flow_run_refused_for_a_missing_input_before_starting(up: Upstream, tmp_path: Path) -> None:
    up.route("GET", "/get_inputs", Reply(200, INPUTS))
    up.route("POST", "/start_pipeline", Reply(200, {"run_id": "run-1", "saved_item_id": "flow-1"}))
    wrong = {"saved_item_id": "flow-1", "additional_properties": {"recipient": "a@example.com", "colour": "red"}}
    right = {"saved_item_id": "flow-1", "additional_properties": {"recipient": "a@example.com", "subject": "Hi"}}
    refused, started = calls(gumloop(up, tmp_path), (RUN_FLOW, wrong), (RUN_FLOW, right))
    assert refused.is_error
    assert "missing inputs: subject" in text(refused) and "unknown inputs: colour" in text(refused)
    assert refused.structured_content["accepted"] == ["recipient", "subject"]
    assert not started.is_error, text(started)
    [sent] = requests(up, "POST", "/start_pipeline")  # only the valid run was started
    assert sent.json() == {"user_id": "u1", "saved_item_id": "flow-1", "recipient": "a@example.com", "subject": "Hi"}
    [listing] = requests(up, "GET", "/get_inputs")  # read once, then cached for the flow
    assert ("saved_item_id", "flow-1") in listing.query


def test_a_flow_input_of_the_wrong_type_or_given_at_the_top_level_is_refused_before_starting(
    up: Upstream, tmp_path: Path
) -> None:
    """Issue 30 #7: 123 for a string input went out; a top-level ``recipient`` was dropped without a word."""
    up.route("GET", "/get_inputs", Reply(200, INPUTS))
    mistyped = {"saved_item_id": "flow-1", "additional_properties": {"recipient": 123, "subject": "Hi"}}
    top_level = {"saved_item_id": "flow-1", "recipient": "a@example.com", "subject": "Hi"}
    wrong, outside = calls(gumloop(up, tmp_path), (RUN_FLOW, mistyped), (RUN_FLOW, top_level))
    assert (
        text(wrong).split("\n")[0]
        == "flow flow-1 was not started; input recipient takes text (data type string), not 123"
    )
    assert wrong.structured_content["mistyped"] == ["recipient"]
    assert text(outside).split("\n")[0] == (
        f"recipient, subject are not arguments of {RUN_FLOW}; known: additional_properties, project_id, "
        "saved_item_id, select, timeout_s, user_id, wait (a flow's inputs go inside additional_properties)"
    )
    assert 'additional_properties={"recipient": …}' in text(outside)
    assert requests(up, "POST", "/start_pipeline") == []  # neither run was started


# --- credit guardrails ----------------------------------------------------------------------------------

ASK = tool(GONG_OPS, "GET", "/v2/entities/ask-entity")
ASK_ARGS = {"workspaceId": 1, "crmEntityType": "ACCOUNT", "crmEntityId": "acc-1", "timePeriod": "LAST_7DAYS"}


def test_the_fourth_credit_call_is_refused_with_budget_three(up: Upstream, tmp_path: Path) -> None:
    up.route("GET", "/v2/entities/ask-entity", Reply(200, {"answer": "yes"}))
    server = gong(up, tmp_path, CREDIT_CALL_BUDGET="3")
    results = calls(server, *[(ASK, {**ASK_ARGS, "question": f"q{i}?"}) for i in range(4)])
    assert [r.is_error for r in results] == [False, False, False, True]
    assert "budget of 3 calls" in text(results[3]) and "GONG_CREDIT_CALL_BUDGET" in text(results[3])
    assert len(requests(up, "GET", "/v2/entities/ask-entity")) == 3
    listing = listed(server)[ASK]
    assert "credits" in listing.description and "GONG_CREDIT_CALL_BUDGET" in listing.description
    assert listing.meta["io.mcpgen/operation"]["consumes_credits"] is True


# --- the generator side ---------------------------------------------------------------------------------


def test_a_job_naming_an_unknown_operation_is_an_error() -> None:
    config = load_config(ROOT / "openapi" / "gumloop.toml")
    broken = JobConfig(status="noSuchOperation", id_field="id", id_param="id", state_field="s", terminal=["DONE"])
    result = generate(config.model_copy(update={"jobs": {"startFlow": broken}}), with_files=False)
    assert any(p.where == "jobs.noSuchOperation" for p in result.report.errors)


# --- event streams ----------------------------------------------------------------------------------------

CHAT = tool(GUMLOOP_OPS, "POST", "/chat/completions")


def chunk(delta: dict[str, Any], finish: str | None = None, **extra: Any) -> str:
    body = {"id": "cc-1", "object": "chat.completion.chunk", "model": "claude-sonnet-4-5", **extra}
    body["choices"] = [{"index": 0, "delta": delta, "finish_reason": finish}]
    return f"data: {json.dumps(body)}\n\n"


def test_a_streamed_chat_completion_comes_back_as_one_message(up: Upstream, tmp_path: Path) -> None:
    stream = (
        ": keep-alive\n\n"
        + chunk({"role": "assistant", "content": "Ott"})
        + chunk({"content": "awa."})
        + chunk({}, "stop", usage={"prompt_tokens": 9, "completion_tokens": 3})
        + "data: [DONE]\n\n"
    )
    up.route("POST", "/chat/completions", Reply(200, stream.encode(), {"Content-Type": "text/event-stream"}))
    moved = {"SERVER_URL_OVERRIDES": f"https://ws.gumloop.com/api/v1={up.url}"}
    args = {"model": "claude-sonnet-4-5", "messages": [{"role": "user", "content": "Capital of Canada?"}]}
    [result] = calls(gumloop(up, tmp_path, **moved), (CHAT, {**args, "stream": True}))
    assert not result.is_error, text(result)
    data = result.structured_content
    assert (data["content"], data["finish_reason"], data["chunk_count"]) == ("Ottawa.", "stop", 3)
    assert data["usage"] == {"prompt_tokens": 9, "completion_tokens": 3} and data["model"] == "claude-sonnet-4-5"
    assert "data:" not in text(result)


def test_other_event_streams_are_listed_event_by_event() -> None:
    from gumloop_mcp.runtime.shaping import events

    stream = 'event: status\nid: 7\ndata: {"state": "running"}\n\ndata: line one\ndata: line two\n\n'
    assert events.collected(stream) == {
        "events": [{"event": "status", "id": "7", "data": {"state": "running"}}, {"data": "line one\nline two"}],
        "event_count": 2,
    }
