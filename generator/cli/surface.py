"""The CI commands of ``mcpgen``: ``lock``, ``check``, ``diff`` and ``pull`` (registered in ``generator.cli.main``)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from generator.emit.escape import md
from generator.errors import FatalError
from generator.model.config import VendorConfig, load_config
from generator.model.suite_config import SUITE_SUFFIX, SuiteConfig, load_suite, suite_config_paths, vendor_config_paths
from generator.surface import drift, lock
from generator.surface.diff import compare
from generator.surface.diff_render import FORMATS, summary
from generator.surface.pull import DEFAULT_CACHE, pull

CONFIG_DIR = Path("openapi")


def chosen_configs(paths: tuple[str, ...], use_all: bool) -> list[tuple[Path, VendorConfig]]:
    """``(config path, config)`` for the named configs, or for every ``openapi/*.toml`` with ``--all``."""
    chosen = vendor_config_paths(CONFIG_DIR) if use_all else [Path(p) for p in paths if not p.endswith(SUITE_SUFFIX)]
    if not chosen and not any(p.endswith(SUITE_SUFFIX) for p in paths):
        raise click.UsageError("name a vendor config (openapi/<vendor>.toml), or use --all")
    return [(path, load_config(path)) for path in chosen]


def chosen_suites(paths: tuple[str, ...], use_all: bool) -> list[SuiteConfig]:
    """The named suite configs (``*.suite.toml``), or every ``openapi/*.suite.toml`` with ``--all``."""
    chosen = suite_config_paths(CONFIG_DIR) if use_all else [Path(p) for p in paths if p.endswith(SUITE_SUFFIX)]
    return [load_suite(path) for path in chosen]


def output_format(as_json: bool, as_markdown: bool) -> str:
    """``text`` unless ``--json`` or ``--markdown`` is given (not both)."""
    if as_json and as_markdown:
        raise click.UsageError("choose one of --json and --markdown")
    return "json" if as_json else "markdown" if as_markdown else "text"


def _emit(text: str, output: str | None) -> None:
    if output:
        Path(output).parent.mkdir(parents=True, exist_ok=True)
        Path(output).write_text(text, encoding="utf-8")
    else:
        click.echo(text, nl=False)


_configs = click.argument("configs", nargs=-1)
_all = click.option("--all", "use_all", is_flag=True, help="Every config in openapi/.")
_json = click.option("--json", "as_json", is_flag=True, help="Print JSON for machines.")
_markdown = click.option("--markdown", "as_markdown", is_flag=True, help="Print Markdown (a pull-request body).")
_output = click.option("--output", "-o", type=click.Path(dir_okay=False), help="Write the report here instead.")


@click.command("lock")
@_configs
@_all
def lock_command(configs: tuple[str, ...], use_all: bool) -> None:
    """Write openapi/<vendor>.lock.json from the pinned spec (after reviewing `mcpgen check`)."""
    for _, config in chosen_configs(configs, use_all):
        _, current = drift.generated_surface(config)
        path = lock.lock_path(config)
        previous = lock.read_lock(path)
        changed = lock.write_lock(path, current)
        what = summary(compare(previous, current)) if previous else f"{len(current['tools'])} tools"
        click.echo(f"{'wrote' if changed else 'unchanged'} {path.as_posix()}: {what}")
    for suite in chosen_suites(configs, use_all):
        from generator.surface.suite_surface import generate_suite, suite_lock_path, suite_surface

        current = suite_surface(generate_suite(suite))
        path = suite_lock_path(suite)
        changed = lock.write_lock(path, current)
        click.echo(f"{'wrote' if changed else 'unchanged'} {path.as_posix()}: {len(current['tools'])} tools")


@click.command("check")
@_configs
@_all
@click.option("--out", "out_dir", default="generated", show_default=True, type=click.Path(file_okay=False))
@_json
@_markdown
@_output
def check_command(
    configs: tuple[str, ...], use_all: bool, out_dir: str, as_json: bool, as_markdown: bool, output: str | None
) -> None:
    """Regenerate in memory; exit 1 with a report when the lock or the package in --out is not current."""
    fmt = output_format(as_json, as_markdown)
    diffs = [drift.check(config, Path(out_dir)) for _, config in chosen_configs(configs, use_all)]
    if chosen_suites(configs, use_all):
        from generator.surface.suite_surface import check_suite

        diffs += [check_suite(suite, Path(out_dir)) for suite in chosen_suites(configs, use_all)]
    stale = [d for d in diffs if d.changed]
    _emit(FORMATS[fmt](diffs), output)
    if fmt == "text" or output:
        for diff in diffs:
            state = "current" if not diff.changed else f"NOT current ({len(diff.breaking)} breaking)"
            click.echo(f"check {diff.vendor}: {state}", err=True)
    if stale:
        sys.exit(1)


@click.command("diff")
@click.argument("old")
@click.argument("new")
@click.option("--config", "config_path", type=click.Path(dir_okay=False), help="Apply this vendor config.")
@click.option("--name", help="Vendor name for tool names when no config applies (default: api).")
@click.option("--fail-on-breaking", is_flag=True, help="Exit 1 when a change is breaking.")
@_json
@_markdown
@_output
def diff_command(
    old: str,
    new: str,
    config_path: str | None,
    name: str | None,
    fail_on_breaking: bool,
    as_json: bool,
    as_markdown: bool,
    output: str | None,
) -> None:
    """What changed from OLD to NEW (spec paths, http(s) URLs, or *.lock.json), breaking or not.

    Without --config, the vendor config whose spec file name matches NEW (or OLD) is applied, so tool
    names and overrides match the generated server; neither spec needs to match a pin.
    """
    fmt = output_format(as_json, as_markdown)
    if config_path:
        config: VendorConfig | None = load_config(Path(config_path))
    else:
        known = [load_config(path) for path in vendor_config_paths(CONFIG_DIR)]
        config = drift.infer_config([new, old], known)
    if config is not None and not output:
        click.echo(f"using the config of {config.name}", err=True)
    result = drift.diff_specs(old, new, config, name)
    _emit(FORMATS[fmt]([result]), output)
    if fail_on_breaking and result.breaking:
        sys.exit(1)


@click.command("pull")
@_configs
@_all
@click.option("--cache", "cache_dir", default=str(DEFAULT_CACHE), show_default=True, type=click.Path(file_okay=False))
@click.option("--accept", is_flag=True, help="Move the pin to a changed spec (and write its mirror) for review.")
@_output
def pull_command(configs: tuple[str, ...], use_all: bool, cache_dir: str, accept: bool, output: str | None) -> None:
    """Download each spec from spec.url into the cache and report whether its sha256 moved from the pin.

    A download that fails (unreachable, an error or HTML page, a truncated or invalid document, a spec that
    does not generate) moves nothing: one line names the vendor and the reason, and the exit code is 1.
    """
    lines, failed = [], False
    for path, config in chosen_configs(configs, use_all):
        try:
            found = pull(config, path, Path(cache_dir), accept=accept)
        except FatalError as exc:
            lines.append(f"{config.name}: failed: {exc.problem.where}: {exc.problem.message}; pin and lock unchanged")
            failed = True
            continue
        lines.append(found.line())
        failed = failed or not found.ok
    for line in lines:
        click.echo(line, err=line.split(": ", 2)[1] == "failed")
    if output:
        _emit("### mcpgen pull\n\n" + "".join(f"- {md(line)}\n" for line in lines), output)
    if failed:
        sys.exit(1)
