"""What an operation means beyond its shape: scopes, read/write hints, auth, servers, request models.

Precedence everywhere: the vendor config, then an ``x-mcp`` extension in the spec, then a heuristic.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from generator.model.config import AuthScheme, OperationOverride, VendorConfig
from generator.model.ir import AuthSpec, Hints
from generator.model.naming import snake
from generator.model.prose import brief, plain
from generator.model.schemas import SchemaConverter
from generator.spec.refs import Resolver

if TYPE_CHECKING:
    from generator.model.operations import Draft

READ_VERB = re.compile(r"^(list|get|search|find|query|fetch|retrieve|read|describe|lookup|download|count|check)", re.I)
DESTRUCTIVE_WORDS = frozenset(
    {"purge", "erase", "delete", "remove", "unassign", "kill", "cancel", "detach", "revoke", "destroy", "wipe"}
)
SENTENCE = re.compile(r"(?<=[.!?])\s+")
DESCRIPTION_LIMIT = 320


def override_for(config: VendorConfig, operation: dict[str, Any], method: str, path: str) -> OperationOverride:
    """The config entry for an operation, by operationId or by ``METHOD /path``."""
    for key in (str(operation.get("operationId") or ""), f"{method} {path}"):
        if key in config.operations:
            return config.operations[key]
    return OperationOverride()


def _x_mcp(operation: dict[str, Any]) -> dict[str, Any]:
    extension = operation.get("x-mcp")
    return extension if isinstance(extension, dict) else {}


def scopes(
    config: VendorConfig, operation: dict[str, Any], override: OperationOverride, default_security: Any = None
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Required and conditional OAuth scopes: config, then ``security``, then the prose patterns."""
    if override.scopes is not None:
        return tuple(override.scopes), ()
    declared = _x_mcp(operation).get("scopes")
    if isinstance(declared, list):
        return tuple(str(s) for s in declared), ()
    found: list[str] = []
    security = operation["security"] if "security" in operation else default_security
    # Requirement objects are alternatives; the first is the one the tool documents and is gated on.
    for requirement in security[:1] if isinstance(security, list) else []:
        if isinstance(requirement, dict):
            found.extend(str(s) for values in requirement.values() if isinstance(values, list) for s in values)
    text = str(operation.get("description") or "")
    found.extend(m for pattern in config.scopes.patterns for m in re.findall(pattern, text))
    conditional = [m for pattern in config.scopes.conditional_patterns for m in re.findall(pattern, text)]
    required = tuple(dict.fromkeys(found))
    return required, tuple(s for s in dict.fromkeys(conditional) if s not in required)


def strip_scope_prose(text: str, config: VendorConfig | None = None) -> str:
    """Drop sentences that only state scopes (they are listed separately)."""
    patterns = [*(config.scopes.patterns if config else []), *(config.scopes.conditional_patterns if config else [])]
    if not patterns:
        return text
    kept = [s for s in SENTENCE.split(text) if not any(re.search(p, s) for p in patterns)]
    return " ".join(kept).strip()


def describe(
    operation: dict[str, Any],
    config: VendorConfig,
    found: tuple[tuple[str, ...], tuple[str, ...]],
    override: OperationOverride,
) -> str:
    """The lean description listed to agents: what it does, then scopes and warnings, one short line each."""
    summary = brief(operation.get("summary"), 120)
    body = brief(strip_scope_prose(plain(operation.get("description")), config), DESCRIPTION_LIMIT)
    parts = [summary] if summary else []
    if body and body.rstrip(".") != summary.rstrip("."):
        parts.append(body)
    required, conditional = found
    if required:
        parts.append("Scopes: " + ", ".join(required) + ".")
    if conditional:
        parts.append("Sometimes also: " + ", ".join(conditional) + ".")
    if override.credits:
        parts.append("Consumes paid vendor credits on every call.")
    if operation.get("deprecated"):
        parts.append("Deprecated.")
    return "\n".join(parts)


def hints(method: str, path: str, operation: dict[str, Any], override: OperationOverride, name: str) -> Hints:
    """Read/write hints: the method's default, corrected by the operation's verb, ``x-mcp`` and config."""
    op_id = str(operation.get("operationId") or "")
    words = set(snake(f"{op_id} {path}").split("_"))
    read_only = method in ("GET", "HEAD", "OPTIONS") or (method == "POST" and bool(READ_VERB.match(op_id)))
    destructive = not read_only and (method in ("DELETE", "PUT", "PATCH") or bool(words & DESTRUCTIVE_WORDS))
    idempotent = read_only or method in ("PUT", "DELETE")
    extension = _x_mcp(operation)
    read_only = _pick(override.read_only, extension.get("readOnly"), read_only)
    destructive = _pick(override.destructive, extension.get("destructive"), destructive and not read_only)
    idempotent = _pick(override.idempotent, extension.get("idempotent"), idempotent)
    open_world = _pick(override.open_world, extension.get("openWorld"), True)
    title = override.title or brief(operation.get("summary"), 80) or name.replace("_", " ").capitalize()
    return Hints(
        title=title, read_only=read_only, destructive=destructive, idempotent=idempotent, open_world=open_world
    )


def _pick(configured: bool | None, extension: Any, heuristic: bool) -> bool:
    if configured is not None:
        return configured
    if isinstance(extension, bool):
        return extension
    return heuristic


def first_server(node: dict[str, Any]) -> str | None:
    """The first http(s) ``servers`` URL of a document or of one operation (Gumloop's chat host), if any."""
    servers = node.get("servers")
    if isinstance(servers, list) and servers and isinstance(servers[0], dict):
        url = servers[0].get("url")
        if isinstance(url, str) and url.startswith(("http://", "https://")):
            return url.rstrip("/")
    return None


def response_kind(operation: dict[str, Any], resolver: Resolver, where: str) -> str:
    """What a successful response carries: json, text, binary or nothing."""
    for status, raw in sorted((operation.get("responses") or {}).items()):
        if not str(status).startswith("2"):
            continue
        response = resolver.deref(raw, f"{where} responses/{status}")
        content = response.get("content") if isinstance(response, dict) else None
        if not content:
            continue
        media = str(next(iter(content))).lower()
        if "json" in media or media == "*/*":
            return "json"
        return "text" if media.startswith("text/") else "binary"
    return "empty"


def auth_spec(scheme: AuthScheme) -> AuthSpec:
    """A configured credential scheme as the IR states it."""
    if scheme.type == "basic":
        env = (scheme.username_env or "", scheme.password_env or "")
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


def request_models(resolver: Resolver, drafts: list[Draft]) -> dict[str, Any]:
    """JSON Schemas of the object components that arguments use, keyed by model class name."""
    converter = SchemaConverter(resolver, "#/components/schemas", always_defs=True)
    for ref in sorted({ref for draft in drafts for ref in draft.component_refs}):
        target = resolver.deref({"$ref": ref}, ref)
        if isinstance(target, dict) and (target.get("type") == "object" or "properties" in target or "allOf" in target):
            converter.convert({"$ref": ref})
    return dict(sorted(converter.defs.items()))
