"""The peers, installed on first use into bench-local places, and the commands that start each server.

- FastMCP (``FastMCP.from_openapi``) in its own virtual environment, ``bench/.venv-peers``: it pins its own
  ``mcp`` and friends, which must not move the project's.
- ``openapi-mcp-generator`` from npm into ``bench/node_modules`` (pinned by ``bench/package-lock.json``), with
  what its generated TypeScript servers need to build (``tsc``) and run (the MCP SDK, axios, zod; for its
  streamable-http output also hono, ``@hono/node-server``, uuid and fetch-to-node, which it imports but the
  bench's lock must provide).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
PEER_VENV = BENCH / ".venv-peers"
WORK = BENCH / ".work"
NODE_BIN = BENCH / "node_modules" / ".bin"
FASTMCP_PIN = "fastmcp==4.1.2"


class SetupFailed(RuntimeError):
    """A peer could not be installed or built; the message says which and why."""


def _run(command: list[str], cwd: Path | None = None, env: dict[str, str] | None = None) -> float:
    """Run a command to completion; return its wall time. Output goes to ``bench/.work/setup.log``."""
    WORK.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    with (WORK / "setup.log").open("ab") as log:
        done = subprocess.run(command, cwd=cwd, env=env, stdout=log, stderr=log, check=False)
    if done.returncode != 0:
        raise SetupFailed(f"{' '.join(command[:3])} … exited {done.returncode}; see {WORK / 'setup.log'}")
    return time.perf_counter() - started


def ensure_fastmcp() -> Path:
    """The peers' Python, with FastMCP installed (once)."""
    python = PEER_VENV / "bin" / "python"
    stamp = PEER_VENV / f".{FASTMCP_PIN}"
    if not stamp.exists():
        print(f"installing {FASTMCP_PIN} into {PEER_VENV.relative_to(ROOT)} (first run only)", flush=True)
        _run([sys.executable, "-m", "venv", "--clear", str(PEER_VENV)])
        _run([str(python), "-m", "pip", "install", "--quiet", FASTMCP_PIN, "pyyaml"])
        stamp.touch()
    return python


def ensure_node() -> Path:
    """``bench/node_modules`` as the lock file pins it (once, and again when the lock changes)."""
    stamp = BENCH / "node_modules" / ".installed"
    lock = BENCH / "package-lock.json"
    if not stamp.exists() or stamp.stat().st_mtime < lock.stat().st_mtime:
        print("installing openapi-mcp-generator into bench/node_modules (first run only)", flush=True)
        _run(["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=BENCH)
        stamp.touch()
    return NODE_BIN


def tool_versions(fastmcp_python: Path) -> dict[str, str]:
    """Versions of what is compared, for the results file."""

    def out(command: list[str]) -> str:
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        return (done.stdout or done.stderr).strip().splitlines()[-1] if (done.stdout or done.stderr) else "?"

    probe = "import fastmcp, mcp; from importlib.metadata import version; print(fastmcp.__version__, version('mcp'))"
    fastmcp_version, fastmcp_mcp = [*out([str(fastmcp_python), "-c", probe]).split(), "?", "?"][:2]
    from importlib.metadata import version

    return {
        "python": sys.version.split()[0],
        "node": out(["node", "--version"]),
        "mcp (ours)": version("mcp"),
        "fastmcp": fastmcp_version,
        "mcp (fastmcp)": fastmcp_mcp,
        "openapi-mcp-generator": out([str(NODE_BIN / "openapi-mcp-generator"), "--version"]),
    }


def generate_peer(spec: Path, out: Path) -> float:
    """``openapi-mcp-generator`` on a spec: wall seconds (the project it writes is not built yet)."""
    return _run([str(NODE_BIN / "openapi-mcp-generator"), "-i", str(spec), "-o", str(out), "--force"])


def streamable_peer(spec: Path, port: int) -> list[str]:
    """openapi-mcp-generator's ``--transport streamable-http`` server for ``spec``, generated and built to listen on
    ``port`` (its generator fixes the port in the code): the command that starts it."""
    out = WORK / "openapi-mcp-generator-http"
    generator = [str(NODE_BIN / "openapi-mcp-generator"), "-i", str(spec), "-o", str(out), "--force"]
    _run([*generator, "--transport", "streamable-http", "--port", str(port)])
    build_peer(out)
    return ["node", str(out / "build" / "index.js")]


def build_peer(out: Path) -> float:
    """Compile a generated TypeScript project with ``tsc``; its imports resolve to ``bench/node_modules``."""
    return _run([str(NODE_BIN / "tsc"), "-p", str(out)])


def github_spec() -> Path:
    """GitHub's public spec (1,223 operations) from ``@octokit/openapi`` in ``bench/node_modules``: never committed."""
    spec = BENCH / "node_modules" / "@octokit" / "openapi" / "generated" / "api.github.com.json"
    if not spec.exists():
        raise SetupFailed(f"{spec.relative_to(ROOT)} is missing: its npm package is pinned in bench/package.json")
    return spec


def our_script(distribution: str) -> Path:
    """The installed console script of a generated package (``.venv/bin/gong-mcp``)."""
    script = Path(sys.executable).with_name(distribution)
    if not script.exists():
        raise SetupFailed(f"{script} is missing: run `make generate` first")
    return script


def base_env() -> dict[str, str]:
    """What every server process gets: this environment, minus proxies that would catch 127.0.0.1."""
    env = {k: v for k, v in os.environ.items() if k.lower() not in ("http_proxy", "https_proxy", "all_proxy")}
    return {**env, "NO_PROXY": "127.0.0.1,localhost", "PYTHONDONTWRITEBYTECODE": "0"}
