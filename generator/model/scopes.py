"""OAuth scopes: which an operation needs (config, ``x-mcp``, ``security``, then the vendor's prose patterns)."""

from __future__ import annotations

import re
from typing import Any

from generator.model.config import OperationOverride, VendorConfig
from generator.model.overrides import x_mcp

SENTENCE = re.compile(r"(?<=[.!?])\s+")
Scopes = tuple[tuple[str, ...], tuple[str, ...]]  # required, conditional


def scopes(
    config: VendorConfig, operation: dict[str, Any], override: OperationOverride, default_security: Any = None
) -> Scopes:
    """Required and conditional OAuth scopes: config, then ``security``, then the prose patterns."""
    if override.scopes is not None:
        return tuple(override.scopes), ()
    declared = x_mcp(operation).get("scopes")
    if isinstance(declared, list):
        return tuple(str(s) for s in declared), ()
    found = _security_scopes(operation["security"] if "security" in operation else default_security)
    text = str(operation.get("description") or "")
    found.extend(m for pattern in config.scopes.patterns for m in re.findall(pattern, text))
    conditional = [m for pattern in config.scopes.conditional_patterns for m in re.findall(pattern, text)]
    required = tuple(dict.fromkeys(found))
    return required, tuple(s for s in dict.fromkeys(conditional) if s not in required)


def _security_scopes(security: Any) -> list[str]:
    found: list[str] = []
    # Requirement objects are alternatives; the first is the one the tool documents and is gated on.
    for requirement in security[:1] if isinstance(security, list) else []:
        if isinstance(requirement, dict):
            found.extend(str(s) for values in requirement.values() if isinstance(values, list) for s in values)
    return found


def scope_prose(config: VendorConfig) -> tuple[str, ...]:
    """The patterns that mark a sentence as one that only states scopes."""
    return (*config.scopes.patterns, *config.scopes.conditional_patterns)


def strip_scope_prose(text: str, patterns: tuple[str, ...]) -> str:
    """Drop sentences that only state scopes (they are listed separately)."""
    if not patterns:
        return text
    kept = [s for s in SENTENCE.split(text) if not any(re.search(p, s) for p in patterns)]
    return " ".join(kept).strip()
