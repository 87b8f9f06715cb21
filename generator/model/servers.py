"""Server URLs: the first http(s) ``servers`` entry of a document or of one operation."""

from __future__ import annotations

from typing import Any

DEFAULT_BASE_URL = "http://127.0.0.1:8080"


def first_server(node: dict[str, Any]) -> str | None:
    """The first http(s) ``servers`` URL of a document or of one operation (Gumloop's chat host), if any."""
    servers = node.get("servers")
    if isinstance(servers, list) and servers and isinstance(servers[0], dict):
        url = servers[0].get("url")
        if isinstance(url, str) and url.startswith(("http://", "https://")):
            return url.rstrip("/")
    return None
