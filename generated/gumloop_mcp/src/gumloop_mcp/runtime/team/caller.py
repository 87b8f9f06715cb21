"""Who is calling: decided per HTTP request by the access layer, and read once at the top of each MCP request
(the tool list, a tool call), which then passes it on as a value.

``CALLER`` is the runtime's one ContextVar: the MCP SDK hands a request's handlers no value of ours, so the
access layer's decision crosses the SDK this way, and nothing below ``serve`` reads it.
"""

from __future__ import annotations

from collections.abc import Mapping
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..visibility import Sight

if TYPE_CHECKING:  # a type only: the store and its driver load when a store is opened
    from .connections import Connection


@dataclass(frozen=True)
class Caller:
    """A connection, an OAuth subject with its token's scopes, or the holder of the server token."""

    who: str
    connection: Connection | None = None
    scopes: frozenset[str] | None = None  # an OAuth token's scopes; None: not an OAuth caller
    account: str | None = None  # the vendor account its calls use (None: the connection's, else the server's)
    granted: frozenset[str] | None = None  # the account's granted vendor scopes (None: not told, every tool)
    granted_by: tuple[tuple[str, frozenset[str]], ...] = ()  # a suite connection's: each vendor account's grants
    claims: Mapping[str, Any] | None = field(default=None, compare=False, repr=False)  # an OAuth token's, verified

    def sight(self, server: Sight) -> Sight:
        """What this caller sees of a server that shows ``server``: narrowed by its connection's filters, its
        token's scopes and the scopes its vendor account was granted."""
        filters = self.connection.filters if self.connection is not None else None
        return server.narrowed(filters, token=self.scopes, granted=self.granted, granted_by=self.granted_by)

    @property
    def account_name(self) -> str | None:
        """The account its calls use: its own, else its connection's (a single-vendor package's)."""
        return self.account_of("")

    def account_of(self, vendor: str) -> str | None:
        """The account its calls of ``vendor``'s tools use ("": a single-vendor package's one): its own, else the
        one its connection binds for that vendor."""
        return self.account or (self.connection.bound(vendor) if self.connection is not None else None)

    @property
    def filtered(self) -> bool:
        """Whether the tool list depends on who asks (so it must be cached privately)."""
        narrowed = self.connection is not None and self.connection.filters.narrows
        granted = self.granted is not None or bool(self.granted_by)
        return self.scopes is not None or granted or narrowed


CALLER: ContextVar[Caller | None] = ContextVar("mcpgen_caller", default=None)


def current() -> Caller | None:
    """The caller of the request being served (None: stdio, or a server without team access)."""
    return CALLER.get()
