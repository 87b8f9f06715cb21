"""Adapter over pydantic-monty: run one piece of code in a fresh sandbox worker, with limits, and say how it ended.

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
import statistics
import time
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import pydantic_monty as monty

ToolCall = Callable[[str, dict[str, Any]], Awaitable[Any]]
SETTLE_S = 0.2  # how long the library's threads may still run after a pool closes
PRINT_CAP = 4_000_000  # printed bytes one run may collect; more is a MemoryError in the code
_STATISTICS = ("mean", "fmean", "median", "median_low", "median_high", "mode", "multimode", "quantiles")
_SPREAD = ("stdev", "pstdev", "variance", "pvariance", "harmonic_mean", "geometric_mean")
_closed_at = 0.0


@dataclass(frozen=True)
class SandboxLimits:
    """What one run may use: wall time (inner calls included), heap bytes, host round trips."""

    wall_s: float
    memory: int
    suspensions: int


@dataclass(frozen=True)
class Ran:
    """How a run ended: the last expression's value, or an error (``kind``: code, syntax, time, crash)."""

    value: Any = None
    printed: str = ""
    error: str | None = None
    kind: str = ""


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


async def run(code: str, tools: Sequence[Tools], limits: SandboxLimits) -> Ran:
    """Run ``code`` in a worker of its own, with each of ``tools`` as an object of its name (``gong``); the worker
    is gone when this returns, however the code ended."""
    printed = monty.CollectString(max_bytes=PRINT_CAP)
    pool = monty.AsyncMonty(min_processes=1, max_processes=1, request_timeout=limits.wall_s + 1.0)
    try:
        async with pool, asyncio.timeout(limits.wall_s), _session(pool, limits) as session:
            value = await session.feed_run(
                code, inputs={each.vendor: _exposed(each) for each in tools}, print_callback=printed
            )
    except TimeoutError:
        return _timed_out(printed, limits)
    except monty.MontySyntaxError as exc:
        return Ran(printed=_text(printed), error=exc.display("type-msg"), kind="syntax")
    except monty.MontyRuntimeError as exc:
        if isinstance(exc.exception(), TimeoutError):  # the sandbox's own clock ran out first
            return _timed_out(printed, limits)
        return Ran(printed=_text(printed), error=exc.display("traceback"), kind="code")
    except (monty.MontyCrashedError, monty.MontyConversionError) as exc:
        return Ran(printed=_text(printed), error=f"the sandbox stopped: {exc}", kind="crash")
    finally:
        _closed()
    return Ran(value=value, printed=_text(printed))


def _timed_out(printed: monty.CollectString, limits: SandboxLimits) -> Ran:
    return Ran(printed=_text(printed), error=f"the code ran past its {limits.wall_s:g} s wall time", kind="time")


def _session(pool: monty.AsyncMonty, limits: SandboxLimits) -> monty.AsyncMontySession:
    """A session of one worker with the run's limits, no clock sleeps, and ``statistics`` from the host."""
    return pool.checkout(
        script_name="run_code.py",
        limits={
            "max_feed_duration_secs": limits.wall_s,
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


atexit.register(_settle)
