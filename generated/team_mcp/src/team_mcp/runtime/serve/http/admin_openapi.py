"""The OpenAPI document of the admin API (``GET /admin/openapi.json``): what a platform's backend codes against."""

from __future__ import annotations

from typing import Any

_NAMES = {
    "oneOf": [{"type": "array", "items": {"type": "string"}}, {"type": "string", "description": "comma-separated"}]
}
_NAME = {"type": "string", "pattern": "^[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}$"}
_ERROR = {
    "type": "object",
    "properties": {"error": {"type": "string"}, "error_description": {"type": "string"}},
    "required": ["error", "error_description"],
}
_CONNECTION: dict[str, Any] = {
    "type": "object",
    "properties": {
        "name": _NAME,
        "account": {"type": ["string", "null"]},
        "state": {"type": "string", "description": "active, or why it is refused (revoked, expired)"},
        **{key: {"type": "array", "items": {"type": "string"}} for key in ("methods", "tags", "include", "exclude")},
        "expires_at": {"type": ["string", "null"], "format": "date-time"},
        "require_bearer": {"type": "boolean"},
        "created_at": {"type": ["string", "null"], "format": "date-time"},
    },
}
_NEW_CONNECTION: dict[str, Any] = {
    "type": "object",
    "required": ["name"],
    "properties": {
        "name": _NAME,
        "account": {**_NAME, "description": "the vendor account its calls use"},
        "methods": {**_NAMES, "description": "kinds it may use: read, write, custom"},
        "tags": _NAMES,
        "include": _NAMES,
        "exclude": _NAMES,
        "expires_at": {"type": "string", "format": "date-time"},
        "require_bearer": {"type": "boolean"},
    },
}
_ACCOUNT: dict[str, Any] = {
    "type": "object",
    "properties": {
        "name": _NAME,
        "kind": {"enum": ["key", "oauth"]},
        "state": {"enum": ["active", "needs_reconnect"]},
        "base_url": {"type": ["string", "null"]},
        "scopes": {"type": ["array", "null"], "items": {"type": "string"}},
        "token_expires_at": {"type": ["string", "null"], "format": "date-time"},
        "last_used_at": {"type": ["string", "null"], "format": "date-time"},
        "identity": {"type": ["string", "null"], "description": "who approved at the vendor, where it says"},
    },
}
_NEW_ACCOUNT: dict[str, Any] = {
    "type": "object",
    "required": ["name"],
    "properties": {
        "name": _NAME,
        "credential": {
            "type": "object",
            "additionalProperties": {"type": "string"},
            "description": "the credential variables as the server reads them, e.g. {GONG_ACCESS_TOKEN: ...}",
        },
        "connect": {"type": "boolean", "description": "true: answer the vendor's OAuth link that connects it"},
        "base_url": {"type": "string"},
        "scopes": _NAMES,
    },
}


REMOVED = "removed; the connections bound to it (`revoked_connections`) are revoked"


def _json(schema: dict[str, Any], text: str) -> dict[str, Any]:
    return {"description": text, "content": {"application/json": {"schema": schema}}}


def _errors() -> dict[str, Any]:
    return {code: _json(_ERROR, text) for code, text in (("400", "invalid"), ("401", "no or wrong admin token"))}


def _collection(item: dict[str, Any], new: dict[str, Any], created: str, listed: str) -> dict[str, Any]:
    return {
        "post": {
            "requestBody": {"required": True, "content": {"application/json": {"schema": new}}},
            "responses": {"201": _json(item, created), **_errors()},
        },
        "get": {"responses": {"200": _json({"type": "object", "properties": {listed: {"type": "array", "items": item}}},
                                           listed), **_errors()}},
    }  # fmt: skip


def _per_vendor(members: tuple[str, ...]) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    """A suite's shapes (``members``: its vendors): a connection's account per vendor, an account's vendor."""
    bound = {"type": "object", "properties": dict.fromkeys(members, _NAME), "additionalProperties": False}
    vendor = {"enum": list(members), "description": "the vendor the account calls"}
    described = {**bound, "description": "the vendor account its calls of each vendor's tools use"}
    connection = {**_CONNECTION, "properties": {**_CONNECTION["properties"], "account": bound}}
    new_connection = {**_NEW_CONNECTION, "properties": {**_NEW_CONNECTION["properties"], "account": described}}
    new_account = {**_NEW_ACCOUNT, "required": ["name", "vendor"],
                   "properties": {**_NEW_ACCOUNT["properties"], "vendor": vendor}}  # fmt: skip
    return connection, new_connection, new_account


def document(title: str, members: tuple[str, ...] = ()) -> dict[str, Any]:
    """The admin API of a server for ``title`` (``members``: a suite's vendors, each bound by name)."""
    shown, new_connection, new_account = (
        _per_vendor(members) if members else (_CONNECTION, _NEW_CONNECTION, _NEW_ACCOUNT)
    )
    account = {**_ACCOUNT, "properties": {**_ACCOUNT["properties"], "vendor": {"enum": list(members)}}}
    created_connection = {**shown, "properties": {**shown["properties"], "url": {"type": "string"}}}
    name = [{"name": "name", "in": "path", "required": True, "schema": _NAME}]
    return {
        "openapi": "3.1.0",
        "info": {"title": f"{title} MCP server: admin API", "version": "1"},
        "components": {"securitySchemes": {"admin": {"type": "http", "scheme": "bearer"}}},
        "security": [{"admin": []}],
        "paths": {
            "/admin/connections": _collection(
                created_connection, new_connection, "made; `url` is shown this once", "connections"
            ),
            "/admin/connections/{name}": {
                "delete": {"parameters": name, "responses": {"200": _json({"type": "object"}, "revoked"), **_errors()}}
            },
            "/admin/accounts": _collection(
                account if members else _ACCOUNT, new_account, "stored (or its connect link)", "accounts"
            ),
            "/admin/accounts/{name}": {
                "delete": {"parameters": name, "responses": {"200": _json({"type": "object"}, REMOVED), **_errors()}}
            },
        },
    }
