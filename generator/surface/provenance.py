"""Where the running mcpgen came from, and which branch a repository builds: what ``mcpgen init`` pins.

A scaffolded workflow installs mcpgen on a CI runner, so it must name something that runner can install: the
exact release that is running (``mcpgen==X.Y.Z``) when mcpgen was installed from a package index or a built
wheel; the exact commit, from its https remote, when mcpgen runs from a development checkout (an editable
install, ``pip install .``, or the source on ``sys.path``); from a git URL, that URL at the commit pip recorded
(PEP 610's ``direct_url.json``). Anything else cannot be pinned, and the reason is one line.

Git is asked read-only questions with a short time bound; no network is used.
"""

from __future__ import annotations

import json
import subprocess
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urlsplit, urlunsplit

import generator

DISTRIBUTION = "mcpgen"
DEFAULT_BRANCH = "main"
GIT_TIMEOUT_S = 10
UNSAFE = frozenset("\"`$\\'")  # a requirement is printed inside "..." on a README's shell line


@dataclass(frozen=True)
class Pin:
    """What CI should install (``requirement``), or why nothing can be named (``reason``, one line)."""

    requirement: str | None
    reason: str = ""


def running_pin() -> Pin:
    """The requirement that installs the mcpgen running now, on a machine that has only the network."""
    for dist in metadata.distributions(name=DISTRIBUTION):
        # An installer records itself; a build's mcpgen.egg-info in a checkout is no install. An editable install's
        # files are not the ones running: the checkout is, and is pinned as one.
        if dist.read_text("INSTALLER") is None or not _runs_from(dist):
            continue
        direct = _direct_url(dist)
        if direct is None or ("archive_info" in direct and str(direct.get("url", "")).startswith("file:")):
            return Pin(f"{DISTRIBUTION}=={dist.version}")  # from an index, or a wheel built for a release
        return direct_pin(direct)
    return checkout_pin(source_root())


def source_root() -> Path:
    """The folder that holds the ``generator`` package being run."""
    return Path(generator.__file__).resolve().parent.parent


def checkout_pin(root: Path) -> Pin:
    """``mcpgen @ git+https://…@<commit>`` for a checkout whose commit is on a branch of an https remote.

    The commit is what CI gets: changes not committed and pushed are not in it.
    """
    top = _git(root, "rev-parse", "--show-toplevel")
    commit = _git(root, "rev-parse", "--verify", "--quiet", "HEAD^{commit}")
    if commit is None or top is None or Path(top).resolve() != root.resolve():
        return Pin(None, f"mcpgen runs from {root.as_posix()}, neither an installed release nor a git checkout")
    names = (_git(root, "remote") or "").split()
    remotes = [name for name in names if https_url(_git(root, "remote", "get-url", name))]
    if not remotes:
        return Pin(None, f"mcpgen runs from a checkout ({root.as_posix()}) with no https remote CI could install from")
    for name in sorted(remotes, key=lambda remote: remote != "origin"):
        if _git(root, "branch", "--remotes", "--contains", commit, "--list", f"{name}/*"):
            return Pin(f"{DISTRIBUTION} @ git+{https_url(_git(root, 'remote', 'get-url', name))}@{commit}")
    return Pin(None, f"mcpgen runs from commit {commit[:12]}, which is on no branch of {', '.join(remotes)}; push it")


def https_url(url: str | None) -> str | None:
    """``url`` without any user name or token when it is an https URL; otherwise ``None``."""
    if not url:
        return None
    parts = urlsplit(url.strip())
    try:
        port = parts.port
    except ValueError:
        return None
    if parts.scheme != "https" or not parts.hostname:
        return None
    host = parts.hostname + (f":{port}" if port else "")
    return urlunsplit(("https", host, quote(unquote(parts.path), safe="/-._~"), "", ""))


def requirement_problem(requirement: str) -> str | None:
    """Why ``requirement`` cannot stand in a workflow and a README's shell line as it is; ``None`` when it can."""
    if not requirement.strip():
        return "is empty"
    unsafe = sorted({char for char in requirement if char in UNSAFE or not char.isprintable()})
    if unsafe:
        return f"holds characters a shell line would read: {''.join(unsafe)!r}"
    return None


def default_branch(repository: Path) -> str:
    """The branch a repository builds: ``origin``'s default branch, else the current branch, else ``main``."""
    remote = _git(repository, "symbolic-ref", "--quiet", "refs/remotes/origin/HEAD")
    if remote and remote.startswith("refs/remotes/origin/"):
        return remote.removeprefix("refs/remotes/origin/")
    return _git(repository, "symbolic-ref", "--quiet", "--short", "HEAD") or DEFAULT_BRANCH


def direct_pin(direct: dict[str, Any]) -> Pin:
    """The pin for a direct install: a checkout's folder, a git URL at its commit, or an https archive."""
    url = str(direct.get("url", ""))
    if "dir_info" in direct and url.startswith("file:"):
        return checkout_pin(Path(unquote(urlsplit(url).path)))
    vcs = direct.get("vcs_info")
    clean = https_url(url)
    if isinstance(vcs, dict) and vcs.get("vcs") == "git" and clean and vcs.get("commit_id"):
        return Pin(f"{DISTRIBUTION} @ git+{clean}@{vcs['commit_id']}")
    if "archive_info" in direct and clean:
        return Pin(f"{DISTRIBUTION} @ {clean}")
    where = urlsplit(url)
    shown = f"{where.scheme}://{where.hostname or ''}{where.path}" if where.scheme else "an unrecorded place"
    return Pin(None, f"mcpgen was installed from {shown}, which CI cannot install from")


def _runs_from(dist: metadata.Distribution) -> bool:
    """Whether the ``generator`` package being run is the one this distribution installed."""
    installed = Path(str(dist.locate_file("generator/__init__.py"))).resolve()
    return installed == Path(generator.__file__).resolve()


def _direct_url(dist: metadata.Distribution) -> dict[str, Any] | None:
    """PEP 610's record of a direct install (a folder, a file, a URL, a VCS); ``None`` for an index install."""
    text = dist.read_text("direct_url.json")
    try:
        found = json.loads(text) if text else None
    except ValueError:
        return None
    return found if isinstance(found, dict) else None


def _git(folder: Path, *args: str) -> str | None:
    """A read-only git query's output (stripped), or ``None`` when git fails, is missing or the folder is not one."""
    if not folder.is_dir():
        return None
    try:
        done = subprocess.run(
            ["git", "-C", str(folder), *args], capture_output=True, text=True, timeout=GIT_TIMEOUT_S, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout.strip() if done.returncode == 0 else None
