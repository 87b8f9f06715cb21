"""Per-operation overrides: the vendor config's entry for an operation, and the spec's own ``x-mcp`` extension.

Precedence everywhere in the model: the vendor config, then ``x-mcp``, then a heuristic.
"""

from __future__ import annotations

from typing import Any

from generator.model.config import OperationOverride, VendorConfig


def override_for(config: VendorConfig, operation: dict[str, Any], method: str, path: str) -> OperationOverride:
    """The config entry for an operation, by operationId or by ``METHOD /path``."""
    for key in (str(operation.get("operationId") or ""), f"{method} {path}"):
        if key in config.operations:
            return config.operations[key]
    return OperationOverride()


def x_mcp(operation: dict[str, Any]) -> dict[str, Any]:
    """The operation's ``x-mcp`` extension, or an empty one."""
    extension = operation.get("x-mcp")
    return extension if isinstance(extension, dict) else {}
