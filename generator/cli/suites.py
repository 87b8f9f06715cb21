"""``mcpgen generate`` for suites: which suites a run makes, and making them from the vendors it generated."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

import click

from generator.model.suite_config import SUITE_SUFFIX, SuiteConfig, load_suite, suite_config_paths

if TYPE_CHECKING:
    from generator.pipeline import Generated
    from generator.processes import Processes
    from generator.runtime.visibility import Filters

CONFIG_DIR = Path("openapi")


def split_suites(
    paths: tuple[str, ...], use_all: bool, suite_name: str | None
) -> tuple[tuple[str, ...], list[SuiteConfig]]:
    """The vendor configs to generate and the suites to compose: ``--suite NAME`` makes one of the named vendor
    configs; a named ``*.suite.toml`` is that suite (its vendors are generated, not written); ``--all`` adds every
    ``openapi/*.suite.toml``."""
    vendors = tuple(p for p in paths if not p.endswith(SUITE_SUFFIX))
    suites = [load_suite(Path(p)) for p in paths if p.endswith(SUITE_SUFFIX)]
    if suite_name is not None:
        if use_all or suites or len(vendors) < 2:
            raise click.UsageError("--suite NAME takes two or more vendor configs (openapi/<vendor>.toml), not --all")
        try:
            suites.append(SuiteConfig(name=suite_name, vendors=list(vendors)))
        except ValueError:
            raise click.UsageError(f"--suite {suite_name!r}: a suite name is lowercase letters and digits") from None
    if use_all:
        suites += [load_suite(path) for path in suite_config_paths(CONFIG_DIR)]
    return vendors, suites


def generate_suites(
    suites: list[SuiteConfig],
    made: Mapping[str, Generated],
    out_dir: str,
    dry_run: bool,
    strict: bool,
    filters: Filters,
    processes: Processes,
) -> bool:
    """Compose each suite from its vendors (those ``made`` already, else generated now) and write it; whether any
    failed."""
    from generator.emit.write import write_package
    from generator.surface.suite_surface import generate_suite

    failed = False
    for suite in suites:
        result = generate_suite(suite, made, filters=filters, processes=processes)
        for problem in result.report.problems:
            click.echo(problem.line(), err=True)
        tools = len(result.server.tools) if result.server else 0
        vendors = ", ".join(v.config.name for v in result.vendors)
        click.echo(f"{suite.name}: a suite of {vendors}: {tools} tools, {len(result.report.errors)} errors")
        if result.report.errors or (strict and result.report.warnings):
            failed = True
        elif not dry_run:
            write_package(Path(out_dir) / f"{suite.name}_mcp", result.files)
            click.echo(f"wrote {Path(out_dir) / f'{suite.name}_mcp'}")
    return failed
