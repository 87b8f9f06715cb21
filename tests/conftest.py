"""Session fixtures shared by the tests: peers started once per session, and a tally printed at the end."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from generator.errors import Report
from generator.model.config import load_config
from generator.model.ir import Server
from generator.pipeline import build_ir
from tests.peers import Prism, normalized_spec

VENDORS = ("gong", "gumloop")
collect_ignore = ["golden"]  # the golden package's own tests belong to it, not to this suite
ROOT = Path(__file__).resolve().parents[1]
TALLY = pytest.StashKey[list[str]]()


@cache
def _vendor_ir(vendor: str) -> tuple[Server, Report]:
    report = Report()
    server, _notes, _count = build_ir(load_config(ROOT / "openapi" / f"{vendor}.toml"), report)
    return server, report


@pytest.fixture(scope="session")
def vendor_ir() -> Callable[[str], tuple[Server, Report]]:
    """The IR of a vendor in ``openapi/`` and its report, built once per session."""
    return _vendor_ir


@pytest.fixture(scope="session")
def gong_tools(vendor_ir: Callable[[str], tuple[Server, Report]]) -> dict[tuple[str, str], Any]:
    """Gong's tools by ``(METHOD, path)``."""
    server, _ = vendor_ir("gong")
    return {(t.method, t.path): t for t in server.tools}


@pytest.fixture(scope="session")
def tally(request: pytest.FixtureRequest) -> list[str]:
    """Lines printed in the ``peers`` section at the end of the run (shown without ``-s``)."""
    return request.config.stash.setdefault(TALLY, [])


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter, config: pytest.Config) -> None:
    """Print what the peer tests measured: the Prism tallies and the clients that drove the servers."""
    lines = config.stash.get(TALLY, [])
    if lines:
        terminalreporter.section("peers")
        for line in lines:
            terminalreporter.write_line(line)


@pytest.fixture(scope="session")
def peer_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Scratch space for normalized specs, peer logs, uploads and saved results."""
    return tmp_path_factory.mktemp("peers")


@pytest.fixture(scope="session")
def prisms(peer_dir: Path) -> Iterator[dict[tuple[str, bool], Prism]]:
    """``prism mock`` per vendor, with ``--errors`` (key ``(vendor, True)``) and without; all start together."""
    started: dict[tuple[str, bool], Prism] = {}
    try:
        for vendor in VENDORS:
            spec = normalized_spec(vendor, peer_dir)
            for errors in (True, False):
                log = peer_dir / f"prism-{vendor}-{'errors' if errors else 'lenient'}.log"
                started[(vendor, errors)] = Prism(spec, log, errors=errors)
        for prism in started.values():
            prism.wait_ready()
        yield started
    finally:
        for prism in started.values():
            prism.stop()
