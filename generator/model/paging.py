"""Cursor pagination facts: which tools page, and where their cursors live.

A tool pages when the vendor config has a ``[pagination]`` section and the operation takes the cursor
(``pagination.cursor``) as a query parameter or body field. Such a tool keeps its ``cursor`` argument and
returns the next cursor plainly; emit gives it ``max_pages`` (1-10) to follow cursors and merge the pages.
"""

from __future__ import annotations

from generator.errors import Report
from generator.model.config import OperationOverride, VendorConfig
from generator.model.ir import Paging, Param
from generator.runtime.contract import MAX_PAGES

CURSOR_LOCATIONS = ("query", "body")


def paging(
    config: VendorConfig, override: OperationOverride, params: tuple[Param, ...], where: str, report: Report
) -> Paging | None:
    """The tool's paging facts when it takes the vendor's cursor; ``None`` for every other tool."""
    rules = config.pagination
    if rules is None or override.paginated is False:
        return None
    cursor = next((p for p in params if p.wire == rules.cursor and p.location in CURSOR_LOCATIONS), None)
    if cursor is None:
        return None
    if any(p.arg == MAX_PAGES for p in params):
        report.warn(where, f"an argument is already called {MAX_PAGES!r}; cursors are not followed for this tool")
    return Paging(cursor.arg, rules.next_cursor)


def follows_pages(params: tuple[Param, ...], found: Paging | None) -> bool:
    """Whether the tool gets ``max_pages``: it pages, and no argument of its own already has that name."""
    return found is not None and not any(p.arg == MAX_PAGES for p in params)
