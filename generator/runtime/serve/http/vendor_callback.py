"""A connect link's two pages: ``GET /oauth/connect`` (the link itself) names the account and who it will be bound
to, then leads on to the vendor; ``GET /oauth/callback`` is where the vendor sends the browser back after a person
approved (or declined); the code is exchanged and the account's tokens stored (``team.vendor_oauth.finish``), and
the page names the vendor identity that approved, where the vendor's answer says it.

The answers are small HTML pages for a person, never a token. The ``state`` is taken from the store once, so a
replayed or forged callback finds nothing; a vendor's ``error`` also spends the state. The pages are never
cached, never framed, and send no referrer (the state, then the code, was in the URL).
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from urllib.parse import parse_qs

import httpx2

from ...failures import OAuthRefused, StoreDown, StoreKeyError
from ...team.sealing import Sealer
from ...team.store import Store
from ...team.vendor_client import CALLBACK_PATH, CONNECT_PATH, Client
from ...team.vendor_oauth import RELINK, finish, opened, take
from .asgi import Receive, Scope, Send, respond

MAX_QUERY_BYTES = 8_192
PAGE_HEADERS = {
    "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
}


class VendorCallback:
    """The callback route as an ASGI app (mount it at ``CALLBACK_PATH``)."""

    def __init__(
        self, store: Store, sealer: Sealer, client: Client, clients: Mapping[str, Client] | None = None
    ) -> None:
        self.store, self.sealer, self.client = store, sealer, client
        self.clients = clients or {"": client}  # a suite's: each vendor's, as its connect links record it
        self.transport: httpx2.AsyncBaseTransport | None = None  # the token endpoint's (tests: one of our own)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path")
        if scope.get("type") != "http" or path not in (CALLBACK_PATH, CONNECT_PATH):
            await _page(send, 404, "Not found", "There is nothing here.")
            return
        if scope.get("method") != "GET":
            await _page(send, 405, "Method not allowed", "A browser opens this page with GET.")
            return
        raw = bytes(scope.get("query_string", b""))
        query = parse_qs(raw[:MAX_QUERY_BYTES].decode("latin-1"), max_num_fields=10)
        state, code = _one(query, "state"), _one(query, "code")
        if not state:
            await _page(send, 400, "Not connected", "This link carries no state; start the connect again.")
            return
        if path == CONNECT_PATH:
            await self._open(send, state)
            return
        if _one(query, "error") or not code:
            await self._declined(send, state, _one(query, "error") or "no code")
            return
        await self._finish(send, state, code)

    async def _open(self, send: Send, state: str) -> None:
        """The link's own page: which account, bound to whom, and on to the vendor (nothing is spent yet)."""
        try:
            found = await self.store.call(lambda: opened(self.store, self.sealer, self.clients, state))
        except (StoreDown, StoreKeyError):
            await _page(send, 503, "Try again", "The server's store is unreachable; open the link again shortly.")
            return
        if found is None:
            await _page(send, 400, "Not connected", "This connect link is unknown, used or expired; start again.")
            return
        pending, client, vendor_link = found
        title = client.vendor.title
        text = (
            f"This link connects the {title} account {pending.account!r} for {pending.for_whom}: every call made"
            f" through it will use the {title} login you approve next."
        )
        if pending.intent == RELINK:
            text = (
                f"This link reconnects the {title} account {pending.account!r}, asked for by {pending.for_whom}: only"
                f" the {title} login it was connected with can complete it, and every caller bound to it uses it."
            )
        text += " Continue only if you asked for this link yourself; if someone sent it to you, close this page."
        await _page(send, 200, f"Connect {title}", text, (f"Continue to {title}", vendor_link))

    async def _finish(self, send: Send, state: str, code: str) -> None:
        title = self.client.vendor.title
        try:
            done = await finish(self.store, self.sealer, self.client, state, code, self.transport, self.clients)
        except OAuthRefused as exc:
            await _page(send, 400, "Not connected", f"{title} did not connect: {exc}.")
            return
        except StoreDown:
            await _page(send, 503, "Try again", "The server's store is unreachable; start the connect again shortly.")
            return
        except StoreKeyError:
            await _page(send, 500, "Not connected", "The server cannot seal secrets with its store key.")
            return
        account = done.account
        title = self.clients.get(account.vendor, self.client).vendor.title
        who = f"as {account.identity}" if account.identity else f"({title} did not say which login approved)"
        body = (
            f"The {title} account {account.name} is connected {who}, for {done.for_whom}. You can close this tab and"
            " go back to your assistant."
        )
        await _page(send, 200, "Connected", body)

    async def _declined(self, send: Send, state: str, error: str) -> None:
        """The person declined (or the vendor failed): the state is spent all the same."""
        try:
            await self.store.call(lambda: take(self.store, self.sealer, state))
        except (StoreDown, StoreKeyError):
            pass  # the state expires by itself
        await _page(send, 400, "Not connected", f"{self.client.vendor.title} answered: {error[:100]}.")


def _one(query: dict[str, list[str]], name: str) -> str:
    values = query.get(name) or [""]
    return values[0] if len(values) == 1 and len(values[0]) <= 2048 else ""


async def _page(send: Send, status: int, title: str, text: str, onward: tuple[str, str] | None = None) -> None:
    """A small page for a person; ``onward``: a link's words and address, shown under the text."""
    page = (
        f"<!doctype html><meta charset='utf-8'><title>{html.escape(title)}</title>"
        f"<body style='font-family:sans-serif;margin:3em'><h1>{html.escape(title)}</h1><p>{html.escape(text)}</p>"
    )
    if onward is not None:
        page += f"<p><a href='{html.escape(onward[1], quote=True)}'>{html.escape(onward[0])}</a></p>"
    await respond(send, status, page.encode("utf-8"), PAGE_HEADERS, "text/html; charset=utf-8")
