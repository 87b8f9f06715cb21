"""Adapter over MCP SDK internals: a registered tool bound to its operation, whose argument model is built on its
first call, and the context it hands its function.

The SDK builds a pydantic argument model per tool at registration; a generated server has dozens of tools and
serves a precomputed schema, so it defers that work. Doing so leans on SDK internals that may change without
notice: ``Tool.model_construct`` with the SDK's own field names, ``find_context_parameter``, ``func_metadata`` and
its ``FuncMetadata.pre_parse_json`` (overridden: strings stay strings), and ``Context``'s private request state
(copied into a ``ToolContext``, with the names of the arguments the caller gave). They are used here and nowhere
else; ``tests/runtime/test_serve.py`` fails loudly when the SDK changes them.
"""

from __future__ import annotations

import importlib
import types
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any, Literal, Union, get_args, get_origin

from mcp.server.mcpserver import Context
from mcp.server.mcpserver.exceptions import ToolError
from mcp.server.mcpserver.tools import Tool
from mcp.server.mcpserver.utilities.context_injection import find_context_parameter
from mcp.server.mcpserver.utilities.func_metadata import FuncMetadata, func_metadata
from mcp.types import ToolAnnotations
from pydantic import BaseModel, PrivateAttr, ValidationError

from ..contract import DIRECT, FULL, Operation
from ..shaping.answer import AnswerLimits

if TYPE_CHECKING:  # the rules load with a tool's first call
    from .argument_rules import ArgumentRules

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
    _given: frozenset[str] | None = PrivateAttr(default=None)

    @classmethod
    def of(
        cls,
        context: Context[Any, Any],
        operation: Operation | None = None,
        origin: Origin | None = None,
        given: frozenset[str] | None = None,
    ) -> ToolContext:
        """``context`` with ``operation``, ``origin`` and the ``given`` argument names set (each kept from
        ``context`` when not given).

        Made on every call, so it is built without validation (``model_construct``, a third of the cost of
        ``__init__``) and its private state is one dict: the SDK's request state copied, then ours.
        """
        made = cls.model_construct()
        private = made.__pydantic_private__
        assert private is not None and context.__pydantic_private__ is not None  # a Context always has some
        private.update(context.__pydantic_private__)
        if operation is not None:
            private["_operation"] = operation
        if origin is not None:
            private["_origin"] = origin
        if given is not None:
            private["_given"] = given
        return made

    @property
    def operation(self) -> Operation | None:
        """The operation of the tool being called (None: not yet bound)."""
        found: Operation | None = private(self, "_operation")
        return found

    @property
    def origin(self) -> Origin:
        """How the call came."""
        origin: Origin = private(self, "_origin")
        return origin

    def supplied(self, args: dict[str, Any]) -> dict[str, Any]:
        """``args`` without the arguments the caller did not give: a function's ``None`` default is "not given",
        while a ``null`` the caller gave stays, to be sent where the spec allows it (``wire.request``)."""
        given: frozenset[str] | None = private(self, "_given")
        if given is None:
            return args
        return {k: v for k, v in args.items() if v is not None or k in given}


class LazyTool(Tool):
    """A registered tool bound to its operation, whose pydantic argument model is built on its first call instead
    of at start-up.

    The listing never needs that model (the precomputed schema from ``tools.json`` is served), and building one
    per tool is most of a server's start-up time above importing the SDK.
    """

    _operation: Operation | None = PrivateAttr(default=None)
    _rules: ArgumentRules | None = PrivateAttr(default=None)  # built on the first call (``argument_rules``)

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
        """Build the argument model and rules once; refuse arguments that break the rules (``argument_rules``),
        in one line; then run exactly as an eagerly built tool does."""
        rules = self._rules
        if self.fn_metadata is None or rules is None:
            import_models(self.fn)
            self.context_kwarg = find_context_parameter(self.fn)
            skip = [self.context_kwarg] if self.context_kwarg else []
            self.fn_metadata = StringsStay.of(func_metadata(self.fn, skip_names=skip, structured_output=False))
            from .argument_rules import ArgumentRules  # loads with the first call, never at start-up (5 ms)

            flows = self._operation.flow_inputs if self._operation else None
            described = getattr(context.mcp_server, "toolset", FULL) != FULL  # dynamic and code describe tools
            rules = ArgumentRules.of(self.name, self.parameters, flows.values_arg if flows else None, described)
            self._rules = rules
        refusal = rules.refusal(arguments, self.fn_metadata.pre_parse_json)
        if refusal is not None:
            return refusal
        made = ToolContext.of(context, self._operation, given=frozenset(arguments))
        try:
            return await super().run(arguments, made, convert_result)
        except ToolError as exc:
            if isinstance(exc.__cause__, ValidationError):
                return rules.refused(exc.__cause__)
            raise


class StringsStay(FuncMetadata):
    """The SDK's argument metadata, except that a string stays a string.

    The SDK parses any string argument as JSON before validating it unless its annotation is exactly ``str``, so
    ``text: str | None`` given ``"[1,2,3]"`` (or ``"null"``, ``"true"``) became a list (None, True) and was refused,
    or worse, changed. An argument whose only non-null type is a string (or a string enum) is never pre-parsed.
    """

    _texts: frozenset[str] = PrivateAttr(default=frozenset())

    @classmethod
    def of(cls, meta: FuncMetadata) -> StringsStay:
        """``meta`` with this class's pre-parsing; the string-only arguments' names are found once, here."""
        made = cls.model_validate(dict(meta))
        names: set[str] = set()
        for name, info in made.arg_model.model_fields.items():
            if _text_only(info.annotation):
                names |= {key for key in (name, info.alias, info.validation_alias) if isinstance(key, str)}
        private = made.__pydantic_private__
        assert private is not None  # the model declares private state (``_texts``)
        private["_texts"] = frozenset(names)
        return made

    def pre_parse_json(self, data: dict[str, Any]) -> dict[str, Any]:
        """The SDK's pre-parsing, with every string-only argument as the caller gave it."""
        parsed = super().pre_parse_json(data)
        texts: frozenset[str] = private(self, "_texts")
        return {key: data[key] if key in texts else value for key, value in parsed.items()}


def private(model: BaseModel, key: str) -> Any:
    """A private attribute of ``model``, read from pydantic's one dict of them: ``model.<key>`` goes through
    pydantic's ``__getattr__``, a cost on every call. Both models here declare theirs, so the dict is always set."""
    state = model.__pydantic_private__
    assert state is not None
    return state[key]


def _text_only(annotation: Any) -> bool:
    """Whether every non-null member of a type is a string (``str`` or a ``Literal`` of strings)."""
    members = get_args(annotation) if get_origin(annotation) in (Union, types.UnionType) else (annotation,)
    kinds = [get_args(m)[0] if get_origin(m) is Annotated else m for m in members if m is not type(None)]
    strings = [k is str or (get_origin(k) is Literal and all(isinstance(a, str) for a in get_args(k))) for k in kinds]
    return bool(kinds) and all(strings)


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
