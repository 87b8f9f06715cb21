"""The generator as a release: ``python -m build`` makes an sdist and a wheel that PyPI accepts (``twine check``),
both carry every module (the runtime above all) and every template, and the wheel, installed alone into a fresh
virtual environment outside any checkout, reports its version, generates a server and pins itself in
``mcpgen init``.

One build and one install serve the whole module (``make test`` keeps a module on one worker): the build takes
seconds, the install of the wheel's dependencies most of the time. The build runs on a copy of the sources, so the
checkout gains no ``build/`` or egg-info. ``MCPGEN_DIST`` names a folder holding a built sdist and wheel instead: the
release workflow tests the very files it publishes.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tarfile
import tomllib
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

import generator
from generator.emit.render import SUITE_ONLY
from tests.package_kit import venv_with

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
SOURCES = ("pyproject.toml", "setup.py", "README.md", "LICENSE", "generator", "templates")
BUILD_TIMEOUT_S = 300
INSTALL_TIMEOUT_S = 600
RUN_TIMEOUT_S = 120


@dataclass(frozen=True)
class Built:
    """The sdist and the wheel, and what the build printed (empty when they were given)."""

    sdist: Path
    wheel: Path
    log: str


def shipped() -> set[str]:
    """What both artifacts must carry, as paths inside the installed package: every module and template."""
    modules = {p.relative_to(ROOT).as_posix() for p in (ROOT / "generator").rglob("*.py")}
    templates = {f"generator/{p.relative_to(ROOT).as_posix()}" for p in ROOT.glob("templates/**/*.j2")}
    return modules | templates


def python_files(folder: Path) -> set[str]:
    """The ``.py`` files under ``folder``, relative to it."""
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*.py")}


def run(command: list[str], cwd: Path, env: dict[str, str] | None = None, timeout: int = RUN_TIMEOUT_S) -> str:
    """Run a command that must succeed; its stdout and stderr together."""
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False)
    assert done.returncode == 0, f"{command}: exit {done.returncode}\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done.stdout + done.stderr


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """``python -m build`` on a copy of the sources (the sdist, then the wheel from the sdist), or MCPGEN_DIST."""
    given = os.environ.get("MCPGEN_DIST")
    if given:
        folder, log = Path(given).resolve(), ""
    else:
        root = tmp_path_factory.mktemp("release")
        skip = shutil.ignore_patterns("__pycache__", "*.egg-info", "build")
        (root / "source").mkdir()
        for name in SOURCES:
            source = ROOT / name
            if source.is_dir():
                shutil.copytree(source, root / "source" / name, ignore=skip)
            else:
                shutil.copy2(source, root / "source" / name)
        folder = root / "dist"
        log = run([str(BIN / "python"), "-m", "build", "--outdir", str(folder), "source"], root, None, BUILD_TIMEOUT_S)
    [sdist], [wheel] = sorted(folder.glob("mcpgen-*.tar.gz")), sorted(folder.glob("mcpgen-*.whl"))
    return Built(sdist, wheel, log)


@pytest.fixture(scope="module")
def installed(built: Built, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv holding the wheel (with its ``verify`` extra) and its dependencies from the index, nothing else."""
    folder = tmp_path_factory.mktemp("wheel-venv") / "venv"
    venv_with(folder, f"mcpgen[verify] @ {built.wheel.as_uri()}", timeout=INSTALL_TIMEOUT_S)
    return folder


