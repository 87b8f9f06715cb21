"""The one contract between mcpgen and the servers it writes: data, names and limits, no behaviour.

The generator imports this module and every generated package ships it as ``runtime/contract.py``; it depends
on nothing but the standard library, so a fact written here is written once for both sides.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass, replace
from typing import Any, Literal

Kind = Literal["read", "write", "custom"]
KINDS: tuple[Kind, ...] = ("read", "write", "custom")

# Arguments the server adds to some tools; they steer the server and never go on the wire.
MAX_PAGES = "max_pages"  # paginated tools: follow cursors and merge up to this many pages
PAGE_LIMIT = 10  # the most pages one call may merge
WAIT, TIMEOUT = "wait", "timeout_s"  # job tools: follow the job to the end, for at most this many seconds
DEFAULT_TIMEOUT_S = 45.0  # under the 60 s many MCP clients allow one request

# How tools reach a client: every tool listed; search, describe and call meta-tools; or search, describe, run_code.
FULL, DYNAMIC, CODE = "full", "dynamic", "code"
TOOLSETS = (FULL, DYNAMIC, CODE)
CODE_IMPORTS = ("json", "re", "datetime", "math", "statistics", "itertools", "collections")  # all code may import

DIRECT, FROM_CODE = "direct", "code"  # how a tool call came: from the client, or from code in ``run_code``

LOG_FORMATS = ("off", "json")  # a server's call log: none, or one JSON line per call on stderr

# Keys of the ``_meta`` objects a server writes on tools and results.
META_OPERATION = "io.mcpgen/operation"  # a tool's listed facts, never empty; method, path and tag are its Operation's
META_JOB = "io.mcpgen/job"
META_PAGINATION = "io.mcpgen/pagination"
META_RETRIES = "io.mcpgen/retries"
META_TRUNCATED = "io.mcpgen/truncated"
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


_CONTROL = {code: f"\\x{code:02x}" for code in (*range(0x20), 0x7F)}


def printable(text: str) -> str:
    """``text`` with control characters (newlines included) escaped, for one log line or an audit field."""
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
    media_type: str | None = None
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
    cursor_arg: str | None = None  # the argument that carries a page cursor (paginated tools only)
    next_cursor: str | None = None  # dotted path to the next page's cursor in a response
    byte_fields: tuple[tuple[str, ...], ...] = ()  # JSON body paths to base64 content ("[]" steps into arrays)
    fixed: tuple[Fixed, ...] = ()  # credential and constant parameters the server fills
    security: tuple[
        tuple[str, ...], ...
    ] = ()  # the spec's alternatives (scheme names; ``()``: none needed); empty: any

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


OWN_DEFAULTS = (
    "base_url",
    "max_rps",
    "daily_quota",
    "toolset",
)  # settings whose default a vendor may state (same-named fields)
SettingType = Literal["url", "names", "scopes", "pairs", "choice", "float", "int", "path", "text"]


@dataclass(frozen=True)
class Setting:
    """One run-time setting: read from ``<PREFIX>_<env>``; with ``cli``, the flag ``--<name>`` overrides it."""

    name: str  # the ``Settings`` field
    env: str  # the variable's name after the vendor's prefix
    type: SettingType
    default: Any  # the vendor's own, when it states one, for those in ``OWN_DEFAULTS``
    help: str
    cli: bool = False
    choices: tuple[str, ...] = ()
    floor: float | None = None  # smaller values are raised to this

    @property
    def flag(self) -> str | None:
        """The command-line flag, if the setting has one: ``max_rps`` → ``--max-rps``."""
        return "--" + self.name.replace("_", "-") if self.cli else None


S, NONE = Setting, frozenset[str]()
JOB_POLL_HELP = "first pause (s) between status checks when a job tool is called with `wait`; it grows"
URLS_HELP = "`FROM=TO` pairs (comma-separated): operations with their own server URL go to TO, e.g. a proxy or a mock"
TOOLSET_HELP = (
    "list every tool (full), or search/describe/call meta-tools (dynamic) that find, explain and run the served tools "
    "with the same filters, scopes and errors, or search/describe/run_code (code): Python that calls the tools"
)
METHODS_HELP = (
    "serve only these kinds, by the tools' hints: read (only reads, whatever the method), write, custom (an action "
    "sent by POST that destroys) (comma-separated)"
)
SCOPES_HELP = "scopes the token holds (space- or comma-separated); tools needing others are hidden"
STDIO_UPLOAD_DIR = "mcp-uploads"  # over stdio, when no upload folder is set
UPLOADS_HELP = (
    f"the only folder file arguments may read, never the working directory, the store or the output folder "
    f"(unset: {STDIO_UPLOAD_DIR} over stdio; over HTTP local paths are off)"
)
SHARED = "shared by every process on the same --store when serving HTTP"
# The one table of settings: it drives ``Settings.from_env``, the command line and the README's table.
SETTINGS: tuple[Setting, ...] = (
    S("base_url", "BASE_URL", "url", None, "API base URL"),
    S("server_urls", "SERVER_URL_OVERRIDES", "pairs", {}, URLS_HELP),
    S("scopes", "SCOPES", "scopes", None, SCOPES_HELP),
    S("methods", "METHODS", "names", NONE, METHODS_HELP, True),
    S("tags", "TAGS", "names", NONE, "serve only tools with these tags (comma-separated)", True),
    S("include", "INCLUDE_TOOLS", "names", NONE, "serve only these tools (comma-separated names)", True),
    S("exclude", "EXCLUDE_TOOLS", "names", NONE, "never serve these tools (comma-separated names)", True),
    S("toolset", "TOOLSET", "choice", FULL, TOOLSET_HELP, True, choices=TOOLSETS),
    S("code_timeout", "CODE_TIMEOUT", "float", 30.0, "code toolset: seconds one run_code may take", True, floor=0.1),
    S("code_max_memory", "CODE_MAX_MEMORY", "int", 64_000_000, "code toolset: bytes of heap one run_code may use"),
    S("code_max_calls", "CODE_MAX_CALLS", "int", 50, "code toolset: tool calls one run_code may make", True),
    S("connect_timeout", "CONNECT_TIMEOUT", "float", 10.0, "seconds to connect", True),
    S("read_timeout", "READ_TIMEOUT", "float", 60.0, "seconds to wait for an answer", True),
    S("max_retries", "MAX_RETRIES", "int", 2, "retries on 429/503, timeouts, lost connections", True),
    S("max_retry_wait", "MAX_RETRY_WAIT", "float", 30.0, "seconds one call may spend waiting to retry", True),
    S("max_rps", "MAX_RPS", "float", 0.0, f"at most this many upstream requests a second, {SHARED} (0: no cap)", True),
    S("daily_quota", "DAILY_QUOTA", "int", 0, f"upstream requests per UTC day, {SHARED} (0: no cap)", True),
    S("max_response_bytes", "MAX_RESPONSE_BYTES", "int", 100_000, "larger answers are truncated and saved whole", True),
    S("output_dir", "OUTPUT_DIR", "path", "mcp-output", "where large and binary answers are saved", True),
    S("upload_dir", "UPLOAD_DIR", "path", None, UPLOADS_HELP, True),
    S("credit_budget", "CREDIT_CALL_BUDGET", "int", 3, f"calls to credit-consuming tools per UTC day, {SHARED}"),
    S("job_poll_interval", "JOB_POLL_INTERVAL", "float", 2.0, JOB_POLL_HELP, floor=0.01),
    S("inputs_ttl", "INPUTS_TTL", "float", 60.0, "seconds a flow's input list is reused"),
    S("max_download_bytes", "MAX_DOWNLOAD_BYTES", "int", 2_000_000_000, "largest answer saved, streamed to disk"),
    S("answer_timeout", "ANSWER_TIMEOUT", "float", 600.0, "seconds an answer may take to arrive whole", True),
    S("metrics_port", "METRICS_PORT", "int", 0, "HTTP: a port for /metrics, no token (0: /mcp's port and token)", True),
    S("drain_grace", "DRAIN_GRACE", "float", 30.0, "HTTP: seconds calls in flight may run after SIGTERM", True),
    S("workers", "WORKERS", "int", 1, "HTTP: processes serving one port; limits are per process without a store", True),
    S("log_format", "LOG_FORMAT", "choice", "off", "json: one line per tool call on stderr", True, LOG_FORMATS),
    S("store", "STORE", "text", "mcp-team.db", "connections, audit, counters: a SQLite file or postgresql://…", True),
    S("public_url", "PUBLIC_URL", "text", "", "the address clients use, e.g. https://mcp.example.com (for URLs)", True),
    S("audit_retention_days", "AUDIT_RETENTION_DAYS", "float", 90.0, "days audit entries are kept (0: forever)", True),
    S("oauth_issuer", "OAUTH_ISSUER", "text", "", "the OAuth issuer whose JWT access tokens are accepted", True),
    S("resource_url", "RESOURCE_URL", "text", "", "this server's public MCP URL, the audience tokens must name", True),
)
DEFAULTS: dict[str, Any] = {setting.name: setting.default for setting in SETTINGS}


def shown_default(setting: Setting) -> str:
    """The default as people read it (``10``, ``mcp-output``), or ``""`` when there is none to show."""
    value = setting.default
    if value is None or value in ({}, frozenset()):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def described(setting: Setting) -> str:
    """The setting's help with its default: the same words on ``--help`` and in the README."""
    default = shown_default(setting)
    return f"{setting.help} (default {default})" if default else setting.help


def own(setting: Setting, vendor: Any) -> Setting:
    """``setting`` with the default ``vendor`` (anything with the ``OWN_DEFAULTS`` fields) states, if any."""
    mine = getattr(vendor, setting.name) if setting.name in OWN_DEFAULTS else None
    return replace(setting, default=mine) if mine else setting


def setting_rows(env_prefix: str, vendor: Any) -> list[tuple[str, str]]:
    """``(variable, meaning)`` for each setting, as the generated README lists them, with the vendor's defaults."""
    rows = []
    for setting in (own(setting, vendor) for setting in SETTINGS):
        meaning = f"{setting.help} (default `{setting.default}`)" if setting.type == "url" else described(setting)
        if setting.flag:
            meaning += f"; flag `{setting.flag}`"
        rows.append((f"{env_prefix}_{setting.env}", meaning))
    for variable in getattr(vendor, "variables", ()):
        rows.append((f"{env_prefix}_{variable.env}", f"{variable.help} (default `{variable.default}`)"))
    return rows
