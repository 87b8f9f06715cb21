"""All naming in one place: tool names, Python identifiers, modules, classes, collisions, the length cap.

Tool names follow the convention the Truto platform uses: ``{verb}_{vendor}_{resource}[_by_id]``. Every
name matches ``^[a-z0-9_]{1,64}$``; a collision or a shortening is a decision returned to the caller to
report, never a silent suffix.
"""

from __future__ import annotations

import builtins
import hashlib
import keyword
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cached_property, lru_cache

from generator.model import inflection

MAX_TOOL_NAME = 64
TOOL_NAME = re.compile(r"^[a-z0-9_]{1,64}$")
# A segment that names the API's version, not a resource: ``v2``, ``3``, ``2010-04-01``, ``v1beta1``, ``1.0``.
VERSION_SEGMENT = re.compile(r"^v\d+(\.\d+)*([a-z]+\d*)?$|^\d+(\.\d+)*$|^\d{4}-\d{2}-\d{2}$", re.IGNORECASE)
# Segments that only say "this is the API" when they lead the path (``/rest/api/3/issue``, ``/api/v1/users``).
API_SEGMENTS = frozenset({"api", "rest", "apis"})
# A file suffix on a segment (``/Messages.json``, ``/{Sid}.xml``) names the format, never the resource.
FILE_SUFFIX = re.compile(r"\.(json|xml|csv|txt|html|yaml|yml|pdf|png|jpg|zip|rss|atom|js)$", re.IGNORECASE)
# Names ``models.py`` imports (typing, pydantic, enum, the root model): datamodel-code-generator renames a
# schema class that would shadow one, and its class would then not be found under the name we gave it.
MODELS_IMPORTS = frozenset(
    {
        "Annotated", "Any", "Dict", "List", "Literal", "Optional", "Union", "BaseModel", "ConfigDict", "Field",
        "RootModel", "AnyUrl", "AwareDatetime", "NaiveDatetime", "Enum", "IntEnum", "StrEnum", "Model", "UUID",
        "Decimal",
    }
)  # fmt: skip
BUILTINS = frozenset(dir(builtins))
UNCOUNTABLE = frozenset({"data", "media", "coaching", "status", "access", "info", "metadata", "feedback", "news"})
# Words that are no plural and no noun to count: pronouns (``/users/me``, ``/myself``) and ``self``.
PRONOUNS = frozenset({"me", "my", "myself", "self", "you", "yourself", "us", "we", "our", "mine", "current"})
# Endings of singular words that look plural (``alias``, ``bias``, ``canvas``, ``address``, ``status``, ``basis``).
SINGULAR_ENDINGS = ("ss", "us", "is", "ias", "vas", "xas")
VERBS = {
    "list": "list_all",
    "get": "get_single",
    "post": "create_a",
    "put": "update_a",
    "patch": "update_a",
    "delete": "delete_a",
}
QUERY_VERB = "query_all"
# Names a generated module defines or imports at top level; arguments must not shadow them.
RESERVED_ARGS = frozenset({"self", "cls", "models", "runtime", "invoke", "annotations", "field", "any", "literal"})
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_NON_WORD = re.compile(r"[^0-9a-zA-Z]+")
_UNDERSCORES = re.compile(r"_+")
_CACHED = 1 << 14  # distinct words remembered: a large spec names the same path segments hundreds of times


