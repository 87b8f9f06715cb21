"""``mcpgen init``: scaffold a vendor config, its pinned spec, the first lock and the regeneration workflow."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import NoReturn

import click

from generator.surface.provenance import default_branch, requirement_problem, running_pin
from generator.surface.scaffold import Target, existing, plan, write_all


@click.command("init")
@click.option("--spec", required=True, help="The vendor's OpenAPI spec: a local path or an http(s) URL.")
@click.option("--name", required=True, help="The vendor name (package NAME_mcp, config openapi/NAME.toml).")
@click.option("--dir", "root", default=".", show_default=True, type=click.Path(file_okay=False), help="The repository.")
@click.option("--url", help="Where the vendor publishes the spec, when --spec is a local file (the workflow pulls it).")
@click.option(
    "--requirement",
    metavar="SPEC",
    help="What CI installs mcpgen from (a pip requirement). Default: this release, or this checkout's commit.",
)
@click.option("--branch", help="The branch the workflow runs on. Default: the repository's default branch.")
@click.option("--force", is_flag=True, help="Overwrite files that exist with other contents.")
@click.option("--readme", type=click.Path(dir_okay=False), help="Write the README section here instead of printing it.")
def init_command(
    spec: str,
    name: str,
    root: str,
    url: str | None,
    requirement: str | None,
    branch: str | None,
    force: bool,
    readme: str | None,
) -> None:
    """Scaffold openapi/NAME.toml, the pinned spec, openapi/NAME.lock.json and .github/workflows/mcpgen-NAME.yml.

    Nothing is written unless the spec generates without errors. Files that already hold exactly what
    would be written are left alone; files with other contents are overwritten only with --force.
    """
    base = Path(root)
    scaffold = plan(spec, name, target(base, spec, url, requirement, branch))
    clashes = existing(base, scaffold.files)
    if clashes and not force:
        refuse(f"{(base / clashes[0]).as_posix()} exists; use --force to overwrite it")
    for relative, written in write_all(base, scaffold.files).items():
        click.echo(f"{said(written)} {(base / relative).as_posix()}")
    if not url and not spec.startswith(("http://", "https://")):
        click.echo(
            f"init: {spec} is pinned locally: the workflow pulls nothing and runs on no schedule; "
            "pass --url URL (where the vendor publishes it) to have it pull the spec weekly",
            err=True,
        )
    hand_over(scaffold.readme, readme)


def hand_over(section: str, readme: str | None) -> None:
    """The README section: written to ``readme`` when given, else printed."""
    if readme:
        written = write_all(Path("."), {readme: section.encode("utf-8")})[readme]
        click.echo(f"{said(written)} {readme}: add it to your README")
    else:
        click.echo("\nAdd this section to your README:\n")
        click.echo(section, nl=False)


def said(written: bool) -> str:
    """What became of one planned file: written, or left alone because it already held those bytes."""
    return "wrote" if written else "unchanged (identical, left alone)"


def target(base: Path, spec: str, url: str | None, requirement: str | None, branch: str | None) -> Target:
    """What the scaffold pins: the checked options, else what the running mcpgen and the repository's git say."""
    if url is not None and not url.startswith(("http://", "https://")):
        raise click.UsageError(f"--url takes an http(s) URL, not {url!r}")
    if url is not None and spec.startswith(("http://", "https://")):
        raise click.UsageError("--url is for a local --spec; this --spec is already a URL")
    if requirement is not None:
        problem = requirement_problem(requirement)
        if problem:
            raise click.UsageError(f"--requirement {problem}")
    else:
        pin = running_pin()
        if pin.requirement is None:
            refuse(f"cannot pin mcpgen for CI: {pin.reason}; pass --requirement SPEC (e.g. mcpgen==X.Y.Z)")
        requirement = pin.requirement
    return Target(requirement, branch or default_branch(base), url)


def refuse(reason: str) -> NoReturn:
    """One line on stderr, exit 1, nothing written."""
    click.echo(f"init: {reason}", err=True)
    sys.exit(1)
