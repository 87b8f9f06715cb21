"""The emitted packages stand alone: pip install into a fresh venv, start over stdio, serve a real client."""

from __future__ import annotations

import shutil
import subprocess
import venv
from pathlib import Path
from typing import Any

import anyio
import pytest
from mcp import Client, StdioServerParameters

from tests.upstream import Upstream

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = {"gong_mcp": 67, "gumloop_mcp": 49}


@pytest.fixture(scope="module")
def fresh_venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A new venv with only the two generated packages (copied first, so no build files land in generated/)."""
    root = tmp_path_factory.mktemp("fresh")
    for package in PACKAGES:
        source = ROOT / "generated" / package
        if not source.is_dir():
            pytest.fail(f"{source} is missing; run `make generate` first")
        shutil.copytree(source, root / package)
    venv.EnvBuilder(with_pip=True).create(root / "venv")
    python = root / "venv" / "bin" / "python"
    command = [str(python), "-m", "pip", "install", "--quiet", *(str(root / p) for p in PACKAGES)]
    done = subprocess.run(command, check=False, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    return root / "venv"


def test_generator_is_not_needed(fresh_venv: Path) -> None:
    code = "import importlib.util as u; print(u.find_spec('generator'), u.find_spec('gong_mcp') is not None)"
    done = subprocess.run(
        [str(fresh_venv / "bin/python"), "-c", code],
        cwd=fresh_venv,
        check=False,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.stdout.split() == ["None", "True"], done.stderr


@pytest.mark.parametrize(("package", "count"), sorted(PACKAGES.items()))
def test_stdio_server_lists_and_calls_tools(fresh_venv: Path, package: str, count: int) -> None:
    command = str(fresh_venv / "bin" / package.replace("_", "-"))
    prefix = package.split("_", maxsplit=1)[0].upper()
    tool, args, path = (
        ("get_single_gong_call_by_id", {"id": "a/b?x=1"}, "/v2/calls/a%2Fb%3Fx%3D1")
        if package == "gong_mcp"
        else ("get_single_gumloop_session_by_id", {"session_id": "s-1"}, "/sessions/s-1")
    )
    with Upstream() as up:
        env = {f"{prefix}_BASE_URL": up.url, "GONG_ACCESS_TOKEN": "t", "GUMLOOP_API_KEY": "k", "PATH": "/usr/bin:/bin"}
        params = StdioServerParameters(command=command, args=["--transport", "stdio"], env=env)

        async def go() -> tuple[Any, Any]:
            async with Client(params) as client:
                listed = await client.list_tools()
                return listed, await client.call_tool(tool, args)

        listed, result = anyio.run(go)
        assert len(listed.tools) == count
        assert not result.is_error, result.content
        assert result.structured_content["ok"] is True
        assert [s.path for s in up.seen] == [path] or [s.path for s in up.seen] == [path.replace("%3F", "?")]
