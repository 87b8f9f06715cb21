"""ASGI primitives, written once: a whole answer, a JSON refusal, a header, a bounded body, a bounded JSON value, a
bearer challenge.

Every HTTP answer that does not come from the MCP SDK goes through ``respond``; every refusal through ``refuse``.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Iterable, Mapping, MutableMapping
from dataclasses import dataclass, field
from typing import Any

from ...failures import BodyTooLarge

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
App = Callable[[Scope, Receive, Send], Awaitable[None]]
MAX_JSON_DEPTH = 100  # arrays and objects inside one another in a request body


@dataclass(frozen=True)
class Refusal:
    """Why a request is not served: its HTTP status, an OAuth-style error code, one line, extra headers."""

    status: int
    code: str
    reason: str
    headers: Mapping[str, str] = field(default_factory=dict)


async def respond(
    send: Send,
    status: int,
    body: bytes,
    headers: Mapping[str, str] | None = None,
    content_type: str = "application/json",
) -> None:
    """One whole answer, never cached."""
    pairs = {"content-type": content_type, "content-length": str(len(body)), "cache-control": "no-store"}
    pairs.update(headers or {})
    raw = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in pairs.items()]
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": body})


async def respond_json(send: Send, status: int, value: Any, headers: Mapping[str, str] | None = None) -> None:
    """``value`` as a JSON answer."""
    await respond(send, status, json.dumps(value).encode("utf-8"), headers)


def challenge(realm: str = "mcp", metadata: str | None = None, code: str = "", reason: str = "", **extra: str) -> str:
    """A ``WWW-Authenticate: Bearer`` value (RFC 6750), with RFC 9728's ``resource_metadata`` when there is one."""
    parts = [f'realm="{realm}"']
    if metadata:
        parts.append(f'resource_metadata="{metadata}"')
    if code:
        parts.append(f'error="{code}"')
    parts += [f'{key}="{_quoted(value)}"' for key, value in extra.items()]
    if reason:
        parts.append(f'error_description="{_quoted(reason)}"')
    return "Bearer " + ", ".join(parts)


async def refuse(send: Send, refusal: Refusal) -> None:
    """The refusal as a JSON answer; a 401 always carries a challenge."""
    headers = dict(refusal.headers)
    if refusal.status == 401 and "www-authenticate" not in headers:
        headers["www-authenticate"] = challenge(code=refusal.code, reason=refusal.reason)
    body = {"error": refusal.code or "unauthorized", "error_description": refusal.reason}
    await respond_json(send, refusal.status, body, headers)


def header(scope: Scope, name: str) -> str | None:
    """The first value of header ``name`` (lower case), or None."""
    wanted = name.encode("latin-1")
    for key, value in scope.get("headers", []):
        if key.lower() == wanted:
            return str(value.decode("latin-1"))
    return None


def client_address(scope: Scope) -> str:
    """The address the request came from (a proxy's, unless uvicorn was told to believe its forwarded header)."""
    return str((scope.get("client") or ("?", 0))[0])


def bearer(scope: Scope) -> str:
    """The token of an ``Authorization: Bearer`` header, or ``""``."""
    scheme, _, presented = (header(scope, "authorization") or "").partition(" ")
    return presented.strip() if scheme.lower() == "bearer" else ""


async def read_body(receive: Receive, limit: int) -> bytes:
    """The whole request body; ``BodyTooLarge`` as soon as it passes ``limit`` bytes (never read further)."""
    chunks: list[bytes] = []
    size, more = 0, True
    while more:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            raise BodyTooLarge(f"the request body is larger than {limit} bytes")
        chunks.append(chunk)
        more = message.get("more_body", False)
    return b"".join(chunks)


def json_value(raw: bytes) -> Any:
    """The value of a JSON body; ``ValueError`` (one line: a 400) when it is not JSON or nests deeper than
    ``MAX_JSON_DEPTH`` (far deeper, Python's parser raises ``RecursionError``: a 500, before this)."""
    too_deep = f"the JSON nests deeper than {MAX_JSON_DEPTH} levels"
    try:
        value = json.loads(raw)
    except RecursionError:
        raise ValueError(too_deep) from None
    except ValueError:  # UnicodeDecodeError too
        raise ValueError("the body is not JSON") from None
    depth, layer = 1, [value]
    while layer := [child for item in layer for child in _inside(item)]:
        depth += 1
        if depth > MAX_JSON_DEPTH:
            raise ValueError(too_deep)
    return value


def _inside(value: Any) -> Iterable[Any]:
    return value.values() if isinstance(value, dict) else value if isinstance(value, list) else ()


def _quoted(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', "'")
