"""Generation-time filters: emit only some kinds, tags or tools, by the one rule a server applies
(``runtime.visibility.Filters``), so that ``--methods read`` means the same in both."""

from __future__ import annotations

from dataclasses import replace

from generator.errors import FatalError
from generator.model.ir import Server
from generator.runtime.contract import parse_list, unknown_names
from generator.runtime.visibility import Filters


def split(value: str | None) -> frozenset[str]:
    """A flag's comma list as a set, by the runtime's one parser: ``"Data Privacy, Calls"`` → two tags."""
    return frozenset(parse_list(value))


def unknown(server: Server, filters: Filters) -> str | None:
    """A tag or tool name in the filters that the server does not have, as one line listing the known ones."""
    tags = {tag for tool in server.tools for tag in tool.tags}
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
    tags = {tag for tool in tools for tag in tool.tags}
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
