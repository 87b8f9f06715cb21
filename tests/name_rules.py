"""A served spec's tool names and hints checked against the words of the operations they were made from.

``breaches(spec, tools)`` lists, as ``METHOD /path: rule``, each rule a tool breaks (issue 32 #4, #13):

- a name holds no file suffix of its path (``Messages.json`` → ``json``) that its path or operationId does not also
  say as a word (``/swagger.json`` and ``/swagger.yaml`` are ``getJsonDefinition`` and ``getYamlDefinition``);
- a name holds no version segment (``v2``, ``3``, ``2010-04-01``) unless another operation's path is the same
  without it (only the version tells them apart), or a literal segment that is no version says it as a word
  (``/v2/registry/{name}/repositoriesV2``: ``repositories_v2`` is the segment's);
- a GET of one item (the last segment, suffix dropped, a parameter) is ``get_single_…``;
- a short stable hash ends a name only when no literal word of its path (versions included) tells it from another
  operation of the same method, or when the name was cut to 64 characters and even the first and last words of its
  last literal segment leave no room for a verb and a vendor (``ROOM``): whole words go before a hash does;
- a plural is no participle: a list of ``/worklog/deleted`` is not ``…_deleteds``;
- an argument named for a comparison (``DateSent<``) says which in its name (``DateSent_before``), not as ``_``;
- an operation whose operationId, summary, description's first sentence or path's last word says redact,
  terminate, revoke, cancel or purge is destructive.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

from tests.request_rules import Spec

SUFFIX = re.compile(r"\.(json|xml|csv|txt|html|yaml|yml|pdf|png|jpg|zip|rss|atom|js)$", re.IGNORECASE)  # a file's
VERSION = re.compile(r"^v\d+(\.\d+)*$|^\d+(\.\d+)*$|^\d{4}-\d{2}-\d{2}$", re.IGNORECASE)
HASH = re.compile(r"_[0-9a-f]{6}$")
CUT = 62  # a name cut to 64 characters ends in a hash, a trailing ``_`` of the cut part dropped
ROOM = 33  # of 64 characters, what two words may take beside a verb, a vendor and ``_by_id``
DESTROYING = frozenset({"redact", "terminate", "revoke", "cancel", "purge"})
LOCATIONS = frozenset({"path", "query", "header", "cookie", "body"})
_WORDS = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+")
_VERSIONED = re.compile(r"[vV]\d+(?![a-z])|[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+")  # ``repositoriesV2``: v2 a word


@dataclass(frozen=True)
class Named:
    """One served tool: its name, operation, hints and arguments (``(arg, wire)`` pairs)."""

    name: str
    method: str
    path: str
    destructive: bool
    args: tuple[tuple[str, str], ...]


def words(text: str) -> list[str]:
    """``DateSent`` / ``user-teams`` / ``v2`` → lower-case words."""
    return [w.lower() for w in _WORDS.findall(text)]


def _segments(path: str) -> list[str]:
    return [p for p in path.split("#", 1)[0].split("?", 1)[0].split("/") if p]


def _literal_words(path: str, versions: bool) -> tuple[str, ...]:
    found: list[str] = []
    for part in _segments(path):
        bare = SUFFIX.sub("", part)
        if not bare.startswith("{") and (versions or not VERSION.match(bare)):
            found += words(bare)
    return tuple(found)


def breaches(spec: Spec, tools: list[Named]) -> list[str]:
    """Every rule of the module's list that ``tools`` break, as ``METHOD /path: rule``."""
    unversioned = Counter((t.method, _unversioned(t.path)) for t in tools)
    own = Counter((t.method, _literal_words(t.path, versions=True)) for t in tools)
    found = []
    for tool in tools:
        rules = [
            *_suffix(spec, tool),
            *_version(tool, unversioned),
            *_single(tool),
            *_hash(tool, own),
            *_participle(tool),
            *_compared(tool),
            *_destroys(spec, tool),
        ]
        found += [f"{tool.method} {tool.path}: {tool.name}: {rule}" for rule in rules]
    return found


