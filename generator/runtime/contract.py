"""The one contract between mcpgen and the servers it writes: data, names and limits, no behaviour.

The generator imports this module and every generated package ships it as ``runtime/contract.py``; it depends
on nothing but the standard library, so a fact written here is written once for both sides.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import Literal

Kind = Literal["read", "write", "custom"]
KINDS: tuple[Kind, ...] = ("read", "write", "custom")

# Arguments the server adds to some tools; they steer the server and never go on the wire.
MAX_PAGES = "max_pages"  # paginated tools: follow cursors and merge up to this many pages
PAGE_LIMIT = 10  # the most pages one call may merge
SELECT = "select"  # tools with a JSON answer: a JMESPath expression applied to it before the size cap (not in code)
SELECT_HELP = "A JMESPath expression applied to the JSON answer before the size cap: `calls[].{id: id, title: title}`."
WAIT, TIMEOUT = "wait", "timeout_s"  # job tools: follow the job to the end, for at most this many seconds
SERVER_ARGUMENTS = frozenset({MAX_PAGES, SELECT, WAIT, TIMEOUT})  # no Python name of a spec argument is one of these
DEFAULT_TIMEOUT_S = 45.0  # under the 60 s many MCP clients allow one request


def servers_own(name: str, spec_args: Iterable[str]) -> bool:
    """Whether a tool's argument ``name`` is the server's own: a spec argument listed under that name is the
    vendor's (Supabase's ``select``) and goes on the wire; the server's of that name is left out of that tool."""
    return name in SERVER_ARGUMENTS and name not in set(spec_args)


# How tools reach a client: every tool listed; search, describe and call meta-tools; or search, describe, run_code.
FULL, DYNAMIC, CODE = "full", "dynamic", "code"
TOOLSETS = (FULL, DYNAMIC, CODE)
# A tool's answer in the package's ``details.json`` (read by describe_tool and search); ``returns_as`` names the
# tool whose answer it shares instead.
ANSWER_KEYS, ANSWER_AS = ("returns_type", "returns", "returns_defs", "returns_note"), "returns_as"
CODE_IMPORTS = ("json", "re", "datetime", "math", "statistics", "itertools", "collections")  # all code may import

DIRECT, FROM_CODE = "direct", "code"  # how a tool call came: from the client, or from code in ``run_code``

LOG_FORMATS = ("off", "json")  # a server's call log: none, or one JSON line per call on stderr

# Keys of the ``_meta`` objects a server writes on tools and results.
META_OPERATION = "io.mcpgen/operation"  # a tool's listed facts, never empty; method, path and tag are its Operation's
META_JOB = "io.mcpgen/job"
META_PAGINATION = "io.mcpgen/pagination"
META_RETRIES = "io.mcpgen/retries"
META_TRUNCATED = "io.mcpgen/truncated"
META_STATED = "io.mcpgen/stated_limit"  # an answer's lists that hold the most the vendor says the operation returns
META_CODE = "io.mcpgen/code"  # a run_code answer's facts: how many tool calls the code made


def parse_list(text: str | None) -> tuple[str, ...]:
    """The one comma-list parser (flags, variables, configs): items as written, outer spaces and empties dropped.

    ``"Data Privacy, Calls"`` → ``("Data Privacy", "Calls")``; order kept, repeats dropped.
    """
    return tuple(dict.fromkeys(part.strip() for part in (text or "").split(",") if part.strip()))


def parse_words(text: str | None) -> tuple[str, ...]:
    """:func:`parse_list` where spaces separate too (OAuth scopes, URL pairs): ``"a:read b,c"`` → 3 items."""
    return parse_list(",".join((text or "").split()))


def unknown_names(label: str, noun: str, given: Iterable[str], known: Collection[str]) -> str | None:
    """One line naming what ``given`` holds that ``known`` does not, and the known ones (None: all known):
    ``"--tags: unknown tag 'nope'; known: Calls"``."""
    missing = sorted(name for name in given if name not in known)
    if not missing:
        return None
    return f"{label}: unknown {noun} {', '.join(map(repr, missing))}; known: {', '.join(sorted(known))}"


