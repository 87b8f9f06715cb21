"""A scriptable HTTP upstream on 127.0.0.1 for behaviour tests: it records every request it gets.

Script it per path with ``Upstream.route(method, path, handler)`` where ``handler(request)`` returns
``Reply(status, body, headers)``; unscripted requests get ``200 {"ok": true, "path": ...}``.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self
from urllib.parse import parse_qsl, urlsplit


@dataclass
class Seen:
    """One request as the upstream received it."""

    method: str
    path: str
    query: list[tuple[str, str]]
    headers: dict[str, str]
    body: bytes
    at: float = field(default_factory=time.monotonic)  # when it arrived (``time.monotonic``)

    def json(self) -> Any:
        """The body parsed as JSON."""
        return json.loads(self.body)


@dataclass
class Reply:
    """What the upstream answers; ``delay`` seconds are slept first (for timeout tests)."""

    status: int = 200
    body: Any = field(default_factory=lambda: {"ok": True})
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0

    def encoded(self) -> tuple[bytes, str]:
        """Body bytes and a default content type."""
        if isinstance(self.body, bytes):
            return self.body, "application/octet-stream"
        if isinstance(self.body, str):
            return self.body.encode("utf-8"), "text/plain; charset=utf-8"
        return json.dumps(self.body).encode("utf-8"), "application/json"


Handler = Callable[[Seen], Reply]


class LoopbackServer:
    """A threaded HTTP server on 127.0.0.1 (a free port) that runs inside ``with``; subclasses give the handler."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        """The base URL, e.g. ``http://127.0.0.1:54321``."""
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        raise NotImplementedError


class Upstream(LoopbackServer):
    """Start with ``with Upstream() as up:``; ``up.url`` is the base URL, ``up.seen`` the requests."""

    def __init__(self) -> None:
        self.routes: dict[tuple[str, str], Handler] = {}
        self.seen: list[Seen] = []
        super().__init__()

    def route(self, method: str, path: str, handler: Handler | Reply) -> None:
        """Answer ``METHOD path`` (path without query) with a handler or a fixed reply."""
        if isinstance(handler, Reply):
            reply = handler
            handler = lambda _seen: reply  # noqa: E731
        self.routes[(method.upper(), path)] = handler

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        upstream = self

        class _Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _answer(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                parts = urlsplit(self.path)
                query = parse_qsl(parts.query, keep_blank_values=True)
                seen = Seen(self.command, parts.path, query, dict(self.headers), body)
                with upstream._lock:
                    upstream.seen.append(seen)
                handler = upstream.routes.get((self.command, parts.path))
                reply = handler(seen) if handler else Reply(body={"ok": True, "path": parts.path})
                if reply.delay:
                    time.sleep(reply.delay)
                data, content_type = reply.encoded()
                self.send_response(reply.status)
                headers = {"Content-Type": content_type, **reply.headers, "Content-Length": str(len(data))}
                for key, value in headers.items():
                    self.send_header(key, value)
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_QUERY = _answer

            def log_message(self, *args: object) -> None:
                pass

        return _Handler


def sequence(*replies: Reply) -> Handler:
    """Answer with each reply in turn, then keep answering with the last."""
    queue = list(replies)
    return lambda _seen: queue.pop(0) if len(queue) > 1 else queue[0]
