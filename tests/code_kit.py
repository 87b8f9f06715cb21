"""Shared parts of the code-mode tests: a Gong server in the code toolset, driven by a real in-process client."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import anyio
from mcp import Client
from mcp.types import CallToolResult

from tests.gong_kit import KEY, NO_LIMITS, SECRET
from tests.upstream import Reply, Seen

PAGES, PER_PAGE = 3, 40


def calls_page(seen: Seen) -> Reply:
    """``GET /v2/calls``: three pages of forty calls, the cursor naming the next page; durations all differ."""
    page = int(dict(seen.query).get("cursor") or 0)
    calls = [
        {"id": str(9000 + n), "title": f"Call {n}", "duration": 60 + (n * 37) % 3600, "started": "2024-01-05T10:00:00Z"}
        for n in range(page * PER_PAGE, (page + 1) * PER_PAGE)
    ]
    records: dict[str, Any] = {"totalRecords": PAGES * PER_PAGE, "currentPageSize": PER_PAGE, "currentPageNumber": page}
    if page + 1 < PAGES:
        records["cursor"] = str(page + 1)
    return Reply(body={"requestId": f"req-{page}", "records": records, "calls": calls})


def longest(count: int) -> list[str]:
    """The ids of the ``count`` longest calls across every page, longest first (what the tasks should find)."""
    every = [(60 + (n * 37) % 3600, str(9000 + n)) for n in range(PAGES * PER_PAGE)]
    return [ident for _duration, ident in sorted(every, reverse=True)[:count]]


def code_settings(url: str, out: Path, **env: str) -> Any:
    """Gong settings in the code toolset against ``url``; ``env`` adds or overrides ``GONG_*`` variables."""
    from dataclasses import replace

    from gong_mcp.runtime.settings import Settings
    from gong_mcp.vendor import VENDOR

    base = {"GONG_BASE_URL": url, "GONG_ACCESS_KEY": KEY, "GONG_ACCESS_KEY_SECRET": SECRET, **NO_LIMITS}
    return replace(Settings.from_env(VENDOR, {**base, "GONG_TOOLSET": "code", **env}), output_dir=out)


def session(settings: Any, body: Callable[[Client], Awaitable[Any]], prepare: Callable[[Any], None] = print) -> Any:
    """Run ``body`` with a client of a fresh server built from ``settings`` (``prepare`` sees the server first)."""
    from gong_mcp.server import create_server

    async def go() -> Any:
        server = create_server(settings)
        if prepare is not print:
            prepare(server)
        async with Client(server) as client:
            return await body(client)

    return anyio.run(go)


def run(settings: Any, code: str) -> CallToolResult:
    """One ``run_code`` call on a fresh server."""

    async def body(client: Client) -> CallToolResult:
        return await client.call_tool("run_code", {"code": code})

    result: CallToolResult = session(settings, body)
    return result


def text(result: CallToolResult) -> str:
    return "\n".join(block.text for block in result.content if block.type == "text")


def value(result: CallToolResult) -> Any:
    """The answer's JSON (the first text block)."""
    assert not result.is_error, text(result)
    return json.loads(result.content[0].text)


def flat_rows(grouped: dict[str, dict[str, str]]) -> dict[str, str]:
    """describe_tool's answer rows (grouped by their parent's path, ``.`` the answer itself) back to one per path."""
    return {
        (leaf if parent == "." else f"{parent}.{leaf}"): row
        for parent, rows in grouped.items()
        for leaf, row in rows.items()
    }
