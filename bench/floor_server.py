"""P6's floor: the least an MCP server over streamable HTTP can do per call with the same SDK and client library.

One ``MCPServer`` tool that sends the probe's request to the upstream with a pooled ``httpx2`` client and returns
the JSON, stateless, under uvicorn like ours: ``python -m bench.floor_server PORT UPSTREAM_URL PATH [WORKERS]``
(several workers: uvicorn's own, each building the app from ``FLOOR_UPSTREAM`` and ``FLOOR_PATH``).
"""

from __future__ import annotations

import logging
import os
import socket
import sys
from typing import Any

import httpx2
import uvicorn
from mcp.server.mcpserver import MCPServer
from uvicorn.supervisors import Multiprocess


def build(upstream: str, path: str) -> Any:
    """The ASGI app: one tool, ``probe``, that GETs ``path`` from the upstream."""
    server = MCPServer(name="floor")
    logging.getLogger("httpx2").setLevel(logging.WARNING)  # as ours: no log line per upstream request
    client: dict[str, httpx2.AsyncClient] = {}

    @server.tool()
    async def probe(fromDateTime: str = "", toDateTime: str = "") -> dict[str, Any]:
        """GET the probe path from the upstream."""
        if "c" not in client:  # made on first use, inside the server's event loop
            client["c"] = httpx2.AsyncClient(base_url=upstream, trust_env=False)
        response = await client["c"].get(path, params={"fromDateTime": fromDateTime, "toDateTime": toDateTime})
        answer: dict[str, Any] = response.json()
        return answer

    return server.streamable_http_app(stateless_http=True, host="127.0.0.1")


def from_env() -> Any:
    """The app for one of uvicorn's workers."""
    return build(os.environ["FLOOR_UPSTREAM"], os.environ["FLOOR_PATH"])


def main() -> None:
    """Serve on 127.0.0.1:PORT until stopped."""
    port, upstream, path = int(sys.argv[1]), sys.argv[2], sys.argv[3]
    workers = int(sys.argv[4]) if len(sys.argv) > 4 else 1
    if workers == 1:
        uvicorn.run(build(upstream, path), host="127.0.0.1", port=port, log_level="warning")
        return
    os.environ |= {"FLOOR_UPSTREAM": upstream, "FLOOR_PATH": path}
    config = uvicorn.Config(
        "bench.floor_server:from_env", factory=True, workers=workers, port=port, log_level="warning"
    )
    sock = config.bind_socket()
    # uvicorn's socket says protocol 0, so asyncio leaves Nagle on in its workers (a delayed ACK per answer);
    # Linux gives accepted connections the listener's TCP_NODELAY, as ours sets it.
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    Multiprocess(config, sockets=[sock]).run()


if __name__ == "__main__":
    main()
