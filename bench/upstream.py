"""The benchmark's upstream: a keep-alive HTTP/1.1 JSON server on 127.0.0.1 that answers every request at once.

``python -m bench.upstream`` prints its base URL and serves until its standard input closes. Unlike the tests'
scriptable upstream it records nothing and disables Nagle's algorithm, so a timed call is not stretched by the
40 ms delayed-ACK stall that a small write split in two would cause.
"""

from __future__ import annotations

import json
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Handler(BaseHTTPRequestHandler):
    """``{"ok": true, "path": ...}`` for any method and path."""

    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True

    def _answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        body = json.dumps({"ok": True, "path": self.path.split("?", 1)[0]}).encode("utf-8")
        head = f"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
        self.wfile.write(head.encode("ascii") + body)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _answer

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the benchmark prints its own table."""


class Server(ThreadingHTTPServer):
    """A listen backlog for 32 clients' connections arriving at once (the default of 5 resets some)."""

    request_queue_size = 256


def main() -> None:
    """Serve on a free port until standard input closes."""
    server = Server(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(f"http://127.0.0.1:{server.server_address[1]}", flush=True)
    sys.stdin.read()
    server.shutdown()


if __name__ == "__main__":
    main()
