"""The ``mcpgen`` command: it decides exit codes; every stage below it reports problems as values.

Start-up is kept short on purpose: this module imports only click and light modules. ``generate``
starts its helper processes (``generator.processes``) first and only then imports the pipeline (pydantic,
openapi-pydantic, jinja2), so that their own start-up runs alongside those imports. The CI commands are imported
only when they are called.
"""

from __future__ import annotations

import importlib
import os
import sys
import traceback
from pathlib import Path
from typing import TYPE_CHECKING

import click

from generator import __version__
from generator.errors import FatalError
from generator.processes import Processes, exit_now, for_generate

if TYPE_CHECKING:
    from generator.model.config import VendorConfig
    from generator.pipeline import Generated
    from generator.runtime.visibility import Filters

EXIT_FAILED, EXIT_INTERNAL = 1, 3
# name → "module:attribute" of commands loaded when used (click's documented lazy-subcommand pattern)
LAZY_COMMANDS = {
    "check": "generator.cli.surface:check_command",
    "diff": "generator.cli.surface:diff_command",
    "init": "generator.cli.init:init_command",
    "lock": "generator.cli.surface:lock_command",
    "pull": "generator.cli.surface:pull_command",
}


class LazyGroup(click.Group):
    """A group whose CI commands are imported on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *LAZY_COMMANDS})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in LAZY_COMMANDS:
            return super().get_command(ctx, cmd_name)
        module, attribute = LAZY_COMMANDS[cmd_name].split(":")
        command = getattr(importlib.import_module(module), attribute)
        assert isinstance(command, click.Command)
        return command


def configs_for(paths: tuple[str, ...], use_all: bool, spec: str | None, name: str | None) -> list[VendorConfig]:
    """The vendor configs a command should act on."""
    from generator.cli.surface import chosen_configs
    from generator.model.config import default_config

    if spec:
        if not name:
            raise click.UsageError("--spec needs --name (the vendor name, e.g. --name acme)")
        return [default_config(name, spec)]
    if not paths and not use_all:
        raise click.UsageError("name a vendor config (openapi/<vendor>.toml), or use --all, or --spec with --name")
    return [config for _, config in chosen_configs(paths, use_all)]


def print_table(result: Generated) -> None:
    """The tools table for ``--dry-run``."""
    assert result.server is not None
    width = max((len(t.name) for t in result.server.tools), default=4)
    click.echo(f"{'tool':<{width}}  method  path  scopes")
    for tool in result.server.tools:
        click.echo(f"{tool.name:<{width}}  {tool.method:<6}  {tool.path}  {', '.join(tool.scopes) or '-'}")


def print_summary(result: Generated) -> None:
    """What happened: problems, renames, normalizations, counts and time."""
    for problem in result.report.problems:
        click.echo(problem.line(), err=True)
    for line in result.report.renames:
        click.echo(f"renamed: {line}", err=True)
    for note in result.notes:
        click.echo(f"normalized: {note}", err=True)
    for line in result.filtered:
        click.echo(f"skipped: {line}", err=True)
    if result.listing is not None:
        click.echo(f"{result.config.name}: {result.listing.line()}")
    tools = len(result.server.tools) if result.server else 0
    skipped = result.operations - tools
    click.echo(
        f"{result.config.name}: {tools} tools from {result.operations} operations, {skipped} skipped, "
        f"{len(result.report.renames)} renamed, {len(result.report.warnings)} warnings, "
        f"{len(result.report.errors)} errors, {result.seconds:.2f} s"
    )


@click.group(cls=LazyGroup)
@click.version_option(version=__version__, prog_name="mcpgen")
def cli() -> None:
    """Generate standalone MCP server packages from vendor OpenAPI specs."""


@cli.command("generate")
@click.argument("configs", nargs=-1)
@click.option("--all", "use_all", is_flag=True, help="Every config in openapi/.")
@click.option("--spec", help="A spec path or http(s) URL to generate from without a config.")
@click.option("--name", help="The vendor name for --spec (package NAME_mcp).")
@click.option("--out", "out_dir", default="generated", show_default=True, type=click.Path(file_okay=False))
@click.option("--dry-run", is_flag=True, help="Print the tools table; write nothing.")
@click.option("--strict", is_flag=True, help="Fail (exit 1) on warnings too.")
@click.option("--methods", help="Emit only these kinds: read, write, custom (comma-separated).")
@click.option("--tags", help="Emit only tools with these tags (comma-separated).")
@click.option("--include", help="Emit only these tools (comma-separated names).")
@click.option("--exclude", help="Never emit these tools (comma-separated names).")
@click.option("--suite", "suite_name", help="Compose the named vendor configs into one package NAME_mcp.")
def generate_command(
    configs: tuple[str, ...],
    use_all: bool,
    spec: str | None,
    name: str | None,
    out_dir: str,
    dry_run: bool,
    strict: bool,
    methods: str | None,
    tags: str | None,
    include: str | None,
    exclude: str | None,
    suite_name: str | None,
) -> None:
    """Generate one server package per vendor config (or per --spec), and each suite (--suite, *.suite.toml)."""
    made: dict[str, Generated] = {}
    with for_generate(dry_run) as processes:
        # Imported once the helpers have started (see the module docstring): the IR and pydantic take 0.1 s.
        from generator.cli.suites import generate_suites, split_suites
        from generator.model.filters import split
        from generator.runtime.contract import KINDS, unknown_names
        from generator.runtime.visibility import Filters

        unknown = unknown_names("--methods", "method", split(methods), KINDS)
        if unknown:
            raise click.UsageError(unknown)
        filters = Filters(split(methods), split(tags), split(include), split(exclude))
        vendors, suites = split_suites(configs, use_all, suite_name)
        chosen = configs_for(vendors, use_all, spec, name) if vendors or use_all or spec or not suites else []
        # A suite's vendors are generated as its parts; only --all writes their own packages too.
        failed = generate_each(chosen, out_dir, dry_run, strict, filters, processes, made, write=not suites or use_all)
        failed = generate_suites(suites, made, out_dir, dry_run, strict, filters, processes) or failed
    if failed:
        sys.exit(EXIT_FAILED)


def generate_each(
    configs: list[VendorConfig],
    out_dir: str,
    dry_run: bool,
    strict: bool,
    filters: Filters,
    processes: Processes,
    made: dict[str, Generated] | None = None,
    *,
    write: bool = True,
) -> bool:
    """Generate (or with ``dry_run`` list) each config's server, kept in ``made`` by name; whether any failed."""
    from generator.emit.write import write_package
    from generator.pipeline import generate  # after the helpers have started (see the module docstring)

    failed = False
    for config in configs:
        # Success schemas are read by the locks and by ``details.json`` (the answer shapes describe_tool shows).
        result = generate(config, with_files=not dry_run, filters=filters, processes=processes, responses=True)
        if made is not None:
            made[config.name] = result
        if dry_run and result.server is not None:
            print_table(result)
        print_summary(result)
        if result.report.errors or (strict and result.report.warnings):
            failed = True
            continue
        if not dry_run and write:
            assert result.server is not None
            write_package(Path(out_dir) / result.server.package, result.files)
            click.echo(f"wrote {Path(out_dir) / result.server.package}")
    return failed


def console() -> None:
    """The console script: :func:`main`, then a hard exit once the output is flushed.

    By then every file is written and closed and the worker process has been reaped (see
    :func:`generator.processes.exit_now`). Tests call :func:`main`, which exits normally.
    """
    code = 0
    try:
        main()
    except SystemExit as exc:
        if isinstance(exc.code, str):
            print(exc.code, file=sys.stderr)
        code = exc.code if isinstance(exc.code, int) else int(exc.code is not None)
    exit_now(code)


def main() -> None:
    """Entry point: fatal input problems are one line and exit 2; a bug is one line and exit 3."""
    try:
        cli(standalone_mode=False)
    except FatalError as exc:
        click.echo(exc.problem.line(), err=True)
        sys.exit(2)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except click.exceptions.Abort:
        sys.exit(130)
    except Exception as exc:
        if "--debug" in sys.argv or "MCPGEN_DEBUG" in os.environ:
            traceback.print_exc()
        click.echo(f"internal error: {type(exc).__name__}: {exc} (set MCPGEN_DEBUG=1 for a traceback)", err=True)
        sys.exit(EXIT_INTERNAL)
