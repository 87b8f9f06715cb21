"""Clashing tool names settled: every operation gets a distinct name, each renaming reported as a decision.

The names themselves (the convention, the path's words, the length cap) are ``generator.model.naming``'s; this
module only decides between candidates when two operations would share one.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import cached_property

from generator.model.acts import FAMILY_OF, HTTP_WORDS
from generator.model.naming import (
    MAX_TOOL_NAME,
    TOOL_NAME,
    VERSION_SEGMENT,
    NameRequest,
    cap,
    ends_with_parameter,
    head_of,
    path_segments,
    raw_tool_name,
    resource_words,
    snake,
    tool_name,
    vendor_slug,
    verb_for,
)


def settle_tool_names(requests: list[NameRequest]) -> tuple[dict[str, str], list[str]]:
    """Unique names for every request, and one line per decision taken to get there.

    Each clash is settled by the first of these that makes the clashing names distinct: the last two, three or
    four literal path segments as the resource (``…/Calls/{c}/Mappings/{Sid}`` → ``calls_mapping``), every
    literal segment (``/agents/{id}/mcp-servers`` → ``agents_mcp_servers``), the same words left uninflected
    or with the version segments, where only that tells them apart (``download_files``, ``/v3/schedules`` →
    ``v3_schedule``), the words of the operation's own path where its act renamed it (``POST
    /project/{id}/delete``), the words no other member shares, the operationId's words, each method's own verb
    (``replace_a`` for a PUT beside a PATCH), every word of the path with its parameters' names; only then a short
    stable hash of the operation's key.
    Explicit names from the config are never changed.
    """
    raw = {r.key: raw_tool_name(r) for r in requests}
    names = {r.key: cap(raw[r.key], r.key, head_of(r)) for r in requests}
    decisions = [
        f"{r.key}: name {raw[r.key]!r} is longer than {MAX_TOOL_NAME}; shortened to {names[r.key]!r}"
        for r in requests
        if len(raw[r.key]) > MAX_TOOL_NAME
    ]
    groups: dict[str, list[NameRequest]] = {}
    for request in requests:
        groups.setdefault(names[request.key], []).append(request)
    taken = Counter(names.values())
    for name, group in sorted(groups.items()):
        if len(group) > 1:
            decisions += _settle_clash(name, group, names, taken)
    for request in requests:
        if not TOOL_NAME.match(names[request.key]):
            decisions.append(f"{request.key}: name {names[request.key]!r} is not valid")
    return names, decisions


def _settle_clash(name: str, group: list[NameRequest], names: dict[str, str], taken: Counter[str]) -> list[str]:
    """Rename the members of one clashing group in ``names``, each by the first attempt that makes it distinct.

    A member keeps the first candidate that no other member still clashing shares and no other operation holds,
    one that fits in 64 characters uncut before any that must be cut; the rest go on to the next attempt (one pair
    that only the version tells apart does not put the version in every name of the group). ``taken`` counts the
    holders of each name, so a candidate is checked against every other operation's name in constant time: with
    thousands of clashes (Microsoft Graph has 22,000 operations) a scan of all names per clash was most of a run.
    """
    taken[name] -= len(group)
    chosen = {r.key: name for r in group if r.name}  # explicit names from the config are never changed
    taken[name] += len(chosen)
    left = [r for r in group if not r.name]
    for attempt, whole in [(a, True) for a in ATTEMPTS[:-1]] + [(a, False) for a in ATTEMPTS]:  # uncut names first
        if len(left) == 1 and not taken[name]:  # the others moved away: the last one keeps the name
            chosen[left.pop().key] = name
            taken[name] += 1
        clash = Clash(tuple(left))
        raw = {r.key: (attempt(r, clash), head_of(r)) for r in left}
        spare = clash.common if left and not whole else set()  # words all members have tell none apart: go first
        candidates = {
            k: cap(v, k, head, spare) if v and not (whole and len(v) > MAX_TOOL_NAME) else None
            for k, (v, head) in raw.items()
        }
        counts = Counter(candidates.values())
        for request in list(left):
            new = candidates[request.key]
            if new and (attempt is _hashed or (counts[new] == 1 and not taken[new])):
                chosen[request.key] = new
                taken[new] += 1
                left.remove(request)
    decisions = []
    for request in group:
        new = chosen[request.key]
        if new != name:
            names[request.key] = new
            decisions.append(f"{request.key}: name {name!r} is shared by {len(group)} operations; renamed {new!r}")
    return decisions


@dataclass(frozen=True)
class Clash:
    """The members of a group still clashing, and what attempts compare among them (each found once)."""

    members: tuple[NameRequest, ...]

    @cached_property
    def longer(self) -> Counter[str]:
        """How many members have each set of every literal word (``_longer``)."""
        return Counter(_longer(r, self) for r in self.members)

    @cached_property
    def common(self) -> set[str]:
        """The literal words every member's path has."""
        return set.intersection(*(set(_literal_words(r.path).split("_")) for r in self.members))


METHOD_VERBS = {"PUT": "replace_a", "PATCH": "update_a", "POST": "create_a"}

# Each attempt names one member of a clashing group from its own words, seeing the members still clashing
# (itself included), before the length cap; None: no candidate of that kind.
Attempt = Callable[[NameRequest, Clash], str | None]


