"""The server token: one shared bearer secret (``MCP_SERVER_TOKEN`` or ``--token-file``), with an optional expiry."""

from __future__ import annotations

import hmac
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from ...failures import StartError

TOKEN_ENV = "MCP_SERVER_TOKEN"
MIN_TOKEN_CHARS = 16
MAX_TOKEN_FILE_BYTES = 4096
NEW_TOKEN = "python -c 'import secrets; print(secrets.token_urlsafe(32))'"


@dataclass(frozen=True)
class ServerToken:
    """The shared token and when it stops working."""

    token: str
    expires_at: datetime | None = None

    def matches(self, presented: str) -> bool:
        """Whether ``presented`` is this token (compared in constant time), expired or not."""
        return hmac.compare_digest(presented.encode("utf-8"), self.token.encode("utf-8"))

    def expired(self, now: datetime | None = None) -> str | None:
        """Why the token no longer works, or None."""
        if self.expires_at is None or (now or datetime.now(UTC)) < self.expires_at:
            return None
        stamp = self.expires_at.strftime("%Y-%m-%dT%H:%M:%SZ")
        return f"the bearer token expired at {stamp}; ask the server's operator for a new one"


def load_token(env: Mapping[str, str], token_file: str | None, expires_at: str | None) -> ServerToken | None:
    """The token from ``--token-file`` or ``MCP_SERVER_TOKEN`` (None: not set); ``StartError`` when unusable."""
    token = env.get(TOKEN_ENV) or None
    if token_file:
        token = _read(token_file)
    if token is None:
        if expires_at:
            raise StartError(f"--token-expires-at needs a token: set {TOKEN_ENV} or pass --token-file")
        return None
    if len(token.strip()) < MIN_TOKEN_CHARS:
        raise StartError(f"the server token is shorter than {MIN_TOKEN_CHARS} characters; make one with {NEW_TOKEN}")
    return ServerToken(token.strip(), instant(expires_at, "--token-expires-at") if expires_at else None)


def _read(path: str) -> str:
    try:
        with Path(path).open("rb") as handle:
            raw = handle.read(MAX_TOKEN_FILE_BYTES + 1)
    except OSError as exc:
        raise StartError(f"cannot read --token-file {path}: {type(exc).__name__}") from None
    if len(raw) > MAX_TOKEN_FILE_BYTES:
        raise StartError(f"--token-file {path} is larger than {MAX_TOKEN_FILE_BYTES} bytes; it should hold one token")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise StartError(f"--token-file {path} is not UTF-8 text") from None


def instant(text: str, flag: str) -> datetime:
    """An ISO time (``Z`` allowed; UTC when no zone is given); ``StartError`` naming ``flag``."""
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise StartError(f"{flag} {text!r} is not an ISO time like 2026-12-31T23:59:00Z") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
