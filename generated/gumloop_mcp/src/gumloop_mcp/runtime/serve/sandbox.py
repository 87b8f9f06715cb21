"""Adapter over pydantic-monty: run one piece of code in a fresh sandbox worker, with limits, and say how it ended.

A run waits for one of the server's ``CODE_WORKERS`` slots first, within its own time; so no more sandbox
processes run at once than the setting allows, however many runs come.

pydantic-monty (a Python interpreter written in Rust) runs code in ``monty`` worker subprocesses; it has no file
system, network or OS unless the host mounts or answers them, and this module gives it none. The vendor's tools
enter as one object (``gong``) whose method calls come back to the host (``ClassInstance.call_method``); the
``statistics`` module, which the interpreter lacks, is the host's own functions (``ExternalModule``).

Everything this project leans on in the library is here and nowhere else, and ``tests/hostile/test_code.py``
fails loudly when it changes. One quirk is handled here too: a process that exits within a moment of closing a
pool that sent host objects into the sandbox can abort in the library's teardown, so the process waits out that
moment at exit (``_settle``). Importing this module is what loads pydantic-monty: only the code toolset does.
"""

from __future__ import annotations

import asyncio
import atexit
import ctypes
import ctypes.util
import statistics
import time
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

import pydantic_monty as monty

from .code_source import ANSWER

ToolCall = Callable[[str, dict[str, Any]], Awaitable[Any]]
SETTLE_S = 0.2  # how long the library's threads may still run after a pool closes
M_MMAP_THRESHOLD, MAPPED_ALONE = -3, 1 << 20  # glibc's mallopt parameter, and blocks from a MiB up mapped alone
PRINT_CAP = 4_000_000  # printed bytes one run may collect; more is a MemoryError in the code
_STATISTICS = ("mean", "fmean", "median", "median_low", "median_high", "mode", "multimode", "quantiles")
_SPREAD = ("stdev", "pstdev", "variance", "pvariance", "harmonic_mean", "geometric_mean")
_closed_at = 0.0


@dataclass(frozen=True)
class SandboxLimits:
    """What one run may use: wall time (its wait for a worker and its inner calls included) and the moment
    (``time.monotonic``) it ends, heap bytes, host round trips."""

    wall_s: float
    deadline: float
    memory: int
    suspensions: int


@dataclass(frozen=True)
class Ran:
    """How a run ended: the last expression's value, or an error (``kind``: code, syntax, time, crash); and how
    long it waited for a worker."""

    value: Any = None
    printed: str = ""
    error: str | None = None
    kind: str = ""
    queued_s: float = 0.0


class Tools:
    """The vendor's tools as the code sees them: ``<vendor>.<tool>(**arguments)``, awaited."""

    def __init__(self, vendor: str, names: Iterable[str], call: ToolCall) -> None:
        self.vendor, self.names, self.call = vendor, frozenset(names), call


