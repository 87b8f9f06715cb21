"""Upstream credentials: the first configured scheme whose environment variables are all set wins."""

from __future__ import annotations

import base64
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..contract import AuthSpec, Operation


class MissingCredentials(Exception):
    """No scheme can be used; the message names the variables to set (or, for accounts, how to connect one)."""

    def __init__(self, message: str, hint: str = "", details: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.hint = hint or "set the variable(s) in the server's environment and restart it"
        self.details = details or {}


@dataclass(frozen=True)
class Credentials:
    """Headers and query parameters that carry the credentials, plus the raw values to redact."""

    headers: dict[str, str] = field(default_factory=dict)
    params: dict[str, str] = field(default_factory=dict)
    secrets: tuple[str, ...] = ()
    env: Mapping[str, str] | None = None  # where argument defaults are read (None: the process environment)
    base_url: str | None = None  # the account's own API host, over the server's base URL


@dataclass(frozen=True)
class Bound:
    """A vendor account's credential for one call: its variables stand in for the process's, and its base URL."""

    account: str
    values: Mapping[str, str]
    base_url: str | None = None


# Given the operation about to be called: the caller's account credential, None to use the process's, or
# ``MissingCredentials`` saying how to connect one.
AccountSource = Callable[[Operation], Awaitable[Bound | None]]


def bound_env(schemes: tuple[AuthSpec, ...], env: Mapping[str, str], values: Mapping[str, str]) -> dict[str, str]:
    """``env`` with every credential variable of the process replaced by the account's."""
    own = {var for scheme in schemes for var in scheme.env}
    return {**{k: v for k, v in env.items() if k not in own}, **values}


def account_credentials(schemes: tuple[AuthSpec, ...], env: Mapping[str, str], bound: Bound) -> Credentials:
    """The credentials of ``bound``, with the environment its argument defaults come from and its base URL."""
    merged = bound_env(schemes, env, bound.values)
    creds = resolve(schemes, merged)
    return Credentials(creds.headers, creds.params, creds.secrets, merged, bound.base_url)


def resolve(schemes: tuple[AuthSpec, ...], env: Mapping[str, str]) -> Credentials:
    """Credentials from the environment; optional schemes add to the first required one that is set."""
    required = [s for s in schemes if not s.optional]
    chosen = next((s for s in required if all(env.get(v) for v in s.env)), None)
    if required and chosen is None:
        options = " or ".join(" + ".join(s.env) for s in required)
        raise MissingCredentials(f"no upstream credentials are set; set {options}")
    creds = Credentials()
    for scheme in [chosen, *[s for s in schemes if s.optional]]:
        if scheme is not None and all(env.get(v) for v in scheme.env):
            creds = _apply(creds, scheme, [env[v] for v in scheme.env])
    return creds


def _apply(creds: Credentials, scheme: AuthSpec, values: list[str]) -> Credentials:
    headers, params = dict(creds.headers), dict(creds.params)
    if scheme.type == "basic":
        token = base64.b64encode(f"{values[0]}:{values[1]}".encode()).decode("ascii")
        headers["Authorization"] = f"Basic {token}"
    elif scheme.type == "bearer":
        headers["Authorization"] = f"Bearer {values[0]}"
    elif scheme.type == "header" and scheme.header:
        headers[scheme.header] = values[0]
    elif scheme.type == "query" and scheme.header:
        params[scheme.header] = values[0]
    secrets = creds.secrets if scheme.optional else (*creds.secrets, *values)
    return Credentials(headers, params, secrets)
