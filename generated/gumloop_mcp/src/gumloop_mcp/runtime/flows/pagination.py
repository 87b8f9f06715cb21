"""Following cursors: read up to ``max_pages`` pages in one call and merge the whole pages that fit under the answer's
size cap; a failed page keeps the rest."""

from __future__ import annotations

import json
from typing import Any

from mcp.types import CallToolResult

from ..contract import META_PAGINATION, PAGE_LIMIT, Operation
from ..shaping import results
from ..shaping.pages import merge, next_cursor, note, pages_that_fit
from .callables import PageCall, Room, Sizer
from .progress import Progress, report


async def collect(
    read: PageCall,
    size: Sizer,
    room: Room,
    op: Operation,
    args: dict[str, Any],
    max_pages: int,
    progress: Progress | None = None,
) -> CallToolResult:
    """Follow cursors for up to ``max_pages`` pages and merge them, stopping on a page boundary under the answer's
    size cap (the page that would pass it is left for the next call, whose cursor the answer hands back); a failed
    later page keeps the earlier ones."""
    pages: list[dict[str, Any]] = []
    cursor = args.get(op.cursor_arg or "") or None
    meta: dict[str, Any] = {}
    limit = min(max_pages, PAGE_LIMIT)
    stopped = False
    while len(pages) < limit:
        outcome = await read({**args, op.cursor_arg or "": cursor} if cursor else args)
        if isinstance(outcome, CallToolResult):
            return outcome if not pages else _partial(size, op, pages, cursor, outcome, meta)
        data, page_meta = outcome
        following = next_cursor(op, data)
        if pages and room.measure(merge([*pages, data], op, following)) > room.bytes:
            stopped = True  # ``cursor`` still reads this page: the next call starts with it
            break
        pages.append(data)
        meta, cursor = page_meta, following
        await report(progress, len(pages), limit, f"read page {len(pages)} of at most {limit}")
        if cursor is None:
            break
    merged = merge(pages, op, cursor)
    meta[META_PAGINATION] = {"pages_read": len(pages), "more": cursor is not None, "next_cursor": cursor}
    fit = pages_that_fit(room.bytes, room.measure(merged) // len(pages))
    return size(merged, meta, note(op, cursor, len(pages), fit, stopped))


def _partial(
    size: Sizer,
    op: Operation,
    pages: list[dict[str, Any]],
    cursor: str | None,
    failed: CallToolResult,
    meta: dict[str, Any],
) -> CallToolResult:
    first = failed.content[0] if failed.content else None
    reason = first.text if first is not None and first.type == "text" else "it failed"
    text = f"Page {len(pages) + 1} failed, so the result holds the {len(pages)} page(s) read before it.\n{reason}"
    if cursor is not None:
        text += f"\nTo resume, call {op.name} again with {op.cursor_arg}={json.dumps(cursor)}."
    meta[META_PAGINATION] = {"pages_read": len(pages), "more": True, "next_cursor": cursor, "failed": True}
    return size(merge(pages, op, cursor), meta, results.redact(text))
