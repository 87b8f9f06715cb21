"""Session fixtures shared by the tests: peers started once per session, and a tally printed at the end."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from generator.errors import Report
from generator.model.build import build_model
from generator.model.config import VendorConfig, load_config
from generator.model.ir import Server, Tool
from generator.pipeline import build_ir
from generator.spec.load import LoadedSpec
from generator.spec.normalize import normalize
from tests.peers import Prism, normalized_spec
from tests.team_kit import pg_bin, pg_folder, postgres

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


def _build_inline(document: dict[str, Any], **config: Any) -> tuple[Server, Report]:
    report = Report()
    normalized, _notes = normalize(document)
    vendor = VendorConfig.model_validate({"name": "acme", **config})
    return build_model(LoadedSpec("inline.json", "0" * 64, document), normalized, vendor, report), report


@pytest.fixture(scope="session")
def build_inline() -> Callable[..., tuple[Server, Report]]:
    """Build the IR of an inline spec document (no files, no subprocess); keywords are vendor config fields."""
    return _build_inline


def _one_operation(operation: dict[str, Any], method: str = "post", path: str = "/v1/things") -> dict[str, Any]:
    operation = {"responses": {"200": {"description": "ok"}}, **operation}
    return {"openapi": "3.0.3", "info": {"title": "Acme", "version": "1"}, "paths": {path: {method: operation}}}


@pytest.fixture(scope="session")
def one_tool() -> Callable[..., Tool]:
    """The single tool built from one inline operation (``method`` and ``path`` keywords; others go to the config)."""

    def build(operation: dict[str, Any], method: str = "post", path: str = "/v1/things", **config: Any) -> Tool:
        server, report = _build_inline(_one_operation(operation, method, path), **config)
        assert not report.errors, report.errors
        (tool,) = server.tools
        return tool

    return build


@pytest.fixture(scope="session")
def kitchen_sink(build_inline: Callable[..., tuple[Server, Report]]) -> Server:
    """The IR of ``tests/specs/kitchen_sink.json`` under a default config."""
    document = json.loads((ROOT / "tests" / "specs" / "kitchen_sink.json").read_text(encoding="utf-8"))
    server, _ = build_inline(document)
    return server


@pytest.fixture(scope="session")
def tally(request: pytest.FixtureRequest) -> list[str]:
    """Lines printed in the ``peers`` section at the end of the run (shown without ``-s``)."""
    return request.config.stash.setdefault(TALLY, [])


def pytest_sessionfinish(session: pytest.Session) -> None:
    """On an xdist worker: hand this worker's ``peers`` lines to the controller, which prints them all."""
    output = getattr(session.config, "workeroutput", None)
    if output is not None:
        output["peers"] = session.config.stash.get(TALLY, [])


def pytest_testnodedown(node: Any, error: object) -> None:
    """On the xdist controller: gather the ``peers`` lines of a worker that finished."""
    node.config.stash.setdefault(TALLY, []).extend(node.workeroutput.get("peers", []))


@pytest.fixture(scope="module")
def pg(tally: list[str]) -> Iterator[tuple[str, Path]]:
    """A PostgreSQL server of the module's own (its URL and folder), for the team store; skipped without one."""
    if pg_bin() is None:
        tally.append("team: PostgreSQL skipped: no initdb/pg_ctl on this machine (`make postgres` installs them)")
        pytest.skip("no PostgreSQL server binaries (initdb, pg_ctl) on this machine")
    folder = pg_folder()
    try:
        with postgres(folder) as url:
            yield url, folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


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
