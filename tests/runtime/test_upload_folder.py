"""Uploads read only from their own folder: never the working directory, the store or the output folder."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from generator.runtime.contract import Vendor
from generator.runtime.failures import UploadError
from generator.runtime.serve.cli import parse_args
from generator.runtime.settings import Settings
from generator.runtime.wire.uploads import Folder


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working directory holding a store and an output folder, as a served package's does."""
    work = tmp_path / "work"
    (work / "mcp-output").mkdir(parents=True)
    (work / "mcp-team.db").write_text("the store", encoding="utf-8")
    (work / "mcp-output" / "answer.json").write_text("{}", encoding="utf-8")
    monkeypatch.chdir(work)
    return work


def test_no_folder_means_local_paths_are_off_and_says_what_to_set() -> None:
    with pytest.raises(UploadError) as caught:
        Folder(None, "ACME_UPLOAD_DIR").file("mcp-team.db", "mediaFile")
    said = str(caught.value)
    assert "local file paths are off" in said and "ACME_UPLOAD_DIR" in said and "--upload-dir" in said


@pytest.mark.parametrize("root", [".", "..", "/"])
def test_the_working_directory_or_a_folder_holding_it_is_refused(here: Path, root: str) -> None:
    folder = Folder(Path(root), "ACME_UPLOAD_DIR")
    assert folder.problem() is not None and "is the working directory or holds it" in str(folder.problem())
    with pytest.raises(UploadError, match="working directory"):
        folder.file("mcp-team.db", "mediaFile")


def test_stdio_defaults_to_its_own_folder_and_http_to_none(vendor: Vendor, here: Path) -> None:
    plain = Settings.from_env(vendor, {})
    assert plain.upload_dir is None
    assert plain.with_args(parse_args("acme-mcp", [])).upload_dir == Path("mcp-uploads")
    assert plain.with_args(parse_args("acme-mcp", ["--transport", "http"])).upload_dir is None
    told = Settings.from_env(vendor, {"ACME_UPLOAD_DIR": "/srv/in"})
    assert told.with_args(parse_args("acme-mcp", ["--transport", "http"])).upload_dir == Path("/srv/in")
    flagged = plain.with_args(parse_args("acme-mcp", ["--transport", "http", "--upload-dir", "drop"]))
    assert flagged.upload_dir == Path("drop")
    assert Folder.of(plain.with_args(parse_args("acme-mcp", [])), "ACME").problem() is None


def test_inside_the_folder_is_read_and_outside_is_refused(here: Path) -> None:
    uploads = here / "mcp-uploads"
    uploads.mkdir()
    (uploads / "call.mp3").write_bytes(b"audio")
    (uploads / "escape").symlink_to(here / "mcp-team.db")
    (uploads / "elsewhere").symlink_to(here)
    folder = Folder(Path("mcp-uploads"), "ACME_UPLOAD_DIR", (Path("mcp-output"), Path("mcp-team.db")))
    assert folder.file("call.mp3", "f") == uploads / "call.mp3"
    assert folder.file(str(uploads / "call.mp3"), "f") == uploads / "call.mp3"
    for value in ("../mcp-team.db", str(here / "mcp-team.db"), "escape", "elsewhere/mcp-team.db", "/etc/passwd"):
        with pytest.raises(UploadError, match="is outside the upload folder"):
            folder.file(value, "f")
    with pytest.raises(UploadError, match="no such file"):
        folder.file("missing.mp3", "f")


def test_the_store_and_the_output_folder_are_refused_even_inside_it(vendor: Vendor, tmp_path: Path) -> None:
    shared = tmp_path / "shared"  # an upload folder that also holds the store and the output (not the cwd)
    (shared / "out").mkdir(parents=True)
    for name in ("team.db", "team.db-wal", "notes.txt", "out/saved.bin"):
        (shared / name).write_text("x", encoding="utf-8")
    (shared / "link").symlink_to(shared / "team.db")
    env = {
        "ACME_UPLOAD_DIR": str(shared),
        "ACME_STORE": str(shared / "team.db"),
        "ACME_OUTPUT_DIR": str(shared / "out"),
    }
    folder = Folder.of(Settings.from_env(vendor, env), "ACME")
    assert folder.setting == "ACME_UPLOAD_DIR" and folder.file("notes.txt", "f") == shared / "notes.txt"
    for value in ("team.db", "team.db-wal", "link", "out/saved.bin", "out"):
        with pytest.raises(UploadError, match="is the server's store or output"):
            folder.file(value, "f")
    postgres = Settings.from_env(vendor, {**env, "ACME_STORE": "postgresql://u@db/team"})
    assert Folder.of(postgres, "ACME").barred == (shared / "out",)
    assert replace(folder, root=None).problem() is None
