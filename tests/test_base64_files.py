"""Base64 body fields (Gumloop's /upload_file and /upload_files) also take a local file or inline text."""

from __future__ import annotations

import base64
from dataclasses import replace
from pathlib import Path
from typing import Any

import anyio
from gumloop_mcp.runtime.settings import Settings
from gumloop_mcp.server import create_server
from gumloop_mcp.vendor import VENDOR
from mcp import Client

from tests.upstream import Upstream


def call(up: Upstream, root: Path, tool: str, args: dict[str, Any]) -> Any:
    env = {"GUMLOOP_BASE_URL": up.url, "GUMLOOP_API_KEY": "k", "GUMLOOP_USER_ID": "u-1"}
    settings = replace(Settings.from_env(VENDOR, env), upload_dir=root)

    async def go() -> Any:
        async with Client(create_server(settings)) as client:
            return await client.call_tool(tool, args)

    return anyio.run(go)


def test_a_local_file_is_read_and_sent_as_base64(tmp_path: Path) -> None:
    data = bytes(range(256)) * 40
    (tmp_path / "report.bin").write_bytes(data)
    with Upstream() as up:
        result = call(
            up, tmp_path, "create_a_gumloop_upload_file", {"file_name": "r.bin", "file_content": {"path": "report.bin"}}
        )
        assert not result.is_error, result.content
        (seen,) = up.seen
    body = seen.json()
    assert base64.b64decode(body["file_content"]) == data
    assert body["file_name"] == "r.bin" and body["user_id"] == "u-1"


def test_nested_files_mix_paths_inline_text_and_plain_base64(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("first file", encoding="utf-8")
    files = [
        {"file_name": "a.txt", "file_content": {"path": "a.txt"}},
        {"file_name": "b.txt", "file_content": {"content": "second file", "encoding": "text"}},
        {"file_name": "c.txt", "file_content": base64.b64encode(b"third").decode()},
    ]
    with Upstream() as up:
        result = call(up, tmp_path, "create_a_gumloop_upload_files", {"files": files})
        assert not result.is_error, result.content
        (seen,) = up.seen
    sent = [base64.b64decode(f["file_content"]) for f in seen.json()["files"]]
    assert sent == [b"first file", b"second file", b"third"]


def test_a_path_outside_the_upload_folder_is_refused_unsent(tmp_path: Path) -> None:
    root = tmp_path / "uploads"
    root.mkdir()
    (tmp_path / "secret.txt").write_text("no", encoding="utf-8")
    with Upstream() as up:
        result = call(
            up, root, "create_a_gumloop_upload_file", {"file_name": "s", "file_content": {"path": "../secret.txt"}}
        )
        assert up.seen == []
    assert result.is_error
    assert "outside the upload folder" in result.content[0].text
