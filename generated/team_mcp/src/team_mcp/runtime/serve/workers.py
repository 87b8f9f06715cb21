"""Several worker processes on one HTTP port: each a whole server, the kernel spreading connections among them.

Each worker is forked before it opens its store or builds its app, and listens on its own ``SO_REUSEPORT``
socket for the same address. The parent only supervises: SIGTERM/SIGINT are passed on so every worker drains
(each exits 0 once its calls in flight are done), and a worker that stops on its own stops the others. Sessions
are stateless, so any worker may answer any request; limits and counters are shared through the store, and are
per process without one.
"""

from __future__ import annotations

import os
import signal
import socket
import sys
from collections.abc import Callable
from types import FrameType

SOLO_ONLY = {
    "stateful": "--stateful keeps sessions in one process's memory; serve them with --workers 1",
    "metrics_port": "--metrics-port serves one process's metrics; with --workers use /metrics on the main port",
}


def refusal(workers: int, stateful: bool, metrics_port: int) -> str | None:
    """Why ``workers`` processes cannot serve these settings, or None when they can."""
    if workers <= 1:
        return None
    if not hasattr(os, "fork") or not hasattr(socket, "SO_REUSEPORT"):
        return "--workers needs fork() and SO_REUSEPORT (Linux, macOS); use --workers 1 here"
    return SOLO_ONLY["stateful"] if stateful else SOLO_ONLY["metrics_port"] if metrics_port else None


def listener(host: str, port: int) -> socket.socket:
    """A listening socket that other workers may bind too.

    Made with an explicit ``IPPROTO_TCP``: asyncio turns Nagle's algorithm off only on accepted sockets whose
    protocol says TCP, and ``socket.create_server`` leaves it 0, which costs a delayed ACK (40 ms) on each answer
    written in pieces, as an event stream is.
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        sock.bind((host.strip("[]"), port))
        sock.listen(2048)
    except OSError:
        sock.close()
        raise
    return sock


def supervise(workers: int, serve_one: Callable[[socket.socket | None], int], host: str, port: int) -> int:
    """Run ``serve_one`` in ``workers`` forked processes (in this one when 1); the worst exit status."""
    if workers <= 1:
        return serve_one(None)
    children = [_fork(serve_one, host, port) for _ in range(workers)]

    def forward(sig: int, frame: FrameType | None) -> None:
        for pid in children:
            _signal(pid, sig)

    previous = {sig: signal.signal(sig, forward) for sig in (signal.SIGTERM, signal.SIGINT)}
    worst, left = 0, set(children)
    try:
        while left:
            pid, status = os.wait()
            if pid not in left:
                continue
            left.discard(pid)
            worst = max(worst, abs(os.waitstatus_to_exitcode(status)))
            if worst:  # one worker failed: the others stop too, so a supervisor sees the failure
                forward(signal.SIGTERM, None)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return worst


def _fork(serve_one: Callable[[socket.socket | None], int], host: str, port: int) -> int:
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid:
        return pid
    code = 1
    try:
        os.setpgid(0, 0)  # a terminal's Ctrl-C reaches the parent only, which passes it on once
        code = serve_one(listener(host, port))
    except OSError as exc:
        print(f"error: worker {os.getpid()} cannot listen on {host}:{port}: {exc}", file=sys.stderr)
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)  # never return into the parent's stack


def _signal(pid: int, sig: int) -> None:
    try:
        os.kill(pid, sig)
    except ProcessLookupError:
        pass
