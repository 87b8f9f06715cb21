"""Compiled templates are kept in the user's cache folder, only where that folder is safe, and change nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.emit import render
from generator.model.ir import Server


def _render(monkeypatch: pytest.MonkeyPatch, base: Path) -> str:
    monkeypatch.setenv("XDG_CACHE_HOME", str(base))
    env = render.make_environment()
    return render.pyproject(env, _server())


def _server() -> Server:
    from generator.errors import Report
    from generator.model.config import load_config
    from generator.pipeline import build_ir

    root = Path(__file__).resolve().parents[2]
    return build_ir(load_config(root / "openapi" / "gumloop.toml"), Report(), responses=False)[0]


def test_a_second_run_loads_what_the_first_compiled_and_renders_the_same(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    first = _render(monkeypatch, tmp_path)
    [folder] = (tmp_path / "mcpgen").iterdir()
    assert folder.stat().st_mode & 0o777 == 0o700
    cached = sorted(p.name for p in folder.iterdir())
    assert cached, "nothing was cached"
    assert _render(monkeypatch, tmp_path) == first
    assert sorted(p.name for p in folder.iterdir()) == cached


def test_a_folder_others_can_write_is_not_used(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert render.template_cache() is not None
    [folder] = (tmp_path / "mcpgen").iterdir()
    folder.chmod(0o777)
    assert render.template_cache() is None


def test_no_cache_where_none_can_be_made(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder would go")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    assert render.template_cache() is None
    assert _render(monkeypatch, blocker)  # and rendering goes on without one


def test_a_cache_that_cannot_be_written_renders_all_the_same(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    cache = render.template_cache()
    assert cache is not None
    [folder] = (tmp_path / "mcpgen").iterdir()
    for entry in folder.iterdir():
        entry.unlink()
    folder.rmdir()
    folder.write_text("not a folder")  # every write now fails
    env = render.make_environment()
    env.bytecode_cache = cache
    assert render.pyproject(env, _server())
