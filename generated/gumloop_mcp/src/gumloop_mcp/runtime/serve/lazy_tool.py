"""Adapter over MCP SDK internals: a registered tool whose argument model is built on its first call.

The SDK builds a pydantic argument model per tool at registration; a generated server has dozens of tools and
serves a precomputed schema, so it defers that work. Doing so leans on SDK internals that may change without
notice: ``Tool.model_construct`` with the SDK's own field names, ``find_context_parameter`` and ``func_metadata``.
They are used here and nowhere else; ``tests/runtime/test_serve.py`` fails loudly when the SDK changes them.
"""

from __future__ import annotations

import importlib
from typing import Any

from mcp.server.mcpserver.tools import Tool
from mcp.server.mcpserver.utilities.context_injection import find_context_parameter
from mcp.server.mcpserver.utilities.func_metadata import func_metadata
from mcp.types import ToolAnnotations

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


class LazyTool(Tool):
    """A registered tool whose pydantic argument model is built on its first call instead of at start-up.

    The listing never needs that model (the precomputed schema from ``tools.json`` is served), and building one
    per tool is most of a server's start-up time above importing the SDK.
    """

    @classmethod
    def from_catalog(cls, fn: Any, name: str, entry: dict[str, Any]) -> LazyTool:
        """A tool from its function and its ``tools.json`` entry; nothing is validated or built yet."""
        return cls.model_construct(  # skips validation: the catalog was validated when generated
            fn=fn,
            name=name,
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
        return await super().run(arguments, context, convert_result)


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
