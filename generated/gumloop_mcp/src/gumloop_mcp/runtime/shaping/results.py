"""Tool results: what the agent reads on success and on failure (``isError`` with what to do next)."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
from pathlib import Path
from typing import Any

from mcp.types import CallToolResult, ContentBlock, ResourceLink, TextContent

from ..contract import META_TRUNCATED

_SCHEME = re.compile(r"(?i)\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]{4,}")
_SECRET = re.compile(r"(?i)(authorization|api[-_]?key|x-auth-key|token|secret|password)(\"?\s*[:=]\s*\"?)([^\s\",}&]+)")


REDACTED = "[redacted]"
SHORTEST_SECRET = 4  # shorter values are not looked for: they would blank out ordinary words and numbers


def without(text: str, secrets: tuple[str, ...]) -> str:
    """``text`` with every one of these values replaced by ``[redacted]`` (longest first)."""
    for secret in sorted(secrets, key=len, reverse=True):
        if len(secret) >= SHORTEST_SECRET and secret in text:
            text = text.replace(secret, REDACTED)
    return text


def redact(text: str, secrets: tuple[str, ...] = ()) -> str:
    """Remove credentials: known secret values, ``Bearer``/``Basic`` values, and anything like ``token: value``.

    For text that is ours (errors, logs); a vendor's data goes through ``withheld``, which keeps its fields.
    """
    text = _SCHEME.sub(r"\1 [redacted]", without(text, secrets))
    return _SECRET.sub(r"\1\2[redacted]", text)


def withheld(outcome: CallToolResult, secrets: tuple[str, ...]) -> CallToolResult:
    """The result with these credential values removed from its text, structured content and meta alike.

    The one place a result, success or failure, loses the vendor credential: a vendor that echoes request
    headers back (``{"headers": {"Authorization": "Basic …"}}``) must not hand it to the caller.
    """
    # Every result carries its structured content as text too (the JSON of it, or the error and its details), as
    # the MCP spec asks: so the text is searched, one pass per value, and only a result that holds one is rewritten.
    probe = [block.text for block in outcome.content if isinstance(block, TextContent)]
    text = "\n".join([*probe, json.dumps(outcome.meta, ensure_ascii=False, default=str)])
    found = tuple(s for s in secrets if len(s) >= SHORTEST_SECRET and s in text)
    if not found:
        return outcome
    content = [
        block.model_copy(update={"text": without(block.text, found)}) if isinstance(block, TextContent) else block
        for block in outcome.content
    ]
    structured, meta = _scrubbed(outcome.structured_content, found), _scrubbed(outcome.meta, found)
    return outcome.model_copy(update={"content": content, "structured_content": structured, "meta": meta})


def _scrubbed(value: Any, secrets: tuple[str, ...]) -> Any:
    if isinstance(value, str):
        return without(value, secrets)
    if isinstance(value, dict):
        return {_scrubbed(k, secrets): _scrubbed(v, secrets) for k, v in value.items()}
    if isinstance(value, list):
        return [_scrubbed(v, secrets) for v in value]
    return value


class _LogScrubber(logging.Filter):
    """Scrubs credentials from log lines (``httpx2`` logs every URL, query string included)."""

    def __init__(self) -> None:
        super().__init__()
        self.secrets: set[str] = set()

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        clean = redact(message, tuple(self.secrets))
        if clean != message:
            record.msg, record.args = clean, ()
        return True


_SCRUBBER = _LogScrubber()
logging.getLogger("httpx2").addFilter(_SCRUBBER)


def scrub_logs(secrets: tuple[str, ...]) -> None:
    """Keep these values out of every ``httpx2`` log line from now on."""
    _SCRUBBER.secrets.update(s for s in secrets if len(s) >= SHORTEST_SECRET)


def result(
    content: list[ContentBlock],
    structured: dict[str, Any] | None = None,
    *,
    meta: dict[str, Any] | None = None,
    is_error: bool = False,
) -> CallToolResult:
    """The one constructor of tool results (``_meta`` is the field's wire name; the SDK takes it by alias)."""
    return CallToolResult(content=content, structured_content=structured, is_error=is_error, _meta=meta)


def text(value: str) -> TextContent:
    """One text block."""
    return TextContent(type="text", text=value)


def error(
    message: str, *, hint: str = "", meta: dict[str, Any] | None = None, details: dict[str, Any] | None = None
) -> CallToolResult:
    """A tool error: one line of what happened, one line of what to do next."""
    text = message if not hint else f"{message}\nWhat to do: {hint}"
    structured = {"error": message, **({"hint": hint} if hint else {}), **(details or {})}
    return result([TextContent(type="text", text=text)], structured, meta=meta, is_error=True)


def success(data: Any, *, meta: dict[str, Any] | None = None, note: str = "") -> CallToolResult:
    """A result whose JSON text is always present; objects also go out as structured content.

    ``note`` adds a second, plain-language text block (e.g. how to get the next page).
    """
    text = data if isinstance(data, str) else json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    content: list[ContentBlock] = [TextContent(type="text", text=text)]
    if note:
        content.append(TextContent(type="text", text=note))
    structured = data if isinstance(data, dict) else None
    return result(content, structured, meta=meta or None)


def save_body(body: bytes, suffix: str, folder: Path) -> Path:
    """Write a body under ``folder``, named by its content hash (same body, same file); atomic."""
    folder.mkdir(parents=True, exist_ok=True)
    path = (folder / (hashlib.sha256(body).hexdigest()[:16] + suffix)).resolve()
    scratch = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    scratch.write_bytes(body)
    os.replace(scratch, path)
    return path


def truncated(
    body: bytes, *, cap: int, folder: Path, media_type: str, meta: dict[str, Any] | None, note: str = ""
) -> CallToolResult:
    """A body over the cap: a preview that says it is one, plus the full body saved to a file and linked."""
    suffix = ".json" if "json" in media_type else ".txt"
    path = save_body(body, suffix, folder)
    return preview(path, len(body), body, cap=cap, media_type=media_type, meta=meta, note=note)


def preview(
    path: Path, size: int, head: bytes, *, cap: int, media_type: str, meta: dict[str, Any] | None, note: str = ""
) -> CallToolResult:
    """A body of ``size`` bytes saved whole at ``path``: the first of its bytes (``head``) that fit the cap, a line
    that says where the rest is, and a link to the file."""
    line = f"[truncated: the response is {size:,} bytes, over the {cap:,}-byte cap; the full body is in {path}]\n"
    shown = head[: max(0, cap - len(line.encode("utf-8")))].decode("utf-8", "ignore")
    link = ResourceLink(type="resource_link", uri=path.as_uri(), name=path.name, mime_type=media_type, size=size)
    structured = {
        "truncated": True,
        "size_bytes": size,
        "shown_bytes": len(shown.encode("utf-8")),
        "full_body_path": str(path),
        "media_type": media_type,
    }
    notes: list[ContentBlock] = [TextContent(type="text", text=note)] if note else []
    content: list[ContentBlock] = [TextContent(type="text", text=line + shown), *notes, link]
    return result(content, structured, meta={**(meta or {}), META_TRUNCATED: True})
