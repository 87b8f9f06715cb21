"""What a generated tool tells the runtime about its operation: pure data, no behaviour."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ParamSpec:
    """Where one argument goes: ``arg`` is the name agents use, ``wire`` the name the API uses."""

    arg: str
    wire: str
    location: str  # path, query, header, cookie, body, body_extra, body_whole
    is_file: bool = False
    default_env: str | None = None


@dataclass(frozen=True)
class Operation:
    """One upstream operation behind one tool."""

    name: str
    method: str
    path: str
    params: tuple[ParamSpec, ...] = ()
    body: str = "none"  # none, json, multipart, form, raw
    media_type: str | None = None
    tag: str = ""
    scopes: tuple[str, ...] = ()
    read_only: bool = False
    destructive: bool = False
    idempotent: bool = False
    server_url: str | None = None
    retry_safe: bool = False
    credits: bool = False

    @property
    def kind(self) -> str:
        """``read``, ``write`` or ``custom`` (not plain CRUD: reads by POST, actions on a resource)."""
        if self.read_only:
            return "read" if self.method == "GET" else "custom"
        return "write"


@dataclass(frozen=True)
class AuthSpec:
    """One credential scheme and the environment variables that feed it."""

    type: str  # basic, bearer, header, query
    env: tuple[str, ...]
    header: str | None = None
    optional: bool = False


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
