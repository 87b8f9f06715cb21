"""What only a real process shows: uvicorn believes ``X-Forwarded-For`` only from ``--forwarded-allow-ips``."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.test_team import manage, post, secret_of
from tests.test_transports import http_server
from tests.upstream import Upstream

GUESSES = 24  # past the throttle's 20 from one address


@pytest.fixture
def upstream() -> Iterator[Upstream]:
    with Upstream() as up:
        yield up


def guesses(base: str) -> list[int]:
    """Wrong connection secrets, each with a different prefix, each claiming another forwarded address."""
    return [
        post(f"{base}/mcp/c/{secrets.token_urlsafe(32)}", {"X-Forwarded-For": f"10.0.0.{i}"}).status_code
        for i in range(GUESSES)
    ]


@pytest.mark.parametrize(("flags", "believed"), [((), False), (("--forwarded-allow-ips", "127.0.0.1"), True)])
def test_forwarded_addresses_are_believed_only_from_named_proxies(
    upstream: Upstream, tmp_path: Path, flags: tuple[str, ...], believed: bool
) -> None:
    store = str(tmp_path / "team.db")
    secret = secret_of(manage(store, "connections", "create", "--name", "alice"))
    with http_server(upstream.url, tmp_path, "--store", store, *flags) as base:
        statuses = guesses(base)
        assert post(f"{base}/mcp/c/{secret}").status_code == 200  # a valid URL is never throttled
    if believed:  # each forwarded address is its own: no one address guessed too often
        assert set(statuses) == {401}
    else:  # the spoofed header is ignored: every guess counts against 127.0.0.1
        assert statuses[:19] == [401] * 19 and set(statuses[19:]) == {429}
