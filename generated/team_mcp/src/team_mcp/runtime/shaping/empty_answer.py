"""A list or search that matched nothing, answered by the vendor with an error status ("No calls found"): an empty
list with a note, not an error, when the operation says so (``Operation.nothing_found``: the spec's own error text,
or the vendor's config) and the vendor's message says so too; any other error answer stays an error."""

from __future__ import annotations

import json
import re
from typing import Any

from mcp.types import CallToolResult

from ..contract import Operation, Vendor
from ..upstream.exchange import Exchange
from . import faults, results


def empty(vendor: Vendor, op: Operation, exchange: Exchange) -> CallToolResult | None:
    """The empty answer for an error answer that means "nothing found"; None for any other."""
    stated, response = op.nothing_found, exchange.response
    if stated is None or response.status_code != stated.status:
        return None
    message, _ = faults.vendor_error(response.headers, exchange.body)
    if not re.search(stated.message, message):
        return None
    data: Any = []
    if stated.list_field:
        data = {}
        _plant(data, stated.list_field, [])
        if op.next_cursor and "." in op.next_cursor:  # so ``page["records"].get("cursor")`` finds no cursor
            _plant(data, op.next_cursor.rsplit(".", 1)[0], {})
    note = (
        f"Nothing found: {vendor.title} answered HTTP {response.status_code} to {op.method} {op.path} with "
        f"{json.dumps(message, ensure_ascii=False)}, which means no record matches these arguments; the list is empty."
    )
    return results.success(data, meta=faults.rate_meta(response.headers) or None, note=note)


def _plant(data: dict[str, Any], dotted: str, value: Any) -> None:
    """``value`` at a dotted path, making the objects on the way."""
    *parents, last = dotted.split(".")
    for key in parents:
        data = data.setdefault(key, {})
    data[last] = value
