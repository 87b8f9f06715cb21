"""``models.py`` is imported on the first call of a tool that needs it, not when the server starts (P2)."""

from __future__ import annotations

import json
import subprocess
import sys

# A fresh interpreter: other tests import the packages' models in this one.
FIRST_CALL = """
import json, sys
import anyio
from mcp import Client
from gong_mcp import server
from gong_mcp.runtime.settings import Settings
from gong_mcp.vendor import VENDOR

async def go():
    async with Client(server.create_server(Settings.from_env(VENDOR, {}))) as client:
        await client.list_tools()
        listed = "gong_mcp.models" in sys.modules
        arguments = {"parties": [7], "actualStart": "x", "clientUniqueId": "x", "direction": "Inbound"}
        arguments["primaryUser"] = "1"
        result = await client.call_tool("create_a_gong_call", arguments)
        return listed, "gong_mcp.models" in sys.modules, result.is_error, result.content[0].text

print(json.dumps(anyio.run(go)))
"""


def test_models_load_on_the_first_call_that_needs_them_and_still_check_nested_bodies() -> None:
    done = subprocess.run([sys.executable, "-c", FIRST_CALL], capture_output=True, text=True, check=True, timeout=120)
    loaded_at_listing, loaded_after_call, refused, message = json.loads(done.stdout.splitlines()[-1])
    assert not loaded_at_listing and loaded_after_call
    assert refused and message.startswith("argument parties[0]: got 7 (an integer); it takes an object with fields")
