"""``mcpgen generate --spec`` on specs with no config: structured scopes, ``x-mcp``, filters, URLs, a wheel."""

from __future__ import annotations

import functools
import shutil
import subprocess
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from generator.model.config import default_config
from generator.pipeline import generate
from generator.runtime.visibility import Filters
from tests.cli import mcpgen
from tests.package_kit import venv_with

ROOT = Path(__file__).resolve().parents[1]
SPECS = ROOT / "tests" / "specs"


def test_structured_security_scopes_and_x_mcp_hints() -> None:
    result = generate(default_config("notes", str(SPECS / "oauth.yaml")), with_files=False)
    assert result.server is not None
    tools = {t.operation_id: t for t in result.server.tools}
    assert tools["listNotes"].scopes == ("notes.read",)  # document-level security
    assert tools["deleteNote"].scopes == ("notes.write", "notes.admin")
    assert tools["searchNotes"].hints.read_only and tools["searchNotes"].hints.idempotent  # x-mcp over the POST default
    assert not tools["deleteNote"].hints.destructive  # x-mcp over the DELETE default
    assert tools["archiveNote"].hints.destructive is False and not tools["archiveNote"].hints.read_only
    assert [a.type for a in result.server.auth] == ["bearer"]
    assert result.server.base_url == "https://notes.example.com/v1"


def test_vendor_config_beats_x_mcp(tmp_path: Path) -> None:
    config = tmp_path / "notes.toml"
    config.write_text(
        f'name = "notes"\n[spec]\npath = "{SPECS / "oauth.yaml"}"\n[operations.searchNotes]\nread_only = false\n',
        encoding="utf-8",
    )
    from generator.model.config import load_config

    result = generate(load_config(config), with_files=False)
    assert result.server is not None
    assert not {t.operation_id: t for t in result.server.tools}["searchNotes"].hints.read_only


def test_additional_properties_become_an_argument() -> None:
    result = generate(default_config("notes", str(SPECS / "oauth.yaml")), with_files=False)
    assert result.server is not None
    search = next(t for t in result.server.tools if t.operation_id == "searchNotes")
    assert [p.arg for p in search.params] == ["q", "additional_properties"]


def test_dry_run_prints_the_table_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    run = mcpgen(
        capsys,
        monkeypatch,
        "generate",
        "--spec",
        str(SPECS / "oauth.yaml"),
        "--name",
        "notes",
        "--dry-run",
        "--out",
        str(out),
    )
    assert run.code == 0
    rows = [" ".join(line.split()) for line in run.out.splitlines()]
    assert "delete_a_notes_note_by_id DELETE /notes/{id} notes.write, notes.admin" in rows
    assert "notes: 4 tools from 4 operations, 0 skipped" in run.out
    assert not out.exists()


def test_generation_time_filters_are_reported(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    run = mcpgen(
        capsys, monkeypatch, "generate", "openapi/gong.toml", "--dry-run", "--methods", "read", "--tags", "Calls"
    )
    assert run.code == 0
    table = [
        line.split()[0] for line in run.out.splitlines()[1:] if line.startswith(("list_all", "get_single", "create"))
    ]
    # --methods read keeps what the hints say only reads: Gong's reads sent by POST too.
    assert table == [
        "list_all_gong_calls", "get_single_gong_call_by_id", "create_a_gong_calls_extensive",
        "create_a_gong_calls_transcript",
    ]  # fmt: skip
    assert "gong: 4 tools from 67 operations, 63 skipped" in run.out
    assert "skipped: POST /v2/calls: create_a_gong_call filtered out (kind 'write' not in --methods)" in run.err
    bad = mcpgen(capsys, monkeypatch, "generate", "openapi/gong.toml", "--dry-run", "--methods", "reads")
    assert bad.code == 2 and "--methods: unknown method 'reads'; known: custom, read, write" in bad.err


def test_the_read_filter_keeps_reads_by_post_and_leaves_out_writes() -> None:
    result = generate(
        default_config("notes", str(SPECS / "oauth.yaml")), with_files=False, filters=Filters(frozenset({"read"}))
    )
    assert result.server is not None
    assert [(t.operation_id, t.method) for t in result.server.tools] == [("listNotes", "GET"), ("searchNotes", "POST")]
    assert "POST /notes/{id}/archive: archive_a_notes_note_by_id filtered out (kind 'write' not in --methods)" in (
        result.filtered
    )


def test_spec_from_an_http_url(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copy(SPECS / "petstore.yaml", tmp_path / "petstore.yaml")
    handler = functools.partial(SimpleHTTPRequestHandler, directory=str(tmp_path))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/petstore.yaml"
        run = mcpgen(capsys, monkeypatch, "generate", "--spec", url, "--name", "acme", "--out", str(tmp_path / "out"))
        missing = mcpgen(capsys, monkeypatch, "generate", "--spec", url + ".nope", "--name", "acme", "--dry-run")
    finally:
        server.shutdown()
        server.server_close()
    assert run.code == 0, run.lines
    assert (tmp_path / "out/acme_mcp/src/acme_mcp/tools.json").is_file()
    assert missing.code == 2 and "cannot download spec" in missing.err


def test_a_plain_pip_install_ships_the_templates(tmp_path: Path) -> None:
    """Not editable: the wheel must carry templates/ and the runtime."""
    source = tmp_path / "src"
    shutil.copytree(
        ROOT,
        source,
        ignore=shutil.ignore_patterns(
            ".venv", "generated", ".git", "node_modules", "bench", "*.egg-info", "__pycache__"
        ),
    )
    venv_with(tmp_path / "venv", str(source))
    shutil.rmtree(source)
    out = tmp_path / "out"
    command = [
        str(tmp_path / "venv/bin/mcpgen"),
        "generate",
        "--spec",
        str(SPECS / "petstore.yaml"),
        "--name",
        "acme",
        "--out",
        str(out),
    ]
    done = subprocess.run(command, check=False, capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "acme: 4 tools from 4 operations" in done.stdout
    assert (out / "acme_mcp/src/acme_mcp/runtime/dispatch/dispatcher.py").is_file()
    assert (out / "acme_mcp/tests/test_server.py").is_file()
