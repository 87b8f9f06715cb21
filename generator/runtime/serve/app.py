"""The MCP server object of a generated package: an ``MCPServer`` that knows its operations and dispatcher."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from mcp.server.mcpserver import MCPServer
from mcp.types import Tool as MCPTool

from ..contract import CODE, DYNAMIC, FULL, Operation
from ..dispatch.dispatcher import Dispatcher
from ..team.caller import current
from ..team.service import Team
from .observe import Observer
from .search import SearchIndex

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
        observer: Observer | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.dispatcher = dispatcher
        self.operations = operations
        self.hidden = hidden
        self.toolset = toolset
        self.meta_names = meta_names  # the dynamic toolset's search/describe/call, or the code toolset's tools
        self.search_index: SearchIndex | None = None  # the dynamic toolset's, built on the first search
        self.observer = observer or Observer()
        self.readiness: list[ReadinessCheck] = []
        self.team: Team | None = None  # set when serving a team over HTTP: store, audit, per-caller tools

    async def listed_tools(self) -> list[MCPTool]:
        """Every registered tool except those that need a scope the token does not hold, or the caller may not see."""
        caller = current()
        return [
            tool
            for tool in await super().list_tools()
            if tool.name not in self.hidden
            and (caller is None or tool.name not in self.operations or caller.allows(self.operations[tool.name]))
        ]

    async def list_tools(self) -> list[MCPTool]:
        """The served tools, or only the three meta-tools in the dynamic and code toolsets."""
        listed = await self.listed_tools()
        if self.toolset in (DYNAMIC, CODE):
            return [tool for tool in listed if tool.name in self.meta_names]
        return listed
