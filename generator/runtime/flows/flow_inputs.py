"""Per-flow inputs: before a run starts, check its inputs against the ones the flow declares.

The declared inputs come from the schema tool (e.g. ``GET /get_inputs?saved_item_id=``) and are cached
per flow for ``<PREFIX>_INPUTS_TTL`` seconds. A run with a missing or unknown input, or a value that is not text
for an input declared ``string``, is refused before any start request is sent, with the names that are missing,
unknown, of the wrong type and accepted.
"""

from __future__ import annotations

import json
import time
from typing import Any

from mcp.types import CallToolResult

from ..contract import FlowInputs, Operation
from ..shaping import results
from ..shaping.pages import dig
from .callables import Call

TEXT = "string"  # the declared type whose values must be text


class InputsCache:
    """Each flow's declared inputs (name → declared type, "" when not listed), kept for ``ttl`` seconds (one per
    server)."""

    def __init__(self, ttl: float) -> None:
        self.ttl = ttl
        self._kept: dict[Any, tuple[float, dict[str, str]]] = {}

    def get(self, key: Any) -> dict[str, str] | None:
        """The inputs kept under ``key``, if they have not expired."""
        kept = self._kept.get(key)
        return kept[1] if kept is not None and kept[0] > time.monotonic() else None

    def put(self, key: Any, inputs: dict[str, str]) -> None:
        """Keep ``inputs`` for ``ttl`` seconds."""
        self._kept[key] = (time.monotonic() + self.ttl, inputs)


async def check(
    call: Call, schema_op: Operation | None, spec: FlowInputs, args: dict[str, Any], cache: InputsCache
) -> CallToolResult | None:
    """None when the inputs match the flow's; otherwise a tool error that names what to change."""
    flow = args.get(spec.key)
    values = args.get(spec.values_arg) or {}
    if not flow or not isinstance(values, dict):
        return None  # the request builder reports these
    declared = await _declared(call, schema_op, spec, args, cache)
    if isinstance(declared, CallToolResult):
        return declared
    missing = [name for name in declared if name not in values]
    unknown = sorted(name for name in values if name not in declared)
    mistyped = [name for name, kind in declared.items() if kind == TEXT and _not_text(values.get(name))]
    if not missing and not unknown and not mistyped:
        return None
    said = [f"missing inputs: {', '.join(missing)}"] if missing else []
    said += [f"unknown inputs: {', '.join(unknown)}"] if unknown else []
    said += [f"input {name} takes text (data type {TEXT}), not {json.dumps(values[name])[:60]}" for name in mistyped]
    return results.error(
        f"flow {flow} was not started; {'; '.join(said)}",
        hint=f"give exactly the flow's inputs in {spec.values_arg} (names are case-sensitive, {TEXT} inputs as "
        "text), then call again",
        details={
            "missing": missing,
            "unknown": unknown,
            "mistyped": mistyped,
            "accepted": list(declared),
            "types": {name: kind for name, kind in declared.items() if kind},
            "listed_by": spec.schema_tool,
        },
    )


def _not_text(value: Any) -> bool:
    return value is not None and not isinstance(value, str)


async def _declared(
    call: Call, op: Operation | None, spec: FlowInputs, args: dict[str, Any], cache: InputsCache
) -> dict[str, str] | CallToolResult:
    """The flow's inputs (name → declared type), from the cache or the schema tool."""
    if op is None:
        return results.error(f"cannot check the flow's inputs: {spec.schema_tool} is not known to this server")
    query = {p.arg: args[p.arg] for p in op.params if args.get(p.arg) is not None}
    key = (spec.schema_tool, tuple(sorted((k, str(v)) for k, v in query.items())))
    cached = cache.get(key)
    if cached is not None:
        return cached
    answer = await call(op, query)
    if answer.is_error:
        said = answer.structured_content or {}
        return results.error(
            f"the flow was not started: its inputs could not be read with {spec.schema_tool}: {said.get('error', '')}",
            hint=str(said.get("hint") or "check the flow's id and try again"),
            details={k: v for k, v in said.items() if k not in ("error", "hint")},
        )
    listed = dig(answer.structured_content or {}, spec.list_field)
    inputs = {
        str(dig(item, spec.name_field)): str(dig(item, spec.type_field) or "") if spec.type_field else ""
        for item in listed or []
        if dig(item, spec.name_field) is not None
    }
    cache.put(key, inputs)
    return inputs
