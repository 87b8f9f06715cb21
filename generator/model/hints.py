"""Read/write hints: the HTTP method's default, corrected by the operation's verb, ``x-mcp`` and the config."""

from __future__ import annotations

import re
from typing import Any

from generator.model.config import OperationOverride
from generator.model.ir import Hints
from generator.model.naming import snake
from generator.model.overrides import x_mcp
from generator.model.prose import brief

READ_VERB = re.compile(r"^(list|get|search|find|query|fetch|retrieve|read|describe|lookup|download|count|check)", re.I)
DESTRUCTIVE_WORDS = frozenset(
    {"purge", "erase", "delete", "remove", "unassign", "kill", "cancel", "detach", "revoke", "destroy", "wipe"}
)
READ_METHODS = ("GET", "HEAD", "OPTIONS")


def hints(method: str, path: str, operation: dict[str, Any], override: OperationOverride, name: str) -> Hints:
    """The four hints and a title; each hint is the config's, else ``x-mcp``'s, else the heuristic's."""
    op_id = str(operation.get("operationId") or "")
    words = set(snake(f"{op_id} {path}").split("_"))
    read_only = method in READ_METHODS or (method == "POST" and bool(READ_VERB.match(op_id)))
    destructive = not read_only and (method in ("DELETE", "PUT", "PATCH") or bool(words & DESTRUCTIVE_WORDS))
    idempotent = read_only or method in ("PUT", "DELETE")
    extension = x_mcp(operation)
    read_only = _pick(override.read_only, extension.get("readOnly"), read_only)
    return Hints(
        title=override.title or brief(operation.get("summary"), 80) or name.replace("_", " ").capitalize(),
        read_only=read_only,
        destructive=_pick(override.destructive, extension.get("destructive"), destructive and not read_only),
        idempotent=_pick(override.idempotent, extension.get("idempotent"), idempotent),
        open_world=_pick(override.open_world, extension.get("openWorld"), True),
    )


def _pick(configured: bool | None, extension: Any, heuristic: bool) -> bool:
    if configured is not None:
        return configured
    if isinstance(extension, bool):
        return extension
    return heuristic
