"""Search as a served tool sees it, without writing a package: a spec's IR → the server's listing → its index.

The index is the one the dynamic and code toolsets build (``generator.runtime.serve.search``), over the tools'
``tools.json`` entries and their operations, as a generated server holds them.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from mcp.types import Tool as MCPTool
from mcp.types import ToolAnnotations

from generator.emit.catalog import catalog
from generator.emit.details import details
from generator.errors import Report
from generator.model.config import default_config, load_config
from generator.model.ir import Server
from generator.pipeline import build_ir
from generator.runtime.contract import Operation
from generator.runtime.serve.search import SearchIndex
from tests.corpus import SPECS as SPECS_OF_CORPUS
from tests.corpus import fetch

ROOT = Path(__file__).resolve().parents[1]
GITHUB = SPECS_OF_CORPUS / "github.com" / "api.github.com.json"  # 845 operations, pinned with the corpus
SPECS = ROOT / "tests" / "specs"


@cache
def vendor_server(name: str) -> Server:
    """The IR of a vendor in ``openapi/`` (gong, gumloop), of GitHub's spec (from the corpus ``make test`` fetches
    anyway), or of a spec in ``tests/specs/``."""
    if name == "github":
        fetch()
        config = default_config("github", str(GITHUB))
    elif (ROOT / "openapi" / f"{name}.toml").exists():
        config = load_config(ROOT / "openapi" / f"{name}.toml")
    else:
        config = default_config(name, str(SPECS / f"{name}.yaml"))
    return build_ir(config, Report())[0]


@cache
def index_of(name: str) -> SearchIndex:
    """The search index a server generated from ``name``'s spec builds on its first search (its ``tools.json``,
    operations and ``details.json``, as the package would hold them)."""
    server = vendor_server(name)
    entries = catalog(server)
    tools = [
        MCPTool(
            name=tool.name,
            description=entries[tool.name]["description"],
            input_schema=entries[tool.name]["input_schema"],
            annotations=ToolAnnotations(**entries[tool.name]["annotations"]),
        )
        for tool in server.tools
    ]
    operations = {
        tool.name: Operation(
            tool.name,
            tool.method,
            tool.path,
            tag=tool.tag,
            read_only=tool.hints.read_only,
            destructive=tool.hints.destructive,
        )
        for tool in server.tools
    }
    return SearchIndex(tools, operations, details(server))


def rank(name: str, query: str, tool: str) -> int:
    """Where ``tool`` comes in the search for ``query`` (1: first); 0 when it is not in the first 50."""
    found = [found for found, _ in index_of(name).search(query, 50)]
    return found.index(tool) + 1 if tool in found else 0
