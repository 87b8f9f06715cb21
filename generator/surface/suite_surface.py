"""A suite's generation, lock and check: its vendors generated as their own packages, then composed.

The suite's lock (``openapi/<suite>.lock.json``) is every vendor's tool surface under the suite's name, so a
vendor's new spec that changes a tool shows in the suite's check as in the vendor's own.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.emit.suite_files import suite_package, suite_server
from generator.errors import FatalError, Report
from generator.model.config import load_config
from generator.model.ir import Server
from generator.model.suite_config import SuiteConfig
from generator.pipeline import Generated, generate
from generator.processes import Processes
from generator.runtime.visibility import Filters
from generator.surface import lock
from generator.surface.diff import SurfaceDiff, compare
from generator.surface.drift import package_notes


@dataclass
class SuiteResult:
    """One suite's package: its vendors' results, its files, and what happened on the way."""

    suite: SuiteConfig
    vendors: list[Generated] = field(default_factory=list)
    server: Server | None = None
    files: dict[str, str] = field(default_factory=dict)
    report: Report = field(default_factory=Report)


def generate_suite(
    suite: SuiteConfig,
    made: Mapping[str, Generated] | None = None,
    *,
    filters: Filters | None = None,
    processes: Processes | None = None,
) -> SuiteResult:
    """Generate each vendor (reusing ``made``, by config name, when given) and compose the suite from them."""
    result = SuiteResult(suite)
    for path in suite.vendor_paths():
        config = load_config(path)
        vendor = (made or {}).get(config.name) or generate(config, filters=filters, processes=processes)
        result.vendors.append(vendor)
        for problem in vendor.report.errors:
            result.report.error(f"{config.name}: {problem.where}", problem.message)
    if result.report.errors:
        return result
    parts = [(vendor.server, vendor.files) for vendor in result.vendors if vendor.server is not None]
    files = suite_package(suite, parts, result.report)
    if files:  # the server imports from the files as written, in the child every package's check uses
        errors, warnings = (processes or Processes()).imports_now(files, f"{suite.name}_mcp")
        for where, message in errors:
            result.report.error(where, message)
        for where, message in warnings:
            result.report.warn(where, message)
    result.files = {} if result.report.errors else files
    result.server = suite_server(suite, [server for server, _ in parts])
    return result


def suite_lock_path(suite: SuiteConfig) -> Path:
    """Where a suite's lock lives: beside its config, ``<name>.lock.json``."""
    return Path(suite.source_dir) / f"{suite.name}.lock.json"


def suite_surface(result: SuiteResult) -> dict[str, Any]:
    """Every vendor's tool surface, under the suite's name and its vendors' spec digest."""
    if result.server is None:
        first = next(iter(result.report.errors), None)
        raise FatalError(*(first.where, first.message) if first else (result.suite.name, "nothing was generated"))
    tools: dict[str, Any] = {}
    for member in result.server.members:
        tools |= lock.surface(member)["tools"]
    spec = {"name": result.server.spec_name, "sha256": result.server.spec_sha256}
    return {
        "lock_version": lock.LOCK_VERSION,
        "vendor": result.suite.name,
        "spec": spec,
        "tools": dict(sorted(tools.items())),
    }


def check_suite(suite: SuiteConfig, out_dir: Path) -> SurfaceDiff:
    """``mcpgen check`` for a suite: its lock and its package on disk against a fresh in-memory generation."""
    result = generate_suite(suite)
    current = suite_surface(result)
    path = suite_lock_path(suite)
    locked = lock.read_lock(path)
    diff = compare(locked or {"vendor": suite.name, "spec": {}, "tools": {}}, current)
    if locked is None:
        diff.notes.append(f"no lock at {path.as_posix()}; review the tools, then run `mcpgen lock`")
    elif diff.changes or path.read_text(encoding="utf-8") != lock.dumps(current):
        diff.notes.append(f"the suite's tools differ from {path.as_posix()}; review, then run `mcpgen lock`")
    package_dir = out_dir / f"{suite.name}_mcp"
    if package_dir.is_dir():
        diff.notes += package_notes(package_dir, result.files)
    return diff
