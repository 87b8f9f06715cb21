"""A file answer saved to disk → a result naming its path, media type and size, with a ``resource_link``.

Binary answers (audio, zip, csv, linked artifacts) never go into the context as base64.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from mcp.types import CallToolResult, ResourceLink, TextContent

from ..contract import Operation
from ..upstream.receive import filename
from .results import result

SAVED_FILE = {  # what ``file_result`` answers, as describe_tool's rows
    "filename": "str, may be left out: the file's name as the vendor gave it",
    "saved_to": "str: where the file was saved on the server",
    "media_type": "str: the file's media type",
    "size_bytes": "int, unit bytes: the file's size",
    "tool": "str: the tool that fetched it",
}


def saved(path: Path, media: str, headers: Any, op: Operation, meta: dict[str, Any]) -> CallToolResult:
    """The result for a file answer already streamed to ``path``."""
    hint = filename(headers)
    return file_result(path, media, op.name, {"filename": hint} if hint else {}, meta)


def file_result(
    path: Path, media: str, tool: str, facts: dict[str, Any], meta: dict[str, Any] | None
) -> CallToolResult:
    """Facts about the file (plus any the vendor gave) as JSON, and a link to it."""
    size = path.stat().st_size
    data = {**facts, "saved_to": str(path), "media_type": media, "size_bytes": size, "tool": tool}
    link = ResourceLink(type="resource_link", uri=path.as_uri(), name=path.name, mime_type=media, size=size)
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return result([TextContent(type="text", text=text), link], data, meta=meta)
