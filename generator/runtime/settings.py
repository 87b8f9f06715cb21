"""Run-time settings: environment variables first, command-line flags over them, both read by the contract's table."""

from __future__ import annotations

import argparse
import math
import os
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .contract import KINDS, Operation, Variable, Vendor, parse_list, parse_words, unknown_names
from .failures import SettingError
from .setting_table import DEFAULTS, SETTINGS, STDIO_UPLOAD_DIR, Setting, described, own


def _names(value: str | None) -> frozenset[str]:
    return frozenset(parse_list(value))


def _pairs(value: str | None) -> dict[str, str]:
    """``FROM=TO`` pairs (comma- or space-separated) → a map; trailing slashes do not matter."""
    pairs = [part.partition("=") for part in parse_words(value)]
    if any(not old.strip("/") or not new.strip("/") for old, _, new in pairs):
        raise SettingError(f"{value!r} is not a list of FROM=TO pairs")
    return {old.rstrip("/"): new.rstrip("/") for old, _, new in pairs}


def _number(setting: Setting, raw: str | None) -> float | int:
    if raw is None or not raw.strip():
        value = setting.default
    elif setting.type == "int":
        value = _parsed(int, raw, "a whole number")
    else:
        value = _parsed(float, raw, "a number")
    if setting.floor is not None:
        value = max(setting.floor, value)
    return int(value) if setting.type == "int" else float(value)


def _parsed(kind: Callable[[str], float], raw: str, expected: str) -> float:
    try:
        value = kind(raw.strip())
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        raise SettingError(f"{raw!r} is not {expected}")
    return value


def _choice(setting: Setting, raw: str | None) -> str:
    chosen = (raw or "").strip().lower() or setting.default
    if chosen not in setting.choices:
        raise SettingError(f"{raw!r} is not one of {', '.join(setting.choices)}")
    return str(chosen)


def parse(setting: Setting, raw: str | None) -> Any:
    """One setting's value from its variable's text (None or blank: not set, the default).

    Raises:
        SettingError: the text does not parse as the setting's type (a number, a choice, pairs).
    """
    if setting.type in ("float", "int"):
        return _number(setting, raw)
    if setting.type == "names":
        return _names(raw)
    if setting.type == "scopes":
        return None if raw is None else frozenset(parse_words(raw))  # not told: list everything
    if setting.type == "pairs":
        return _pairs(raw)
    if setting.type == "choice":
        return _choice(setting, raw)
    if setting.type == "path":
        given = (raw or "").strip() or setting.default
        return None if given is None else Path(given)
    if setting.type == "text":
        return (raw or setting.default).strip()
    return (raw or setting.default or "").rstrip("/")


def expand_url(template: str, variables: tuple[Variable, ...], env: Mapping[str, str], prefix: str) -> str:
    """A server URL with each ``{name}`` replaced: ``<prefix>_<variable>`` from ``env``, else the spec's default."""
    url = template
    for variable in variables:
        if variable.placeholder:
            value = env.get(f"{prefix}_{variable.env}") or variable.default
            url = url.replace("{" + variable.placeholder + "}", value)
    return url.rstrip("/")


