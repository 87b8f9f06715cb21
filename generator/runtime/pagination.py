"""Cursor pagination: hand the next cursor back plainly and, when asked, follow cursors and merge the pages.

The vendor config says where the cursor goes (an argument, sent as a query parameter or body field) and
where the next one comes back (a dotted path in the response, e.g. ``records.cursor``).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from mcp.types import CallToolResult

from . import faults, results
from .auth import Credentials
from .contract import MAX_PAGES, META_PAGINATION, PAGE_LIMIT, Operation
from .progress import Progress, report

if TYPE_CHECKING:
    from .gateway import Gateway


def dig(data: Any, dotted: str) -> Any:
    """The value at ``a.b.c`` in nested objects, or None."""
    for key in dotted.split("."):
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data


def next_cursor(op: Operation, data: Any) -> str | None:
    """The cursor of the next page, or None when this was the last one."""
    if not op.next_cursor:
        return None
    value = dig(data, op.next_cursor)
    return None if value in (None, "") or isinstance(value, dict | list) else str(value)


def note(op: Operation, cursor: str | None, pages: int = 0) -> str:
    """One plain line on where the results stop and how to get more."""
    read = f"Read {pages} page{'s' if pages != 1 else ''}; " if pages else ""
    if cursor is None:
        return f"{read}no more pages." if pages else ""
    return (
        f"{read}more results remain: next_cursor={json.dumps(cursor)}. Call {op.name} again with the same "
        f"arguments and {op.cursor_arg}={json.dumps(cursor)}, or set {MAX_PAGES} (up to {PAGE_LIMIT}) to read "
        "several pages in one call."
    )


def merge(pages: list[dict[str, Any]], op: Operation, cursor: str | None) -> dict[str, Any]:
    """The first page with every later page's record arrays appended, and the last page's cursor."""
    merged = dict(pages[0])
    for page in pages[1:]:
        for key, value in page.items():
            if isinstance(value, list) and isinstance(merged.get(key), list):
                merged[key] = merged[key] + value
    if op.next_cursor:
        _plant(merged, op.next_cursor.split("."), cursor)
    return merged


def _plant(data: dict[str, Any], keys: list[str], value: Any) -> None:
    head, *rest = keys
    if rest:
        if isinstance(data.get(head), dict):
            data[head] = dict(data[head])
            _plant(data[head], rest, value)
    elif value is None:
        data.pop(head, None)
    else:
        data[head] = value


def _page(response: Any) -> dict[str, Any] | None:
    if response.status_code >= 400:
        return None
    try:
        data = json.loads(response.content)
    except ValueError:
        return None
    return data if isinstance(data, dict) else None


async def collect(
    gateway: Gateway,
    op: Operation,
    args: dict[str, Any],
    creds: Credentials,
    max_pages: int,
    progress: Progress | None = None,
) -> CallToolResult:
    """Follow cursors for up to ``max_pages`` pages and merge them; a failed later page keeps the earlier ones."""
    pages: list[dict[str, Any]] = []
    cursor = args.get(op.cursor_arg or "") or None
    meta: dict[str, Any] = {}
    limit = min(max_pages, PAGE_LIMIT)
    while len(pages) < limit:
        outcome = await gateway.exchange(op, {**args, op.cursor_arg: cursor} if cursor else args, creds)
        if isinstance(outcome, CallToolResult):
            return outcome if not pages else _partial(gateway, op, pages, cursor, outcome, meta)
        response = outcome.response
        data = None if outcome.saved is not None else _page(response)
        if data is None:
            shaped = gateway.shape(op, outcome, creds)
            return shaped if not pages else _partial(gateway, op, pages, cursor, shaped, meta)
        pages.append(data)
        meta = faults.rate_meta(response.headers)
        cursor = next_cursor(op, data)
        await report(progress, len(pages), limit, f"read page {len(pages)} of at most {limit}")
        if cursor is None:
            break
    facts = {"pages_read": len(pages), "more": cursor is not None, "next_cursor": cursor}
    meta[META_PAGINATION] = facts
    return gateway.sized(merge(pages, op, cursor), meta, note(op, cursor, len(pages)))


def _partial(
    gateway: Gateway,
    op: Operation,
    pages: list[dict[str, Any]],
    cursor: str | None,
    failed: CallToolResult,
    meta: dict[str, Any],
) -> CallToolResult:
    reason = failed.content[0].text if failed.content and failed.content[0].type == "text" else "it failed"
    text = f"Page {len(pages) + 1} failed, so the result holds the {len(pages)} page(s) read before it.\n{reason}"
    if cursor is not None:
        text += f"\nTo resume, call {op.name} again with {op.cursor_arg}={json.dumps(cursor)}."
    meta[META_PAGINATION] = {"pages_read": len(pages), "more": True, "next_cursor": cursor, "failed": True}
    return gateway.sized(merge(pages, op, cursor), meta, results.redact(text))
