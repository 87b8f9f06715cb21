"""Every run imports the generated server module in a child process, before anything is written.

Ruff and the import of ``models.py`` check single files; a tool module that does not import (an annotation its
own file cannot resolve, a runtime module that is missing) would still ship. So the formatted package is put in a
scratch folder and a child interpreter imports ``<package>.server`` from it, within a time bound. A failure is an
error naming the file and line it was raised in; the caller then writes nothing and the previous output stays.

Importing the server's dependencies (the MCP SDK most of all) costs more than a second of CPU, so it is paid once
per process: one child (``SHARED``) serves every check of a run (``--all``, a test session, a corpus worker),
forgetting each package after its check. ``mcpgen generate`` starts it with the models worker, before it reads a
spec, so that the SDK is imported while the spec is parsed and rendered: on a large spec that work, not the
models, is the longest path, and a child started later put the SDK's import after it (GitHub's spec: 1.4 s).
For other callers it starts with the first check submitted. A check runs while the models worker still writes
``models.py`` (see :meth:`ServerImport.submit`). A child that hangs or dies is replaced.
"""

from __future__ import annotations

import atexit
import contextlib
import importlib
import json
import select
import subprocess
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import IO

from generator.emit.models_worker import start, stop
from generator.emit.write import dump_files, scratch

TIMEOUT_S = 60.0  # the child's imports and the package's, on a loaded machine; a hang becomes an error
PRELOAD = ("pydantic", "httpx2", "anyio", "mcp.server.mcpserver")  # what every generated server imports first
Problem = tuple[str, str]
Verdict = tuple[list[Problem], list[Problem]]  # errors, warnings


class ServerImport:
    """The child process that imports generated server modules; kept from one check to the next."""

    def __init__(self) -> None:
        self._process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        """Start the child (it imports the dependencies at once) unless one is running."""
        if self._process is None or self._process.poll() is not None:
            self.stop()
            self._process = start("generator.emit.verify", stderr=subprocess.DEVNULL)

    def stop(self) -> None:
        """End the child, if any."""
        process, self._process = self._process, None
        if process is not None:
            stop(process)

    def check(self, files: dict[str, str], package: str) -> Verdict:
        """Import ``<package>.server`` from these files (relative paths, ``src/<package>/...``).

        Returns errors (it does not import) and warnings (it could not be tried: no child, or a dependency of
        every generated server, such as ``mcp``, is not installed where mcpgen runs).
        """
        return self.submit(files, package)()

    def submit(self, files: dict[str, str], package: str) -> Callable[[], Verdict]:
        """Start :meth:`check` and return at once; the returned call waits for its verdict (call it exactly once).

        The pipeline submits the files as rendered, before ruff and without ``models.py``, and checks again when
        that fails (see ``pipeline._formatted_files``).
        """
        self.start()
        server, process = f"src/{package}/server.py", self._process
        if process is None or process.stdin is None or process.stdout is None:
            return lambda: ([], [(server, "not verified by import: no Python process could be started")])
        scratch_folder = scratch(files, "mcpgen-import-")
        dump_files(Path(scratch_folder.name), files)
        try:
            process.stdin.write(
                json.dumps({"root": scratch_folder.name, "module": f"{package}.server"}).encode() + b"\n"
            )
            process.stdin.flush()
        except OSError:
            scratch_folder.cleanup()
            return lambda: self._verdict(None, server)
        stdout = process.stdout

        def verdict() -> Verdict:
            try:
                return self._verdict(_answer(stdout, TIMEOUT_S), server)
            finally:
                scratch_folder.cleanup()

        return verdict

    def _verdict(self, answer: tuple[list[Problem], str] | None, server: str) -> Verdict:
        if answer is None:
            self.stop()
            return [(server, f"does not import within {TIMEOUT_S:g} s, or the importing process died")], []
        problems, missing = answer
        return problems, [(server, f"not verified by import: {missing}")] if missing else []


SHARED = ServerImport()
atexit.register(SHARED.stop)  # a library caller's; the console script stops it before its hard exit


def _answer(stdout: IO[bytes], timeout: float) -> tuple[list[Problem], str] | None:
    """The child's problems and what it lacked, or ``None`` when it says nothing readable within ``timeout`` s."""
    ready, _, _ = select.select([stdout], [], [], timeout)
    try:
        reply = json.loads(stdout.readline() or b"null") if ready else None
        if not reply:
            return None
        return [(str(where), str(message)) for where, message in reply["problems"]], str(reply["missing"])
    except (OSError, ValueError, TypeError, KeyError):
        return None


def module_problems(root: Path, module: str) -> list[Problem]:
    """Import ``module`` from ``root/src`` in this process: ``[]``, or where it failed (``file:line``) and why."""
    src = root / "src"
    sys.path.insert(0, str(src))
    try:
        importlib.import_module(module)
    except BaseException as exc:  # whatever an import raises (SystemExit too) is the finding
        from generator.emit.models import gist  # not at the top: mcpgen imports this module before its helpers start

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


def forget(module: str) -> None:
    """Drop ``module``'s top-level package and everything under it from ``sys.modules`` (the next check is fresh)."""
    top = module.split(".", maxsplit=1)[0]
    for name in [n for n in sys.modules if n == top or n.startswith(top + ".")]:
        del sys.modules[name]


def _serve() -> None:
    """The child: import the dependencies, then answer each request on stdin until it closes."""
    sys.dont_write_bytecode = True  # each scratch package is gone after its check
    missing = ""
    for name in PRELOAD:
        try:
            importlib.import_module(name)
        except ImportError as exc:  # e.g. mcpgen installed without them: the server cannot import here, fairly
            top = (exc.name or name).split(".")[0]
            missing = f"{top!r}, which every generated server needs, is not installed beside mcpgen"
            break
    for line in sys.stdin:
        request = json.loads(line)
        problems: list[Problem] = []
        if not missing:
            with contextlib.redirect_stdout(sys.stderr):  # what the package prints is not the answer
                problems = module_problems(Path(request["root"]).resolve(), str(request["module"]))
            forget(str(request["module"]))
        sys.stdout.write(json.dumps({"problems": problems, "missing": missing}) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    _serve()
