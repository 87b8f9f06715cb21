"""Fixtures for the runtime's unit tests: a vendor, settings, operations, and an upstream behind a mock transport."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx2
import pytest
from mcp.types import CallToolResult, TextContent

from generator.runtime.contract import AuthSpec, Operation, Vendor
from generator.runtime.settings import Settings

Handler = Callable[[httpx2.Request], httpx2.Response]


@pytest.fixture
def vendor() -> Vendor:
    auth = (AuthSpec("bearer", ("ACME_TOKEN",)),)
    return Vendor("acme", "Acme", "ACME", "https://api.acme.test", auth, "1.0", "0" * 64)


@pytest.fixture
def make_settings(vendor: Vendor, tmp_path: Path) -> Callable[..., Settings]:
    """Settings from an environment with a token and a temporary output folder, plus any overrides."""

    def make(**env: str) -> Settings:
        base = {"ACME_TOKEN": "secret-token-value", "ACME_OUTPUT_DIR": str(tmp_path / "out")}
        return Settings.from_env(vendor, {**base, **{f"ACME_{k.upper()}": v for k, v in env.items()}})

    return make


@pytest.fixture
def read_op() -> Operation:
    return Operation("get_thing", "GET", "/things/{id}", read_only=True, idempotent=True)


@pytest.fixture
def post_op() -> Operation:
    return Operation("make_thing", "POST", "/things", body="json")


def text_of(result: CallToolResult) -> str:
    """Every text block of a result, joined."""
    return "\n".join(block.text for block in result.content if isinstance(block, TextContent))


def answer(status: int = 200, json: Any = None, **headers: str) -> httpx2.Response:
    """A finished upstream response, for shaping tests."""
    return httpx2.Response(status, json=json, headers=headers)
