"""Run one gong_mcp tool call in this process (a real MCP client, in memory) and print what it gave and the
process's peak RSS, as one JSON line: ``python -m tests.hostile.one_call BASE_URL OUTPUT_DIR TOOL ARGS_JSON``.

A child process, so that its peak resident memory is the call's alone, not the test session's: read from the
process's own memory (``VmHWM`` in ``/proc/self/status``), which starts afresh at exec, where Linux's ``ru_maxrss``
keeps the peak of the forked copy of the test worker (a worker at 349 MB made every child report 349 MB).
"""

from __future__ import annotations

import json
import resource
import sys
from dataclasses import replace
from pathlib import Path

import anyio
from gong_mcp.runtime.settings import Settings
from gong_mcp.server import create_server
from gong_mcp.vendor import VENDOR
from mcp import Client
from mcp.types import CallToolResult

KEY, SECRET = "access-key-1234", "access-secret-98765"


def peak_mb() -> float:
    """This process's peak resident set so far, in MB: ``VmHWM`` (KiB) where /proc has it, else ``ru_maxrss``."""
    try:
        status = Path("/proc/self/status").read_text(encoding="utf-8")
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    line = next((line for line in status.splitlines() if line.startswith("VmHWM:")), "")
    return int(line.split()[1]) / 1024 if line else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    base_url, output_dir, tool, args = sys.argv[1:5]
    env = {"GONG_BASE_URL": base_url, "GONG_ACCESS_KEY": KEY, "GONG_ACCESS_KEY_SECRET": SECRET}
    settings = replace(Settings.from_env(VENDOR, {**env, "GONG_MAX_RPS": "0"}), output_dir=Path(output_dir))

    async def go() -> CallToolResult:
        async with Client(create_server(settings)) as client:
            return await client.call_tool(tool, json.loads(args))

    before = peak_mb()
    result = anyio.run(go)
    text = "".join(block.text for block in result.content if block.type == "text")
    report = {
        "is_error": result.is_error,
        "structured": result.structured_content,
        "text_chars": len(text),
        "peak_mb_before_call": round(before, 1),
        "peak_mb": round(peak_mb(), 1),
    }
    print(json.dumps(report))


if __name__ == "__main__":
    main()
