"""May this caller see, and so call, this tool: the one rule, used by ``mcpgen generate``, the server, every way in
(connection URL, OAuth token, server token, stdio) and code mode alike.

A tool is listed and callable when every part of one ``Sight`` allows it, checked in this order:

- ``filters``: the generation's, the server's (``--methods``, ``--tags``, ``--include-tools``, ``--exclude-tools``)
  and a connection's, each a ``Filters``: a kind by what the tool's hints say (``read``: it only reads, whatever
  its method), a tag as written or as a parent of its tag (OpenAPI 3.2), a name;
- ``held``: the vendor scopes the server's own token holds (``<PREFIX>_SCOPES``; None: not told);
- ``token``: an OAuth access token's scopes, per kind (``gong:read``, ``gong:write``) or the vendor's own;
- ``granted``: the vendor scopes the caller's account was granted when it connected (a suite: the account of
  the tool's own vendor, ``of_vendor``).

Anything that is not allowed is neither listed nor callable, and calling it gets the answer an unknown tool gets.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Protocol

from .contract import Kind


class Seen(Protocol):
    """What the rule reads of a tool: the runtime's ``Operation`` and the generator's ``Tool`` both have it."""

    @property
    def name(self) -> str: ...

    @property
    def tags(self) -> tuple[str, ...]: ...

    @property
    def kind(self) -> Kind: ...

    @property
    def scopes(self) -> tuple[str, ...]: ...


@dataclass(frozen=True)
class Filters:
    """Which tools one party keeps; empty sets mean no restriction."""

    methods: frozenset[str] = frozenset()  # kinds: read, write, custom
    tags: frozenset[str] = frozenset()  # a tool's tag or one of its parents
    include: frozenset[str] = frozenset()
    exclude: frozenset[str] = frozenset()

    def reason(self, tool: Seen) -> str | None:
        """Why these filters leave ``tool`` out (``"kind 'write' not in --methods"``), or None to keep it."""
        if self.methods and tool.kind not in self.methods:
            return f"kind {tool.kind!r} not in --methods"
        if self.tags and not self.tags.intersection(tool.tags):
            return f"tag {(tool.tags or ('',))[0]!r} not in --tags"
        if self.include and tool.name not in self.include:
            return "not in --include"
        if tool.name in self.exclude:
            return "in --exclude"
        return None

    @property
    def narrows(self) -> bool:
        """Whether these filters leave anything out at all."""
        return bool(self.methods or self.tags or self.include or self.exclude)


@dataclass(frozen=True)
class Sight:
    """Everything that decides which tools one caller sees (see the module's docstring)."""

    filters: tuple[Filters, ...] = ()
    held: frozenset[str] | None = None  # the server token's vendor scopes
    token: frozenset[str] | None = None  # an OAuth token's scopes
    granted: frozenset[str] | None = None  # the caller's vendor account's granted scopes
    vendor: str = ""  # the vendor's name, for per-kind token scopes such as ``gong:read``
    granted_by: tuple[tuple[str, frozenset[str]], ...] = ()  # a suite's: each vendor's account's, for its tools

    def reason(self, tool: Seen) -> str | None:
        """Why ``tool`` is not listed nor callable for this caller, or None when it is."""
        for filters in self.filters:
            why = filters.reason(tool)
            if why is not None:
                return why
        if self.held is not None and not set(tool.scopes) <= self.held:
            return "needs a scope the server's token does not hold"
        if self.token is not None and token_lacks(tool, self.vendor, self.token):
            return f"the OAuth token holds neither {kind_scope(tool, self.vendor)} nor the tool's own scopes"
        if self.granted is not None and not set(tool.scopes) <= self.granted:
            return "needs a scope the vendor account was not granted"
        return None

    def allows(self, tool: Seen) -> bool:
        """Whether ``tool`` is listed and callable for this caller."""
        return self.reason(tool) is None

    def narrowed(
        self,
        filters: Filters | None = None,
        token: frozenset[str] | None = None,
        granted: frozenset[str] | None = None,
        granted_by: tuple[tuple[str, frozenset[str]], ...] = (),
    ) -> Sight:
        """This sight with one caller's own ``filters``, token scopes and account grants added (None: none)."""
        more = (filters,) if filters is not None and filters.narrows else ()
        return replace(self, filters=(*self.filters, *more), token=token, granted=granted, granted_by=granted_by)

    def of_vendor(self, vendor: str) -> Sight:
        """This sight for a tool of one of a suite's vendors: the grants of that vendor's account are ``granted``."""
        found = dict(self.granted_by).get(vendor)
        return self if found is None else replace(self, granted=found)


def kind_scope(tool: Seen, vendor: str) -> str:
    """The per-kind scope that grants ``tool``: ``<vendor>:read`` for reads, ``<vendor>:write`` otherwise."""
    return f"{vendor}:{'read' if tool.kind == 'read' else 'write'}"


def token_lacks(tool: Seen, vendor: str, held: frozenset[str]) -> bool:
    """Whether an OAuth token holding ``held`` lacks ``tool``: neither its per-kind scope (or ``<vendor>:write``,
    which covers reads too) nor every one of the vendor scopes the tool needs."""
    if kind_scope(tool, vendor) in held or f"{vendor}:write" in held:
        return False
    return not (tool.scopes and set(tool.scopes) <= held)
