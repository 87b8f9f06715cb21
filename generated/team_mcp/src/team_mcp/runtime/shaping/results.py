"""Tool results: what the agent reads on success and on failure (``isError`` with what to do next)."""

from __future__ import annotations

import json
import re
from functools import partial
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
    """The result with these credential values removed from its text, structured content and meta alike; from an
    error's message, anything shaped like a credential too (``redact``).

    The one place a result, success or failure, loses the vendor credential: a vendor that echoes request
    headers back (``{"headers": {"Authorization": "Basic …"}}``) must not hand it to the caller. An error's message
    is ours (with the vendor's error message in it, or a transport error's), so it may lose more than the known
    values; a success is the vendor's data, whose fields stay as they are. Known values go first, so that a shape
    never cuts one in two.
    """
    # Every result carries its structured content as text too (the JSON of it, or the error and its details), as
    # the MCP spec asks: so the text is searched, one pass per value, and only an error or a result holding one is
    # rewritten.
    probe = [block.text for block in outcome.content if isinstance(block, TextContent)]
    text = "\n".join([*probe, json.dumps(outcome.meta, ensure_ascii=False, default=str)])
    found = tuple(s for s in secrets if len(s) >= SHORTEST_SECRET and s in text)
    if not found and not outcome.is_error:
        return outcome
    clean = partial(redact if outcome.is_error else without, secrets=found)
    content = [
        block.model_copy(update={"text": clean(block.text)}) if isinstance(block, TextContent) else block
        for block in outcome.content
    ]
    structured, meta = _scrubbed(outcome.structured_content, found), _scrubbed(outcome.meta, found)
    if outcome.is_error and isinstance(structured, dict) and isinstance(structured.get("error"), str):
        structured = {**structured, "error": redact(structured["error"])}
    return outcome.model_copy(update={"content": content, "structured_content": structured, "meta": meta})


def _scrubbed(value: Any, secrets: tuple[str, ...]) -> Any:
    if isinstance(value, str):
        return without(value, secrets)
    if isinstance(value, dict):
        return {_scrubbed(k, secrets): _scrubbed(v, secrets) for k, v in value.items()}
    if isinstance(value, list):
        return [_scrubbed(v, secrets) for v in value]
    return value


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


def cut(data: Any, path: Path, media_type: str, note: str, meta: dict[str, Any]) -> CallToolResult:
    """An answer over the cap: what is shown of it as whole JSON (None: nothing), the note on the rest, and a link
    to the whole of it saved at ``path``."""
    size = path.stat().st_size
    facts = {"truncated": True, "size_bytes": size, "full_body_path": str(path), "media_type": media_type}
    shown = data if data is not None else facts
    text = json.dumps(shown, ensure_ascii=False, separators=(",", ":"))
    link = ResourceLink(type="resource_link", uri=path.as_uri(), name=path.name, mime_type=media_type, size=size)
    content: list[ContentBlock] = [TextContent(type="text", text=text), TextContent(type="text", text=note), link]
    return result(content, shown if isinstance(shown, dict) else None, meta=meta)


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