def outside(tmp_path: Path, installed: Path) -> dict[str, str]:
    """An environment with the venv first on PATH and nothing that could reach the checkout."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
    path = os.pathsep.join([str(installed / "bin"), "/usr/local/bin", "/usr/bin", "/bin"])
    return {**env, "PATH": path, "XDG_CACHE_HOME": str(tmp_path / "cache"), "HOME": str(tmp_path)}


def test_build_makes_an_sdist_and_a_wheel_that_twine_accepts(built: Built) -> None:
    assert "deprecat" not in built.log.lower(), built.log[-3000:]  # e.g. project.license as a table
    checked = run([str(BIN / "twine"), "check", "--strict", str(built.sdist), str(built.wheel)], ROOT)
    assert checked.count("PASSED") == 2, checked
    version = generator.__version__
    assert built.wheel.name == f"mcpgen-{version}-py3-none-any.whl" and built.sdist.name == f"mcpgen-{version}.tar.gz"


def test_the_wheel_and_the_sdist_carry_every_module_and_template(built: Built) -> None:
    with zipfile.ZipFile(built.wheel) as wheel:
        names = set(wheel.namelist())
        metadata = wheel.read(f"mcpgen-{generator.__version__}.dist-info/METADATA").decode("utf-8")
    assert shipped() <= names, sorted(shipped() - names)
    assert "generator/runtime/serve/http/asgi.py" in names and "generator/templates/init/workflow.yml.j2" in names
    assert f"\nVersion: {generator.__version__}\n" in metadata and "\nLicense-Expression: MIT\n" in metadata
    assert not [name for name in names if name.startswith(("tests/", "templates/", "generated/"))]
    assert "\nProvides-Extra: verify\n" in metadata
    with tarfile.open(built.sdist) as sdist:
        top = f"mcpgen-{generator.__version__}/"
        inside = {name.removeprefix(top) for name in sdist.getnames()}
    from_sdist = {name.replace("generator/templates/", "templates/", 1) for name in shipped()}
    assert from_sdist | {"pyproject.toml", "setup.py", "LICENSE", "README.md"} <= inside, sorted(from_sdist - inside)


def test_the_installed_wheel_generates_a_server_outside_any_checkout(installed: Path, tmp_path: Path) -> None:
    env = outside(tmp_path, installed)
    work = tmp_path / "work"
    work.mkdir()
    shutil.copy2(ROOT / "tests" / "specs" / "petstore.yaml", work / "petstore.yaml")
    assert run(["mcpgen", "--version"], work, env).strip() == f"mcpgen, version {generator.__version__}"
    where = run(["python", "-c", "import generator; print(generator.__file__)"], work, env).strip()
    assert Path(where).is_relative_to(installed), where
    generated = run(["mcpgen", "generate", "--spec", "petstore.yaml", "--name", "pets", "--out", "out"], work, env)
    assert "pets: 4 tools from 4 operations, 0 skipped, 0 renamed, 0 warnings, 0 errors" in generated, generated
    package = work / "out" / "pets_mcp"
    assert (package / "pyproject.toml").is_file() and (package / "src" / "pets_mcp" / "server.py").is_file()
    every = python_files(ROOT / "generator" / "runtime")  # a vendor's package has all but the suite's own module
    assert python_files(package / "src" / "pets_mcp" / "runtime") == every - {SUITE_ONLY}


def test_the_installed_release_pins_itself_in_init(installed: Path, tmp_path: Path) -> None:
    env = outside(tmp_path, installed)
    repo = tmp_path / "repo"
    repo.mkdir()
    run(["git", "init", "-q", "-b", "trunk"], repo, env)
    spec = str(ROOT / "tests" / "specs" / "petstore.yaml")
    run(["mcpgen", "init", "--spec", spec, "--name", "acme", "--url", "https://example.com/openapi.yaml"], repo, env)
    workflow = yaml.safe_load((repo / ".github" / "workflows" / "mcpgen-acme.yml").read_text(encoding="utf-8"))
    assert workflow["jobs"]["regenerate"]["env"]["MCPGEN_REQUIREMENT"] == f"mcpgen=={generator.__version__}"
    assert workflow[True]["push"]["branches"] == ["trunk"]  # YAML 1.1 reads the key `on` as True


def test_the_verify_extra_is_what_generated_servers_depend_on() -> None:
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["optional-dependencies"]
    template = (ROOT / "templates" / "package" / "pyproject.toml.j2").read_text(encoding="utf-8")
    assert extras["verify"] and all(f'"{requirement}"' in template for requirement in extras["verify"])
