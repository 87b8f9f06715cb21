"""Where a run's scratch copies go (``emit.write.scratch``): the temporary folder the user named, else memory."""

from __future__ import annotations

import os
from pathlib import Path
from types import SimpleNamespace

import pytest

from generator.emit import write
from generator.emit.write import TEMP_VARIABLES, format_files, scratch
from generator.errors import Report

FILES = {"pkg/a.py": "x=1\n", "pkg/b.txt": "b" * 1000}


@pytest.fixture
def no_temp_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in TEMP_VARIABLES:
        monkeypatch.delenv(name, raising=False)


@pytest.mark.skipif(not write.MEMORY_FOLDER.is_dir(), reason="no /dev/shm on this system")
def test_a_scratch_copy_goes_to_memory_when_no_folder_is_named(no_temp_variables: None) -> None:
    with scratch(FILES, "mcpgen-test-") as folder:
        assert Path(folder).parent == write.MEMORY_FOLDER
        assert Path(folder).name.startswith("mcpgen-test-")
    assert not Path(folder).exists()


def test_a_folder_the_user_named_is_used_as_it_is(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    monkeypatch.setattr(write.tempfile, "tempdir", None)  # ``tempfile`` reads TMPDIR once and keeps the answer
    with scratch(FILES, "mcpgen-test-") as folder:
        assert Path(folder).parent == tmp_path


def test_memory_without_room_for_four_copies_is_passed_over(
    no_temp_variables: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    size = sum(len(text) for text in FILES.values())
    monkeypatch.setattr(write.MEMORY_FOLDER.__class__, "is_dir", lambda _self: True)
    monkeypatch.setattr(os, "access", lambda *_args: True)
    monkeypatch.setattr(os, "statvfs", lambda _path: SimpleNamespace(f_bavail=4 * size - 1, f_frsize=1))
    with scratch(FILES, "mcpgen-test-") as folder:
        assert Path(folder).parent != write.MEMORY_FOLDER
    monkeypatch.setattr(os, "statvfs", lambda _path: SimpleNamespace(f_bavail=4 * size, f_frsize=1))
    assert write.scratch_root(size) == str(write.MEMORY_FOLDER)


def test_a_memory_folder_that_cannot_be_read_is_passed_over(
    no_temp_variables: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(write.MEMORY_FOLDER.__class__, "is_dir", lambda _self: True)

    def unreadable(_path: object) -> os.statvfs_result:
        raise PermissionError("denied")

    monkeypatch.setattr(os, "statvfs", unreadable)
    assert write.scratch_root(10) is None


def test_formatting_in_a_scratch_copy_leaves_nothing_behind(no_temp_variables: None) -> None:
    before = set(write.MEMORY_FOLDER.iterdir()) if write.MEMORY_FOLDER.is_dir() else set()
    report = Report()
    assert format_files({"pkg/a.py": "x=1\n"}, report) == {"pkg/a.py": "x = 1\n"}
    assert not report.problems
    after = set(write.MEMORY_FOLDER.iterdir()) if write.MEMORY_FOLDER.is_dir() else set()
    assert not {p for p in after - before if p.name.startswith("mcpgen-")}