def ascii_fold(text: str) -> str:
    """Drop accents and any character that has no ASCII form."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


def snake(text: str) -> str:
    """``fromDateTime`` / ``bulk-assignments`` / ``Generic Property`` → ``from_date_time`` style."""
    return _snake(text if isinstance(text, str) else str(text))


@lru_cache(maxsize=_CACHED)
def _snake(text: str) -> str:
    words = _NON_WORD.sub(" ", _CAMEL.sub(" ", ascii_fold(text))).split()
    return "_".join(word.lower() for word in words)


def identifier(text: str, taken: Iterable[str] = ()) -> str:
    """A safe, unique Python identifier for a spec-given name (never a keyword, never a builtin clash)."""
    name = snake(text) or "value"
    if name[0].isdigit():
        name = f"n_{name}"
    if keyword.iskeyword(name) or keyword.issoftkeyword(name) or name in RESERVED_ARGS:
        name = f"{name}_"
    taken = set(taken)
    base, n = name, 2
    while name in taken:
        name, n = f"{base}_{n}", n + 1
    return name


def class_name(text: str) -> str:
    """``Generic Property`` → ``GenericProperty``: a PascalCase name for a schema component."""
    words = _NON_WORD.sub(" ", _CAMEL.sub(" ", ascii_fold(str(text)))).split()
    name = "".join(word[:1].upper() + word[1:] for word in words) or "Schema"
    if name in MODELS_IMPORTS or keyword.iskeyword(name):  # ``None``, ``True``, ``False``
        return f"{name}Schema"
    return f"S{name}" if name[0].isdigit() else name


def module_name(tag: str) -> str:
    """A tool module name from a tag (``Engagement (Legacy - See Digital Interactions)`` → snake), cut at a word."""
    name = snake(tag)
    if len(name) > 48:
        name = name[:48].rsplit("_", 1)[0]
    name = name.strip("_") or "default"
    # ``tools/__init__.py`` imports every module by name: a module called ``list`` would shadow the builtin.
    shadows = keyword.iskeyword(name) or name in BUILTINS
    return f"tag_{name}" if name[0].isdigit() or shadows else name


def package_name(vendor: str) -> str:
    """The import package of a generated server: ``gong`` → ``gong_mcp``."""
    return f"{snake(vendor)}_mcp"


def distribution_name(vendor: str) -> str:
    """The distribution and console-script name: ``gong`` → ``gong-mcp``."""
    return f"{snake(vendor).replace('_', '-')}-mcp"


def vendor_slug(vendor: str) -> str:
    """The vendor word inside tool names."""
    return snake(vendor) or "api"


@lru_cache(maxsize=_CACHED)
def _inflect(word: str, plural: bool) -> str:
    if word in UNCOUNTABLE or word in PRONOUNS or word.endswith(SINGULAR_ENDINGS) or not word.isalpha():
        return word
    engine = inflection.engine()
    single = engine.singular_noun(word) or word
    return engine.plural_noun(single) if plural else single


@lru_cache(maxsize=_CACHED)
def path_segments(path: str, versions: bool = False) -> tuple[tuple[str, bool], ...]:
    """Path segments as ``(text, is_parameter)``: file suffixes (``{Sid}.json``) and version segments dropped.

    A version segment (``v2``, ``3``, ``2010-04-01``) is dropped wherever it stands, and so are the ``api`` /
    ``rest`` segments that lead the path; ``versions`` keeps the version segments (they alone may tell two
    operations apart: ``/schedules/{id}`` and ``/v3/schedules/{id}``).
    """
    path, _, fragment = path.partition("#")  # a path key's ``#…`` (Box's ``/files/{id}#get_shared_link``): a word
    parts = [FILE_SUFFIX.sub("", p) for p in [*path.split("/"), fragment] if p]
    while parts and (parts[0].lower() in API_SEGMENTS or (not versions and VERSION_SEGMENT.match(parts[0]))):
        parts = parts[1:]
    if not versions:
        parts = [p for p in parts if not VERSION_SEGMENT.match(p)]
    return tuple((p.strip("{}"), p.startswith("{") and p.endswith("}")) for p in parts if p)


def resource_words(path: str, plural: bool, limit: int = 2, *, versions: bool = False) -> list[str]:
    """The resource of a path: the literals after the last parameter, or the run before a final one.

    ``limit`` keeps that many trailing words; ``limit=0`` takes every literal segment of the path instead
    (used to settle a clash: ``/agents/{id}/mcp-servers`` → ``agents_mcp_servers``); a negative ``limit`` takes
    that many trailing literal segments across parameters (``/Domains/{id}/Auth/Calls/Mappings`` with ``-2`` →
    ``calls_mappings``). ``versions`` keeps version segments (see ``path_segments``).
    """
    segments = path_segments(path, versions)
    if segments and segments[-1][1]:
        segments = segments[:-1]
    if limit <= 0:
        run = [text for text, is_param in segments if not is_param][limit:]
    else:
        run = []
        for text, is_param in reversed(segments):
            if is_param:
                break
            run.insert(0, text)
        run = run[-limit:]
    words = [snake(part) for part in run if snake(part)]
    if not words:
        return ["resource"]
    last = words[-1].split("_")
    last[-1] = _inflect(last[-1], plural)
    return [*words[:-1], "_".join(last)]


def ends_with_parameter(path: str) -> bool:
    """Whether the last path segment is a parameter (``/calls/{id}``)."""
    segments = path_segments(path)
    return bool(segments) and segments[-1][1]


def _ends_with_pronoun(path: str) -> bool:
    """Whether the path ends at one item named by a pronoun (``/users/me``, ``/myself``)."""
    segments = path_segments(path)
    return bool(segments) and not segments[-1][1] and segments[-1][0].lower() in PRONOUNS


@dataclass(frozen=True)
class NameRequest:
    """What a tool name is built from; overrides come from the vendor config."""

    key: str
    method: str
    path: str
    vendor: str
    name: str | None = None
    verb: str | None = None
    resource: str | None = None
    own_path: str | None = None  # the operation's path, when its act names it from another (``…/{id}/delete``)


def verb_for(method: str, path: str) -> str:
    """The Truto verb for a method: GET splits into ``list_all`` and ``get_single`` by the path's end."""
    method = method.lower()
    if method == "get":
        item = path.split("#", 1)[0]  # a GET of one item, whatever the path key's fragment says
        return VERBS["get"] if ends_with_parameter(item) or _ends_with_pronoun(item) else VERBS["list"]
    if method == "query":  # OpenAPI 3.2's QUERY: a read of a collection, with a body
        return QUERY_VERB
    return VERBS.get(method, snake(method) + "_a")


