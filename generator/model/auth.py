"""Credentials: the vendor config's auth schemes, or a default read from the spec's ``securitySchemes``."""

from __future__ import annotations

from typing import Any

from generator.model.config import AuthScheme, VendorConfig
from generator.runtime.contract import AuthSpec


def server_auth(config: VendorConfig, document: dict[str, Any]) -> tuple[AuthSpec, ...]:
    """The schemes a server sends: the config's, else the spec's first usable one, else an optional bearer."""
    if config.auth:
        return tuple(auth_spec(scheme) for scheme in config.auth)
    schemes = (document.get("components") or {}).get("securitySchemes") or {}
    found = [auth_from_scheme(config.prefix, scheme) for scheme in schemes.values() if isinstance(scheme, dict)]
    usable = [a for a in found if a is not None][:1]
    return tuple(usable or [AuthSpec("bearer", (f"{config.prefix}_API_KEY",), optional=True)])


def auth_spec(scheme: AuthScheme) -> AuthSpec:
    """A configured credential scheme as the IR states it."""
    if scheme.type == "basic":
        env: tuple[str, ...] = (scheme.username_env or "", scheme.password_env or "")
    elif scheme.type == "bearer":
        env = (scheme.token_env or scheme.env or "",)
    else:
        env = (scheme.env or scheme.token_env or "",)
    return AuthSpec(scheme.type, env, scheme.header or scheme.name, scheme.optional)


def auth_from_scheme(prefix: str, scheme: dict[str, Any]) -> AuthSpec | None:
    """A default credential scheme for a spec run without a config."""
    kind, where = scheme.get("type"), scheme.get("in")
    if kind == "http" and str(scheme.get("scheme", "")).lower() == "basic":
        return AuthSpec("basic", (f"{prefix}_USERNAME", f"{prefix}_PASSWORD"))
    if kind in ("http", "oauth2", "openIdConnect"):
        return AuthSpec("bearer", (f"{prefix}_API_KEY",))
    if kind == "apiKey" and where in ("header", "query") and isinstance(scheme.get("name"), str):
        return AuthSpec(where, (f"{prefix}_API_KEY",), scheme["name"])
    return None
