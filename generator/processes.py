"""What a run does beside its own stages, in one place: helper processes, forked work, the collector, the exit.

None of this changes what is generated; each piece only makes ``mcpgen generate`` end sooner on two cores, and
each was measured (the figures are in the docstrings below and in the commits that brought them). The
speed-up's choreography lives here so that ``pipeline.generate`` reads as its stages:

- the models worker (``emit.models_worker``) writes ``models.py`` while this process builds the tools and renders;
- the server-import child (``emit.verify.SHARED``) imports the MCP SDK once, then each package as it is formatted;
- the structure check (``spec.structure.check_structure``) runs in a forked copy of this process while this one
  builds from the unchecked document (:meth:`Processes.unless_faulty`);
- the documents (the listing, ``details.json``, the README) are made in another while this one renders the code
  (:meth:`Processes.beside`);
- the cyclic garbage collector is paused for the run (:func:`collector_paused`);
- the console script leaves without interpreter teardown (:func:`exit_now`).

Two private APIs are leaned on here and nowhere else in the generator (the runtime stands alone and forks its
own serving workers): ``os.fork`` (:func:`forked`) and ``os._exit`` (:func:`exit_now`, and a forked child's end);
``tests/test_processes.py`` holds both to what this module expects.
"""

from __future__ import annotations

import gc
import os
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from generator.emit import verify
from generator.emit.models_worker import ModelsWorker, models_here
from generator.emit.verify import ServerImport, Verdict
from generator.spec.structure import check_structure

if TYPE_CHECKING:
    from generator.emit.models import Answer

T = TypeVar("T")


@dataclass(frozen=True)
class Processes:
    """The helper processes one run works with: a models worker (optional) and the server-import child."""

    worker: ModelsWorker | None = None
    importer: ServerImport = verify.SHARED

    def unless_faulty(self, document: dict[str, Any], work: Callable[[], T]) -> T | None:
        """``work()``, done while a forked copy of this process checks ``document``'s structure.

        Validating a large spec takes most of a second on one core while the other waits, and on a clean spec (the
        usual case) it changes nothing. ``None`` when the check found something to drop, loosen or refuse, or when
        no fork was safe: then the caller checks here and does the work again. What ``work`` raised is raised only
        when the document was clean (an unchecked document may break a stage; the check says whether it may).
        """
        verdict = forked(lambda: b"clean" if not check_structure(document) else b"")
        if verdict is None:
            return None

        def clean() -> bool:
            return verdict() == b"clean"

        try:
            done = work()
        except Exception:
            if clean():
                raise
            return None
        return done if clean() else None

    def beside(self, work: Callable[[], str]) -> Callable[[], str]:
        """``work()`` started in a forked copy of this process while this one goes on; the call returned reads the
        text it made (call it once). When no fork was safe, or the copy failed, that call does the work here: the
        text is the same either way."""
        made = forked(lambda: work().encode())

        def text() -> str:
            found = made() if made is not None else None
            return found.decode() if found is not None else work()

        return text

    @contextmanager
    def asking(self) -> Iterator[Asked]:
        """Questions for the helper processes, each answer read once; what is owed on leaving (an error, or a model
        stage that failed after asking for its models) is settled."""
        owed = Asked(self)
        try:
            yield owed
        finally:
            owed.settle()

    def imports_now(self, files: dict[str, str], package: str) -> Verdict:
        """Import ``<package>.server`` from ``files`` in the child and wait (see ``verify.ServerImport.check``)."""
        return self.importer.check(files, package)


@dataclass
class Asked:
    """The answers one server's emit stage is owed; a helper's next answer must never be taken for this one's."""

    processes: Processes
    unsettled: list[Callable[[], object]] = field(default_factory=list)

    def models(self, schemas: dict[str, Any]) -> Callable[[], Answer]:
        """``models.py`` for ``schemas``: written by the worker meanwhile, or here when the answer is read."""
        worker = self.processes.worker
        if worker is None:
            return lambda: models_here(schemas)
        answer = worker.submit(schemas)
        return self._owed(answer, settle=answer)  # the worker answers in order: the unread answer is read

    def imports(self, files: dict[str, str], package: str) -> Callable[[], Verdict]:
        """Whether ``<package>.server`` imports from ``files``, asked of the child now and read when called."""
        importer = self.processes.importer
        return self._owed(importer.submit(files, package), settle=importer.stop)  # an unread answer: a fresh child

    def settle(self) -> None:
        """Deal with every answer asked for and not read (after an error, before the next question)."""
        while self.unsettled:
            self.unsettled.pop()()

    def _owed(self, answer: Callable[[], T], settle: Callable[[], object]) -> Callable[[], T]:
        self.unsettled.append(settle)

        def read() -> T:
            self.unsettled.remove(settle)
            return answer()

        return read


@contextmanager
def for_generate(dry_run: bool) -> Iterator[Processes]:
    """The helpers of ``mcpgen generate``, started before a spec is read, and the collector paused meanwhile.

    The models worker imports datamodel-code-generator and warms it while this process loads and parses; the
    server-import child imports the MCP SDK meanwhile (on GitHub's spec, a child started later cost 1.4 s).
    A dry run writes no files and needs neither.
    """
    with ModelsWorker() if not dry_run else nullcontext() as worker, collector_paused():
        if not dry_run:
            verify.SHARED.start()
        yield Processes(worker)


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while generating.

    A generation keeps the whole spec alive (a large one is millions of objects) and allocates fast, so the
    collector's full passes rescan all of it again and again: on GitHub's spec, a third of the structure check and
    a fifth of rendering. Little of what a run allocates is cyclic garbage, and the process ends soon after.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def forked(work: Callable[[], bytes]) -> Callable[[], bytes | None] | None:
    """Start ``work`` in a forked copy of this process; the call returned waits for the bytes it made (call it once).

    That call answers ``None`` when ``work`` raised or the copy died. ``None`` instead of a call when a fork is not
    safe (not Linux, or other threads that a fork would copy mid-step): the caller does without.
    """
    if not sys.platform.startswith("linux") or threading.active_count() > 1:
        return None
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: work, write what it made, and leave without running any of the parent's clean-up
        os.close(read_end)
        code = 1
        try:
            made = work()
            with os.fdopen(write_end, "wb") as out:
                out.write(made)
            code = 0
        finally:
            os._exit(code)
    os.close(write_end)

    def result() -> bytes | None:
        with os.fdopen(read_end, "rb") as source:
            made = source.read()
        _, status = os.waitpid(pid, 0)
        return made if os.waitstatus_to_exitcode(status) == 0 else None

    return result


def exit_now(code: int) -> None:
    """Stop the server-import child, flush stdout and stderr, then end the process at once with ``code``.

    Tearing the interpreter down after a generation (the spec, pydantic's and datamodel-code-generator's objects)
    takes 0.2 to 0.3 s and does nothing a user needs. ``os._exit`` skips ``atexit`` handlers (the child's stop is
    one) and buffered-stream flushing, so both are done here first.
    """
    verify.SHARED.stop()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