_HIDDEN = (*range(0x20), *range(0x7F, 0xA0), 0x61C, 0x200E, 0x200F, *range(0x2028, 0x202F), *range(0x2066, 0x206A))
_CONTROL = {code: f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" for code in _HIDDEN}


def printable(text: str) -> str:
    """``text`` with C0/C1 controls, line separators and bidi marks escaped, for one log line or an audit field."""
    return text.translate(_CONTROL)


def kind_of(method: str, read_only: bool, destructive: bool) -> Kind:
    """What a tool does, by its hints: ``read`` (it only reads, whatever its method: Gong's reads by POST too),
    ``custom`` (an action sent by POST that the hints call destructive), or ``write``."""
    if read_only:
        return "read"
    return "custom" if method == "POST" and destructive else "write"


@dataclass(frozen=True)
class ParamSpec:
    """Where one argument goes: ``arg`` is the name agents use, ``wire`` the name the API uses."""

    arg: str
    wire: str
    location: str  # path, query, header, cookie, body, body_extra, body_whole
    is_file: bool = False
    default_env: str | None = None
    style: str = ""  # OpenAPI ``style`` (``""``: the location's default; see ``wire.styles``)
    explode: bool | None = None  # None: the style's default
    reserved: bool = False  # ``allowReserved``: reserved characters go unencoded in the query
    media_type: str | None = None  # sent as this media type: a ``content`` parameter, or a multipart part's type
    part_headers: tuple[tuple[str, str], ...] = ()  # a multipart part's own headers (the spec's constant values)
    nullable: bool = False  # a given ``None`` is sent as null (required, or a JSON body field), never dropped


@dataclass(frozen=True)
class Fixed:
    """A value the server fills in, never a tool argument: the upstream credential, or a constant the spec pins."""

    location: str  # header, query, cookie, or body (a field of the form or JSON body: only a credential)
    wire: str
    value: str = ""  # the spec's constant (unused for a credential)
    env: str | None = None  # the environment variable that overrides ``value`` (the vendor's prefix included)
    credential: bool = False  # filled with the credential of the scheme in use
    required: bool = False  # the spec requires it: a credential one with no credential set refuses the call


@dataclass(frozen=True)
class Job:
    """How to follow work that a start call begins: the status tool, where the id and state are, when it ends."""

    status_tool: str
    id_field: str  # dotted path to the job id in the start response
    id_arg: str  # the status tool's argument that takes the id
    state_field: str  # dotted path to the state in the status (and start) response
    terminal: tuple[str, ...]
    failed: tuple[str, ...] = ()
    carry: tuple[str, ...] = ()  # start arguments passed unchanged to the status tool
    max_wait_s: float = 300.0

    @property
    def default_wait_s(self) -> float:
        """How long a start call with ``wait`` follows the job when it names no ``timeout_s``."""
        return min(DEFAULT_TIMEOUT_S, self.max_wait_s)


@dataclass(frozen=True)
class Upload:
    """The vendor's size limit for one upload, and whether its files form a skill package."""

    max_bytes: int | None = None
    skill: bool = False


@dataclass(frozen=True)
class FlowInputs:
    """Where the inputs a flow accepts are listed, and where a run's inputs go."""

    schema_tool: str  # the tool that lists the inputs of one flow
    key: str  # the argument naming the flow, in both tools
    list_field: str  # dotted path to the list of inputs in the schema tool's response
    name_field: str  # each input's name
    values_arg: str  # the start argument that carries the inputs
    type_field: str = ""  # each input's declared type (``string`` inputs take text); "": not listed


@dataclass(frozen=True)
class NothingFound:
    """A list or search that answers "nothing found" with an error status: that answer is an empty list. ``message``
    is what the vendor's error message (and, by default, the spec's error response) says then."""

    list_field: str = ""  # dotted path to the list in a success answer ("": the answer is the list itself)
    status: int = 404
    message: str = r"(?i)\bno\b[^.;]{0,60}?\bfound\b|\bno (?:matching )?results\b|\bnothing (?:was )?found\b"


@dataclass(frozen=True)
class Download:
    """A response that links to the bytes: where the URL, file name and media type are."""

    url_field: str
    filename_field: str | None = None
    media_type_field: str | None = None


@dataclass(frozen=True)
class Operation:
    """One upstream operation behind one tool."""

    name: str
    method: str
    path: str
    params: tuple[ParamSpec, ...] = ()
    body: str = "none"  # none, json, multipart, form, raw
    body_required: bool = False  # the spec requires a body: send ``{}`` rather than none
    media_type: str | None = None  # the body's Content-Type (raw, multipart; JSON when not plain application/json)
    tag: str = ""
    tag_parents: tuple[str, ...] = ()  # the tag's parent, its parent's, … (OpenAPI 3.2 nested tags)
    scopes: tuple[str, ...] = ()
    read_only: bool = False
    destructive: bool = False
    idempotent: bool = False
    server_url: str | None = None
    retry_safe: bool = False
    credits: bool = False
    job: Job | None = None
    upload: Upload | None = None
    flow_inputs: FlowInputs | None = None
    download: Download | None = None
    nothing_found: NothingFound | None = None  # an error answer that means an empty list
    cursor_arg: str | None = None  # the argument that carries a page cursor (paginated tools only)
    next_cursor: str | None = None  # dotted path to the next page's cursor in a response
    byte_fields: tuple[tuple[str, ...], ...] = ()  # JSON body paths to base64 content ("[]" steps into arrays)
    fixed: tuple[Fixed, ...] = ()  # credential and constant parameters the server fills
    at_most: tuple[int, str] | None = None  # the most a list in the answer holds, as the vendor says (its words)
    security: tuple[tuple[str, ...], ...] = ()  # the spec's alternatives (scheme names; ``()``: none); empty: any

    @property
    def kind(self) -> Kind:
        """``read``, ``write`` or ``custom`` (see ``kind_of``)."""
        return kind_of(self.method, self.read_only, self.destructive)

    @property
    def tags(self) -> tuple[str, ...]:
        """Its tag and the tag's parents, the tags ``--tags`` matches (none when it has no tag)."""
        return (self.tag, *self.tag_parents) if self.tag else ()


@dataclass(frozen=True)
class AuthSpec:
    """One credential scheme and the environment variables that feed it."""

    type: str  # basic, bearer, header, query, cookie
    env: tuple[str, ...]
    header: str | None = None  # the header, query or cookie name (apiKey schemes)
    optional: bool = False
    name: str = ""  # the spec's scheme name, which operations' ``security`` alternatives name
    empty_password: bool = False  # basic: the password may be unset (Stripe's key is the user name)
    prefix: str = ""  # an apiKey's text before the key (PagerDuty's ``Token token=``); ``prefix_env`` changes it
    parts: tuple[str, ...] = ()  # the spec's name for each variable's value (Twilio's "Account SID", "Auth Token")

    @property
    def prefix_env(self) -> str:
        """The variable that sets an apiKey's prefix (``<its key variable>_PREFIX``; set empty: none)."""
        return f"{self.env[0]}_PREFIX" if self.type in ("header", "query", "cookie") and self.env else ""

    def called(self, variable: str) -> str:
        """``variable`` and, where the spec names its value, that name: ``TWILIO_USERNAME (Account SID)``."""
        named = dict(zip(self.env, self.parts, strict=False))
        return f"{variable} ({named[variable]})" if named.get(variable) else variable

    @property
    def needed(self) -> tuple[str, ...]:
        """The variables that must be set for the scheme to be used."""
        return self.env[:1] if self.type == "basic" and self.empty_password else self.env


@dataclass(frozen=True)
class Variable:
    """A vendor setting from the spec: a server URL variable or a constant header, with the spec's value."""

    env: str  # the variable's name after the vendor's prefix
    default: str
    help: str
    placeholder: str = ""  # a server URL variable's name in ``Vendor.url_template`` (empty: a constant header)


@dataclass(frozen=True)
class VendorOAuth:
    """The vendor's own OAuth (authorization code, PKCE) that connects an account; each URL and the client id may be
    overridden by ``<PREFIX>_OAUTH_*`` variables, the client secret is only ever read from one."""

    authorize_url: str = ""
    token_url: str = ""
    revoke_url: str = ""  # where an account's tokens are revoked when it is removed ("": the vendor has none)
    scopes: tuple[str, ...] = ()  # asked for at authorize; the token answer's ``scope`` says what was granted
    client_id: str = ""
    pkce: bool = True
    token_params: str = "form"  # form: a form body (RFC 6749); query: the query string (Gong)
    base_url_field: str = ""  # a token-answer field naming the account's own API base URL (Gong's per customer)
    identity_field: str = ""  # a token-answer field naming who connected (Gong's customer host); re-links must match


@dataclass(frozen=True)
class Vendor:
    """The facts about one vendor API that a generated server needs at run time."""

    name: str
    title: str
    env_prefix: str
    base_url: str
    auth: tuple[AuthSpec, ...]
    version: str
    spec_sha256: str
    max_rps: float = 0.0  # the vendor's own limits (its config's [limits]); 0: none stated
    daily_quota: int = 0
    url_template: str = ""  # the spec's server URL with ``{variables}``, when it has any
    variables: tuple[Variable, ...] = ()  # server URL variables and constant headers, each a setting
    toolset: str = ""  # the default toolset: ``dynamic`` for a listing over mcpgen's budget; empty: the table's
    oauth: VendorOAuth | None = None  # how an account is connected through the vendor's OAuth (None: not offered)
    mcpgen: str = ""  # the version of mcpgen that wrote the package (``--version`` says it)


@dataclass(frozen=True)
class Extra:
    """An optional part of a generated package: the pip extra that installs it, and the module that shows it is."""

    name: str  # ``pip install '<distribution>[<name>]'``
    requires: tuple[str, ...]  # the requirement lines pyproject.toml lists under the extra
    module: str  # imported by the feature; absent: the extra is not installed
    project: str  # the module's distribution, as a person would ``pip install`` it


# A plain install serves stdio and plain HTTP; these are what a team store and code mode add. The generated
# pyproject.toml lists them (and ``all``: every one), and the server names the missing one at start.
TEAM = Extra("team", ("psycopg[binary]>=3.2,<4",), "psycopg", "psycopg")
CODE_EXTRA = Extra("code", ("pydantic-monty>=1.4,<1.6",), "pydantic_monty", "pydantic-monty")
EXTRAS = (TEAM, CODE_EXTRA)
