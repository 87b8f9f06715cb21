"""Run-time settings: environment variables first, command-line flags over them."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .contract import Vendor

READ, WRITE, CUSTOM = "read", "write", "custom"


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


@dataclass(frozen=True)
class Settings:
    """Everything a server needs besides its tools; build one with ``Settings.from_env(vendor)``."""

    base_url: str
    env: dict[str, str] = field(default_factory=dict)
    scopes: frozenset[str] | None = None  # None: not told, list everything
    methods: frozenset[str] = frozenset()  # read, write, custom; empty: all
    tags: frozenset[str] = frozenset()
    include: frozenset[str] = frozenset()
    exclude: frozenset[str] = frozenset()
    connect_timeout: float = 10.0
    read_timeout: float = 60.0
    max_retries: int = 2
    max_retry_wait: float = 30.0
    max_rps: float = 0.0
    max_response_bytes: int = 100_000
    output_dir: Path = Path("mcp-output")
    upload_root: Path = Path(".")
    credit_budget: int = 3
    job_poll_interval: float = 2.0  # first pause between status calls while waiting for a job; it grows
    inputs_ttl: float = 60.0  # seconds a flow's declared inputs are reused
    max_download_bytes: int = 2_000_000_000
    server_urls: dict[str, str] = field(default_factory=dict)  # an operation's own server → where to send it
    toolset: str = "full"  # full: list every tool; dynamic: list search/describe/call meta-tools

    @classmethod
    def from_env(cls, vendor: Vendor, environ: dict[str, str] | None = None) -> Settings:
        """Read ``<PREFIX>_*`` variables (and the credential variables the vendor names)."""
        env = dict(os.environ if environ is None else environ)
        p = vendor.env_prefix
        scopes = env.get(f"{p}_SCOPES")
        return cls(
            base_url=(env.get(f"{p}_BASE_URL") or vendor.base_url).rstrip("/"),
            env=env,
            scopes=_split(scopes) if scopes is not None else None,
            methods=_split(env.get(f"{p}_METHODS")),
            tags=_split(env.get(f"{p}_TAGS")),
            include=_split(env.get(f"{p}_INCLUDE_TOOLS")),
            exclude=_split(env.get(f"{p}_EXCLUDE_TOOLS")),
            connect_timeout=_float(env.get(f"{p}_CONNECT_TIMEOUT"), 10.0),
            read_timeout=_float(env.get(f"{p}_READ_TIMEOUT"), 60.0),
            max_retries=int(_float(env.get(f"{p}_MAX_RETRIES"), 2)),
            max_retry_wait=_float(env.get(f"{p}_MAX_RETRY_WAIT"), 30.0),
            max_rps=_float(env.get(f"{p}_MAX_RPS"), 0.0),
            max_response_bytes=int(_float(env.get(f"{p}_MAX_RESPONSE_BYTES"), 100_000)),
            output_dir=Path(env.get(f"{p}_OUTPUT_DIR") or "mcp-output"),
            upload_root=Path(env.get(f"{p}_UPLOAD_ROOT") or "."),
            credit_budget=int(_float(env.get(f"{p}_CREDIT_CALL_BUDGET"), 3)),
            job_poll_interval=max(0.01, _float(env.get(f"{p}_JOB_POLL_INTERVAL"), 2.0)),
            inputs_ttl=_float(env.get(f"{p}_INPUTS_TTL"), 60.0),
            max_download_bytes=int(_float(env.get(f"{p}_MAX_DOWNLOAD_BYTES"), 2_000_000_000)),
            server_urls=_pairs(env.get(f"{p}_SERVER_URL_OVERRIDES")),
            toolset="dynamic" if env.get(f"{p}_TOOLSET", "").strip().lower() == "dynamic" else "full",
        )

    def url_for(self, server_url: str | None) -> str:
        """Where an operation goes: its own server (if it has one, maybe overridden), else the base URL."""
        if not server_url:
            return self.base_url
        return self.server_urls.get(server_url.rstrip("/"), server_url)

    def with_filters(
        self, *, methods: str | None, tags: str | None, include: str | None, exclude: str | None
    ) -> Settings:
        """Command-line filters replace the environment's where given."""
        return replace(
            self,
            methods=_split(methods) if methods else self.methods,
            tags=_split(tags) if tags else self.tags,
            include=_split(include) if include else self.include,
            exclude=_split(exclude) if exclude else self.exclude,
        )

    def with_args(self, args: Any) -> Settings:
        """Command-line flags (filters, limits, timeouts, output) over the environment, where given."""
        limits = {
            "max_rps": args.max_rps,
            "max_retries": args.max_retries,
            "max_retry_wait": args.max_retry_wait,
            "connect_timeout": args.connect_timeout,
            "read_timeout": args.read_timeout,
            "max_response_bytes": args.max_response_bytes,
            "output_dir": Path(args.output_dir) if args.output_dir else None,
            "toolset": getattr(args, "toolset", None),
        }
        given = {key: value for key, value in limits.items() if value is not None}
        filtered = self.with_filters(methods=args.methods, tags=args.tags, include=args.include, exclude=args.exclude)
        return replace(filtered, **given)