class _Exposed(monty.ClassInstance):
    """Routes every method call on the tools object to ``Tools.call``; nothing else of the host crosses."""

    def call_method(self, name: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
        tools: Tools = self.value
        if name not in tools.names:
            raise AttributeError(f"{tools.vendor} has no tool {name!r} here; search_tools(query) lists the tools")
        if args:
            raise TypeError(f"{tools.vendor}.{name}() takes keyword arguments only, as describe_tool shows them")
        return tools.call(name, kwargs)


async def run(code: str, tools: Sequence[Tools], limits: SandboxLimits, slots: asyncio.Semaphore) -> Ran:
    """Run ``code`` in a worker of its own, with each of ``tools`` as an object of its name (``gong``), once one of its
    ``slots`` is free (the wait counts toward its time); the worker is gone when this returns, however it ended."""
    began = time.monotonic()
    try:
        async with asyncio.timeout(limits.deadline - began):
            await slots.acquire()
    except TimeoutError:
        queued = f"the code ran past its {limits.wall_s:g} s wall time before a sandbox worker was free"
        return Ran(error=queued, kind="time", queued_s=time.monotonic() - began)
    queued_s = time.monotonic() - began
    try:
        ran = await _run(code, tools, limits)
    finally:
        slots.release()
    return replace(ran, queued_s=queued_s)


async def _run(code: str, tools: Sequence[Tools], limits: SandboxLimits) -> Ran:
    """Run ``code`` in a pool of one worker, until it ends or the run's deadline passes."""
    wall_s = max(0.01, limits.deadline - time.monotonic())
    printed = monty.CollectString(max_bytes=PRINT_CAP)
    pool = monty.AsyncMonty(min_processes=1, max_processes=1, request_timeout=wall_s + 1.0)
    inputs: dict[str, Any] = {each.vendor: _exposed(each) for each in tools}
    inputs[ANSWER] = None
    try:
        async with pool, asyncio.timeout(wall_s), _session(pool, wall_s, limits) as session:
            value = await session.feed_run(code, inputs=inputs, print_callback=printed)
    except TimeoutError:
        return _timed_out(printed, limits)
    except monty.MontySyntaxError as exc:
        return Ran(printed=_text(printed), error=exc.display("type-msg"), kind="syntax")
    except monty.MontyRuntimeError as exc:
        if isinstance(exc.exception(), TimeoutError):  # the sandbox's own clock ran out first
            return _timed_out(printed, limits)
        shown = exc.display("traceback").replace(f"{ANSWER} = ", "")  # the code's lines as it was sent
        return Ran(printed=_text(printed), error=shown, kind="code")
    except (monty.MontyCrashedError, monty.MontyConversionError) as exc:
        return Ran(printed=_text(printed), error=f"the sandbox stopped: {exc}", kind="crash")
    finally:
        _closed()
    return Ran(value=value, printed=_text(printed))


def _timed_out(printed: monty.CollectString, limits: SandboxLimits) -> Ran:
    return Ran(printed=_text(printed), error=f"the code ran past its {limits.wall_s:g} s wall time", kind="time")


def _session(pool: monty.AsyncMonty, wall_s: float, limits: SandboxLimits) -> monty.AsyncMontySession:
    """A session of one worker with the run's limits, no clock sleeps, and ``statistics`` from the host."""
    return pool.checkout(
        script_name="run_code.py",
        limits={
            "max_feed_duration_secs": wall_s,
            "max_memory": limits.memory,
            "max_suspensions": limits.suspensions,  # past it the pool ends the run, however the code catches
        },
        os_policy={"sleep": "zero"},
        external_modules={"statistics": _statistics_module()},
    )


def _exposed(tools: Tools) -> monty.ClassInstance:
    return _Exposed(tools, allowed_methods=tools.names)


def _statistics_module() -> monty.ExternalModule:
    """The host's ``statistics`` functions (they compute on copies of the code's numbers, in this process)."""
    return monty.ExternalModule({name: getattr(statistics, name) for name in (*_STATISTICS, *_SPREAD)})


def _text(printed: monty.CollectString) -> str:
    return printed.output


def _closed() -> None:
    global _closed_at  # noqa: PLW0603 - one clock for the process, read at exit
    _closed_at = time.monotonic()


def _settle() -> None:
    """At exit, give a pool closed a moment ago the time its threads need (see the module's docstring)."""
    wait = SETTLE_S - (time.monotonic() - _closed_at)
    if wait > 0:
        time.sleep(wait)


def _large_blocks_given_back() -> None:
    """Blocks of a MiB or more are mapped alone and given back to the system when freed (glibc's
    ``M_MMAP_THRESHOLD``, fixed). A run's answer crosses from its worker as one value; under glibc's sliding
    threshold the heap kept each large one after the run (four answers of 30 MB: the server's RSS went from 79 to
    309 MB and stayed). Another C library keeps its own rule."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        libc.mallopt(M_MMAP_THRESHOLD, MAPPED_ALONE)
    except (OSError, AttributeError):
        pass  # no glibc (macOS, musl): nothing to set


atexit.register(_settle)
_large_blocks_given_back()
