"""All naming but the settling of clashes: tool names, Python identifiers, modules, classes, the length cap.

Tool names follow the convention the Truto platform uses: ``{verb}_{vendor}_{resource}[_by_id]``. Every
name matches ``^[a-z0-9_]{1,64}$``; a collision (settled in ``generator.model.name_clashes``) or a shortening
is a decision returned to the caller to report, never a silent suffix.
"""

from __future__ import annotations

import builtins
import hashlib
import keyword
import re
import unicodedata
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from functools import lru_cache

from pydantic import BaseModel

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
# Methods of pydantic's BaseModel: the MCP SDK renames a tool parameter called so (``schema``, ``json``, ``copy``)
# and aliases it by that name, so the spec's own name (AWS's ``Schema``) would no longer reach it.
MODEL_METHODS = frozenset(
    name for name in dir(BaseModel) if not name.startswith("_") and callable(getattr(BaseModel, name))
)
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
    if keyword.iskeyword(name) or keyword.issoftkeyword(name) or name in RESERVED_ARGS or name in MODEL_METHODS:
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


def is_plural(word: str) -> bool:
    """Whether a word is a plural noun (``instances``; not ``status`` or ``deleted``)."""
    return _inflect(word, False) != word


@lru_cache(maxsize=_CACHED)
def _inflect(word: str, plural: bool) -> str:
    if word in UNCOUNTABLE or word in PRONOUNS or word.endswith(SINGULAR_ENDINGS) or not word.isalpha():
        return word
    if len(word) >= 6 and word.endswith("ed") and not word.endswith("eed"):  # ``worklog/deleted``: no noun to count
        return word
    engine = inflection.engine()
    single = engine.singular_noun(word) or word
    return engine.plural_noun(single) if plural else single


@lru_cache(maxsize=_CACHED)
def path_segments(path: str, versions: bool = False) -> tuple[tuple[str, bool], ...]:
    """Path segments as ``(text, is_parameter)``: file suffixes (``{Sid}.json``) and version segments dropped.

    A version segment (``v2``, ``3``, ``2010-04-01``) is dropped wherever it stands, and so are the ``api`` /
    ``rest`` segments that lead the path; ``versions`` keeps both (they alone may tell two operations apart:
    ``/schedules/{id}`` and ``/v3/schedules/{id}``, ``/baskets`` and ``/api/baskets``).
    """
    path, _, fragment = path.partition("#")  # a path key's ``#…`` (Box's ``/files/{id}#get_shared_link``): a word
    path = path.partition("?")[0]  # a query written into a path key (``/fax/history?date_from={date_from}``): none
    parts = [_unkeyed(FILE_SUFFIX.sub("", p)) for p in [*path.split("/"), fragment] if p]
    while parts and not versions and (parts[0].lower() in API_SEGMENTS or VERSION_SEGMENT.match(parts[0])):
        parts = parts[1:]
    if not versions:
        parts = [p for p in parts if not VERSION_SEGMENT.match(p)]
    return tuple((p.strip("{}"), p.startswith("{") and p.endswith("}")) for p in parts if p)


def _unkeyed(segment: str) -> str:
    """A literal segment without the random keys in it (Box's ``securityClassification-6VMVochwUWo``).

    A key is a run of 8 or more letters and digits that mixes upper case, lower case and digits and splits into
    three or more fragments of one or two characters (``6_vm_voch_w_u_wo``), or a run of 20 or more with at least
    four digits (a hash, a token): a reader gets nothing from it, and it leaves no room in a name for the words
    that do tell. A segment that is nothing but keys goes whole.
    """
    if segment.startswith("{"):
        return segment
    parts = re.split(r"[-_.]", segment)
    kept = [part for part in parts if not _random_key(part)]
    return segment if len(kept) == len(parts) else "-".join(kept)


def _random_key(part: str) -> bool:
    if len(part) < 8 or not part.isalnum() or part.isalpha() or part.isdigit():
        return False
    if len(part) >= 20 and sum(ch.isdigit() for ch in part) >= 4:  # a hash or a token (Meilisearch's API key)
        return True
    return not (part.islower() or part.isupper()) and sum(len(word) <= 2 for word in snake(part).split("_")) >= 3


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
    return cap(raw_tool_name(request, limit, versions=versions), request.key, head_of(request))


def raw_tool_name(request: NameRequest, limit: int = 2, *, versions: bool = False) -> str:
    """The convention's name before the length cap (``limit``, ``versions``: see ``resource_words``)."""
    if request.name:
        return request.name
    verb = request.verb or verb_for(request.method, request.path)
    plural = verb.endswith("_all")  # ``list_all``, ``query_all``, a selected call's ``describe_all``
    resource = request.resource or "_".join(resource_words(request.path, plural, limit, versions=versions))
    by_id = "_by_id" if ends_with_parameter(request.path) else ""
    return f"{verb}_{vendor_slug(request.vendor)}_{snake(resource)}{by_id}"


def head_of(request: NameRequest) -> str:
    """The part of a conventional name no shortening touches: ``{verb}_{vendor}_`` (nothing for a config's name)."""
    return (
        ""
        if request.name
        else f"{request.verb or verb_for(request.method, request.path)}_{vendor_slug(request.vendor)}_"
    )


def cap(name: str, key: str, head: str = "", spare: Collection[str] = ()) -> str:
    """Keep a name within 64 characters.

    Whole words go first, from the second word of what follows ``head`` on, keeping the resource's first and last
    words and ``_by_id`` (``get_single_box_shield_information_barrier_segment_restriction_by_id`` →
    ``…_shield_barrier_segment_restriction_by_id``), the ``spare`` ones first (words every member of a clash has);
    only when that is not enough is the name cut and a short
    stable hash of ``key`` added. Names that shorten alike are a clash, settled as any other (``name_clashes``).
    """
    name = _UNDERSCORES.sub("_", name).strip("_")
    if len(name) <= MAX_TOOL_NAME:
        return name
    if head and name.startswith(head):
        tail = "_by_id" if name.endswith("_by_id") else ""
        words = name[len(head) : len(name) - len(tail)].split("_")
        for word in [w for w in words[1:-1] if w in spare]:  # words a clash's members all share go before others
            if len(head) + len("_".join(words)) + len(tail) <= MAX_TOOL_NAME:
                break
            words.remove(word)
        while len(words) > 2 and len(head) + len("_".join(words)) + len(tail) > MAX_TOOL_NAME:
            del words[1]
        shorter = head + "_".join(words) + tail
        if len(shorter) <= MAX_TOOL_NAME:
            return shorter
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:6]
    return f"{name[: MAX_TOOL_NAME - len(digest) - 1].rstrip('_')}_{digest}"
