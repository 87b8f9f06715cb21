"""The models stage in a second process, so that it runs beside parsing and rendering.

Importing datamodel-code-generator and its first run cost more than the rest of a generation put
together. ``mcpgen generate`` therefore starts this worker before it reads a spec. The worker imports
the library and warms it on a small schema while the main process loads, parses and renders (the
machine has two cores; this uses both). Then it turns the component schemas it is sent into
``models.py``. The output is the same text :func:`generator.emit.models.models_text` gives in-process, and a
test holds the two equal. If the worker cannot start or stops answering, the main process does the
work itself.

The protocol is one JSON object per line: ``{"models": {...}}`` in on stdin, and
``{"text": "...", "problems": [[where, message], ...]}`` out on stdout. EOF on stdin ends the worker.
"""

from __future__ import annotations

import json
import os
import queue
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    from generator.emit.models import Answer

# Touches the parts of datamodel-code-generator that Gong and Gumloop models use (objects, enums, arrays,
# nested $refs, nullable unions, constraints), so that their lazy imports happen before real work arrives.
WARM_UP: dict[str, Any] = {
    "Item": {
        "type": "object",
        "description": "warm-up",
        "properties": {
            "name": {"type": "string", "minLength": 1},
            "count": {"type": "integer", "minimum": 0},
            "kind": {"type": "string", "enum": ["a", "b"]},
            "tags": {"type": "array", "items": {"type": "string"}},
            "child": {"$ref": "#/$defs/Child"},
            "maybe": {"anyOf": [{"type": "number"}, {"type": "null"}]},
        },
        "required": ["name"],
    },
    "Child": {"type": "object", "properties": {"on": {"type": "boolean"}}, "additionalProperties": False},
}


class ModelsWorker:
    """A worker process for the models stage; use it as a context manager around a whole run.

    A server with no models (Gumloop) needs no worker: when one is submitted and no answer is owed, the worker
    stops, so that its warm-up stops taking a core from the rest of the run; the next server with models starts
    a new one.
    """

    def __init__(self) -> None:
        self._process: subprocess.Popen[bytes] | None = None
        self._open = False  # inside the context: a stopped worker may be started again
        self._owed = 0  # answers sent for and not yet read

    def __enter__(self) -> ModelsWorker:
        self._open = True
        self._process = start("generator.emit.models_worker")
        return self

    def __exit__(self, *_: object) -> None:
        """Stop the worker: every answer has been read by now, and a warm-up still running is not needed."""
        self._open = False
        self._stop()

    def _stop(self) -> None:
        process, self._process = self._process, None
        if process is not None:
            stop(process)

    def submit(self, models: dict[str, Any]) -> Callable[[], Answer]:
        """Send one server's schemas now; the returned call waits for ``models.py`` (answer in submit order).

        Call the returned function exactly once.
        """
        if not models:
            if not self._owed:
                self._stop()
            return lambda: models_here(models)
        if self._process is None and self._open:
            self._process = start("generator.emit.models_worker")
        process = self._process
        if process is None or process.stdin is None or process.stdout is None:
            return lambda: models_here(models)
        try:
            process.stdin.write(json.dumps({"models": models}).encode() + b"\n")
            process.stdin.flush()
        except (OSError, TypeError, ValueError):  # a dead worker, or a schema value JSON cannot carry
            return lambda: models_here(models)
        stdout = process.stdout
        self._owed += 1

        def answer() -> Answer:
            try:
                return _answer(stdout) or models_here(models)
            finally:
                self._owed -= 1

        return answer


def models_here(models: dict[str, Any]) -> Answer:
    """``generator.emit.models.models_text``, imported on first use: this module is imported before a run's
    helpers start, and datamodel-code-generator's side of it (pydantic-core, the spec's patterns) is not needed
    until a server's models are written here instead of in the worker."""
    from generator.emit.models import models_text as written

    return written(models)


def start(module: str, stderr: int | None = None) -> subprocess.Popen[bytes] | None:
    """``python -m module`` with pipes to talk to it, or ``None`` when it cannot be started."""
    package_root = str(Path(__file__).resolve().parent.parent)  # the folder that holds ``generator``
    path = os.environ.get("PYTHONPATH")
    env = {**os.environ, "PYTHONPATH": package_root + (os.pathsep + path if path else "")}
    command = [sys.executable, "-m", module]
    try:
        return subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=stderr, env=env)
    except OSError:
        return None


def stop(process: subprocess.Popen[bytes]) -> None:
    """End a helper process at once (nothing it still does is needed) and close its pipes."""
    process.kill()
    process.wait()
    for stream in (process.stdin, process.stdout):
        if stream is not None:
            stream.close()


def _answer(stdout: IO[bytes]) -> Answer | None:
    """The worker's answer to one request, or ``None`` if it stopped or said something unreadable."""
    try:
        reply = json.loads(stdout.readline() or b"null")
        return str(reply["text"]), [(str(where), str(message)) for where, message in reply["problems"]]
    except (OSError, ValueError, TypeError, KeyError):
        return None


def serve(incoming: IO[bytes], outgoing: IO[bytes]) -> None:
    """Read requests while warming up (so the sender never blocks on a full pipe), then answer them in order."""
    requests: queue.Queue[bytes] = queue.Queue()

    def read() -> None:
        for line in incoming:
            requests.put(line)
        requests.put(b"")

    threading.Thread(target=read, daemon=True).start()
    models_here(WARM_UP)
    while line := requests.get():
        text, problems = models_here(json.loads(line)["models"])
        outgoing.write(json.dumps({"text": text, "problems": problems}).encode() + b"\n")
        outgoing.flush()


if __name__ == "__main__":
    serve(sys.stdin.buffer, sys.stdout.buffer)