@dataclass(frozen=True)
class Settings:
    """Everything a server needs besides its tools; build one with ``Settings.from_env(vendor)``.

    Every default comes from ``setting_table.SETTINGS``.
    """

    base_url: str
    env: dict[str, str] = field(default_factory=dict)
    scopes: frozenset[str] | None = DEFAULTS["scopes"]  # None: not told, list everything
    methods: frozenset[str] = DEFAULTS["methods"]  # read, write, custom; empty: all
    tags: frozenset[str] = DEFAULTS["tags"]
    include: frozenset[str] = DEFAULTS["include"]
    exclude: frozenset[str] = DEFAULTS["exclude"]
    connect_timeout: float = DEFAULTS["connect_timeout"]
    read_timeout: float = DEFAULTS["read_timeout"]
    max_retries: int = DEFAULTS["max_retries"]
    max_retry_wait: float = DEFAULTS["max_retry_wait"]
    max_rps: float = DEFAULTS["max_rps"]  # from_env: the vendor's own limit unless set
    daily_quota: int = DEFAULTS["daily_quota"]
    max_response_bytes: int = DEFAULTS["max_response_bytes"]
    output_dir: Path = Path(DEFAULTS["output_dir"])
    output_max_bytes: int = DEFAULTS["output_max_bytes"]  # all saved answers together; the oldest go first
    output_retention_days: float = DEFAULTS["output_retention_days"]  # 0: saved answers are kept until the cap
    upload_dir: Path | None = DEFAULTS["upload_dir"]  # None: local file paths are off (stdio sets mcp-uploads)
    credit_budget: int = DEFAULTS["credit_budget"]  # per UTC day
    job_poll_interval: float = DEFAULTS["job_poll_interval"]  # first pause between status calls; it grows
    inputs_ttl: float = DEFAULTS["inputs_ttl"]  # seconds a flow's declared inputs are reused
    max_download_bytes: int = DEFAULTS["max_download_bytes"]
    answer_timeout: float = DEFAULTS["answer_timeout"]  # first byte of an answer's body to its last, files too
    server_urls: dict[str, str] = field(default_factory=dict)  # an operation's own server → where to send it
    toolset: str = DEFAULTS["toolset"]  # full: list every tool; dynamic: search/describe/call; code: …/run_code
    code_timeout: float = DEFAULTS["code_timeout"]  # seconds one run_code may take, inner calls included
    code_max_memory: int = DEFAULTS["code_max_memory"]  # the sandbox's heap, in bytes
    code_max_calls: int = DEFAULTS["code_max_calls"]  # tool calls one run_code may make
    code_workers: int = DEFAULTS["code_workers"]  # sandbox processes at once (0: one per CPU core)
    metrics_port: int = DEFAULTS["metrics_port"]  # 0: /metrics on the main port, behind the access rule
    drain_grace: float = DEFAULTS["drain_grace"]  # seconds in-flight calls get after SIGTERM
    head_timeout: float = DEFAULTS["head_timeout"]  # seconds a request's head may take to arrive
    max_connections: int = DEFAULTS["max_connections"]  # 0: derived from the open-file limit
    workers: int = DEFAULTS["workers"]  # HTTP server processes sharing one port
    log_format: str = DEFAULTS["log_format"]  # off, or json: one line per tool call on stderr
    store: str = DEFAULTS["store"]  # a SQLite file, or postgresql://… (HTTP serving and management commands)
    public_url: str = DEFAULTS["public_url"]
    audit_retention_days: float = DEFAULTS["audit_retention_days"]
    oauth_issuer: str = DEFAULTS["oauth_issuer"]
    account_claim: str = DEFAULTS["account_claim"]  # a token claim naming the caller's account ("": not read)
    resource_url: str = DEFAULTS["resource_url"]

    @classmethod
    def from_env(cls, vendor: Vendor, environ: Mapping[str, str] | None = None) -> Settings:
        """Read ``<PREFIX>_*`` variables (and the credential variables the vendor names); unset ones take the
        vendor's own defaults (``OWN_DEFAULTS``: its base URL and limits), else the table's."""
        env = dict(os.environ if environ is None else environ)
        values: dict[str, Any] = {}
        for setting in SETTINGS:
            variable = f"{vendor.env_prefix}_{setting.env}"
            try:
                values[setting.name] = parse(own(setting, vendor), env.get(variable))
            except SettingError as exc:
                raise SettingError(f"{variable}: {exc}") from None
        if vendor.url_template and not env.get(f"{vendor.env_prefix}_BASE_URL"):
            values["base_url"] = expand_url(vendor.url_template, vendor.variables, env, vendor.env_prefix)
        return cls(env=env, **values)

    def url_for(self, server_url: str | None) -> str:
        """Where an operation goes: its own server (if it has one, maybe overridden), else the base URL."""
        if not server_url:
            return self.base_url
        return self.server_urls.get(server_url.rstrip("/"), server_url)

    def with_args(self, args: argparse.Namespace) -> Settings:
        """Command-line flags (filters, limits, timeouts, output) over the environment, where given; over stdio
        (``args.transport``) an unset upload folder is ``mcp-uploads``."""
        given: dict[str, Any] = {}
        for setting in SETTINGS:
            value = getattr(args, setting.name, None) if setting.flag else None
            if value is None or (setting.type == "names" and not value):
                continue
            given[setting.name] = parse(setting, value) if isinstance(value, str) else value
        if given.get("upload_dir", self.upload_dir) is None and getattr(args, "transport", None) == "stdio":
            given["upload_dir"] = Path(STDIO_UPLOAD_DIR)
        return replace(self, **given)


FILTER_NOUNS = {"methods": "method", "tags": "tag", "include": "tool", "exclude": "tool"}


def unknown_filter(
    settings: Settings, operations: Mapping[str, Operation], args: argparse.Namespace | None, env_prefix: str
) -> str | None:
    """The first filter (methods, tags, tools) naming something ``operations`` do not have, as one line naming
    its flag (when ``args`` gave it) or its variable; None when every name is known."""
    known: dict[str, Collection[str]] = {
        "methods": KINDS, "tags": {tag for op in operations.values() for tag in op.tags},
        "include": set(operations), "exclude": set(operations),
    }  # fmt: skip
    for setting in SETTINGS:
        if setting.name in known:
            flagged = args is not None and getattr(args, setting.name, None)
            label = setting.flag if flagged and setting.flag else f"{env_prefix}_{setting.env}"
            given = getattr(settings, setting.name)
            problem = unknown_names(label, FILTER_NOUNS[setting.name], given, known[setting.name])
            if problem:
                return problem
    return None


def add_arguments(parser: argparse.ArgumentParser, vendor: Vendor | None = None) -> None:
    """A flag for each setting that has one: filters on the parser, upstream limits in their own group; the help
    names the vendor's own defaults when ``vendor`` is given."""
    upstream = parser.add_argument_group("upstream calls (default: the environment's settings)")
    for setting in SETTINGS:
        if setting.flag is None:
            continue
        group = parser if setting.type in ("names", "choice", "text") else upstream
        options: dict[str, Any] = {"dest": setting.name, "help": described(own(setting, vendor) if vendor else setting)}
        options["type"] = _flag_type(setting)
        if setting.choices:
            options["choices"] = setting.choices
        group.add_argument(setting.flag, **options)


def _flag_type(setting: Setting) -> Callable[[str], Any]:
    """argparse's ``type`` for a setting's flag: the same parse as its variable, its error in argparse's words."""

    def convert(text: str) -> Any:
        try:
            return parse(setting, text)
        except SettingError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None

    return convert