def _trailing(count: int) -> Attempt:
    def attempt(request: NameRequest, others: Clash) -> str:
        return raw_tool_name(request, limit=-count)

    return attempt


def _longer(request: NameRequest, others: Clash) -> str:
    return raw_tool_name(request, limit=0)


def _distinct(request: NameRequest, others: Clash) -> str | None:
    """The literal words no other member shares, then the resource (``/orgs/{org}/…/properties/repo`` →
    ``orgs_properties_repo``): what tells them apart when every word together is too long for a name."""
    own = [w for w in _literal_words(request.path).split("_") if w not in others.common]
    resource = resource_words(request.path, request.method == "GET" and not ends_with_parameter(request.path))
    return _spelled(request, "_".join([*own, *resource]), request.path) if own else None


def _alike(request: NameRequest, others: Clash) -> bool:
    """Whether another member has every literal word this one has (an inflection or a version tells them apart)."""
    return others.longer[_longer(request, others)] > 1


def _versioned(request: NameRequest, others: Clash) -> str | None:
    """Every literal segment with the version ones, for members that only the version tells apart."""
    return raw_tool_name(request, limit=0, versions=True) if _alike(request, others) else None


def _spelled(request: NameRequest, words: str, path: str | None = None) -> str:
    """``{verb}_{vendor}_{words}`` and ``_by_id`` where the path ends at an item: ``words`` as given, uninflected."""
    verb = request.verb or verb_for(request.method, request.path)
    by_id = "_by_id" if path is not None and ends_with_parameter(path) else ""
    return f"{verb}_{vendor_slug(request.vendor)}_{words}{by_id}"


def _literal_words(path: str) -> str:
    return "_".join(snake(text) for text, is_param in path_segments(path) if not is_param)


def _uninflected(request: NameRequest, others: Clash) -> str | None:
    """Every literal word as written, for members that only an inflection tells apart (``download_files``)."""
    return _spelled(request, _literal_words(request.path), request.path) if _alike(request, others) else None


def _own_path(request: NameRequest, others: Clash) -> str | None:
    """Every literal word of the operation's own path, where its act renamed it (``POST /project/{id}/delete``)."""
    return _spelled(request, _literal_words(request.own_path), request.path) if request.own_path else None


def _identified(request: NameRequest, others: Clash) -> str | None:
    """The operationId's words (``partialUpdateProjectRole``), when two operations differ by nothing else."""
    if " " in request.key:  # no operationId: the key is ``METHOD /path``
        return None
    words = [w for w in snake(request.key).split("_") if not VERSION_SEGMENT.match(w)]  # ``Harvest_Order_v3``
    while words[1:] and words[0] in HTTP_WORDS:  # AWS's ``GET_CreateVpc``: the method is no word of its own
        words = words[1:]
    return _spelled(request, "_".join(words)) if words else None


def _by_method(limit: int) -> Attempt:
    """What only the method tells apart (``PUT`` and ``PATCH /bin/{id}``, neither with an operationId; AWS's calls sent
    by GET and by POST), with ``limit`` trailing path words (``0``: every literal word, where paths differ too). A
    write takes its method's own verb where it has one (a PUT replaces the whole, a PATCH updates, a POST creates);
    a write sent by GET, or a read sent by another method than GET, says how it is sent
    (``get_single_…_download_via_post`` beside the GET's ``get_single_…_download``)."""

    def attempt(request: NameRequest, others: Clash) -> str | None:
        if len({r.method.upper() for r in others.members}) < 2:
            return None
        method = request.method.upper()
        verb = request.verb or verb_for(request.method, request.path)
        if FAMILY_OF.get(verb.rsplit("_", 1)[0]) == "read":  # list_all, get_single, query_all, describe_all
            return None if method == "GET" else f"{raw_tool_name(request, limit)}_via_{method.lower()}"
        if method in METHOD_VERBS and verb in METHOD_VERBS.values():
            return raw_tool_name(replace(request, verb=METHOD_VERBS[method]), limit)
        return f"{raw_tool_name(request, limit)}_via_get" if method == "GET" else None

    return attempt


def _with_parameters(request: NameRequest, others: Clash) -> str | None:
    """Every word of the path, its inner parameters' names too, where only a parameter tells them apart
    (``PUT /orders/deliverystate/driverlocation`` and ``PUT /orders/{orderId}/deliverystate/driverlocation``)."""
    segments = path_segments(request.path)
    inner = segments[:-1] if ends_with_parameter(request.path) else segments
    if not any(is_param for _, is_param in inner):
        return None
    return _spelled(request, "_".join(w for w in (snake(text) for text, _ in inner) if w), request.path)


def _hashed(request: NameRequest, others: Clash) -> str:
    digest = hashlib.sha256(request.key.encode("utf-8")).hexdigest()[:6]
    return cap(f"{tool_name(request)[: MAX_TOOL_NAME - 7]}_{digest}", request.key)


ATTEMPTS: tuple[Attempt, ...] = (
    _trailing(2), _trailing(3), _trailing(4), _longer, _uninflected, _versioned, _own_path, _distinct, _identified,
    _by_method(2), _by_method(0), _with_parameters, _hashed,
)  # fmt: skip
