"""A vendor's OAuth server of our own on 127.0.0.1: authorize (PKCE), token (code and refresh, rotating refresh
tokens, a per-customer API base URL in the answer, as Gong's does), revoke, and scripted misbehaviour.

Token requests are read from the query string (Gong's way) or a form body. Every refresh is counted, so a test
can tell how many processes refreshed one token.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
import secrets
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

import anyio
import httpx2

from tests.upstream import LoopbackServer

CLIENT_ID, CLIENT_SECRET = "client-abc", "client-secret-xyz"


@dataclass
class Grant:
    """One issued code: what it was asked with."""

    redirect_uri: str
    challenge: str
    scope: str
    used: bool = False


@dataclass
class VendorState:
    codes: dict[str, Grant] = field(default_factory=dict)
    refresh: dict[str, str] = field(default_factory=dict)  # live refresh token -> scope
    access: set[str] = field(default_factory=set)
    refreshes: int = 0
    revoked: list[str] = field(default_factory=list)
    expires_in: int = 3600
    grant_scope: str = "api:calls:read:basic api:users:read"
    misbehave: str = ""  # "", "huge", "not_json", "no_token", "refuse_refresh"
    refresh_delay: float = 0.0


class VendorOAuth(LoopbackServer):
    """``with VendorOAuth() as vendor:``; ``vendor.authorize(link)`` plays the person who approves."""

    def __init__(self, customer_base: str = "") -> None:
        self.state = VendorState()
        self.customer_base = customer_base
        super().__init__()

    def env(self, prefix: str = "GONG") -> dict[str, str]:
        """The server variables that point at this vendor."""
        return {
            f"{prefix}_OAUTH_CLIENT_ID": CLIENT_ID, f"{prefix}_OAUTH_CLIENT_SECRET": CLIENT_SECRET,
            f"{prefix}_OAUTH_AUTHORIZE_URL": f"{self.url}/oauth2/authorize",
            f"{prefix}_OAUTH_TOKEN_URL": f"{self.url}/oauth2/generate-customer-token",
        }  # fmt: skip

    def authorize(self, link: str) -> tuple[str, str]:
        """Approve the connect ``link`` asks for: the (code, state) the vendor sends back to the redirect URI."""
        query = dict(parse_qsl(urlsplit(link).query))
        assert query["client_id"] == CLIENT_ID and query["code_challenge_method"] == "S256"
        code = secrets.token_urlsafe(16)
        with self._lock:
            self.state.codes[code] = Grant(query["redirect_uri"], query["code_challenge"], query.get("scope", ""))
        return code, query["state"]

    def approve(self, app: Any, link: str) -> tuple[str, str]:
        """Open a connect ``link`` on the server's ``app`` (its page), follow the page on to the vendor, approve."""
        status, _text, onward = open_page(app, link)
        assert status == 200 and onward, _text
        return self.authorize(onward)

    def _token(self, params: dict[str, str], basic: str) -> tuple[int, Any]:
        expected = base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
        if basic != f"Basic {expected}":
            return 401, {"error": "invalid_client"}
        if params.get("grant_type") == "authorization_code":
            return self._code(params)
        if params.get("grant_type") == "refresh_token":
            return self._refresh(params)
        return 400, {"error": "unsupported_grant_type"}

    def _code(self, params: dict[str, str]) -> tuple[int, Any]:
        with self._lock:
            grant = self.state.codes.get(params.get("code", ""))
            if grant is None or grant.used:
                return 400, {"error": "invalid_grant"}
            grant.used = True
        verifier = params.get("code_verifier", "")
        challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
        if challenge != grant.challenge or params.get("redirect_uri") != grant.redirect_uri:
            return 400, {"error": "invalid_grant"}
        return 200, self._issue()

    def _refresh(self, params: dict[str, str]) -> tuple[int, Any]:
        time.sleep(self.state.refresh_delay)
        with self._lock:
            self.state.refreshes += 1
            if (
                self.state.misbehave == "refuse_refresh"
                or self.state.refresh.pop(params.get("refresh_token", ""), None) is None
            ):
                return 400, {"error": "invalid_grant"}
        return 200, self._issue()

    def _issue(self) -> dict[str, Any]:
        access, refresh = "at-" + secrets.token_urlsafe(12), "rt-" + secrets.token_urlsafe(12)
        with self._lock:
            self.state.access.add(access)
            self.state.refresh[refresh] = self.state.grant_scope
        answer = {"access_token": access, "refresh_token": refresh, "expires_in": self.state.expires_in,
                  "scope": self.state.grant_scope, "token_type": "bearer"}  # fmt: skip
        if self.customer_base:
            answer["api_base_url_for_customer"] = self.customer_base
        return answer

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        vendor = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:
                parts = urlsplit(self.path)
                length = int(self.headers.get("content-length") or 0)
                form = dict(parse_qsl(self.rfile.read(length).decode())) if length else {}
                params = {**dict(parse_qsl(parts.query)), **form}
                if parts.path == "/oauth2/revoke":
                    vendor.state.revoked.append(params.get("token", ""))
                    self._send(200, b"{}")
                    return
                mode = vendor.state.misbehave
                if mode == "huge":
                    self._send(200, b'{"access_token": "' + b"x" * 200_000 + b'"}')
                elif mode == "not_json":
                    self._send(200, b"<html>surprise</html>")
                elif mode == "no_token":
                    self._send(200, b'{"token_type": "bearer"}')
                else:
                    status, body = vendor._token(params, self.headers.get("authorization", ""))
                    self._send(status, json.dumps(body).encode())

            def _send(self, status: int, body: bytes) -> None:
                self.send_response(status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        return Handler


def callback_query(code: str, state: str) -> str:
    """The query the vendor appends to the redirect URI."""
    return urlencode({"code": code, "state": state})


def open_page(app: Any, link: str) -> tuple[int, str, str]:
    """A person opening ``link`` on a server's ASGI ``app``: the status, the page's text, and the address its one
    link leads on to ("" when it has none)."""
    parts = urlsplit(link)

    async def go() -> httpx2.Response:
        transport = httpx2.ASGITransport(app=app)
        async with httpx2.AsyncClient(transport=transport, base_url=f"{parts.scheme}://{parts.netloc}") as http:
            return await http.get(f"{parts.path}?{parts.query}")

    return page_parts(anyio.run(go))


def page_parts(answer: httpx2.Response) -> tuple[int, str, str]:
    """A page's status, its text, and the address its one link leads on to ("" when it has none)."""
    onward = re.search(r"<a href='([^']*)'>", answer.text)
    text = html.unescape(re.sub(r"<[^>]+>", " ", answer.text))
    return answer.status_code, " ".join(text.split()), html.unescape(onward.group(1)) if onward else ""
