"""The listing budget: how big a server's ``tools/list`` is, and which toolset it serves by default.

Clients take 40 to 128 tools (VS Code and OpenAI stop at 128), and every listed byte is paid on every listing.
Above ``MAX_TOOLS`` tools or ``MAX_BYTES`` bytes (about 50,000 tokens), a generated server lists the dynamic
toolset's search/describe/call meta-tools by default; ``--toolset full`` (or ``<PREFIX>_TOOLSET=full``) still
lists every tool.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from generator.runtime.contract import DYNAMIC, FULL

MAX_TOOLS = 128
MAX_BYTES = 200_000
_HINTS = {"read_only_hint": "readOnlyHint", "destructive_hint": "destructiveHint"}
_HINTS |= {"idempotent_hint": "idempotentHint", "open_world_hint": "openWorldHint", "title": "title"}


@dataclass(frozen=True)
class Listing:
    """The size of a server's full listing, and the default toolset that follows from it."""

    tools: int
    bytes: int

    @property
    def toolset(self) -> str:
        """``dynamic`` above the budget, else ``full``."""
        return DYNAMIC if self.tools > MAX_TOOLS or self.bytes > MAX_BYTES else FULL

    def line(self) -> str:
        """The summary's line about it."""
        size = f"listing: {self.tools} tools, {self.bytes:,} bytes (~{self.bytes // 4:,} tokens)"
        if self.toolset == FULL:
            return f"{size}; default toolset full"
        return (
            f"{size}, over the budget of {MAX_TOOLS} tools or {MAX_BYTES:,} bytes; default toolset dynamic "
            "(search/describe/call; --toolset full lists every tool)"
        )


def default_toolset(tool_count: int, catalog: Callable[[], dict[str, Any]]) -> str:
    """The toolset :class:`Listing` picks, asking for the ``tools.json`` catalog only when the count of tools
    alone does not decide (GitHub's 1,223 tools list dynamic whatever their bytes)."""
    by_count = Listing(tool_count, 0).toolset
    return by_count if by_count == DYNAMIC else measure(catalog()).toolset


def measure(catalog: dict[str, Any]) -> Listing:
    """The ``tools/list`` answer a server with this ``tools.json`` catalog gives, measured as it is sent."""
    listed = [_listed(name, entry) for name, entry in catalog.items()]
    text = json.dumps({"tools": listed}, ensure_ascii=False, separators=(",", ":"))
    return Listing(len(listed), len(text.encode("utf-8")))


def _listed(name: str, entry: dict[str, Any]) -> dict[str, Any]:
    """One tool as the MCP SDK lists it (camel-case annotations, ``_meta`` when there is one)."""
    tool = {
        "name": name,
        "description": entry["description"],
        "inputSchema": entry["input_schema"],
        "annotations": {_HINTS.get(key, key): value for key, value in entry["annotations"].items()},
    }
    return {**tool, "_meta": entry["meta"]} if "meta" in entry else tool