def tool_name(request: NameRequest, limit: int = 2, *, versions: bool = False) -> str:
    """The name a tool gets before collisions are settled, capped at 64 characters."""
    return cap(raw_tool_name(request, limit, versions=versions), request.key)


def raw_tool_name(request: NameRequest, limit: int = 2, *, versions: bool = False) -> str:
    """The convention's name before the length cap (``limit``, ``versions``: see ``resource_words``)."""
    if request.name:
        return request.name
    verb = request.verb or verb_for(request.method, request.path)
    plural = verb in (VERBS["list"], QUERY_VERB)
    resource = request.resource or "_".join(resource_words(request.path, plural, limit, versions=versions))
    by_id = "_by_id" if ends_with_parameter(request.path) else ""
    return f"{verb}_{vendor_slug(request.vendor)}_{snake(resource)}{by_id}"


def cap(name: str, key: str) -> str:
    """Keep a name within 64 characters: cut the middle and add a short stable hash of ``key``."""
    name = _UNDERSCORES.sub("_", name).strip("_")
    if len(name) <= MAX_TOOL_NAME:
        return name
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:6]
    return f"{name[: MAX_TOOL_NAME - len(digest) - 1].rstrip('_')}_{digest}"


def settle_tool_names(requests: list[NameRequest]) -> tuple[dict[str, str], list[str]]:
    """Unique names for every request, and one line per decision taken to get there.

    Each clash is settled by the first of these that makes the clashing names distinct: the last two, three or
    four literal path segments as the resource (``…/Calls/{c}/Mappings/{Sid}`` → ``calls_mapping``), every
    literal segment (``/agents/{id}/mcp-servers`` → ``agents_mcp_servers``), the same words left uninflected
    or with the version segments, where only that tells them apart (``download_files``, ``/v3/schedules`` →
    ``v3_schedule``), the words of the operation's own path where its act renamed it (``POST
    /project/{id}/delete``), the words no other member shares, the operationId's words; only then a short stable
    hash of the operation's key.
    Explicit names from the config are never changed.
    """
    raw = {r.key: raw_tool_name(r) for r in requests}
    names = {r.key: cap(raw[r.key], r.key) for r in requests}
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
        raw = {r.key: attempt(r, clash) for r in left}
        candidates = {k: cap(v, k) if v and not (whole and len(v) > MAX_TOOL_NAME) else None for k, v in raw.items()}
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
    return _spelled(request, "_".join(words)) if words else None


def _hashed(request: NameRequest, others: Clash) -> str:
    digest = hashlib.sha256(request.key.encode("utf-8")).hexdigest()[:6]
    return cap(f"{tool_name(request)[: MAX_TOOL_NAME - 7]}_{digest}", request.key)


ATTEMPTS: tuple[Attempt, ...] = (
    _trailing(2), _trailing(3), _trailing(4), _longer, _uninflected, _versioned, _own_path, _distinct, _identified,
    _hashed,
)  # fmt: skip
