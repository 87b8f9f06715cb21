"""Compare two tool surfaces (``generator.surface.lock``) and say what changed for an agent already using the server.

Tools are paired by ``METHOD /path`` first (so a new operationId is a rename of the same endpoint), then by
tool name. Every change is classified *breaking* when an agent's existing calls could now fail or do
something else: a tool or argument gone, a new requirement, a narrower type, a new scope, a tool that is
no longer read-only. Adding is never breaking.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from generator.surface.fields import RESPONSE, Change, field_changes

SAFETY = {  # annotation → the value that is safer for an agent; moving away from it is breaking
    "read_only": True,
    "destructive": False,
    "idempotent": True,
}


@dataclass
class SurfaceDiff:
    """Every change between two surfaces of one vendor, with where each side came from."""

    vendor: str
    old: dict[str, Any]
    new: dict[str, Any]
    changes: list[Change] = field(default_factory=list)
    tools_before: int = 0
    tools_after: int = 0
    notes: list[str] = field(default_factory=list)  # drift outside the surface (files on disk, the spec pin)

    @property
    def breaking(self) -> list[Change]:
        """The changes that can break an agent's existing calls."""
        return [c for c in self.changes if c.breaking]

    @property
    def changed(self) -> bool:
        """Whether anything at all differs (surface, spec hash or notes)."""
        return bool(self.changes or self.notes or self.old.get("sha256") != self.new.get("sha256"))

    def counts(self) -> dict[str, int]:
        """Numbers for the summary line."""
        kinds = [c.kind for c in self.changes]
        touched = {c.tool for c in self.changes if c.kind not in ("tool_added", "tool_removed")}
        return {
            "tools_before": self.tools_before,
            "tools_after": self.tools_after,
            "added": kinds.count("tool_added"),
            "removed": kinds.count("tool_removed"),
            "renamed": kinds.count("tool_renamed") + kinds.count("operation_renamed"),
            "changed": len(touched),
            "breaking": len(self.breaking),
        }

    def as_dict(self) -> dict[str, Any]:
        """The ``--json`` form."""
        return {
            "vendor": self.vendor,
            "old": self.old,
            "new": self.new,
            "summary": self.counts(),
            "changes": [asdict(c) for c in self.changes],
            "notes": self.notes,
        }


def compare(old: dict[str, Any], new: dict[str, Any]) -> SurfaceDiff:
    """The changes from lock/surface ``old`` to ``new``."""
    before, after = old["tools"], new["tools"]
    result = SurfaceDiff(
        vendor=str(new.get("vendor") or old.get("vendor") or ""),
        old=dict(old.get("spec") or {}),
        new=dict(new.get("spec") or {}),
        tools_before=len(before),
        tools_after=len(after),
    )
    pairs, added, removed = pair_tools(before, after)
    for name in added:
        result.changes.append(Change(name, "tool_added", f"tool added ({_endpoint(after[name])})", False))
    for name in removed:
        facts = before[name]
        result.changes.append(Change(name, "tool_removed", f"tool removed ({facts['method']} {facts['path']})", True))
    for old_name, new_name in pairs:
        result.changes.extend(tool_changes(old_name, before[old_name], new_name, after[new_name]))
    result.changes.sort(key=lambda c: (not c.breaking, c.tool, _ORDER.get(c.kind, 99), c.detail))
    return result


def _endpoint(facts: dict[str, Any]) -> str:
    """``POST /v2/flows/steps, getFlowSteps, read-only, scope 'api:flows:read'``: what a reviewer checks first."""
    parts = [f"{facts['method']} {facts['path']}", str(facts["operation_id"])]
    parts.append("read-only" if facts.get("annotations", {}).get("read_only") else "writes")
    if facts.get("annotations", {}).get("destructive"):
        parts.append("destructive")
    parts += [f"scope {scope!r}" for scope in facts.get("scopes", [])]
    if facts.get("credits"):
        parts.append("consumes paid credits")
    return ", ".join(parts)


def pair_tools(before: dict[str, Any], after: dict[str, Any]) -> tuple[list[tuple[str, str]], list[str], list[str]]:
    """``(pairs, added, removed)``: same endpoint first, then the same tool name with a moved endpoint."""
    old_by_endpoint = {(f["method"], f["path"]): name for name, f in before.items()}
    pairs, unpaired_new, paired_old = [], [], set()
    for name, facts in sorted(after.items()):
        match = old_by_endpoint.get((facts["method"], facts["path"]))
        if match is not None and match not in paired_old:
            pairs.append((match, name))
            paired_old.add(match)
        else:
            unpaired_new.append(name)
    added = []
    for name in unpaired_new:
        if name in before and name not in paired_old:
            pairs.append((name, name))
            paired_old.add(name)
        else:
            added.append(name)
    removed = sorted(set(before) - paired_old)
    return sorted(pairs), added, removed


