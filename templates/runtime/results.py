"""Tool results: what the agent reads on success and on failure (``isError`` with what to do next)."""

from __future__ import annotations

import json
import re
from typing import Any

from mcp.types import CallToolResult, TextContent

_SECRET = re.compile(r"(?i)(authorization|api[-_]?key|x-auth-key|token|secret|password)(\"?\s*[:=]\s*\"?)([^\s\",}]+)")


def redact(text: str, secrets: tuple[str, ...] = ()) -> str:
    """Remove credentials: known secret values, and anything that looks like ``token: value``."""
    for secret in secrets:
        if secret and len(secret) >= 4:
            text = text.replace(secret, "[redacted]")
    return _SECRET.sub(r"\1\2[redacted]", text)


def error(
    message: str, *, hint: str = "", meta: dict[str, Any] | None = None, details: dict[str, Any] | None = None
) -> CallToolResult:
    """A tool error: one line of what happened, one line of what to do next."""
    text = message if not hint else f"{message}\nWhat to do: {hint}"
    structured = {"error": message, **({"hint": hint} if hint else {}), **(details or {})}
    return CallToolResult(
        content=[TextContent(type="text", text=text)], structured_content=structured, is_error=True, meta=meta
    )


def success(data: Any, *, meta: dict[str, Any] | None = None) -> CallToolResult:
    """A result whose JSON text is always present; objects also go out as structured content."""
    text = data if isinstance(data, str) else json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    structured = data if isinstance(data, dict) else None
    return CallToolResult(content=[TextContent(type="text", text=text)], structured_content=structured, meta=meta)
