"""Cursor pagination in the IR: which tools page, and the ``max_pages`` argument they get for it.

A tool pages when the vendor config has a ``[pagination]`` section and the operation takes the cursor
(``pagination.cursor``) as a query parameter or body field. Such a tool keeps its ``cursor`` argument,
returns the next cursor plainly, and gains ``max_pages`` (1-10) to follow cursors and merge the pages.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from generator.errors import Report
from generator.model.config import OperationOverride, VendorConfig
from generator.model.ir import Param
from generator.runtime.contract import MAX_PAGES, PAGE_LIMIT

CURSOR_LOCATIONS = ("query", "body")


@dataclass(frozen=True)
class Paging:
    """A paginated tool's arguments and schema, with where its cursors live."""

    params: tuple[Param, ...]
    schema: dict[str, Any]
    cursor_arg: str | None = None
    next_cursor: str | None = None


def paging(
    config: VendorConfig,
    override: OperationOverride,
    params: tuple[Param, ...],
    schema: dict[str, Any],
    where: str,
    report: Report,
) -> Paging:
    """Add ``max_pages`` to a tool that takes the vendor's cursor; leave every other tool as it is."""
    rules = config.pagination
    if rules is None or override.paginated is False:
        return Paging(params, schema)
    cursor = next((p for p in params if p.wire == rules.cursor and p.location in CURSOR_LOCATIONS), None)
    if cursor is None:
        return Paging(params, schema)
    if any(p.arg == MAX_PAGES for p in params):
        report.warn(where, f"an argument is already called {MAX_PAGES!r}; cursors are not followed for this tool")
        return Paging(params, schema, cursor.arg, rules.next_cursor)
    description = (
        f"Follow the next-page cursor and merge up to this many pages (1-{PAGE_LIMIT}) into one result; "
        "leave it out for one page."
    )
    prop = {"type": "integer", "minimum": 1, "maximum": PAGE_LIMIT, "description": description}
    extra = Param(
        arg=MAX_PAGES,
        py_name=MAX_PAGES,
        wire=MAX_PAGES,
        location="local",
        required=False,
        schema=prop,
        annotation=f"Annotated[int, Field(ge=1, le={PAGE_LIMIT})]",
        description=description,
    )
    merged = {**schema, "properties": {**schema.get("properties", {}), MAX_PAGES: prop}}
    return Paging((*params, extra), merged, cursor.arg, rules.next_cursor)
