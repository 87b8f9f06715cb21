"""The admin API a platform's backend provisions with: ``/admin/connections`` and ``/admin/accounts`` (POST, GET,
DELETE ``/<name>``), JSON, behind ``Authorization: Bearer $<PREFIX>_ADMIN_TOKEN``; ``GET /admin/openapi.json``
describes it. Without the token set, every ``/admin`` path answers 404: the API does not exist.

The checks and the store are the command line's (``manage.connection_from``, ``accounts``); a connection's
URL is in the ``POST`` answer only, once. No answer ever carries an account's credential.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable, Mapping
from typing import Any

from ...contract import Operation, Vendor, parse_list
from ...failures import BodyTooLarge, ManagementError, StoreDown, StoreKeyError
from ...team import accounts, connections, vendor_oauth
from ...team.accounts import KEY, Account, Members
from ...team.connections import Connection, binding
from ...team.manage import account_binding, connection_from
from ...team.sealing import Sealer
from ...team.store import Store
from ...team.vendor_client import Client
from .admin_openapi import document
from .asgi import Receive, Refusal, Scope, Send, bearer, json_value, read_body, refuse, respond_json
from .throttle import Throttle

PREFIX = "/admin"
MAX_BODY_BYTES = 64_000
FILTERS = ("methods", "tags", "include", "exclude")


class AdminApi:
    """The admin API as an ASGI app (mount it at ``PREFIX``); ``token`` None or empty: off."""

    def __init__(self, store: Store, token: str | None, vendor: Vendor, operations: Mapping[str, Operation],
                 env: Mapping[str, str], public_url: str, members: Members | None = None) -> None:  # fmt: skip
        self.store, self.token, self.vendor, self.operations = store, token or None, vendor, operations
        self.members = members or {}  # a suite's vendors: an account names one, a connection binds one per vendor
        self.env, self.public_url = env, public_url.rstrip("/") or "http://127.0.0.1:8000"
        self.throttle = Throttle()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path, method = str(scope.get("path", "")), str(scope.get("method", ""))
        if scope.get("type") != "http" or self.token is None or not path.startswith(PREFIX):
            await refuse(send, Refusal(404, "not_found", "no such path"))
            return
        presented = bearer(scope)
        if not hmac.compare_digest(presented.encode(), self.token.encode()):
            await refuse(send, self._wrong(scope, presented))
            return
        try:
            status, answer = await self._route(method, path.removeprefix(PREFIX).rstrip("/"), receive)
        except (ManagementError, StoreKeyError, ValueError) as exc:
            status, answer = 400, {"error": "invalid_request", "error_description": str(exc)}
        except BodyTooLarge as exc:
            status, answer = 413, {"error": "too_large", "error_description": str(exc)}
        except StoreDown as exc:
            status, answer = 503, {"error": "store_unavailable", "error_description": str(exc)}
        await respond_json(send, status, answer)

    def _wrong(self, scope: Scope, presented: str) -> Refusal:
        """A wrong admin token, counted like every wrong credential: 401, and 429 past the throttle."""
        throttled = self.throttle.wrong(scope, presented, "admin tokens")
        if throttled is not None:
            return throttled
        return Refusal(401, "invalid_token", "the admin API needs 'Authorization: Bearer <admin token>'")

    async def _route(self, method: str, path: str, receive: Receive) -> tuple[int, Any]:
        collection, _, name = path.strip("/").partition("/")
        if (method, path) == ("GET", "/openapi.json"):
            return 200, document(self.vendor.title, tuple(sorted(self.members)))
        handlers: dict[tuple[str, str, bool], Callable[..., Any]] = {
            ("POST", "connections", False): self._create_connection, ("GET", "connections", False): self._connections,
            ("DELETE", "connections", True): self._revoke, ("POST", "accounts", False): self._create_account,
            ("GET", "accounts", False): self._accounts, ("DELETE", "accounts", True): self._remove_account,
        }  # fmt: skip
        handler = handlers.get((method, collection, bool(name)))
        if handler is None or "/" in name:
            return 404, {"error": "not_found", "error_description": f"no route {method} {PREFIX}{path}"}
        args = (await _json(receive),) if method == "POST" else (name,) if name else ()
        answer: tuple[int, Any] = await handler(*args)
        return answer

    async def _create_connection(self, body: dict[str, Any]) -> tuple[int, Any]:
        filters = {key: frozenset(_names(body.get(key), key)) for key in FILTERS}
        account = account_binding(_bound(body.get("account")), self.members)
        expires = _text(body.get("expires_at"), "expires_at") or None
        conn = connection_from(
            _text(body.get("name"), "name"), filters, expires, body.get("require_bearer") is True, account,
            self.operations,
        )  # fmt: skip
        secret = await self.store.call(lambda: connections.create(self.store, conn))
        url = f"{self.public_url}/mcp/c/{secret}"
        return 201, {**self._connection(conn), "url": url, "secret": secret, "shown": "once"}

    def _connection(self, conn: Connection) -> dict[str, Any]:
        """A connection as the API shows it (a suite: its account per vendor, as an object)."""
        return _connection(conn, bool(self.members))

    async def _connections(self) -> tuple[int, Any]:
        found = await self.store.call(lambda: connections.listed(self.store))
        return 200, {"connections": [self._connection(conn) for conn in found]}

    async def _revoke(self, name: str) -> tuple[int, Any]:
        await self.store.call(lambda: connections.revoke(self.store, name))
        return 200, {"name": name, "revoked": True}

    async def _create_account(self, body: dict[str, Any]) -> tuple[int, Any]:
        sealer = Sealer.from_env(self.env, self.vendor.env_prefix)
        name = accounts.check_name(_text(body.get("name"), "name"))
        asked = _text(body.get("vendor"), "vendor") or None
        vendor, defaults, recorded = accounts.account_vendor(self.members, asked, self.vendor, self.operations.values())
        if body.get("connect") is True:
            return 201, {"name": name, "connect_url": await self._connect(sealer, name, vendor, recorded)}
        given = body.get("credential")
        if not isinstance(given, dict) or not all(isinstance(v, str) for v in given.values()):
            raise ValueError("credential: an object of the credential variables, e.g. {GONG_ACCESS_TOKEN: ...}")
        values = accounts.credential_from(vendor.auth, given, defaults)
        scopes = frozenset(_names(body["scopes"], "scopes")) if "scopes" in body else None
        base = _text(body.get("base_url"), "base_url") or None
        account = Account(name, KEY, base_url=base, scopes=scopes, vendor=recorded)
        await self.store.call(lambda: accounts.save(self.store, sealer, account, accounts.AccountSecret(values)))
        return 201, _account(account)

    async def _connect(self, sealer: Sealer, name: str, vendor: Vendor, recorded: str) -> str:
        client = Client.from_env(vendor, self.env, self.public_url)
        if client is None:
            raise ValueError(f"{vendor.title}'s OAuth is not configured on this server")
        return await self.store.call(lambda: vendor_oauth.start(self.store, sealer, client, name, vendor=recorded))

    async def _accounts(self) -> tuple[int, Any]:
        return 200, {"accounts": [_account(a) for a in await self.store.call(lambda: accounts.listed(self.store))]}

    async def _remove_account(self, name: str) -> tuple[int, Any]:
        sealer = Sealer.from_env(self.env, self.vendor.env_prefix)
        client = Client.from_env(self.vendor, self.env, self.public_url)
        revoked, bound = await vendor_oauth.remove(self.store, sealer, client, name)
        return 200, {"name": name, "removed": True, "revoked_at_vendor": revoked, "revoked_connections": bound}


async def _json(receive: Receive) -> dict[str, Any]:
    data = json_value(await read_body(receive, MAX_BODY_BYTES) or b"null")  # ValueError: not JSON, or too deep
    if not isinstance(data, dict):
        raise ValueError("the body must be a JSON object")
    return data


def _text(value: Any, field: str) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValueError(f"{field}: a string")
    return value


def _names(value: Any, field: str) -> tuple[str, ...]:
    """A list of names, or one comma-separated string (as the command line takes them)."""
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(v.strip() for v in value if v.strip())
    return parse_list(_text(value, field))


def _bound(value: Any) -> list[str]:
    """The accounts a connection asks for: one name, or (a suite) an object of vendor → name."""
    if isinstance(value, dict) and all(isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
        return [f"{vendor}={name}" for vendor, name in value.items()]
    text = _text(value, "account")
    return [text] if text else []


def _connection(conn: Connection, suite: bool = False) -> dict[str, Any]:
    bound: Any = binding(conn.account) if suite else conn.account
    return {
        "name": conn.name, "account": bound, "state": conn.refusal() or "active",
        **{key: sorted(getattr(conn, key)) for key in FILTERS},
        "expires_at": conn.expires_at, "require_bearer": conn.require_bearer, "created_at": conn.created_at or None,
    }  # fmt: skip


def _account(account: Account) -> dict[str, Any]:
    return {
        "name": account.name, **({"vendor": account.vendor} if account.vendor else {}),
        "kind": account.kind, "state": account.state, "base_url": account.base_url,
        "scopes": None if account.scopes is None else sorted(account.scopes),
        "token_expires_at": account.token_expires_at, "last_used_at": account.last_used_at,
        "identity": account.identity,
    }  # fmt: skip
