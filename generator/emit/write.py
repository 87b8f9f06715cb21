"""Stage 5, write: format in a scratch folder with ruff, then swap the package in atomically."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from generator.errors import FatalError, Report


def ruff_command() -> list[str]:
    """Ruff from this environment (pinned by mcpgen's dependencies), else from PATH."""
    beside = Path(sys.executable).with_name("ruff")
    return [str(beside)] if beside.exists() else [shutil.which("ruff") or "ruff"]


MEMORY_FOLDER = Path("/dev/shm")  # Linux's memory-backed folder: no disk under a scratch copy that lives a second
TEMP_VARIABLES = ("TMPDIR", "TEMP", "TMP")  # a folder the user chose for temporary files (``tempfile``'s order)


def scratch(files: dict[str, str], prefix: str) -> tempfile.TemporaryDirectory[str]:
    """A scratch folder for a copy of ``files`` that lives only while a check reads it (ruff, the server import).

    A folder the user named in ``TMPDIR``, ``TEMP`` or ``TMP`` is used as it is. Otherwise the copy goes to
    ``/dev/shm`` when that folder is writable and has four times the copy's size free, since several copies may
    be alive at once (a container's ``/dev/shm`` is often 64 MB): a scratch copy on disk was measured at 8 to 10 %
    of a whole run (Gong: 86 ms a copy on this machine's disk against 10 ms in memory). Else ``tempfile``'s own.
    """
    return tempfile.TemporaryDirectory(prefix=prefix, dir=scratch_root(sum(len(text) for text in files.values())))


def scratch_root(size: int) -> str | None:
    """``/dev/shm`` for a scratch copy of ``size`` characters, or ``None`` for ``tempfile``'s choice (see
    :func:`scratch`)."""
    if any(os.environ.get(name) for name in TEMP_VARIABLES) or not MEMORY_FOLDER.is_dir():
        return None
    try:
        state = os.statvfs(MEMORY_FOLDER)
    except OSError:
        return None
    roomy = state.f_bavail * state.f_frsize >= 4 * size
    return str(MEMORY_FOLDER) if roomy and os.access(MEMORY_FOLDER, os.W_OK | os.X_OK) else None


def format_files(files: dict[str, str], report: Report) -> dict[str, str]:
    """Run ``ruff check --fix-only`` and ``ruff format`` over the files and return what they became.

    Then a plain ``ruff check`` (no fixes) verifies the result: lint-clean is checked on every run, not assumed.
    Each finding is an error naming the file, the place and the rule, so nothing is written.
    """
    with scratch(files, "mcpgen-") as scratch_folder:
        root = Path(scratch_folder)
        dump_files(root, files)
        for args in (["check", "--fix-only", "--quiet", "--exit-zero"], ["format", "--quiet"]):
            _ruff(root, args)
        for finding in json.loads(_ruff(root, ["check", "--output-format=json", "--exit-zero", "--quiet"]) or "[]"):
            place = f"{Path(finding['filename']).relative_to(root).as_posix()}:{finding['location']['row']}"
            report.error(place, f"ruff {finding['code']}: {finding['message']}")
        return {name: (root / name).read_text(encoding="utf-8") for name in files}


def _ruff(root: Path, args: list[str]) -> str:
    """Run ruff in ``root``; its output, or a fatal error when ruff itself fails."""
    done = subprocess.run([*ruff_command(), *args, "."], cwd=root, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        lines = (done.stderr or done.stdout).strip().splitlines()
        raise FatalError("ruff", lines[-1] if lines else "failed")
    return done.stdout


def dump_files(root: Path, files: dict[str, str]) -> None:
    """Write each file (a path relative to ``root``) under ``root``."""
    for name, text in files.items():
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")


def write_package(destination: Path, files: dict[str, str]) -> None:
    """Replace ``destination`` with exactly these files; a failure leaves the old package in place."""
    destination.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{destination.name}.new-", dir=destination.parent))
    try:
        dump_files(staging, files)
        old = Path(tempfile.mkdtemp(prefix=f".{destination.name}.old-", dir=destination.parent))
        if destination.exists():
            os.replace(destination, old / destination.name)
        os.replace(staging, destination)
        shutil.rmtree(old, ignore_errors=True)
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise FatalError(str(destination), f"cannot write the package: {exc.strerror or exc}") from None


def write_file(path: Path, data: bytes) -> None:
    """Write one file atomically (a scratch file beside it, then a rename); a failure names the file."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        scratch = path.with_name(f".{path.name}.part")
        scratch.write_bytes(data)
        scratch.replace(path)
    except OSError as exc:
        raise FatalError(path.as_posix(), f"cannot write: {exc.strerror or exc}") from None
