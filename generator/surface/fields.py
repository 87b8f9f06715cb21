"""How the fields of one tool changed: arguments an agent sends, response fields it reads.

An agent *sends* arguments and *reads* response fields, so the rules flip: a new required argument breaks
its calls, a removed response field breaks what it reads, a narrower enum breaks one side and not the other.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Change:
    """One difference in the tool surface."""

    tool: str
    kind: str
    detail: str
    breaking: bool


@dataclass(frozen=True)
class Role:
    """Whose fields these are: an agent *sends* arguments and *reads* response fields, so the rules flip."""

    label: str
    kind: str
    is_input: bool


ARGUMENT = Role("argument", "argument", True)
RESPONSE = Role("response field", "response", False)


def field_changes(name: str, old: dict[str, Any], new: dict[str, Any], role: Role = ARGUMENT) -> list[Change]:
    """Fields added, removed, made required or optional, retyped, re-enumerated or re-limited."""
    changes = []
    added = [p for p in sorted(set(new) - set(old)) if _parent(p) not in new or _parent(p) in old]
    removed = [p for p in sorted(set(old) - set(new)) if _parent(p) not in old or _parent(p) in new]
    for path in added:
        parent = _parent(path)
        required = role.is_input and bool(new[path].get("required")) and (not parent or parent in old)
        label = ("required " if required else "optional ") if role.is_input else ""
        detail = f"{label}{role.label} {path!r} added ({_type(new[path])})"
        changes.append(Change(name, f"{role.kind}_added", detail, required))
    for path in removed:
        changes.append(Change(name, f"{role.kind}_removed", f"{role.label} {path!r} removed", True))
    for path in sorted(set(old) & set(new)):
        changes += field_change(name, path, old[path], new[path], role)
    return changes


def field_change(name: str, path: str, old: dict[str, Any], new: dict[str, Any], role: Role) -> list[Change]:
    """How one argument or response field changed."""
    changes, what = [], f"{role.label} {path!r}"
    if old.get("required") != new.get("required"):
        made = "required" if new.get("required") else "optional"
        breaking = made == "required" if role.is_input else made == "optional"
        detail = (
            f"{what} made {made}"
            if role.is_input
            else f"{what} {'always' if new.get('required') else 'not always'} present"
        )
        changes.append(Change(name, f"{role.kind}_{made}", detail, breaking))
    if _type(old) != _type(new):
        safe = _widens(old, new) if role.is_input else _widens(new, old)
        detail = f"{what} type {_type(old)} → {_type(new)}" + (" (compatible)" if safe else "")
        changes.append(Change(name, "type_changed", detail, not safe))
    changes += enum_changes(name, what, old.get("enum"), new.get("enum"), role)
    for key in sorted(set(old.get("constraints") or {}) | set(new.get("constraints") or {})):
        before, after = (old.get("constraints") or {}).get(key), (new.get("constraints") or {}).get(key)
        if before != after:
            detail = f"{what} {key} {_shown(before)} → {_shown(after)}"
            changes.append(Change(name, "constraint_changed", detail, role.is_input and _tighter(key, before, after)))
    if old.get("additional_properties") != new.get("additional_properties"):
        allowed = bool(new.get("additional_properties"))
        detail = f"{what} {'now allows' if allowed else 'no longer allows'} extra fields"
        changes.append(Change(name, "extra_fields_changed", detail, role.is_input and not allowed))
    return changes


def enum_changes(name: str, what: str, old: list[str] | None, new: list[str] | None, role: Role) -> list[Change]:
    """Values an argument no longer accepts break calls; new values an agent may read are only noted."""
    if old == new:
        return []
    if old is None or new is None:
        detail = f"{what} {'now limited to' if new else 'no longer limited to'} {new or old}"
        return [Change(name, "enum_changed", detail, role.is_input and new is not None)]
    changes = []
    gone, extra = sorted(set(old) - set(new)), sorted(set(new) - set(old))
    if gone:
        changes.append(Change(name, "enum_narrowed", f"{what} values {gone} removed", role.is_input))
    if extra:
        changes.append(Change(name, "enum_widened", f"{what} values {extra} added", False))
    return changes


def _tighter(key: str, before: Any, after: Any) -> bool:
    if after is None or key == "default":
        return False
    numbers = isinstance(before, int | float) and isinstance(after, int | float)
    if key.startswith(("min", "exclusiveMin")) and numbers:
        return bool(after > before)
    if key.startswith(("max", "exclusiveMax")) and numbers:
        return bool(after < before)
    return key != "uniqueItems" or bool(after)


def _shown(value: Any) -> str:
    return "unset" if value is None else json.dumps(value, ensure_ascii=False)


def _parent(path: str) -> str:
    """``filter.userIds[]`` → ``filter.userIds``; ``filter.fromDate`` → ``filter``; top level → ``""``."""
    if path.endswith("[]"):
        return path[:-2]
    return path.rsplit(".", 1)[0] if "." in path else ""


def _type(facts: dict[str, Any]) -> str:
    kind = str(facts.get("type", "any"))
    return f"{kind}({facts['format']})" if facts.get("format") else kind


def _widens(old: dict[str, Any], new: dict[str, Any]) -> bool:
    """Whether every value the old type accepted is still accepted (``string`` → ``string|null``, → ``any``)."""
    if new.get("type") == "any" and not new.get("format"):
        return True
    if old.get("format") != new.get("format") and new.get("format"):
        return False
    before, after = _kinds(old), _kinds(new)
    if "integer" in before and "number" in after:
        before = (before - {"integer"}) | {"number"}
    return before <= after


def _kinds(facts: dict[str, Any]) -> set[str]:
    """The JSON types a field takes: ``anyOf(object|string)`` and ``string|null`` are unions of their members."""
    return set(re.findall(r"[a-z]+", str(facts.get("type")))) - {"anyOf", "oneOf"}
