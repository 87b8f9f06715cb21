"""Per-flow inputs: before a run starts, check its inputs against the ones the flow declares.

The declared inputs come from the schema tool (e.g. ``GET /get_inputs?saved_item_id=``) and are cached
per flow for ``<PREFIX>_INPUTS_TTL`` seconds. A run with a missing or unknown input is refused before any
start request is sent, with the names that are missing, unknown and accepted.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from mcp.types import CallToolResult

from . import results
from .contract import FlowInputs
from .jobs import dig

if TYPE_CHECKING:
    from .gateway import Gateway


async def check(gateway: Gateway, spec: FlowInputs, args: dict[str, Any]) -> CallToolResult | None:
    """None when the inputs match the flow's; otherwise a tool error that names what to change."""
    flow = args.get(spec.key)
    values = args.get(spec.values_arg) or {}
    if not flow or not isinstance(values, dict):
        return None  # the request builder reports these
    declared = await _declared(gateway, spec, args)
    if isinstance(declared, CallToolResult):
        return declared
    missing = [name for name in declared if name not in values]
    unknown = sorted(name for name in values if name not in declared)
    if not missing and not unknown:
        return None
    said = [f"missing inputs: {', '.join(missing)}"] if missing else []
    said += [f"unknown inputs: {', '.join(unknown)}"] if unknown else []
    return results.error(
        f"flow {flow} was not started; {'; '.join(said)}",
        hint=f"give exactly the flow's inputs in {spec.values_arg} (names are case-sensitive), then call again",
        details={"missing": missing, "unknown": unknown, "accepted": declared, "listed_by": spec.schema_tool},
    )


async def _declared(gateway: Gateway, spec: FlowInputs, args: dict[str, Any]) -> list[str] | CallToolResult:
    """The flow's input names, from the cache or the schema tool."""
    op = gateway.operations.get(spec.schema_tool)
    if op is None:
        return results.error(f"cannot check the flow's inputs: {spec.schema_tool} is not known to this server")
    query = {p.arg: args[p.arg] for p in op.params if args.get(p.arg) is not None}
    key = (spec.schema_tool, tuple(sorted((k, str(v)) for k, v in query.items())))
    cached = gateway.memo.get(key)
    if cached is not None and cached[0] > time.monotonic():
        return cached[1]
    answer = await gateway.call(op, query)
    if answer.is_error:
        said = answer.structured_content or {}
        return results.error(
            f"the flow was not started: its inputs could not be read with {spec.schema_tool}: {said.get('error', '')}",
            hint=str(said.get("hint") or "check the flow's id and try again"),
            details={k: v for k, v in said.items() if k not in ("error", "hint")},
        )
    listed = dig(answer.structured_content or {}, spec.list_field)
    names = [str(dig(item, spec.name_field)) for item in listed or [] if dig(item, spec.name_field) is not None]
    gateway.memo[key] = (time.monotonic() + gateway.settings.inputs_ttl, names)
    return names
