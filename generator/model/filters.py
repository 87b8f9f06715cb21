"""Generation-time filters: serve only some methods, tags or tools (the run-time ones live in the runtime)."""

from __future__ import annotations

from dataclasses import dataclass, replace

from generator.errors import FatalError
from generator.model.ir import Server, Tool
from generator.runtime.contract import kind_of, parse_list, unknown_names


def kind(tool: Tool) -> str:
    """The tool's kind, as the runtime's ``--methods`` filter sees it."""
    return kind_of(tool.method, tool.hints.read_only, tool.hints.destructive)


def split(value: str | None) -> frozenset[str]:
    """A flag's comma list as a set, by the runtime's one parser: ``"Data Privacy, Calls"`` → two tags."""
    return frozenset(parse_list(value))


@dataclass(frozen=True)
class Filters:
    """Which tools to emit; empty sets mean no restriction."""

    methods: frozenset[str] = frozenset()
    tags: frozenset[str] = frozenset()
    include: frozenset[str] = frozenset()
    exclude: frozenset[str] = frozenset()

    def reason(self, tool: Tool) -> str | None:
        """Why a tool is left out, or ``None`` to keep it."""
        if self.methods and kind(tool) not in self.methods:
            return f"kind {kind(tool)!r} not in --methods"
        if self.tags and not self.tags & {tool.tag, *tool.tag_parents}:
            return f"tag {tool.tag!r} not in --tags"
        if self.include and tool.name not in self.include:
            return "not in --include"
        if tool.name in self.exclude:
            return "in --exclude"
        return None


def unknown(server: Server, filters: Filters) -> str | None:
    """A tag or tool name in the filters that the server does not have, as one line listing the known ones."""
    tags = {tag for tool in server.tools for tag in (tool.tag, *tool.tag_parents) if tag}
    names = {tool.name for tool in server.tools}
    for label, noun, given, known in (
        ("--tags", "tag", filters.tags, tags), ("--include", "tool", filters.include, names),
        ("--exclude", "tool", filters.exclude, names),
    ):  # fmt: skip
        problem = unknown_names(label, noun, given, known)
        if problem:
            return problem
    return None


def nothing_left(server: Server, filters: Filters) -> tuple[str, str]:
    """``(where, why)`` for a run whose filters leave no tool of ``server``: the first filter that matches none."""
    tools = server.tools
    named = {tool.name for tool in tools}
    tags = {tag for tool in tools for tag in (tool.tag, *tool.tag_parents)}
    for flag, given, known in (("--include", filters.include, named), ("--tags", filters.tags, tags)):
        if given and not given & known:
            return flag, f"{', '.join(sorted(given))} matches none of the {len(tools)} tools of {server.vendor}"
    return "filters", f"--methods, --tags, --include and --exclude together leave none of {server.vendor}'s tools"


def apply(server: Server, filters: Filters) -> tuple[Server, list[str]]:
    """The server with only the tools the filters keep, and one line per tool left out.

    Raises:
        FatalError: a filter names a tag or tool the server does not have.
    """
    problem = unknown(server, filters)
    if problem:
        raise FatalError(server.vendor, problem)
    kept, dropped = [], []
    for tool in server.tools:
        why = filters.reason(tool)
        if why is None:
            kept.append(tool)
        else:
            dropped.append(f"{tool.method} {tool.path}: {tool.name} filtered out ({why})")
    return replace(server, tools=tuple(kept)), dropped
