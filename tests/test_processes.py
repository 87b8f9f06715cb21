"""The process adapters (``generator.processes``): the hard exit keeps output and code; a forked check answers.

``os._exit`` and ``os.fork`` are leaned on there and nowhere else; these tests fail loudly when they stop
behaving as that module expects. Each runs in a fresh interpreter: a test process has other threads, and the
fork is only taken without them.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable

import pytest

from generator import processes
from generator.processes import Processes

EXIT = """
import sys
from generator.processes import exit_now
print("to stdout", end="")
print("to stderr", end="", file=sys.stderr)
exit_now(7)
"""

FORKED = """
import json, os, threading
from generator.processes import forked

def fails() -> bytes:
    raise ValueError("work that raises makes nothing")

def dies() -> bytes:
    os._exit(0)  # a copy that ends without writing: nothing, though its exit code says 0

parent, seen = os.getpid(), []
print("once ", end="")  # still in this process's buffer when it forks: the children must not flush it again
works = (lambda: b"yes", lambda: b"", fails, dies, lambda: str(os.getpid() != parent).encode(), lambda: b"x" * 300_000)
answers = [forked(work)() for work in works]
answers.append(forked(lambda: seen.append(1) or b"kept")() == b"kept" and seen == [])  # the child's changes stay in it
threading.Thread(target=threading.Event().wait, args=(5,), daemon=True).start()
answers.append(forked(lambda: b"yes") is None)  # another thread: no fork
print(json.dumps([a.decode()[:8] if isinstance(a, bytes) else a for a in answers]))
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the structure check forks on Linux only")
def test_a_forked_check_answers_once_and_leaves_nothing_behind() -> None:
    done = subprocess.run([sys.executable, "-c", FORKED], capture_output=True, text=True, timeout=60, check=True)
    printed, answers = done.stdout.split(" ", 1)
    assert printed == "once"
    # 300,000 bytes: more than a pipe holds, so the copy writes while this process reads
    assert json.loads(answers) == ["yes", "", None, "", "True", "xxxxxxxx", True, True]


def test_exit_now_flushes_both_streams_and_keeps_the_code() -> None:
    done = subprocess.run([sys.executable, "-c", EXIT], capture_output=True, text=True, timeout=30, check=False)
    assert (done.returncode, done.stdout, done.stderr) == (7, "to stdout", "to stderr")


class Helper:
    """A stand-in for the models worker and the server-import child: records what it was asked and told."""

    def __init__(self) -> None:
        self.events: list[str] = []

    def submit(self, *asked: object) -> Callable[[], str]:
        self.events.append("asked")

        def answer() -> str:
            self.events.append("read")
            return "answer"

        return answer

    def stop(self) -> None:
        self.events.append("stopped")


def test_an_error_between_a_question_and_its_answer_settles_what_is_owed() -> None:
    """The worker's unread answer is read (its next one belongs to the next server); the child is replaced."""
    worker, importer = Helper(), Helper()
    processes = Processes(worker, importer)  # type: ignore[arg-type]
    with pytest.raises(RuntimeError), processes.asking() as asked:
        asked.models({"A": {}})
        asked.imports({}, "pkg")
        raise RuntimeError("ruff failed")
    assert (worker.events, importer.events) == (["asked", "read"], ["asked", "stopped"])


def test_answers_read_in_time_are_not_settled_again() -> None:
    worker, importer = Helper(), Helper()
    with Processes(worker, importer).asking() as asked:  # type: ignore[arg-type]
        answers = [asked.models({"A": {}}), asked.imports({}, "pkg")]
        assert [answer() for answer in answers] == ["answer", "answer"]
    assert (worker.events, importer.events) == (["asked", "read"], ["asked", "read"])


def test_an_answer_left_unread_without_an_error_is_settled_on_leaving() -> None:
    """The model stage asks for its models before the tools are built; when building them fails (an error in the
    report, not an exception), nothing reads that answer, and the next server must not be given it."""
    worker, importer = Helper(), Helper()
    with Processes(worker, importer).asking() as asked:  # type: ignore[arg-type]
        asked.models({"A": {}})
    assert (worker.events, importer.events) == (["asked", "read"], [])


def test_a_beside_job_gives_the_same_text_forked_or_here(monkeypatch: pytest.MonkeyPatch) -> None:
    """``Processes.beside``: forked (or here, when this process has other threads), and done here again when the
    forked copy failed; each way gives the work's own text."""
    assert Processes().beside(lambda: "made")() == "made"
    monkeypatch.setattr(processes, "forked", lambda work: lambda: None)  # a copy that died
    assert Processes().beside(lambda: "made again")() == "made again"
