"""The MCP server object of a generated package: an ``MCPServer`` that knows its operations and dispatcher."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import TYPE_CHECKING, Any

from mcp.server.mcpserver import Context, MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from mcp.types import CallToolResult, InputRequiredResult
from mcp.types import Tool as MCPTool

from ..contract import CODE, DYNAMIC, FULL, Operation
from ..dispatch.dispatcher import Dispatcher
from ..team.caller import current
from .recorder import Recorder
from .search import SearchIndex

if TYPE_CHECKING:  # a type only: the store and its driver load when a store is opened
    from ..team.service import Team

# A readiness check: None when ready, else the reason (``/readyz`` answers 503 with it); a store adds its own.
ReadinessCheck = Callable[[], Awaitable[str | None]]


class GeneratedServer(MCPServer):
    """Serves the selected tools; hides scope-gated ones; in the dynamic and code toolsets lists only the meta-tools."""

    def __init__(
        self,
        *,
        dispatcher: Dispatcher,
        operations: Mapping[str, Operation],
        hidden: frozenset[str],
        toolset: str = FULL,
        meta_names: frozenset[str] = frozenset(),
        recorder: Recorder | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.dispatcher = dispatcher
        self.operations = operations
        self.hidden = hidden
        self.toolset = toolset
        self.meta_names = meta_names  # the dynamic toolset's search/describe/call, or the code toolset's tools
        self.search_index: SearchIndex | None = None  # the dynamic toolset's, built on the first search
        self.recorder = recorder or Recorder()
        self.readiness: list[ReadinessCheck] = []
        self.team: Team | None = None  # set when serving a team over HTTP: store, audit, per-caller tools

    def join(self, team: Team) -> None:
        """Serve ``team``: its store must be up for calls, and every call gets an audit row."""
        self.team = team
        self.recorder.team = team

    def visible(self, name: str) -> bool:
        """Whether the current caller may see (and so call) the registered tool ``name``: not hidden by the server's
        scopes, and inside the caller's filters and token scopes."""
        if name in self.hidden:
            return False
        caller = current()
        return caller is None or name not in self.operations or caller.allows(self.operations[name])

    async def listed_tools(self) -> list[MCPTool]:
        """Every registered tool the current caller may see."""
        return [tool for tool in await super().list_tools() if self.visible(tool.name)]

    async def call_tool(
        self, name: str, arguments: dict[str, Any], context: Context[Any, Any] | None = None
    ) -> CallToolResult | InputRequiredResult:
        """A hidden tool is an unknown tool: the same answer, given before any argument is validated."""
        if not self.visible(name):
            raise ToolError(f"Unknown tool: {name}")
        return await super().call_tool(name, arguments, context)

    async def list_tools(self) -> list[MCPTool]:
        """The served tools, or only the three meta-tools in the dynamic and code toolsets."""
        listed = await self.listed_tools()
        if self.toolset in (DYNAMIC, CODE):
            return [tool for tool in listed if tool.name in self.meta_names]
        return listed
