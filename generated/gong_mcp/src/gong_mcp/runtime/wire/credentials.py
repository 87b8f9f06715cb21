"""Upstream credentials: the first scheme an operation accepts whose environment variables are set wins.

A spec's schemes are alternatives (basic, bearer, apiKey in a header, query or cookie, OAuth tokens); an
operation's ``security`` names those it accepts. A spec's basic scheme needs only its user name: an empty
password is a password (Stripe's secret key is the user name).
"""

from __future__ import annotations

import base64
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field, replace
from urllib.parse import quote

from ..contract import AuthSpec, Operation
from ..failures import MissingCredentials
from .request import Request


@dataclass(frozen=True)
class Credentials:
    """Headers, query parameters and cookies that carry the credentials, the raw values to redact, and the
    credential itself (``token``) for parameters that carry it."""

    headers: dict[str, str] = field(default_factory=dict)
    params: dict[str, str] = field(default_factory=dict)
    secrets: tuple[str, ...] = ()
    cookies: dict[str, str] = field(default_factory=dict)
    token: str = ""
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


def account_credentials(
    schemes: tuple[AuthSpec, ...], env: Mapping[str, str], bound: Bound, security: tuple[tuple[str, ...], ...] = ()
) -> Credentials:
    """The credentials of ``bound``, with the environment its argument defaults come from and its base URL."""
    merged = bound_env(schemes, env, bound.values)
    return replace(resolve(schemes, merged, security), env=merged, base_url=bound.base_url)


def usable(scheme: AuthSpec, env: Mapping[str, str]) -> bool:
    """Every variable the scheme needs is set (a basic scheme that allows it: only the user name)."""
    return all(env.get(v) for v in scheme.needed)


def resolve(
    schemes: tuple[AuthSpec, ...], env: Mapping[str, str], security: tuple[tuple[str, ...], ...] = ()
) -> Credentials:
    """Credentials from the environment; optional schemes add to the chosen one.

    ``security`` is the operation's alternatives by scheme name (``()`` in it: no credential needed); without
    it, or when the schemes have no names (a vendor config's), any required scheme will do.
    """
    chosen = _choose(schemes, env, security)
    creds = Credentials()
    for scheme in [*chosen, *[s for s in schemes if s.optional]]:
        if usable(scheme, env):
            prefix = env.get(scheme.prefix_env, scheme.prefix) if scheme.prefix_env else ""
            creds = _apply(creds, scheme, [env.get(v, "") for v in scheme.env], prefix)
    return creds


def _choose(
    schemes: tuple[AuthSpec, ...], env: Mapping[str, str], security: tuple[tuple[str, ...], ...]
) -> list[AuthSpec]:
    """The schemes of the first alternative that can be used: those with a credential first, then none."""
    required = [s for s in schemes if not s.optional]
    options = _options(required, security)
    for option in sorted(options, key=lambda o: not o):
        if all(usable(s, env) for s in option):
            return option
    if options:
        names = " or ".join(" + ".join(s.called(v) for s in option for v in s.needed) for option in options)
        raise MissingCredentials(f"no upstream credentials are set; set {names}")
    return []


def _options(required: list[AuthSpec], security: tuple[tuple[str, ...], ...]) -> list[list[AuthSpec]]:
    """The operation's alternatives as schemes; any one required scheme when it names none this server knows."""
    named = {s.name: s for s in required if s.name}
    known = [[named[n] for n in alt] for alt in security if all(n in named for n in alt)] if named else []
    return known or [[s] for s in required]


def _apply(creds: Credentials, scheme: AuthSpec, values: list[str], prefix: str = "") -> Credentials:
    """``creds`` with the scheme's credential added (an apiKey's value after its ``prefix``)."""
    headers, params, cookies = dict(creds.headers), dict(creds.params), dict(creds.cookies)
    if scheme.type == "basic":
        token = base64.b64encode(f"{values[0]}:{values[1]}".encode()).decode("ascii")
        headers["Authorization"] = f"Basic {token}"
    elif scheme.type == "bearer":
        headers["Authorization"] = f"Bearer {values[0]}"
    elif scheme.type == "header" and scheme.header:
        headers[scheme.header] = prefix + values[0]
    elif scheme.type == "query" and scheme.header:
        params[scheme.header] = prefix + values[0]
    elif scheme.type == "cookie" and scheme.header:
        cookies[scheme.header] = prefix + values[0]
    if scheme.optional and creds.token:  # an add-on to the credential (a workspace header), not a secret itself
        return Credentials(headers, params, creds.secrets, cookies, creds.token)
    # An optional scheme's value is the credential when no required one gave it (the generator's fallback bearer,
    # whose value fills LanguageTool's form field ``apiKey``), withheld from answers like any other.
    return Credentials(headers, params, (*creds.secrets, *filter(None, values)), cookies, creds.token or values[0])


def carried(op: Operation, creds: Credentials, schemes: tuple[AuthSpec, ...]) -> None:
    """An operation that carries the credential in a required parameter of its own (a form field ``apiKey``) is
    not sent without one: ``MissingCredentials`` naming the variables to set."""
    if creds.token or not any(f.credential and f.required for f in op.fixed):
        return
    options = dict.fromkeys(" + ".join(s.called(v) for v in s.needed) for s in schemes if s.needed)
    names = " or ".join(options) or "a credential"
    wire = next(f.wire for f in op.fixed if f.credential and f.required)
    raise MissingCredentials(f"no upstream credential is set for the required parameter {wire!r}; set {names}")


def attach(request: Request, creds: Credentials) -> None:
    """Put the credentials on a built request: headers, query pairs, and cookies after the request's own."""
    request.headers.update(creds.headers)
    request.params.extend(creds.params.items())
    cookies = [f"{name}={quote(value, safe='')}" for name, value in creds.cookies.items()]
    if cookies:
        request.headers["Cookie"] = "; ".join(filter(None, (request.headers.get("Cookie"), *cookies)))
