"""Upstream credentials: the first configured scheme whose environment variables are all set wins."""

from __future__ import annotations

import base64
from dataclasses import dataclass, field

from ..contract import AuthSpec


class MissingCredentials(Exception):
    """No scheme can be used; the message names the variables to set."""


@dataclass(frozen=True)
class Credentials:
    """Headers and query parameters that carry the credentials, plus the raw values to redact."""

    headers: dict[str, str] = field(default_factory=dict)
    params: dict[str, str] = field(default_factory=dict)
    secrets: tuple[str, ...] = ()


def resolve(schemes: tuple[AuthSpec, ...], env: dict[str, str]) -> Credentials:
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
