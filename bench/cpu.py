"""CPU seconds a process and its descendants have used, from ``/proc`` (Linux; 0 elsewhere): a server's cost per call,
whatever the client and the upstream beside it take."""

from __future__ import annotations

import os
from pathlib import Path

TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _stat(pid: int) -> list[str]:
    try:
        text = Path(f"/proc/{pid}/stat").read_text(encoding="utf-8")
    except OSError:
        return []
    return text.rpartition(")")[2].split()  # the fields after the command name, which may hold spaces


def tree(root: int) -> set[int]:
    """``root`` and every live process below it."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").glob("[0-9]*"):
        fields = _stat(int(entry.name))
        if len(fields) > 1:
            parents[int(entry.name)] = int(fields[1])
    found, grew = {root}, True
    while grew:
        below = {pid for pid, parent in parents.items() if parent in found} - found
        found |= below
        grew = bool(below)
    return found


def seconds(root: int) -> float:
    """User plus system CPU seconds of ``root``'s process tree so far (live processes only)."""
    total = 0
    for pid in tree(root):
        fields = _stat(pid)
        if len(fields) > 12:
            total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / TICKS
