"""What a flow is given instead of the dispatcher: functions that run one step and return its result."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mcp.types import CallToolResult

from ..contract import Operation

# Runs one operation through dispatch (credentials, scopes, credits, upstream, shaping); never raises.
Call = Callable[[Operation, dict[str, Any]], Awaitable[CallToolResult]]
# One page as a JSON object, and the rate-limit facts its answer carried.
Page = tuple[dict[str, Any], dict[str, Any]]
# Reads one page with these arguments: the page, or the call's final result when it is not one (an error, a file).
PageCall = Callable[[dict[str, Any]], Awaitable[Page | CallToolResult]]
# Fetches a link to disk: the saved path and its media type (raises ``LinkFailed``, ``ResponseTooLarge``, HTTP errors).
Fetch = Callable[[str, str, str | None], Awaitable[tuple[Path, str]]]
# Makes a result of data, truncating and saving it when it is over the size cap: (data, meta, note).
Sizer = Callable[[Any, dict[str, Any], str], CallToolResult]


@dataclass(frozen=True)
class Room:
    """How much of an answer fits into the context: ``bytes`` of its JSON, as ``measure`` counts them (after the
    call's ``select``)."""

    bytes: int
    measure: Callable[[Any], int]
