"""Cursor pages, as data: where the next cursor is, how pages merge, and the line that says how to go on.

The vendor config says where the cursor goes (an argument, sent as a query parameter or body field) and
where the next one comes back (a dotted path in the response, e.g. ``records.cursor``).
"""

from __future__ import annotations

import json
from typing import Any

from ..contract import MAX_PAGES, PAGE_LIMIT, Operation
from ..upstream.exchange import Exchange


def dig(data: Any, dotted: str) -> Any:
    """The value at a dotted path (``session.id``) in nested objects, or None."""
    if not dotted:
        return None
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


def note(op: Operation, cursor: str | None, pages: int = 0, fit: int = 0, stopped: bool = False) -> str:
    """One plain line on where the results stop and how to get more: the cursor to send, and ``max_pages`` only
    when several pages of this size (``fit``: how many) go into one answer under the cap."""
    read = f"Read {pages} page{'s' if pages != 1 else ''}; " if pages else ""
    if cursor is None:
        return f"{read}no more pages." if pages else ""
    if stopped:
        read += "the next page would pass the answer's size cap, so it was left for the next call; "
    more = (
        f"{read}more results remain: next_cursor={json.dumps(cursor)}. Call {op.name} again with the same "
        f"arguments and {op.cursor_arg}={json.dumps(cursor)}"
    )
    if fit >= 2:
        more += f", and {MAX_PAGES}={fit} to read {fit} pages in one call (about as many as fit under the size cap)"
    return more + "."


def pages_that_fit(cap: int, page_bytes: int) -> int:
    """How many pages of ``page_bytes`` one answer holds under ``cap`` (at most ``PAGE_LIMIT``)."""
    return min(PAGE_LIMIT, cap // max(1, page_bytes))


def merge(pages: list[dict[str, Any]], op: Operation, cursor: str | None) -> dict[str, Any]:
    """The first page with every later page's record arrays appended, the last page's cursor, and each count of
    a page's records (a number that equals its page's record count on every page: Gong's ``currentPageSize``)
    made the count of the records merged."""
    merged = dict(pages[0])
    for page in pages[1:]:
        for key, value in page.items():
            if isinstance(value, list) and isinstance(merged.get(key), list):
                merged[key] = merged[key] + value
    for dotted in _page_counts(pages):
        _plant(merged, dotted.split("."), sum(_records(page) for page in pages))
    if op.next_cursor:
        _plant(merged, op.next_cursor.split("."), cursor)
    return merged


def _records(page: dict[str, Any]) -> int:
    return sum(len(value) for value in page.values() if isinstance(value, list))


def _page_counts(pages: list[dict[str, Any]]) -> list[str]:
    """Dotted paths to the numbers that count each page's own records (only when several pages merge)."""
    if len(pages) < 2:
        return []
    return [path for path in _numbers(pages[0]) if all(dig(page, path) == _records(page) for page in pages)]


def _numbers(data: dict[str, Any], prefix: str = "", depth: int = 3) -> list[str]:
    found: list[str] = []
    for key, value in data.items():
        if isinstance(value, int) and not isinstance(value, bool):
            found.append(prefix + key)
        elif isinstance(value, dict) and depth > 1:
            found += _numbers(value, f"{prefix}{key}.", depth - 1)
    return found


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


def page_of(exchange: Exchange) -> dict[str, Any] | None:
    """The answer as one page (a JSON object), or None when it is an error, a file or not an object."""
    if exchange.saved is not None or exchange.response.status_code >= 300:
        return None
    try:
        data = json.loads(exchange.body)
    except (ValueError, RecursionError):
        return None
    return data if isinstance(data, dict) else None
