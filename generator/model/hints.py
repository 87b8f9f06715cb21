"""Read/write hints: the HTTP method's default, corrected by the operation's own words, ``x-mcp`` and the config.

The method sets the default; the operation's own words can overrule it (``GET /auth.revoke`` is not read-only, a
POST that lists is, voiding an invoice "cannot be undone"). Each such decision is returned for the summary, with
the config key that overrides it; a hint the config or ``x-mcp`` sets is theirs, and no decision is reported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from generator.model.acts import Act, act_of, identifier_write
from generator.model.config import OperationOverride
from generator.model.ir import Hints
from generator.model.naming import snake
from generator.model.overrides import x_mcp
from generator.model.prose import brief, plain

READ_VERB = re.compile(r"^(list|get|search|find|query|fetch|retrieve|read|describe|lookup|download|count|check)", re.I)
DESTRUCTIVE_WORDS = frozenset(
    {"purge", "erase", "delete", "remove", "unassign", "kill", "cancel", "detach", "revoke", "destroy", "wipe", "void",
     "uninstall", "redact", "terminate"}
)  # fmt: skip
IRREVERSIBLE = re.compile(r"can ?not be undone|can't be undone|irreversibl|permanently (delet|remov|eras)", re.I)
READ_METHODS = ("GET", "HEAD", "OPTIONS", "QUERY")
TITLE_LIMIT = 80


@dataclass(frozen=True)
class Judged:
    """The hints, and one line per hint the operation's words decided against its method."""

    hints: Hints
    decisions: tuple[str, ...]


def hints(method: str, path: str, operation: dict[str, Any], override: OperationOverride, name: str) -> Judged:
    """The four hints and a title; each hint is the config's, else ``x-mcp``'s, else the heuristic's."""
    act, extension = act_of(path, operation), x_mcp(operation)
    read_only, why_read = _read_only(method, path, operation, act)
    read_only = _pick(override.read_only, extension.get("readOnly"), read_only)
    destructive, why_destructive = _destructive(method, path, operation, act)
    destructive = _pick(override.destructive, extension.get("destructive"), destructive and not read_only)
    asked = (
        (why_read, "read_only", override.read_only, "readOnly"),
        (why_destructive if destructive else None, "destructive", override.destructive, "destructive"),
    )
    decided = tuple(
        f"{why} (override: {field} in [operations.{_key(method, path, operation)}])"
        for why, field, configured, key in asked
        if why and configured is None and not isinstance(extension.get(key), bool)
    )
    idempotent = _pick(override.idempotent, extension.get("idempotent"), read_only or method in ("PUT", "DELETE"))
    title = override.title or _title(operation, name)
    open_world = _pick(override.open_world, extension.get("openWorld"), True)
    return Judged(Hints(title, read_only, destructive, idempotent, open_world), decided)


def _read_only(method: str, path: str, operation: dict[str, Any], act: Act | None) -> tuple[bool, str | None]:
    """Whether the operation only reads, and why when its words overrule its method."""
    op_id = str(operation.get("operationId") or "")
    if method in READ_METHODS:
        if act is not None and act.writes:
            return False, f"not read-only although {method}: its {act.source} says {act.verb!r}"
        return True, None
    if method == "POST" and READ_VERB.match(op_id) and identifier_write(op_id) is None and not _undoes(path, operation):
        return True, f"read-only although POST: its operationId {op_id!r} says it reads"
    if method == "POST" and act is not None and act.source == "path" and act.family == "read":
        return True, f"read-only although POST: its path says {act.verb!r}"
    return False, None


def _undoes(path: str, operation: dict[str, Any]) -> bool:
    """Whether the path's last word or the summary's first says a destructive act: ``POST /oauth2/1/revoke``,
    "Revoke Token.", whose operationId ``get token revocation id`` reads as a read."""
    literal = [p for p in path.split("#", 1)[0].split("/") if p and not p.startswith("{")]
    last = snake(literal[-1]).split("_")[-1] if literal else ""
    first = snake(brief(operation.get("summary"), TITLE_LIMIT)).split("_")[0]
    return bool(({last} | _said(first)) & DESTRUCTIVE_WORDS)


def _said(text: str) -> set[str]:
    """The words of ``text``, each also without a third person's ``s`` (``Revokes`` says ``revoke``)."""
    words = snake(text).split("_")
    return {*words, *(word.removesuffix("s") for word in words)}


def _destructive(method: str, path: str, operation: dict[str, Any], act: Act | None) -> tuple[bool, str | None]:
    """Whether the operation may destroy what it touches, and why when its words (not its method) say so."""
    if method in ("DELETE", "PUT", "PATCH"):
        return True, None
    words = set(snake(f"{operation.get('operationId') or ''} {path}").split("_")) & DESTRUCTIVE_WORDS
    if words:
        return True, f"destructive: its operationId or path says {sorted(words)[0]!r}"
    if act is not None and act.verb in DESTRUCTIVE_WORDS:
        return True, f"destructive: its {act.source} says {act.verb!r}"
    said = _said(_title(operation, "")) & DESTRUCTIVE_WORDS  # "… (used to redact Message text)", "Revokes …"
    if said:
        return True, f"destructive: its summary says {sorted(said)[0]!r}"
    if IRREVERSIBLE.search(plain(str(operation.get("description") or ""))):
        return True, "destructive: its description says it cannot be undone"
    return False, None


def _title(operation: dict[str, Any], name: str) -> str:
    """The summary; without one, the description's first sentence; without either, the name in words."""
    summary = brief(operation.get("summary"), TITLE_LIMIT)
    described = brief(operation.get("description"), TITLE_LIMIT)
    first = described.find(". ")
    return summary or (described[: first + 1] if first > 0 else described) or name.replace("_", " ").capitalize()


def _key(method: str, path: str, operation: dict[str, Any]) -> str:
    op_id = operation.get("operationId")
    return str(op_id) if isinstance(op_id, str) and op_id else f'"{method} {path}"'


def _pick(configured: bool | None, extension: Any, heuristic: bool) -> bool:
    if configured is not None:
        return configured
    if isinstance(extension, bool):
        return extension
    return heuristic
