"""Every run imports the generated server module in a child process, before anything is written.

Ruff and the import of ``models.py`` check single files; a tool module that does not import (an annotation its
own file cannot resolve, a runtime module that is missing) would still ship. So the formatted package is put in a
scratch folder and a fresh interpreter imports ``<package>.server`` from it, within a time bound. A failure is an
error naming the file and line it was raised in; the caller then writes nothing and the previous output stays.

Importing the server's dependencies (the MCP SDK most of all) costs more than a second of CPU. The child starts
when the pipeline begins to wait for ``models.py`` and imports them meanwhile, so mostly a core that would sit
idle pays for it; the package itself is imported once the last file is formatted.
"""

from __future__ import annotations

import contextlib
import importlib
import json
import select
import subprocess
import sys
import tempfile
import traceback
from pathlib import Path
from typing import IO

from generator.emit.models import gist
from generator.emit.models_worker import start, stop
from generator.emit.write import dump_files

TIMEOUT_S = 60.0  # the child's imports and the package's, on a loaded machine; a hang becomes an error
PRELOAD = ("pydantic", "httpx2", "anyio", "mcp.server.mcpserver")  # what every generated server imports first
Problem = tuple[str, str]


class ServerImport:
    """A child process that imports the server's dependencies now and the generated server module when asked."""

    def __init__(self) -> None:
        self._process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> ServerImport:
        self._process = start("generator.emit.verify", stderr=subprocess.DEVNULL)
        return self

    def __exit__(self, *exc_info: object) -> None:
        process, self._process = self._process, None
        if process is not None:
            stop(process)

    def check(self, files: dict[str, str], package: str) -> list[Problem]:
        """Import ``<package>.server`` from these files (relative paths, ``src/<package>/...``); its problems."""
        server = f"src/{package}/server.py"
        process = self._process
        if process is None or process.stdin is None or process.stdout is None:
            return [(server, "not verified: no Python process could be started to import it")]
        with tempfile.TemporaryDirectory(prefix="mcpgen-import-") as scratch:
            dump_files(Path(scratch), files)
            try:
                process.stdin.write(json.dumps({"root": scratch, "module": f"{package}.server"}).encode() + b"\n")
                process.stdin.flush()
            except OSError:
                return [(server, f"not verified: the importing process ended (exit code {process.poll()})")]
            answer = _answer(process.stdout, TIMEOUT_S)
        if answer is None:
            return [(server, f"does not import within {TIMEOUT_S:g} s, or the importing process died")]
        return answer


def _answer(stdout: IO[bytes], timeout: float) -> list[Problem] | None:
    """The child's problems, or ``None`` when it says nothing readable within ``timeout`` seconds."""
    ready, _, _ = select.select([stdout], [], [], timeout)
    try:
        reply = json.loads(stdout.readline() or b"null") if ready else None
        return [(str(where), str(message)) for where, message in reply["problems"]] if reply else None
    except (OSError, ValueError, TypeError, KeyError):
        return None


def module_problems(root: Path, module: str) -> list[Problem]:
    """Import ``module`` from ``root/src`` in this process: ``[]``, or where it failed (``file:line``) and why."""
    src = root / "src"
    sys.path.insert(0, str(src))
    try:
        importlib.import_module(module)
    except BaseException as exc:  # whatever an import raises (SystemExit too) is the finding
        return [(_where(exc, root, module), f"does not import: {type(exc).__name__}: {gist(str(exc))}")]
    finally:
        sys.path.remove(str(src))
    return []


def _where(exc: BaseException, root: Path, module: str) -> str:
    """The last place inside the package that the failure passed through, as ``src/<package>/file.py:line``."""
    places = [(frame.filename, frame.lineno) for frame in traceback.extract_tb(exc.__traceback__)]
    if isinstance(exc, SyntaxError) and exc.filename:
        places.append((exc.filename, exc.lineno))
    inside = [(Path(name).resolve(), line) for name, line in places if Path(name).resolve().is_relative_to(root)]
    if not inside:
        return "src/" + module.replace(".", "/") + ".py"
    path, line = inside[-1]
    return f"{path.relative_to(root).as_posix()}:{line}"


def _serve() -> None:
    """The child: import the dependencies, then answer the one request on stdin."""
    sys.dont_write_bytecode = True  # the scratch package is gone after the check
    for name in PRELOAD:
        try:
            importlib.import_module(name)
        except ImportError:
            break  # the package's own import will say what is missing
    line = sys.stdin.readline()
    if line:
        request = json.loads(line)
        with contextlib.redirect_stdout(sys.stderr):  # what the package prints is not the answer
            problems = module_problems(Path(request["root"]).resolve(), str(request["module"]))
        sys.stdout.write(json.dumps({"problems": problems}) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    _serve()
