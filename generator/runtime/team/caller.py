"""Who is calling: set per HTTP request by the access layer, read by the tool list, the calls and the audit; and
whether a call comes from code in ``run_code`` (``VIA``), which the audit records."""

from __future__ import annotations

from collections.abc import Mapping
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..contract import Operation

if TYPE_CHECKING:  # a type only: the store and its driver load when a store is opened
    from .connections import Connection


@dataclass(frozen=True)
class Caller:
    """A connection, an OAuth subject with its token's scopes, or the holder of the server token."""

    who: str
    connection: Connection | None = None
    scopes: frozenset[str] | None = None  # an OAuth token's scopes; None: not an OAuth caller
    vendor: str = ""  # the vendor's name, for per-kind scopes such as ``gong:read``
    account: str | None = None  # the vendor account its calls use (None: the connection's, else the server's)
    granted: frozenset[str] | None = None  # the account's granted vendor scopes (None: not told, every tool)
    claims: Mapping[str, Any] | None = field(default=None, compare=False, repr=False)  # an OAuth token's, verified

    def allows(self, op: Operation) -> bool:
        """Whether this caller may see and call ``op``: its connection's filters, its token's scopes, and the
        scopes its vendor account was granted."""
        if self.connection is not None and not self.connection.allows(op):
            return False
        if self.granted is not None and not set(op.scopes) <= self.granted:
            return False
        return self.scopes is None or not needed_scopes(op, self.vendor, self.scopes)

    @property
    def account_name(self) -> str | None:
        """The account its calls use: its own, else its connection's."""
        return self.account or (self.connection.account if self.connection is not None else None)

    @property
    def filtered(self) -> bool:
        """Whether the tool list depends on who asks (so it must be cached privately)."""
        narrowed = self.connection is not None and self.connection.filtered
        return self.scopes is not None or self.granted is not None or narrowed


def kind_scope(op: Operation, vendor: str) -> str:
    """The per-kind scope that grants ``op``: ``<vendor>:read`` for reads, ``<vendor>:write`` otherwise."""
    return f"{vendor}:{'read' if op.read_only else 'write'}"


def needed_scopes(op: Operation, vendor: str, held: frozenset[str]) -> list[str]:
    """Scopes the token lacks for ``op`` (empty: allowed); the per-kind scope or all of the vendor's own."""
    if kind_scope(op, vendor) in held or f"{vendor}:write" in held:
        return []
    if op.scopes and set(op.scopes) <= held:
        return []
    return [kind_scope(op, vendor)]


CALLER: ContextVar[Caller | None] = ContextVar("mcpgen_caller", default=None)


def current() -> Caller | None:
    """The caller of the request being served (None: stdio, or a server without team access)."""
    return CALLER.get()


DIRECT, FROM_CODE = "direct", "code"
VIA: ContextVar[str] = ContextVar("mcpgen_via", default=DIRECT)  # set to FROM_CODE while run_code's code calls


def via() -> str:
    """How the call being made came: ``direct`` from the client, or ``code`` from code in ``run_code``."""
    return VIA.get()
