"""Wrong credentials, counted: per client address and per secret prefix, in a sliding window.

A credential is always looked up first: a valid one is served whatever the counts say, so an attacker behind
the same proxy as a team never locks the team out. Only a wrong one is counted, and once its address or its
prefix has had too many, a wrong one gets 429 instead of 401 (which tells a guesser nothing more).
"""

from __future__ import annotations

import time

from .asgi import Refusal, Scope, client_address

PREFIX_CHARS = 6  # guesses at one secret from many addresses share its first characters


class Throttle:
    """Failures per key in a sliding window; more than ``limit`` blocks further wrong guesses under that key."""

    def __init__(self, limit: int = 20, window_s: float = 60.0, max_keys: int = 10_000) -> None:
        self.limit, self.window_s, self.max_keys = limit, window_s, max_keys
        self.failures: dict[str, list[float]] = {}

    def wait(self, address: str, presented: str) -> float | None:
        """Seconds until wrong guesses from ``address`` (or at ``presented``'s prefix) stop being refused, or None."""
        waits = [w for key in self.keys(address, presented) if (w := self._wait(key)) is not None]
        return max(waits) if waits else None

    def fail(self, address: str, presented: str) -> None:
        """Count one wrong credential from ``address``."""
        now = time.monotonic()
        for key in self.keys(address, presented):
            if key not in self.failures and len(self.failures) >= self.max_keys:
                self.failures.pop(next(iter(self.failures)))  # forget the oldest key, not the newest attack
            self.failures.setdefault(key, []).append(now)

    def wrong(self, scope: Scope, presented: str, what: str) -> Refusal | None:
        """Count one wrong credential from the request's client; the 429 to answer past the limit, else None."""
        address = client_address(scope)
        self.fail(address, presented)
        wait = self.wait(address, presented)
        if wait is None:
            return None
        return Refusal(429, "too_many_attempts", f"too many wrong {what}", {"retry-after": f"{wait:.0f}"})

    @staticmethod
    def keys(address: str, presented: str) -> list[str]:
        """The counters one guess touches."""
        keys = [f"address:{address}"]
        if len(presented) > PREFIX_CHARS:
            keys.append(f"prefix:{presented[:PREFIX_CHARS]}")
        return keys

    def _wait(self, key: str) -> float | None:
        now = time.monotonic()
        recent = [t for t in self.failures.get(key, []) if now - t < self.window_s]
        if recent:
            self.failures[key] = recent[-self.limit :]
        else:
            self.failures.pop(key, None)
        return self.window_s - (now - recent[-self.limit]) if len(recent) >= self.limit else None
