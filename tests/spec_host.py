"""A loopback HTTP host (127.0.0.1 only) for spec downloads: it serves what a test says, including bad answers.

``host.serve(path, body, status=200, content_type=..., declared=None)``; ``declared`` sends a Content-Length
other than the body's (a truncated download). Unknown paths answer 404 with an HTML page, as real hosts do.
"""

from __future__ import annotations

from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler

from tests.upstream import LoopbackServer

NOT_FOUND = b"<!DOCTYPE html><html><body><h1>404 Not Found</h1></body></html>"


@dataclass
class Served:
    """One canned answer."""

    body: bytes
    status: int = 200
    content_type: str = "application/yaml"
    declared: int | None = None


class SpecHost(LoopbackServer):
    """Start with ``with SpecHost() as host:``; ``host.url + path`` is what a config's ``spec.url`` names."""

    def __init__(self) -> None:
        self.routes: dict[str, Served] = {}
        super().__init__()

    def serve(self, path: str, body: bytes, **answer: object) -> str:
        """Serve ``body`` at ``path`` from now on; returns the full URL."""
        self.routes[path] = Served(body, **answer)  # type: ignore[arg-type]
        return self.url + path

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        host = self

        class _Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                served = host.routes.get(self.path) or Served(NOT_FOUND, 404, "text/html")
                self.send_response(served.status)
                self.send_header("Content-Type", served.content_type)
                self.send_header("Content-Length", str(served.declared or len(served.body)))
                self.send_header("Connection", "close")
                self.end_headers()
                self.wfile.write(served.body)
                self.close_connection = True

            def log_message(self, format: str, *args: object) -> None:
                pass

        return _Handler
