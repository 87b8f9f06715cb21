"""Generation as a whole: layout, determinism, lint-clean output, inert spec text."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from tests.cli import mcpgen

ROOT = Path(__file__).resolve().parents[1]
MCPGEN = str(Path(sys.executable).with_name("mcpgen"))
RUFF = str(Path(sys.executable).with_name("ruff"))


def generate_all(out: Path, seed: str) -> None:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    done = subprocess.run(
        [MCPGEN, "generate", "--all", "--out", str(out)],
        cwd=ROOT,
        env=env,
        check=False,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    first, second = tmp_path_factory.mktemp("first"), tmp_path_factory.mktemp("second")
    generate_all(first, "1")
    generate_all(second, "4242")
    return first, second


def test_output_is_byte_identical_across_runs_and_hash_seeds(two_runs: tuple[Path, Path]) -> None:
    first, second = two_runs
    assert tree(first) == tree(second)
    assert {p.name for p in first.iterdir()} == {"gong_mcp", "gumloop_mcp", "team_mcp"}  # the suite is openapi's too


def test_output_has_no_absolute_paths_or_dates(two_runs: tuple[Path, Path]) -> None:
    first, _ = two_runs
    for name, data in tree(first).items():
        text = data.decode("utf-8")
        for needle in (str(ROOT), str(first), "/tmp/", "/root/", "2026-11-"):
            assert needle not in text, (name, needle)


@pytest.mark.parametrize("package", ["gong_mcp", "gumloop_mcp", "team_mcp"])
def test_output_is_plain_ruff_clean(two_runs: tuple[Path, Path], package: str) -> None:
    folder = two_runs[0] / package
    for args in (["check"], ["format", "--check"]):
        done = subprocess.run([RUFF, *args, "."], cwd=folder, check=False, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stdout + done.stderr
    config = tomllib.loads((folder / "pyproject.toml").read_text(encoding="utf-8"))
    assert config["tool"]["ruff"]["lint"]["ignore"] == ["E501"]


@pytest.mark.parametrize(("package", "count", "sha"), [("gong_mcp", 67, "bdc80781"), ("gumloop_mcp", 49, "ba8576c7")])
def test_package_layout(two_runs: tuple[Path, Path], package: str, count: int, sha: str) -> None:
    folder = two_runs[0] / package
    src = folder / "src" / package
    for name in ("__init__.py", "__main__.py", "server.py", "models.py", "operations.py", "vendor.py", "tools.json"):
        assert (src / name).is_file(), name
    assert (folder / "tests" / "test_server.py").is_file()
    project = tomllib.loads((folder / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["name"] == package.replace("_", "-")
    assert "mcp>=2.3,<3" in project["dependencies"]
    assert project["scripts"][package.replace("_", "-")] == f"{package}.server:main"
    catalog = json.loads((src / "tools.json").read_text(encoding="utf-8"))
    assert len(catalog) == count
    assert all(entry["input_schema"]["type"] == "object" for entry in catalog.values())
    assert sha in (src / "vendor.py").read_text(encoding="utf-8")
    readme = (folder / "README.md").read_text(encoding="utf-8")
    assert readme.count("\n| `") >= count and '"mcpServers"' in readme
    assert len(list((src / "tools").glob("*.py"))) > 3


def test_hostile_spec_text_stays_inert(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    run = mcpgen(
        capsys,
        monkeypatch,
        "generate",
        "--spec",
        str(ROOT / "tests/specs/hostile.json"),
        "--name",
        "evil",
        "--out",
        str(tmp_path),
    )
    assert run.code == 0, run.lines
    assert any("X-Evil" in line and "skipped" in line for line in run.lines)
    folder = tmp_path / "evil_mcp"
    for args in (["check"], ["format", "--check"]):
        done = subprocess.run([RUFF, *args, "."], cwd=folder, check=False, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stdout
    probe = (
        "import json, sys; sys.path.insert(0, 'src'); import evil_mcp.server as s; from evil_mcp.tools import TOOLS; "
        "from evil_mcp.vendor import VENDOR; import inspect; doc = inspect.cleandoc(TOOLS[0].__doc__); "
        "print(json.dumps([VENDOR.title, VENDOR.base_url, doc, len(TOOLS)]))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], cwd=folder, check=False, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    title, base_url, doc, count = json.loads(done.stdout)
    spec = json.loads((ROOT / "tests/specs/hostile.json").read_text(encoding="utf-8"))
    assert title == spec["info"]["title"]
    assert base_url == spec["servers"][0]["url"].rstrip("/")
    assert "import os\nos.system('touch PWNED')" in doc and "{{ config }}" in doc
    assert count == 1
    assert not list(tmp_path.rglob("PWNED")) and not (folder / "PWNED").exists()
    catalog = json.loads((folder / "src/evil_mcp/tools.json").read_text(encoding="utf-8"))
    (entry,) = catalog.values()
    assert "<script>" not in entry["description"]
