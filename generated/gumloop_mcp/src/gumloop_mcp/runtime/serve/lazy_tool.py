"""Adapter over MCP SDK internals: a registered tool bound to its operation, whose argument model is built on its
first call, and the context it hands its function.

The SDK builds a pydantic argument model per tool at registration; a generated server has dozens of tools and
serves a precomputed schema, so it defers that work. Doing so leans on SDK internals that may change without
notice: ``Tool.model_construct`` with the SDK's own field names, ``find_context_parameter``, ``func_metadata`` and
``Context``'s private request state (copied into a ``ToolContext``). They are used here and nowhere else;
``tests/runtime/test_serve.py`` fails loudly when the SDK changes them.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any

from mcp.server.mcpserver import Context
from mcp.server.mcpserver.tools import Tool
from mcp.server.mcpserver.utilities.context_injection import find_context_parameter
from mcp.server.mcpserver.utilities.func_metadata import func_metadata
from mcp.types import ToolAnnotations
from pydantic import PrivateAttr

from ..contract import DIRECT, Operation
from ..shaping.answer import AnswerLimits

# Every field ``from_catalog`` sets: when the SDK adds, renames or drops one, the adapter's test says which.
FIELDS = frozenset(
    {
        "fn",
        "name",
        "title",
        "description",
        "parameters",
        "fn_metadata",
        "is_async",
        "context_kwarg",
        "resolved_params",
        "resolver_plans",
        "annotations",
        "icons",
        "meta",
    }
)


@dataclass(frozen=True)
class Origin:
    """How a tool call came: ``via`` the client (``DIRECT``) or code in ``run_code`` (``FROM_CODE``), and the answer
    limits it asks for instead of the server's (None: the server's; code's answers go to the code, not the context)."""

    via: str = DIRECT
    answer: AnswerLimits | None = None


class ToolContext(Context[Any, Any]):
    """The SDK's context of one tool call, holding what the call brings from the MCP layer: the operation its tool
    was bound to at registration, and how the call came."""

    _operation: Operation | None = PrivateAttr(default=None)
    _origin: Origin = PrivateAttr(default_factory=Origin)

    def __init__(self, **kwargs: Any) -> None:  # the SDK's own keywords; type checkers see only this model's fields
        super().__init__(**kwargs)

    @classmethod
    def of(
        cls, context: Context[Any, Any], operation: Operation | None = None, origin: Origin | None = None
    ) -> ToolContext:
        """``context`` with ``operation`` and ``origin`` set (each kept from ``context`` when not given)."""
        made = cls(
            request_context=context._request_context,
            mcp_server=context._mcp_server,
            input_params=context._input_params,
            subscriptions=context._subscriptions,
        )
        kept = context if isinstance(context, ToolContext) else None
        made._operation = operation or (kept.operation if kept else None)
        made._origin = origin or (kept.origin if kept else Origin())
        return made

    @property
    def operation(self) -> Operation | None:
        """The operation of the tool being called (None: not yet bound)."""
        return self._operation

    @property
    def origin(self) -> Origin:
        """How the call came."""
        return self._origin


class LazyTool(Tool):
    """A registered tool bound to its operation, whose pydantic argument model is built on its first call instead
    of at start-up.

    The listing never needs that model (the precomputed schema from ``tools.json`` is served), and building one
    per tool is most of a server's start-up time above importing the SDK.
    """

    _operation: Operation | None = PrivateAttr(default=None)

    @classmethod
    def from_catalog(cls, fn: Any, op: Operation, entry: dict[str, Any]) -> LazyTool:
        """A tool from its function, its operation and its ``tools.json`` entry; nothing is validated or built yet."""
        tool = cls.model_construct(  # skips validation: the catalog was validated when generated
            fn=fn,
            name=op.name,
            title=entry.get("title"),
            description=entry["description"],
            parameters=entry["input_schema"],
            fn_metadata=None,
            is_async=True,
            context_kwarg=None,
            resolved_params={},
            resolver_plans={},
            annotations=ToolAnnotations(**entry["annotations"]),
            icons=None,
            meta=entry.get("meta"),  # none: the listing has no ``_meta``
        )
        tool._operation = op
        return tool

    @property
    def output_schema(self) -> dict[str, Any] | None:
        """Generated tools return ``CallToolResult`` themselves: no structured-output schema."""
        return None

    async def run(self, arguments: dict[str, Any], context: Any, convert_result: bool = False) -> Any:
        """Build the argument model once, then run exactly as an eagerly built tool does."""
        if self.fn_metadata is None:
            import_models(self.fn)
            self.context_kwarg = find_context_parameter(self.fn)
            skip = [self.context_kwarg] if self.context_kwarg else []
            self.fn_metadata = func_metadata(self.fn, skip_names=skip, structured_output=False)
        return await super().run(arguments, ToolContext.of(context, self._operation), convert_result)


def import_models(fn: Any) -> None:
    """Give a tool's module the package's ``models``, which it imports for type checkers only.

    Importing ``models.py`` (a pydantic class per request schema) at start-up would delay the first listing;
    only the argument model of a tool that names one of its classes needs it, so it is imported here, once.
    """
    namespace = fn.__globals__
    package = str(namespace.get("__package__") or "")
    names_models = any("models." in str(hint) for hint in fn.__annotations__.values())
    if names_models and "models" not in namespace and package.endswith(".tools"):
        namespace["models"] = importlib.import_module(f"{package.removesuffix('.tools')}.models")