def _suffix(spec: Spec, tool: Named) -> list[str]:
    found = spec.operation(tool.method, tool.path)
    identified = words(str(found.op.get("operationId") or "")) if found else []  # ``getJsonDefinition`` says it
    said = {*_literal_words(tool.path, versions=True), *identified}
    suffixes = {m.group(1).lower() for p in _segments(tool.path) if (m := SUFFIX.search(p))}
    held = {w.removesuffix("s") for w in tool.name.split("_")}
    return [f"name holds the file suffix {s!r}" for s in sorted(suffixes - said) if s in held]


def _unversioned(path: str) -> str:
    return "/".join(s for s in (SUFFIX.sub("", p) for p in _segments(path)) if not VERSION.match(s))


def _version(tool: Named, unversioned: Counter[tuple[str, str]]) -> list[str]:
    if unversioned[(tool.method, _unversioned(tool.path))] > 1:
        return []  # only the version tells it from another operation
    bare = [SUFFIX.sub("", p) for p in _segments(tool.path)]
    versions = [p for p in bare if VERSION.match(p)]
    said = {w.lower() for p in bare if not VERSION.match(p) and not p.startswith("{") for w in _VERSIONED.findall(p)}
    spelled = [re.sub(r"\W", "_", v.lower()) for v in versions]
    return [f"name holds the version segment {v!r}" for v in spelled if f"_{v}_" in f"_{tool.name}_" and v not in said]


def _single(tool: Named) -> list[str]:
    segments = _segments(tool.path)
    last = SUFFIX.sub("", segments[-1]) if segments else ""
    if tool.method == "GET" and last.startswith("{") and last.endswith("}") and not tool.name.startswith("get_single_"):
        return ["a GET of one item is not named get_single_…"]
    return []


def _hash(tool: Named, own: Counter[tuple[str, tuple[str, ...]]]) -> list[str]:
    if not HASH.search(tool.name):
        return []
    literals = [SUFFIX.sub("", p) for p in _segments(tool.path) if not p.startswith("{")]
    last = words(literals[-1]) if literals else []
    if len(tool.name) >= CUT and (not last or len(last[0]) + len(last[-1]) + 1 > ROOM):
        return []  # cut, and no two words of its own fit
    if own[(tool.method, _literal_words(tool.path, versions=True))] > 1:
        return []  # no word of its path tells it apart
    return ["name ends in a hash although its path's own words tell it apart"]


def _participle(tool: Named) -> list[str]:
    literals = [w for p in _segments(tool.path) if not p.startswith("{") for w in words(SUFFIX.sub("", p))]
    said = {f"{w}s" for w in literals if len(w) >= 6 and w.endswith("ed") and not w.endswith("eed")}
    held = said & set(tool.name.split("_"))
    return [f"name makes a plural of {sorted(held)[0][:-1]!r}"] if held else []


def _compared(tool: Named) -> list[str]:
    """``DateSent_`` or ``DateSent__query`` for ``DateSent<``: no word beyond the wire name's and its location."""
    return [
        f"argument {arg!r} (sent as {wire!r}) does not say which comparison"
        for arg, wire in tool.args
        if wire.rstrip("<>=!") != wire and wire.strip("<>=!") and not set(words(arg)) - set(words(wire)) - LOCATIONS
    ]


def _destroys(spec: Spec, tool: Named) -> list[str]:
    found = spec.operation(tool.method, tool.path)
    op: dict[str, Any] = found.op if found else {}
    text = re.sub(r"<[^>]*>", " ", str(op.get("summary") or op.get("description") or ""))  # AWS writes HTML
    first = re.split(r"\.\s", text.strip(), maxsplit=1)[0]
    literals = [p for p in _segments(tool.path) if not p.startswith("{")]
    said = words(str(op.get("operationId") or "")) + words(first) + words(literals[-1] if literals else "")[-1:]
    hit = sorted(DESTROYING & {*said, *(w[:-1] for w in said if w.endswith("s"))})  # "Revokes a token"
    if hit and tool.method not in ("GET", "HEAD", "OPTIONS") and not tool.destructive:
        return [f"its words say {hit[0]!r} but it is not destructive"]
    return []
