"""Hostile input against a generated Gong server (issue 22, items 7, 8 and 10).

Found by the audit and fixed here: ``--tags "Data Privacy"`` served nothing; unknown tags, methods and tools in
flags, variables and ``connections create`` served nothing with exit 0; ``GONG_MAX_RETRIES=abc`` was ignored; a
connection allowed only ``update_a_gong_media`` uploaded the store from the working directory; an OAuth ``sub``
with a newline forged an ``audit`` row. The servers run as their console script, over HTTP where the attack was.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import anyio
import httpx2
import pytest
from gong_mcp.operations import OPERATIONS
from mcp import Client, StdioServerParameters
from mcp.client.streamable_http import streamable_http_client

from generator.model.config import load_config
from generator.pipeline import generate
from generator.runtime.visibility import Filters
from tests.team_kit import Issuer
from tests.test_transports import TOKEN, http_server, server_env
from tests.upstream import Upstream

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
PRIVACY = sorted(op.name for op in OPERATIONS.values() if op.tag == "Data Privacy")
MEDIA = "update_a_gong_media"
FORGED_SUB = "eve\n2026-01-01T00:00:00Z\toauth:boss\tdelete_a_gong_meeting_by_id\twrite\tok\t1 ms"


def gong_mcp(
    *argv: str, cwd: Path | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """The generated ``gong-mcp`` console script, with ``env`` over a clean Gong environment."""
    return subprocess.run(
        [str(BIN / "gong-mcp"), *argv], capture_output=True, text=True, timeout=60, check=False,
        env=server_env("http://127.0.0.1:9", **(env or {})), cwd=cwd,
    )  # fmt: skip


def test_tags_with_spaces_serve_the_same_tools_in_generator_and_runtime() -> None:
    assert len(PRIVACY) == 4
    by_flag = gong_mcp("--tags", "Data Privacy", "--list-tools")
    by_variable = gong_mcp("--list-tools", env={"GONG_TAGS": " Data Privacy "})
    assert by_flag.returncode == by_variable.returncode == 0, by_flag.stderr + by_variable.stderr
    assert by_flag.stdout.split() == by_variable.stdout.split() == PRIVACY
    config = load_config(ROOT / "openapi" / "gong.toml")
    emitted = generate(config, with_files=False, filters=Filters(tags=frozenset({"Data Privacy"})), responses=False)
    assert emitted.server is not None and sorted(t.name for t in emitted.server.tools) == PRIVACY


@pytest.mark.parametrize(
    ("argv", "env", "line"),
    [
        (["--tags", "nope"], {}, "gong-mcp: error: --tags: unknown tag 'nope'; known: Auditing, CRM, Calls"),
        ([], {"GONG_TAGS": "Calls,nope"}, "gong-mcp: error: GONG_TAGS: unknown tag 'nope'; known: Auditing, CRM"),
        ([], {"GONG_METHODS": "read,delete"}, "gong-mcp: error: GONG_METHODS: unknown method 'delete'; known: custom"),
        (["--include", "drop_tables"], {}, "gong-mcp: error: --include: unknown tool 'drop_tables'; known: create_a_"),
        ([], {"GONG_EXCLUDE_TOOLS": "nope"}, "gong-mcp: error: GONG_EXCLUDE_TOOLS: unknown tool 'nope'; known: "),
        ([], {"GONG_MAX_RETRIES": "abc"}, "gong-mcp: error: GONG_MAX_RETRIES: 'abc' is not a whole number"),
        ([], {"GONG_READ_TIMEOUT": "1e999"}, "gong-mcp: error: GONG_READ_TIMEOUT: '1e999' is not a number"),
        ([], {"GONG_TOOLSET": "all"}, "gong-mcp: error: GONG_TOOLSET: 'all' is not one of full, dynamic"),
        (["--max-rps", "fast"], {}, "gong-mcp: error: argument --max-rps: 'fast' is not a number"),
        (["--upload-dir", "."], {}, "gong-mcp: error: GONG_UPLOAD_DIR (--upload-dir): . is the working directory"),
    ],
)
def test_bad_input_to_the_server_is_one_line_and_exit_2(argv: list[str], env: dict[str, str], line: str) -> None:
    done = gong_mcp(*argv, "--list-tools", env=env)
    assert (done.returncode, done.stdout) == (2, ""), done.stderr
    assert done.stderr.count("\n") == 1 and done.stderr.startswith(line), done.stderr


def test_connections_create_with_an_unknown_tag_is_exit_2_and_creates_nothing(tmp_path: Path) -> None:
    store = str(tmp_path / "team.db")
    done = gong_mcp("connections", "create", "--name", "eve", "--tags", "Data Privacy,nope", "--store", store)
    assert done.returncode == 2 and done.stderr.count("\n") == 1
    assert done.stderr.startswith(
        "error: --tags: unknown tag 'nope'; known: Auditing, CRM, Calls, Coaching, Data Privacy"
    )
    assert "eve" not in gong_mcp("connections", "list", "--store", store).stdout


def test_mcpgen_refuses_an_unknown_tag_or_tool_with_exit_2() -> None:
    for flag, value, said in (("--tags", "nope", "unknown tag 'nope'"), ("--include", "nope", "unknown tool 'nope'")):
        command = [str(BIN / "mcpgen"), "generate", "openapi/gong.toml", "--dry-run", flag, value]
        done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=120, check=False)
        assert done.returncode == 2 and done.stderr.startswith(f"error: gong: {flag}: {said}; known: "), done.stderr
        assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr


async def call(url: str, tool: str, args: dict[str, Any], **headers: str) -> Any:
    async with (
        httpx2.AsyncClient(headers=headers, timeout=30) as http,
        Client(streamable_http_client(url, http_client=http)) as client,
    ):
        return await client.call_tool(tool, args)


def text(result: Any) -> str:
    return "\n".join(getattr(block, "text", "") for block in result.content)


def media_connection(folder: Path) -> str:
    """A connection that may call only ``update_a_gong_media``, made in ``folder``'s default store; its secret."""
    made = gong_mcp("connections", "create", "--name", "media", "--include", MEDIA, cwd=folder)
    assert made.returncode == 0 and (folder / "mcp-team.db").is_file(), made.stderr
    return made.stdout.split("/mcp/c/")[1].split()[0]


