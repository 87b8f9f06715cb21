"""A suite: one server for several vendors' tools, each call made through its own vendor's dispatcher.

A suite package holds one runtime and, under each vendor's name, that vendor's tools, operations and models, as its
own package has them. Each vendor keeps its settings (``GONG_*``, ``GUMLOOP_*``: base URL, credentials, limits,
quota, retries) in a ``Dispatcher`` of its own; the suite's settings (``TEAM_*``: toolset, store, public URL, tokens,
answer and code limits) are those of the suite's own ``Dispatcher``, which never calls anything. Tool names carry
their vendor, so they never collide; a search result and ``run_code`` name each tool's vendor.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from mcp.server.mcpserver.tools import Tool

from ..contract import CODE, Operation, Vendor
from ..dispatch.dispatcher import Dispatcher
from ..dispatch.tool_call import ToolCall
from ..failures import SettingError
from ..flows.progress import Progress
from ..settings import Settings, unknown_filter
from ..team.caller import Caller
from ..visibility import Sight
from .app import GeneratedServer
from .cli import EXIT_USAGE, parse_args, run
from .lazy_tool import LazyTool, Origin
from .recorder import Recorder
from .server import LIST_CACHE, instructions, meta_tools, sight_of

if TYPE_CHECKING:  # types only: the store and the sealer load when accounts are served
    from ..team.account_access import AccountCredentials
    from ..team.accounts import Members
    from ..team.store import Store


@dataclass(frozen=True)
class Member:
    """One vendor of a suite: its facts, its operations and its tool functions, as its sub-package defines them."""

    vendor: Vendor
    operations: Mapping[str, Operation]
    functions: Sequence[Callable[..., Any]]


class SuiteServer(GeneratedServer):
    """A ``GeneratedServer`` whose tools belong to several vendors: each call goes through its vendor's dispatcher,
    with that vendor's answer limits, credentials, rate limits, quota and retries."""

    def __init__(self, *, members: Mapping[str, Dispatcher], owners: Mapping[str, str], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.members = members  # vendor name → its dispatcher
        self.owners = owners  # tool name → its vendor's name
        self.vendor_accounts: dict[str, AccountCredentials] = {}  # vendor name → its account lookup (when served)

    def account_members(self) -> Members:
        """Each vendor's facts and operations: an account calls one of them (``accounts add --vendor``)."""
        return {name: (d.vendor, d.operations) for name, d in self.members.items()}

    def serve_accounts(self, store: Store) -> dict[str, AccountCredentials]:
        """One account lookup per vendor on ``store``, each reading the account its caller's connection binds for
        that vendor, all under the suite's one ``<SUITE>_STORE_KEY``; the lookups by vendor."""
        from ..team.account_access import AccountCredentials

        settings, suite = self.dispatcher.settings, self.dispatcher.vendor
        self.vendor_accounts = {
            name: AccountCredentials(store, d.vendor, settings.env, settings.public_url, suite)
            for name, d in self.members.items()
        }
        return self.vendor_accounts

    def dispatcher_for(self, op: Operation) -> Dispatcher:
        """The dispatcher of the vendor ``op`` belongs to."""
        return self.members[self.owners[op.name]]

    def visible(self, name: str, sight: Sight) -> bool:
        """Whether a caller who sees ``sight`` sees tool ``name``, its vendor's account's grants applied."""
        return super().visible(name, sight.of_vendor(self.owners.get(name, "")))

    def code_object(self, name: str) -> str:
        """The object a tool is called on in ``run_code``: its vendor's name."""
        return self.owners.get(name, self.name)

    def labels(self, name: str) -> dict[str, str]:
        """What a search result adds about a tool: its vendor."""
        owner = self.owners.get(name)
        return {"vendor": owner} if owner else {}

    def tool_call(self, op: Operation, caller: Caller | None, origin: Origin, progress: Progress | None) -> ToolCall:
        """One call of ``op``, with its vendor's answer limits and, when accounts are served, the account its
        caller's connection binds for that vendor (none bound: the vendor's own credential, or what to do)."""
        answer = origin.answer or self.dispatcher_for(op).limits
        if caller is None:
            return ToolCall.of(op, answer, via=origin.via, progress=progress)
        owner = self.owners[op.name]
        source = self.vendor_accounts.get(owner)
        account = source.for_caller(caller) if source is not None else None
        return ToolCall.of(op, answer, caller.who, origin.via, caller.account_of(owner), account, progress)

    def missing(self) -> list[str]:
        """One line per vendor whose credential is not set: what to set; its tools answer with the same."""
        lines = []
        for name, dispatcher in self.members.items():
            why = dispatcher.missing_credentials()
            if why is not None:
                lines.append(f"{name}: {why}; its tools answer with what to set, the other vendors' tools work")
        return lines


def build_suite(
    suite: Vendor,
    members: Sequence[Member],
    catalog: dict[str, Any],
    settings: Settings,
    args: argparse.Namespace | None = None,
) -> SuiteServer:
    """Register every member's tools that both its own settings and the suite's let anyone see.

    ``settings`` are the suite's own (``TEAM_*``, flags over them); each member's are read from the same
    environment under its own prefix, with the command line's flags over them when ``args`` is given.
    """
    dispatchers: dict[str, Dispatcher] = {}
    owners: dict[str, str] = {}
    tools: list[Tool] = []
    every: dict[str, Operation] = {}
    sight = sight_of(suite, settings)
    for member in members:
        own = replace(Settings.from_env(member.vendor, settings.env), store=settings.store)  # one store for all
        own = own.with_args(args) if args is not None else own
        dispatchers[member.vendor.name] = Dispatcher(member.vendor, own, operations=member.operations)
        seen = sight_of(member.vendor, own)
        every |= member.operations
        for fn in member.functions:
            op = member.operations[fn.__name__]
            if seen.allows(op) and sight.allows(op):
                tools.append(LazyTool.from_catalog(fn, op, catalog[op.name]))
                owners[op.name] = member.vendor.name
    meta, meta_names = meta_tools(suite, settings.toolset)
    if settings.toolset == CODE:
        _describe_run_code(meta, suite, [m.vendor for m in members])
    titles = " and ".join(m.vendor.title for m in members)
    return SuiteServer(
        members=dispatchers,
        owners=owners,
        name=suite.name,
        title=f"{suite.title} MCP server",
        version=suite.version,
        instructions=instructions(f"the {titles} APIs (each tool's name says its vendor)", settings.toolset),
        tools=[*tools, *meta],
        dispatcher=Dispatcher(suite, settings, operations=every),
        operations={name: every[name] for name in owners},
        sight=sight,
        toolset=settings.toolset,
        meta_names=meta_names,
        recorder=Recorder(json_log=settings.log_format == "json"),
        cache_hints={"tools/list": LIST_CACHE},
    )


def _describe_run_code(meta: list[Tool], suite: Vendor, vendors: list[Vendor]) -> None:
    """``run_code``'s description (``code.run_code_description``), naming each vendor's object instead of one."""
    one = f"`await {suite.name}.<tool_name>(**arguments)`"
    objects = ", ".join(f"`await {v.name}.<tool_name>(**arguments)` for {v.title}" for v in vendors)
    for tool in meta:
        if tool.name == "run_code":
            tool.description = tool.description.replace(one, objects)


def run_suite(
    prog: str,
    argv: list[str] | None,
    suite: Vendor,
    members: Sequence[Member],
    create: Callable[[Settings, argparse.Namespace], SuiteServer],
) -> int:
    """The suite's command: its flags and ``<SUITE>_*`` variables, then each vendor's variables (a bad one: one
    line naming it, exit 2); a vendor without credentials is named on stderr and the server starts anyway."""
    args = parse_args(prog, argv, suite)
    for member in members:
        try:
            own = Settings.from_env(member.vendor)
        except SettingError as exc:
            print(f"{prog}: error: {exc} (see {prog} --help)", file=sys.stderr)
            return EXIT_USAGE
        unknown = unknown_filter(own, member.operations, None, member.vendor.env_prefix)
        if unknown:
            print(f"{prog}: error: {unknown}", file=sys.stderr)
            return EXIT_USAGE
    server = create(Settings.from_env(suite).with_args(args), args)
    folders = (d.uploads.problem() for d in server.members.values())  # each vendor's upload folder, as cli.refusal
    problem = next((found for found in folders if found), None)
    if problem:
        print(f"{prog}: error: {problem}", file=sys.stderr)
        return EXIT_USAGE
    for line in server.missing() if not args.command else ():  # a command calls no vendor: nothing to say
        print(f"{prog}: {line}", file=sys.stderr)
    return run(server, args)
