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
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from generator.model import inflection

MAX_TOOL_NAME = 64
TOOL_NAME = re.compile(r"^[a-z0-9_]{1,64}$")
VERSION_SEGMENT = re.compile(r"^v\d+(\.\d+)*$|^api$", re.IGNORECASE)
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
    if word in UNCOUNTABLE or word.endswith(("ss", "us", "is")) or not word.isalpha():
        return word
    engine = inflection.engine()
    single = engine.singular_noun(word) or word
    return engine.plural_noun(single) if plural else single


def path_segments(path: str) -> list[tuple[str, bool]]:
    """Path segments as ``(text, is_parameter)``, with a leading version segment (``v2``) dropped."""
    parts = [p for p in path.split("/") if p]
    if parts and VERSION_SEGMENT.match(parts[0]):
        parts = parts[1:]
    return [(p.strip("{}"), p.startswith("{") and p.endswith("}")) for p in parts]


def resource_words(path: str, plural: bool, limit: int = 2) -> list[str]:
    """The resource of a path: the literals after the last parameter, or the run before a final one.

    ``limit`` keeps that many trailing words; ``limit=0`` takes every literal segment of the path instead
    (used to settle a clash: ``/agents/{id}/mcp-servers`` → ``agents_mcp_servers``).
    """
    segments = path_segments(path)
    if segments and segments[-1][1]:
        segments = segments[:-1]
    if limit == 0:
        run = [text for text, is_param in segments if not is_param]
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


def verb_for(method: str, path: str) -> str:
    """The Truto verb for a method: GET splits into ``list_all`` and ``get_single`` by the path's end."""
    method = method.lower()
    if method == "get":
        return VERBS["get"] if ends_with_parameter(path) else VERBS["list"]
    if method == "query":  # OpenAPI 3.2's QUERY: a read of a collection, with a body
        return QUERY_VERB
    return VERBS.get(method, snake(method) + "_a")


def tool_name(request: NameRequest, limit: int = 2) -> str:
    """The name a tool gets before collisions are settled, capped at 64 characters."""
    return cap(raw_tool_name(request, limit), request.key)


def raw_tool_name(request: NameRequest, limit: int = 2) -> str:
    """The convention's name before the length cap."""
    if request.name:
        return request.name
    verb = request.verb or verb_for(request.method, request.path)
    plural = verb in (VERBS["list"], QUERY_VERB)
    resource = request.resource or "_".join(resource_words(request.path, plural, limit))
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

    Each clash is settled by the first of these that makes the clashing names distinct: every literal path
    segment as the resource (``/agents/{id}/mcp-servers`` → ``agents_mcp_servers``); the same words left
    uninflected (``download_file`` / ``download_files``); a short stable hash of the operation's key.
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
    """Rename the members of one clashing group in ``names``, by the first attempt that makes them distinct.

    ``taken`` counts the holders of each name (the group's members all hold ``name``), so a candidate is checked
    against every other operation's name in constant time: with thousands of clashes (Microsoft Graph has 22,000
    operations) a scan of all names per clash was most of a run.
    """
    for attempt in (_longer, _uninflected, _hashed):
        candidates = {r.key: (name if r.name else attempt(r)) for r in group}
        chosen = set(candidates.values())
        if len(chosen) == len(group) and not any(taken[n] - (len(group) if n == name else 0) for n in chosen):
            break
    decisions = []
    for request in group:
        new = candidates[request.key]
        if new != name:
            names[request.key] = new
            taken[name] -= 1
            taken[new] += 1
            decisions.append(f"{request.key}: name {name!r} is shared by {len(group)} operations; renamed {new!r}")
    return decisions


def _longer(request: NameRequest) -> str:
    return tool_name(request, limit=0)


def _uninflected(request: NameRequest) -> str:
    verb = request.verb or verb_for(request.method, request.path)
    segments = [snake(t) for t, is_param in path_segments(request.path) if not is_param]
    by_id = "_by_id" if ends_with_parameter(request.path) else ""
    return cap(f"{verb}_{vendor_slug(request.vendor)}_{'_'.join(segments)}{by_id}", request.key)


def _hashed(request: NameRequest) -> str:
    digest = hashlib.sha256(request.key.encode("utf-8")).hexdigest()[:6]
    return cap(f"{tool_name(request)[: MAX_TOOL_NAME - 7]}_{digest}", request.key)