def test_over_http_a_filtered_connection_cannot_upload_the_store(tmp_path: Path) -> None:
    secret = media_connection(tmp_path)
    (tmp_path / "notes.txt").write_text("in the working directory", encoding="utf-8")
    with Upstream() as up, http_server(up.url, tmp_path, "--store", "mcp-team.db", MCP_SERVER_TOKEN=TOKEN) as base:
        for path in ("mcp-team.db", str(tmp_path / "mcp-team.db"), "notes.txt"):
            result = anyio.run(call, f"{base}/mcp/c/{secret}", MEDIA, {"id": "1", "mediaFile": path})
            assert result.is_error and "local file paths are off" in text(result) and "GONG_UPLOAD_DIR" in text(result)
        inline = {"content": "aGVsbG8=", "encoding": "base64", "filename": "call.mp3"}
        sent = anyio.run(call, f"{base}/mcp/c/{secret}", MEDIA, {"id": "2", "mediaFile": inline})
        assert not sent.is_error, text(sent)
        assert [(seen.method, seen.path) for seen in up.seen] == [("PUT", "/v2/calls/2/media")]
        assert b"hello" in up.seen[0].body


def test_an_upload_folder_never_reaches_the_store_or_the_output(tmp_path: Path) -> None:
    secret = media_connection(tmp_path)
    uploads, output = tmp_path / "uploads", tmp_path / "uploads" / "out"
    output.mkdir(parents=True)
    (uploads / "call.mp3").write_bytes(b"ID3 audio")
    (uploads / "team.db").symlink_to(tmp_path / "mcp-team.db")
    (output / "saved.json").write_text("{}", encoding="utf-8")
    flags = ("--store", "mcp-team.db", "--upload-dir", "uploads", "--output-dir", str(output))
    with Upstream() as up, http_server(up.url, tmp_path, *flags, MCP_SERVER_TOKEN=TOKEN) as base:
        for path, said in (
            ("../mcp-team.db", "outside the upload folder"), ("team.db", "outside the upload folder"),
            (str(tmp_path / "mcp-team.db"), "outside the upload folder"), ("out/saved.json", "store or output"),
        ):  # fmt: skip
            result = anyio.run(call, f"{base}/mcp/c/{secret}", MEDIA, {"id": "1", "mediaFile": path})
            assert result.is_error and said in text(result), text(result)
        assert up.seen == []
        sent = anyio.run(call, f"{base}/mcp/c/{secret}", MEDIA, {"id": "3", "mediaFile": "call.mp3"})
        assert not sent.is_error, text(sent)
        assert [(seen.method, seen.path) for seen in up.seen] == [("PUT", "/v2/calls/3/media")]
        assert b"ID3 audio" in up.seen[0].body


def test_over_stdio_uploads_come_from_mcp_uploads_only(tmp_path: Path) -> None:
    (tmp_path / "mcp-team.db").write_text("the store", encoding="utf-8")
    (tmp_path / "mcp-uploads").mkdir()
    (tmp_path / "mcp-uploads" / "call.mp3").write_bytes(b"ID3 stdio audio")
    with Upstream() as up:
        params = StdioServerParameters(
            command=str(BIN / "gong-mcp"), args=["--transport", "stdio"], env=server_env(up.url), cwd=str(tmp_path)
        )

        async def session() -> list[Any]:
            async with Client(params) as client:
                return [
                    await client.call_tool(MEDIA, {"id": str(n), "mediaFile": path})
                    for n, path in enumerate(("../mcp-team.db", str(tmp_path / "mcp-team.db"), "call.mp3"))
                ]

        store, absolute, sent = anyio.run(session)
        assert store.is_error and absolute.is_error and "outside the upload folder mcp-uploads" in text(store)
        assert not sent.is_error, text(sent)
        assert [(seen.method, seen.path) for seen in up.seen] == [("PUT", "/v2/calls/2/media")]
        assert b"ID3 stdio audio" in up.seen[0].body


def test_an_oauth_subject_with_a_newline_cannot_forge_an_audit_row(tmp_path: Path) -> None:
    store = str(tmp_path / "team.db")
    resource = "https://mcp.example.com/mcp"
    issuer = Issuer()
    flags = ("--store", store, "--oauth-issuer", issuer.url, "--resource-url", resource)
    try:
        with Upstream() as up, http_server(up.url, tmp_path, *flags) as base:
            token = issuer.token(resource, "gong:read", sub=FORGED_SUB)
            result = anyio.run(lambda: call(f"{base}/mcp", "list_all_gong_users", {}, Authorization=f"Bearer {token}"))
            assert not result.is_error, text(result)
    finally:
        issuer.close()
    rows = gong_mcp("audit", "--store", store)
    assert rows.returncode == 0 and len(rows.stdout.splitlines()) == 1, rows.stdout
    who = rows.stdout.split("\t")[1]
    assert who == "oauth:" + FORGED_SUB.replace("\n", "\\x0a").replace("\t", "\\x09")
    [entry] = [json.loads(line) for line in gong_mcp("audit", "--store", store, "--json").stdout.splitlines()]
    assert entry["who"] == who and entry["tool"] == "list_all_gong_users"
