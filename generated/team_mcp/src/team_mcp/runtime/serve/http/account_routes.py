"""Vendor accounts on a served team: the one function the HTTP stack calls to turn them on, and the routes it mounts.

``mount`` gives the dispatcher its per-caller credential source when accounts are in use (the store key is
set, or the store holds accounts) -- without a usable key it raises ``StoreKeyError`` with one line, and the server
does not start -- and answers the two ASGI apps to route to: the vendor's OAuth callback and the admin API.
``configured`` is the readiness check for a server that may run without process-wide vendor credentials.

What the access path does with it, in order:

1. at start, once the store is open: ``routes = mount(server, store)`` (``StoreKeyError`` → refuse to start: the
   key is not set, or does not open the store's check value); a refresh left unfinished by a process that stopped
   is said in one log line; readiness uses ``configured(server, store)`` in place of the credential-only check,
   and watches the key (a rotation finished elsewhere makes a process holding only the old key not ready);
2. per request, before the ``/mcp`` rules: ``if await routes.route(scope, receive, send): return`` (these
   routes carry their own checks: the callback its one-time ``state``, the admin API its token);
3. per caller, once verified: ``caller = await store.call(lambda: account_access.account_for(store, caller,
   claims, claim))`` (a connection's account, or an OAuth subject's by ``accounts map`` or, where the server names
   one, its token's claim), so the
   tool list and the calls follow the account's granted scopes;
4. per call: the audit entry's ``account`` is ``caller.account_name``; and the tool's result goes through
   ``connect_prompt.ask_to_connect(ctx, result)``, which asks a client that can show a URL to connect.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from ...failures import StoreDown
from ...team.account_access import AccountCredentials
from ...team.accounts import abandoned_refreshes, accounts_exist
from ...team.store import Store
from ...team.vendor_client import CALLBACK_PATH, CONNECT_PATH
from ..app import GeneratedServer, ReadinessCheck
from .admin import PREFIX, AdminApi
from .asgi import App, Receive, Scope, Send
from .vendor_callback import VendorCallback

log = logging.getLogger("mcpgen.team")


@dataclass(frozen=True)
class AccountRoutes:
    """What ``mount`` turned on: the callback (None without the vendor's OAuth configured) and the admin API
    (which answers 404 itself while ``<PREFIX>_ADMIN_TOKEN`` is unset)."""

    source: AccountCredentials | None
    callback: VendorCallback | None
    admin: AdminApi

    async def route(self, scope: Scope, receive: Receive, send: Send) -> bool:
        """Serve ``scope`` when it is one of these routes; whether it was."""
        path = str(scope.get("path", ""))
        if self.callback is not None and path in (CALLBACK_PATH, CONNECT_PATH):
            await self.callback(scope, receive, send)
            return True
        if path == PREFIX or path.startswith(PREFIX + "/"):
            await self.admin(scope, receive, send)
            return True
        return False

    def routes(self) -> dict[str, App]:
        """Path → app, for the HTTP stack's router: the connect page and the callback (when the vendor's OAuth is
        on) and the admin API."""
        found: dict[str, App] = {PREFIX: self.admin}
        if self.callback is not None:
            found[CALLBACK_PATH] = found[CONNECT_PATH] = self.callback
        return found


def mount(server: GeneratedServer, store: Store) -> AccountRoutes:
    """Turn accounts on for ``server`` when they are in use; ``StoreKeyError`` (one line) when the key is not usable."""
    dispatcher = server.dispatcher
    settings, vendor = dispatcher.settings, dispatcher.vendor
    source, clients = None, {}
    if settings.env.get(f"{vendor.env_prefix}_STORE_KEY") or accounts_exist(store):
        sources = server.serve_accounts(store)  # a suite: one lookup per vendor, under the suite's one key
        source = next(iter(sources.values()))  # they share the store, the key and its check
        clients = {binds: found.client for binds, found in sources.items() if found.client is not None}
        source.check_key()  # StoreKeyError: a key that does not open this store refuses the start
        server.readiness.append(source.key_ready)
        left = abandoned_refreshes(store)
        if left:
            log.warning(
                "accounts %s: a token refresh was left unfinished by a process that stopped; the next call refreshes"
                " again, and if %s had already rotated the refresh token the account answers with a link to"
                " reconnect (`accounts list` shows lease=abandoned)", ", ".join(left), vendor.title,
            )  # fmt: skip
    first = next(iter(clients.values()), None)
    callback = VendorCallback(store, source.sealer, first, clients) if source and first else None
    token = settings.env.get(f"{vendor.env_prefix}_ADMIN_TOKEN")
    members = server.account_members()
    admin = AdminApi(store, token, vendor, dispatcher.operations, settings.env, settings.public_url, members)
    return AccountRoutes(source, callback, admin)


def configured(server: GeneratedServer, store: Store) -> ReadinessCheck:
    """Ready when the process's vendor credentials are set, or when accounts exist to call as."""

    async def check() -> str | None:
        missing = server.dispatcher.missing_credentials()
        if missing is None:
            return None
        try:
            return None if await store.call(lambda: accounts_exist(store)) else missing
        except StoreDown as exc:
            return str(exc)

    return check
