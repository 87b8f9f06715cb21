"""Credentials: the vendor config's auth schemes, or every scheme the spec's ``securitySchemes`` declares.

Each spec scheme keeps its name, so an operation's ``security`` alternatives can say which it accepts. Variables:
``<PREFIX>_USERNAME``/``_PASSWORD`` for basic (an empty password allowed), ``<PREFIX>_API_KEY`` for a bearer
token, an OAuth token and the first apiKey; a further apiKey named otherwise takes ``<PREFIX>_<ITS NAME>``.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from generator.model.config import AuthScheme, VendorConfig
from generator.model.naming import snake
from generator.runtime.contract import AuthSpec

API_KEY_PLACES = ("header", "query", "cookie")
BASIC = ("user ?name", "password")
GENERIC_SCHEME_WORDS = frozenset(
    {"basic", "auth", "http", "https", "authentication", "authorization", "security", "scheme", "credentials", "login"}
)
ABBREVIATIONS = frozenset({"sid", "id", "api", "url", "uid", "pat", "sso", "oauth"})
# A value's form as a description shows it: a word and a space, or ``name=`` (after a word and a space), then the key.
VALUE_PREFIX = r"(?P<prefix>[A-Za-z][\w-]*(?: +[A-Za-z][\w-]*=| +|=))"
KEY_PLACEHOLDER = (
    r"(?:<[^<>\s]+>|\{\{?[^{}\s]+\}?\}|\$\{?[A-Za-z_]\w*\}?|\[[^\]\s]+\]|[A-Z][A-Z0-9_]*(?:KEY|TOKEN)\w*|your[\w-]*)"
)


def server_auth(config: VendorConfig, document: dict[str, Any]) -> tuple[AuthSpec, ...]:
    """The schemes a server offers: the config's, else every usable one of the spec, else an optional bearer."""
    if config.auth:
        return tuple(auth_spec(scheme) for scheme in config.auth)
    found: list[AuthSpec] = []
    for name, scheme in spec_schemes(document).items():
        spec = auth_from_scheme(config.prefix, scheme, str(name))
        if spec is not None:
            found.append(_distinct(spec, found, config.prefix))
    return tuple(found or [AuthSpec("bearer", (f"{config.prefix}_API_KEY",), optional=True)])


def spec_schemes(document: dict[str, Any]) -> dict[str, Any]:
    """The spec's ``securitySchemes`` (objects only)."""
    schemes = (document.get("components") or {}).get("securitySchemes") or {}
    return {k: v for k, v in schemes.items() if isinstance(v, dict)} if isinstance(schemes, dict) else {}


def _distinct(spec: AuthSpec, found: list[AuthSpec], prefix: str) -> AuthSpec:
    """A second apiKey under another name gets a variable of its own (the first keeps ``_API_KEY``)."""
    clash = any(s.env == spec.env and s.header and s.header != spec.header for s in found)
    if spec.type in API_KEY_PLACES and spec.header and clash:
        own = re.sub(r"[^A-Z0-9]+", "_", spec.header.upper()).strip("_")
        return replace(spec, env=(f"{prefix}_{own}",))
    return spec


def auth_spec(scheme: AuthScheme) -> AuthSpec:
    """A configured credential scheme as the IR states it."""
    if scheme.type == "basic":
        env: tuple[str, ...] = (scheme.username_env or "", scheme.password_env or "")
    elif scheme.type == "bearer":
        env = (scheme.token_env or scheme.env or "",)
    else:
        env = (scheme.env or scheme.token_env or "",)
    return AuthSpec(scheme.type, env, scheme.header or scheme.name, scheme.optional, prefix=scheme.prefix or "")