def tool_changes(old_name: str, old: dict[str, Any], new_name: str, new: dict[str, Any]) -> list[Change]:
    """Everything that differs between two versions of one tool."""
    changes = identity_changes(old_name, old, new_name, new)
    changes += scope_changes(new_name, old, new)
    changes += annotation_changes(new_name, old, new)
    detailed = {"input_schema_sha256": field_changes(new_name, old.get("arguments", {}), new.get("arguments", {}))}
    if "response_fields" in old and "response_fields" in new:
        detailed["response_schema_sha256"] = field_changes(
            new_name, old["response_fields"], new["response_fields"], RESPONSE
        )
    for key in sorted({k for k in (*old, *new) if k.endswith("_schema_sha256")}):
        changes += detailed.get(key, [])
        if old.get(key) != new.get(key) and not detailed.get(key):
            note = _schema_note(key, old.get(key), new.get(key), compared=key in detailed)
            changes.append(Change(new_name, "schema_changed", note, False))
    return changes


def _schema_note(key: str, before: str | None, after: str | None, compared: bool) -> str:
    what = key.removesuffix("_sha256").replace("_", " ")
    if before is None or after is None:
        return f"{what} {'added' if after else 'removed'}"
    if compared:
        return f"{what} changed in descriptions or other details"
    return f"{what} changed; compare the specs with `mcpgen diff` to see the fields"


def identity_changes(old_name: str, old: dict[str, Any], new_name: str, new: dict[str, Any]) -> list[Change]:
    """Renames of the tool or of its operation, and a moved endpoint."""
    changes = []
    if old_name != new_name:
        changes.append(Change(new_name, "tool_renamed", f"tool renamed from {old_name!r} (same endpoint)", True))
    if old["operation_id"] != new["operation_id"]:
        kept = "tool name unchanged (derived from the path)" if old_name == new_name else "tool renamed too"
        detail = f"operationId renamed {old['operation_id']!r} → {new['operation_id']!r}; {kept}"
        changes.append(Change(new_name, "operation_renamed", detail, False))
    if (old["method"], old["path"]) != (new["method"], new["path"]):
        detail = f"endpoint moved {old['method']} {old['path']} → {new['method']} {new['path']} (same tool name)"
        changes.append(Change(new_name, "endpoint_changed", detail, False))
    return changes


def scope_changes(name: str, old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    """A new scope is breaking (tokens without it now fail); a dropped one is not."""
    changes = []
    for key, label in (("scopes", "scope"), ("conditional_scopes", "conditional scope")):
        before, after = set(old.get(key, [])), set(new.get(key, []))
        for scope in sorted(after - before):
            changes.append(Change(name, f"{key}_added".replace("scopes", "scope"), f"{label} {scope!r} added", True))
        for scope in sorted(before - after):
            changes.append(
                Change(name, f"{key}_removed".replace("scopes", "scope"), f"{label} {scope!r} removed", False)
            )
    return changes


def annotation_changes(name: str, old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    """Hint and flag changes; a tool that becomes less safe, deprecated-free or paid is breaking."""
    changes = []
    old_hints, new_hints = old.get("annotations", {}), new.get("annotations", {})
    for hint in sorted(set(old_hints) | set(new_hints)):
        if old_hints.get(hint) != new_hints.get(hint):
            safer = SAFETY.get(hint)
            breaking = safer is not None and old_hints.get(hint) == safer
            detail = f"annotation {hint}_hint {old_hints.get(hint)} → {new_hints.get(hint)}"
            changes.append(Change(name, "annotation_changed", detail, breaking))
    if old.get("deprecated") != new.get("deprecated"):
        detail = "now deprecated upstream" if new.get("deprecated") else "no longer deprecated"
        changes.append(Change(name, "deprecation_changed", detail, False))
    if old.get("credits") != new.get("credits"):
        detail = "now consumes paid credits per call" if new.get("credits") else "no longer consumes credits"
        changes.append(Change(name, "credits_changed", detail, bool(new.get("credits"))))
    return changes


_ORDER = {
    kind: i
    for i, kind in enumerate(
        (
            "tool_removed",
            "tool_renamed",
            "tool_added",
            "operation_renamed",
            "endpoint_changed",
            "scope_added",
            "scope_removed",
            "conditional_scope_added",
            "conditional_scope_removed",
            "annotation_changed",
            "credits_changed",
            "deprecation_changed",
            "argument_removed",
            "argument_added",
            "argument_required",
            "argument_optional",
            "response_removed",
            "response_added",
            "response_optional",
            "response_required",
            "type_changed",
            "enum_narrowed",
            "enum_changed",
            "enum_widened",
            "extra_fields_changed",
            "constraint_changed",
            "schema_changed",
        )
    )
}
