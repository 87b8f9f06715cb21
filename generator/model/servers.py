"""Server URLs: the first http(s) ``servers`` entry of a document or of one operation, variables resolved.

``https://{region}.api.example.com/v1`` is sent as its variables' defaults say; the document's variables are
settings too (``<PREFIX>_REGION``), so the URL keeps its template for the server to fill at start.
"""

from __future__ import annotations

import re
from typing import Any

from generator.runtime.contract import Variable

DEFAULT_BASE_URL = "http://127.0.0.1:8080"
PLACEHOLDER = re.compile(r"\{([^{}]+)\}")


def _variables(server: dict[str, Any] | None) -> dict[str, Any]:
    found = server.get("variables") if server else None
    return found if isinstance(found, dict) else {}


def _first(node: dict[str, Any]) -> dict[str, Any] | None:
    servers = node.get("servers")
    if isinstance(servers, list) and servers and isinstance(servers[0], dict):
        url = servers[0].get("url")
        if isinstance(url, str) and url.startswith(("http://", "https://")):
            return servers[0]
    return None


def _default(variable: Any) -> str:
    if not isinstance(variable, dict):
        return ""
    enum = variable.get("enum")
    value = variable.get("default", enum[0] if isinstance(enum, list) and enum else "")
    return str(value)


def first_server(node: dict[str, Any]) -> str | None:
    """The first http(s) ``servers`` URL of a document or of one operation (Gumloop's chat host), if any, with
    its variables' defaults in place."""
    server = _first(node)
    if server is None:
        return None
    variables = _variables(server)
    url = PLACEHOLDER.sub(lambda m: _default(variables.get(m.group(1))), str(server["url"]))
    return url.rstrip("/")


def url_variables(document: dict[str, Any]) -> tuple[str, tuple[Variable, ...]]:
    """The document's server URL template and a setting per variable it uses (none: ``("", ())``)."""
    server = _first(document)
    variables = _variables(server)
    used = PLACEHOLDER.findall(str(server["url"])) if server else []
    if server is None or not used:
        return "", ()
    found = []
    for name in dict.fromkeys(used):
        entry = variables.get(name)
        choices = entry.get("enum") if isinstance(entry, dict) and isinstance(entry.get("enum"), list) else []
        text = f"server URL variable `{name}`" + (f" (one of {', '.join(map(str, choices))})" if choices else "")
        env = re.sub(r"[^A-Z0-9]+", "_", name.upper()).strip("_") or "SERVER"
        found.append(Variable(env, _default(entry), text, placeholder=name))
    return str(server["url"]).rstrip("/"), tuple(found)
