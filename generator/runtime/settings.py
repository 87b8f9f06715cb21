"""Run-time settings: environment variables first, command-line flags over them, both read by the contract's table."""

from __future__ import annotations

import argparse
import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .contract import DEFAULTS, SETTINGS, Setting, Vendor, described, own


def _split(value: str | None) -> frozenset[str]:
    return frozenset(part.strip() for part in (value or "").replace(" ", ",").split(",") if part.strip())


def _pairs(value: str | None) -> dict[str, str]:
    """``FROM=TO`` pairs (comma- or space-separated) → a map; trailing slashes do not matter."""
    pairs = (part.split("=", 1) for part in (value or "").replace(" ", ",").split(",") if "=" in part)
    return {old.strip().rstrip("/"): new.strip().rstrip("/") for old, new in pairs if old.strip() and new.strip()}


def _float(value: str | None, default: float) -> float:
    try:
        return float(value) if value else default
    except ValueError:
        return default


def _number(setting: Setting, raw: str | None) -> float | int:
    value = _float(raw, setting.default)
    if setting.floor is not None:
        value = max(setting.floor, value)
    return int(value) if setting.type == "int" else value


def parse(setting: Setting, raw: str | None) -> Any:
    """One setting's value from its variable's text (None: not set); bad numbers fall back to the default."""
    if setting.type in ("float", "int"):
        return _number(setting, raw)
    if setting.type == "names":
        return _split(raw)
    if setting.type == "scopes":
        return None if raw is None else _split(raw)  # not told: list everything
    if setting.type == "pairs":
        return _pairs(raw)
    if setting.type == "choice":
        chosen = (raw or "").strip().lower()
        return chosen if chosen in setting.choices else setting.default
    if setting.type == "path":
        return Path(raw or setting.default)
    if setting.type == "text":
        return (raw or setting.default).strip()
    return (raw or setting.default or "").rstrip("/")


@dataclass(frozen=True)
class Settings:
    """Everything a server needs besides its tools; build one with ``Settings.from_env(vendor)``.

    Every default comes from ``contract.SETTINGS``.
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
    upload_root: Path = Path(DEFAULTS["upload_root"])
    credit_budget: int = DEFAULTS["credit_budget"]  # per UTC day
    job_poll_interval: float = DEFAULTS["job_poll_interval"]  # first pause between status calls; it grows
    inputs_ttl: float = DEFAULTS["inputs_ttl"]  # seconds a flow's declared inputs are reused
    max_download_bytes: int = DEFAULTS["max_download_bytes"]
    server_urls: dict[str, str] = field(default_factory=dict)  # an operation's own server → where to send it
    toolset: str = DEFAULTS["toolset"]  # full: list every tool; dynamic: search/describe/call; code: …/run_code
    code_timeout: float = DEFAULTS["code_timeout"]  # seconds one run_code may take, inner calls included
    code_max_memory: int = DEFAULTS["code_max_memory"]  # the sandbox's heap, in bytes
    code_max_calls: int = DEFAULTS["code_max_calls"]  # tool calls one run_code may make
    metrics_port: int = DEFAULTS["metrics_port"]  # 0: /metrics on the main port, behind the access rule
    drain_grace: float = DEFAULTS["drain_grace"]  # seconds in-flight calls get after SIGTERM
    workers: int = DEFAULTS["workers"]  # HTTP server processes sharing one port
    log_format: str = DEFAULTS["log_format"]  # off, or json: one line per tool call on stderr
    store: str = DEFAULTS["store"]  # a SQLite file, or postgresql://… (HTTP serving and management commands)
    public_url: str = DEFAULTS["public_url"]
    audit_retention_days: float = DEFAULTS["audit_retention_days"]
    oauth_issuer: str = DEFAULTS["oauth_issuer"]
    resource_url: str = DEFAULTS["resource_url"]

    @classmethod
    def from_env(cls, vendor: Vendor, environ: Mapping[str, str] | None = None) -> Settings:
        """Read ``<PREFIX>_*`` variables (and the credential variables the vendor names); unset ones take the
        vendor's own defaults (``OWN_DEFAULTS``: its base URL and limits), else the table's."""
        env = dict(os.environ if environ is None else environ)
        values = {s.name: parse(own(s, vendor), env.get(f"{vendor.env_prefix}_{s.env}")) for s in SETTINGS}
        return cls(env=env, **values)

    def url_for(self, server_url: str | None) -> str:
        """Where an operation goes: its own server (if it has one, maybe overridden), else the base URL."""
        if not server_url:
            return self.base_url
        return self.server_urls.get(server_url.rstrip("/"), server_url)

    def with_args(self, args: argparse.Namespace) -> Settings:
        """Command-line flags (filters, limits, timeouts, output) over the environment, where given."""
        given: dict[str, Any] = {}
        for setting in SETTINGS:
            value = getattr(args, setting.name, None) if setting.flag else None
            if value is None or (setting.type == "names" and not value):
                continue
            given[setting.name] = parse(setting, value) if isinstance(value, str) else value
        return replace(self, **given)


def add_arguments(parser: argparse.ArgumentParser, vendor: Vendor | None = None) -> None:
    """A flag for each setting that has one: filters on the parser, upstream limits in their own group; the help
    names the vendor's own defaults when ``vendor`` is given."""
    upstream = parser.add_argument_group("upstream calls (default: the environment's settings)")
    kinds: dict[str, type] = {"float": float, "int": int}
    for setting in SETTINGS:
        if setting.flag is None:
            continue
        group = parser if setting.type in ("names", "choice", "text") else upstream
        options: dict[str, Any] = {"dest": setting.name, "help": described(own(setting, vendor) if vendor else setting)}
        options["type"] = kinds.get(setting.type, str)
        if setting.choices:
            options["choices"] = setting.choices
        group.add_argument(setting.flag, **options)
