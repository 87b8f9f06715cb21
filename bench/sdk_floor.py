"""The MCP SDK's own floor: a bare ``MCPServer`` with one tool that calls the upstream with ``httpx2``, over stdio.

What any server built on the SDK pays: its import and start-up (P2: one trivial tool listed), and its per-call
path (P3: the tool sends the probe's request and answers the body as text). ``httpx2`` is imported on the first
call, so the cold start is the SDK's alone. Run by the benchmark with the project's interpreter:
``python bench/sdk_floor.py BASE_URL METHOD PATH TOOL_NAME [ARGUMENT ...]``.
"""

from __future__ import annotations

import inspect
import sys
from typing import Any


def main() -> None:
    """Serve the one tool over stdio until the client hangs up."""
    url, method, path, name, *names = sys.argv[1:]
    from mcp.server.mcpserver import MCPServer

    server = MCPServer("sdk-floor")
    clients: list[Any] = []

    async def call(**arguments: str) -> str:
        if not clients:
            import httpx2

            clients.append(httpx2.AsyncClient(base_url=url, trust_env=False))
        filled = path
        for key, value in arguments.items():
            filled = filled.replace("{" + key + "}", value)
        query = {k: v for k, v in arguments.items() if "{" + k + "}" not in path}
        response = await clients[0].request(method, filled, params=query)
        response.raise_for_status()
        return str(response.text)

    keyword = inspect.Parameter.KEYWORD_ONLY
    call.__signature__ = inspect.Signature(  # type: ignore[attr-defined]  # the SDK reads the signature
        [inspect.Parameter(n, keyword, annotation=str) for n in names], return_annotation=str
    )
    server.add_tool(call, name=name, description="One upstream call, nothing else.", structured_output=False)
    server.run("stdio")


if __name__ == "__main__":
    main()