def auth_from_scheme(prefix: str, scheme: dict[str, Any], name: str = "") -> AuthSpec | None:
    """One spec scheme as the server offers it (``None``: a kind no request can carry, e.g. mutual TLS)."""
    kind, where = scheme.get("type"), scheme.get("in")
    if kind == "http" and str(scheme.get("scheme", "")).lower() == "basic":
        parts = basic_parts(name, scheme.get("description"))
        env = (f"{prefix}_USERNAME", f"{prefix}_PASSWORD")
        return AuthSpec("basic", env, name=name, empty_password=not parts, parts=parts)
    if kind in ("http", "oauth2", "openIdConnect"):
        return AuthSpec("bearer", (f"{prefix}_API_KEY",), name=name)
    if kind == "apiKey" and where in API_KEY_PLACES and isinstance(scheme.get("name"), str):
        documented = documented_prefix(scheme.get("description"), scheme["name"])
        return AuthSpec(str(where), (f"{prefix}_API_KEY",), scheme["name"], name=name, prefix=documented)
    return None


def basic_parts(name: str, description: Any) -> tuple[str, ...]:
    """The spec's names for a basic scheme's user name and password, or ``()`` when it names neither.

    Said in its description (``Use your Account SID as the username and your Auth Token as the password``), else
    in its name when that joins two (``accountSid_authToken``). A scheme that names both needs both: only one
    that names neither may leave the password empty (Stripe's key is the user name).
    """
    text = description if isinstance(description, str) else ""
    said = [re.search(rf"([A-Z]\w*(?: [A-Z]\w*){{0,3}}) as (?:the |your )?{part}", text) for part in BASIC]
    if all(said):
        return tuple(_label(m.group(1)) for m in said if m)
    halves = [snake(h) for h in re.split(r"_|(?<=[a-z])And(?=[A-Z])|:", name) if h]
    if len(halves) != 2 or any(h in GENERIC_SCHEME_WORDS for h in halves):
        return ()  # ``basic_auth``, ``http_basic``: the scheme's kind, not its parts
    return tuple(_label(h.replace("_", " ")) for h in halves)


def _label(words: str) -> str:
    """``account sid`` → ``Account SID``: each word capitalized, a known abbreviation in capitals."""
    return " ".join(w.upper() if w.lower() in ABBREVIATIONS else w[:1].upper() + w[1:] for w in words.split())


def account_parameters(document: dict[str, Any], prefix: str) -> dict[str, str]:
    """``{snake name: variable}`` of the parameters that are the account in use: a basic scheme's user name, as the
    spec names it (Twilio's path parameter ``AccountSid`` is its ``accountSid`` user name)."""
    found = {}
    for name, scheme in spec_schemes(document).items():
        spec = auth_from_scheme(prefix, scheme, str(name))
        if spec is not None and spec.type == "basic" and spec.parts:
            found[snake(spec.parts[0])] = spec.env[0]
    return found


def documented_prefix(description: Any, parameter: str) -> str:
    """The text before the key where the scheme's description shows the value's form, else ``""``.

    The form is shown after the parameter's name and a colon, or in backticks, with a placeholder for the key:
    ``Authorization: Token token=<API_KEY>``, `` `Token token={key}` `` → ``Token token=``.
    """
    if not isinstance(description, str):
        return ""
    lead = rf"(?:(?i:{re.escape(parameter)})\s*:\s*|`)"
    match = re.search(lead + VALUE_PREFIX + KEY_PLACEHOLDER, description)
    return match.group("prefix") if match else ""


def api_key_params(document: dict[str, Any]) -> set[tuple[str, str]]:
    """``(location, name)`` of every apiKey scheme's parameter (header names lower-cased)."""
    found = set()
    for scheme in spec_schemes(document).values():
        where, name = scheme.get("in"), scheme.get("name")
        if scheme.get("type") == "apiKey" and where in API_KEY_PLACES and isinstance(name, str):
            found.add((str(where), name.lower() if where == "header" else name))
    return found


def security(operation: dict[str, Any], document: dict[str, Any]) -> tuple[tuple[str, ...], ...]:
    """The operation's alternatives (its own ``security``, else the document's) by scheme name; ``()`` in them:
    no credential needed; an empty result: the spec says nothing, any scheme will do."""
    stated = operation.get("security", document.get("security"))
    if not isinstance(stated, list):
        return ()
    if not stated:
        return ((),)
    return tuple(tuple(str(k) for k in req) for req in stated if isinstance(req, dict))
