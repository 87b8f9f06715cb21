"""The MCP server object of a generated package: an ``MCPServer`` that knows its operations and dispatcher."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping
from typing import TYPE_CHECKING, Any

from mcp.server.mcpserver import Context, MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from mcp.types import CallToolResult, InputRequiredResult
from mcp.types import Tool as MCPTool

from ..contract import CODE, DYNAMIC, FULL, Operation
from ..dispatch.dispatcher import Dispatcher
from ..dispatch.tool_call import ToolCall
from ..flows.progress import Progress
from ..team.caller import Caller, current
from ..visibility import Sight
from .cutoff import Cutoff
from .lazy_tool import Origin
from .recorder import Recorder
from .search import SearchIndex

if TYPE_CHECKING:  # types only: the store and its driver load when a store is opened
    from ..team.account_access import AccountCredentials
    from ..team.accounts import Members
    from ..team.service import Team
    from ..team.store import Store

# A readiness check: None when ready, else the reason (``/readyz`` answers 503 with it); a store adds its own.
ReadinessCheck = Callable[[], Awaitable[str | None]]


class GeneratedServer(MCPServer):
    """Serves the tools its settings let anyone see; shows each caller only what its ``Sight`` allows; in the
    dynamic and code toolsets lists only the meta-tools."""

    def __init__(
        self,
        *,
        dispatcher: Dispatcher,
        operations: Mapping[str, Operation],
        sight: Sight,
        toolset: str = FULL,
        meta_names: frozenset[str] = frozenset(),
        recorder: Recorder | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.dispatcher = dispatcher
        self.operations = operations
        self.sight = sight  # what the server's own settings let anyone see
        self.toolset = toolset
        self.meta_names = meta_names  # the dynamic toolset's search/describe/call, or the code toolset's tools
        self.search_index: SearchIndex | None = None  # the dynamic toolset's, built on the first search
        self.sandbox_slots: asyncio.Semaphore | None = None  # CODE_WORKERS sandbox processes, made on the first run
        self.recorder = recorder or Recorder()
        self.readiness: list[ReadinessCheck] = []
        self.team: Team | None = None  # set when serving a team over HTTP: store, audit, per-caller tools
        self.accounts: AccountCredentials | None = None  # set when vendor accounts are served
        self.cutoff = Cutoff()  # the calls in flight, which the end of a drain cuts

    def join(self, team: Team) -> None:
        """Serve ``team``: its store must be up for calls, and every call gets an audit row."""
        self.team = team
        self.recorder.team = team

    def account_members(self) -> Members:
        """A suite's vendors, each one's facts and operations, for its accounts; none here (one vendor)."""
        return {}

    def serve_accounts(self, store: Store) -> dict[str, AccountCredentials]:
        """Serve vendor accounts from ``store``: each call looks up its caller's (``StoreKeyError``: no usable key);
        the lookups by the vendor a connection binds (here one, "")."""
        from ..team.account_access import AccountCredentials

        settings = self.dispatcher.settings
        self.accounts = AccountCredentials(store, self.dispatcher.vendor, settings.env, settings.public_url)
        return {"": self.accounts}

    def dispatcher_for(self, op: Operation) -> Dispatcher:
        """The dispatcher that runs ``op`` (a suite has one per vendor)."""
        return self.dispatcher

    def code_object(self, name: str) -> str:
        """The object ``run_code`` calls tool ``name`` on: the vendor's name (a suite: the tool's vendor)."""
        return self.name

    def labels(self, name: str) -> dict[str, str]:
        """What a search result adds about tool ``name`` (a suite: its vendor); nothing here."""
        return {}

    def sight_of(self, caller: Caller | None) -> Sight:
        """What ``caller`` sees (None: stdio, or a server without team access: the server's own sight)."""
        return self.sight if caller is None else caller.sight(self.sight)

    def visible(self, name: str, sight: Sight) -> bool:
        """Whether a registered tool ``name`` is listed and callable for a caller who sees ``sight``."""
        op = self.operations.get(name)
        return op is None or sight.allows(op)

    def tool_call(self, op: Operation, caller: Caller | None, origin: Origin, progress: Progress | None) -> ToolCall:
        """One call of ``op`` by ``caller``, come as ``origin`` says, as the value it travels down as."""
        answer = origin.answer or self.dispatcher_for(op).limits
        if caller is None:
            return ToolCall.of(op, answer, via=origin.via, progress=progress)
        account = self.accounts.for_caller(caller) if self.accounts is not None else None
        return ToolCall.of(op, answer, caller.who, origin.via, caller.account_name, account, progress)

    async def listed_tools(self) -> list[MCPTool]:
        """Every registered tool the current caller may see."""
        sight = self.sight_of(current())
        return [tool for tool in await super().list_tools() if self.visible(tool.name, sight)]

    async def call_tool(
        self, name: str, arguments: dict[str, Any], context: Context[Any, Any] | None = None
    ) -> CallToolResult | InputRequiredResult:
        """A hidden tool is an unknown tool: the same answer, given before any argument is validated."""
        if not self.visible(name, self.sight_of(current())):
            raise ToolError(f"Unknown tool: {name}")
        return await super().call_tool(name, arguments, context)

    async def list_tools(self) -> list[MCPTool]:
        """The served tools, or only the three meta-tools in the dynamic and code toolsets."""
        listed = await self.listed_tools()
        if self.toolset in (DYNAMIC, CODE):
            return [tool for tool in listed if tool.name in self.meta_names]
        return listed
