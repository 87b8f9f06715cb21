"""The hard-exit adapter: output written before it is kept, and the exit code is the one given."""

from __future__ import annotations

import subprocess
import sys

SCRIPT = """
import sys
from generator.cli.hard_exit import exit_now
print("to stdout", end="")
print("to stderr", end="", file=sys.stderr)
exit_now(7)
"""


def test_exit_now_flushes_both_streams_and_keeps_the_code() -> None:
    done = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=30, check=False)
    assert (done.returncode, done.stdout, done.stderr) == (7, "to stdout", "to stderr")
