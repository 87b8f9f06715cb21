"""The FastMCP peer: ``FastMCP.from_openapi`` on a vendor spec, served over stdio.

Run by the benchmark with the peers' own interpreter (``bench/.venv-peers``), never imported by mcpgen:
``python bench/fastmcp_server.py SPEC BASE_URL [PORT]`` (with a port: streamable HTTP on 127.0.0.1, stateless).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def load(path: str) -> dict:
    """The spec as a dict, from JSON or YAML."""
    text = Path(path).read_text(encoding="utf-8")
    if path.endswith(".json"):
        return json.loads(text)
    import yaml

    return yaml.safe_load(text)


def main() -> None:
    """Build the server from the spec and serve stdio until the client hangs up."""
    import httpx2
    from fastmcp import FastMCP

    spec, base_url = load(sys.argv[1]), sys.argv[2]
    client = httpx2.AsyncClient(base_url=base_url, headers={"Authorization": "Bearer bench"})
    server = FastMCP.from_openapi(openapi_spec=spec, client=client, name="peer")
    if len(sys.argv) > 3:
        server.run("http", host="127.0.0.1", port=int(sys.argv[3]), stateless_http=True, show_banner=False)
    else:
        server.run("stdio", show_banner=False)


if __name__ == "__main__":
    main()
