"""The one table of run-time settings: every variable, flag, default and help line, read by ``Settings.from_env``,
the command line and the README's settings table (the generator renders the table from it)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Literal

from .contract import FULL, LOG_FORMATS, TOOLSETS

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
ACCOUNT_CLAIM_HELP = "an OAuth token claim naming the vendor account its subject calls as (unset: accounts map only)"
CONNECTIONS_HELP = "HTTP: open connections past which new ones get 503 (0: the open-file limit less a quarter)"
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
    S("code_workers", "CODE_WORKERS", "int", 0, "code toolset: sandbox processes at once (0: one per core)", True),
    S("connect_timeout", "CONNECT_TIMEOUT", "float", 10.0, "seconds to connect", True),
    S("read_timeout", "READ_TIMEOUT", "float", 60.0, "seconds to wait for an answer", True),
    S("max_retries", "MAX_RETRIES", "int", 2, "retries on 429/503, timeouts, lost connections", True),
    S("max_retry_wait", "MAX_RETRY_WAIT", "float", 30.0, "seconds one call may spend waiting to retry", True),
    S("max_rps", "MAX_RPS", "float", 0.0, f"at most this many upstream requests a second, {SHARED} (0: no cap)", True),
    S("daily_quota", "DAILY_QUOTA", "int", 0, f"upstream requests per UTC day, {SHARED} (0: no cap)", True),
    S("max_response_bytes", "MAX_RESPONSE_BYTES", "int", 100_000, "larger answers are truncated and saved whole", True),
    S("output_dir", "OUTPUT_DIR", "path", "mcp-output", "where large and binary answers are saved", True),
    S("output_max_bytes", "OUTPUT_MAX_BYTES", "int", 10**10, "bytes all saved answers may take; oldest go first", True),
    S("output_retention_days", "OUTPUT_RETENTION_DAYS", "float", 7.0, "days saved answers are kept (0: forever)", True),
    S("upload_dir", "UPLOAD_DIR", "path", None, UPLOADS_HELP, True),
    S("credit_budget", "CREDIT_CALL_BUDGET", "int", 3, f"calls to credit-consuming tools per UTC day, {SHARED}"),
    S("job_poll_interval", "JOB_POLL_INTERVAL", "float", 2.0, JOB_POLL_HELP, floor=0.01),
    S("inputs_ttl", "INPUTS_TTL", "float", 60.0, "seconds a flow's input list is reused"),
    S("max_download_bytes", "MAX_DOWNLOAD_BYTES", "int", 2_000_000_000, "largest answer saved, streamed to disk"),
    S("answer_timeout", "ANSWER_TIMEOUT", "float", 600.0, "seconds an answer may take to arrive whole", True),
    S("metrics_port", "METRICS_PORT", "int", 0, "HTTP: a port for /metrics, no token (0: /mcp's port and token)", True),
    S("drain_grace", "DRAIN_GRACE", "float", 30.0, "HTTP: seconds calls in flight may run after SIGTERM", True),
    S("head_timeout", "HEAD_TIMEOUT", "float", 10.0, "HTTP: seconds to wait for a request's head", True, floor=0.1),
    S("max_connections", "MAX_CONNECTIONS", "int", 0, CONNECTIONS_HELP, True),
    S("workers", "WORKERS", "int", 1, "HTTP: processes serving one port; limits are per process without a store", True),
    S("log_format", "LOG_FORMAT", "choice", "off", "json: one line per tool call on stderr", True, LOG_FORMATS),
    S("store", "STORE", "text", "mcp-team.db", "connections, audit, counters: a SQLite file or postgresql://…", True),
    S("public_url", "PUBLIC_URL", "text", "", "the address clients use, e.g. https://mcp.example.com (for URLs)", True),
    S("audit_retention_days", "AUDIT_RETENTION_DAYS", "float", 90.0, "days audit entries are kept (0: forever)", True),
    S("oauth_issuer", "OAUTH_ISSUER", "text", "", "the OAuth issuer whose JWT access tokens are accepted", True),
    S("account_claim", "ACCOUNT_CLAIM", "text", "", ACCOUNT_CLAIM_HELP, True),
    S("resource_url", "RESOURCE_URL", "text", "", "this server's public MCP URL, the audience tokens must name", True),
)
DEFAULTS: dict[str, Any] = {setting.name: setting.default for setting in SETTINGS}
# What a suite (several vendors in one server) reads under its own prefix: how it lists and serves, code mode, and
# the filters over every vendor's tools; each vendor's upstream settings (and its own filters) stay under its prefix.
SUITE_SETTINGS = frozenset({
    "methods", "tags", "include", "exclude", "toolset", "code_timeout", "code_max_memory", "code_max_calls",
    "max_response_bytes", "output_dir", "metrics_port", "drain_grace", "workers", "log_format", "store", "public_url",
    "audit_retention_days", "oauth_issuer", "resource_url",
})  # fmt: skip
VENDOR_SETTINGS = frozenset(s.name for s in SETTINGS) - SUITE_SETTINGS | {"methods", "tags", "include", "exclude"}


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


def setting_rows(env_prefix: str, vendor: Any, names: frozenset[str] | None = None) -> list[tuple[str, str]]:
    """``(variable, meaning)`` for each setting (of ``names``: a suite's or its vendors'), as the generated README
    lists them, with the vendor's defaults."""
    rows = []
    for setting in (own(setting, vendor) for setting in SETTINGS if names is None or setting.name in names):
        meaning = f"{setting.help} (default `{setting.default}`)" if setting.type == "url" else described(setting)
        if setting.flag:
            meaning += f"; flag `{setting.flag}`"
        rows.append((f"{env_prefix}_{setting.env}", meaning))
    for variable in getattr(vendor, "variables", ()):
        rows.append((f"{env_prefix}_{variable.env}", f"{variable.help} (default `{variable.default}`)"))
    return rows
