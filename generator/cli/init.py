"""``mcpgen init``: scaffold a vendor config, its pinned spec, the first lock and the regeneration workflow."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from generator.surface.scaffold import existing, plan, write_all


@click.command("init")
@click.option("--spec", required=True, help="The vendor's OpenAPI spec: a local path or an http(s) URL.")
@click.option("--name", required=True, help="The vendor name (package NAME_mcp, config openapi/NAME.toml).")
@click.option("--dir", "root", default=".", show_default=True, type=click.Path(file_okay=False), help="The repository.")
@click.option("--force", is_flag=True, help="Overwrite files that exist with other contents.")
@click.option("--readme", type=click.Path(dir_okay=False), help="Write the README section here instead of printing it.")
def init_command(spec: str, name: str, root: str, force: bool, readme: str | None) -> None:
    """Scaffold openapi/NAME.toml, the pinned spec, openapi/NAME.lock.json and .github/workflows/mcpgen-NAME.yml.

    Nothing is written unless the spec generates without errors. Files that already hold exactly what
    would be written are left alone; files with other contents are overwritten only with --force.
    """
    scaffold = plan(spec, name)
    base = Path(root)
    clashes = existing(base, scaffold.files)
    if clashes and not force:
        click.echo(f"init: {(base / clashes[0]).as_posix()} exists; use --force to overwrite it", err=True)
        sys.exit(1)
    write_all(base, scaffold.files)
    for relative in scaffold.files:
        click.echo(f"wrote {(base / relative).as_posix()}")
    if readme:
        write_all(Path("."), {readme: scaffold.readme.encode("utf-8")})
        click.echo(f"wrote {readme}: add it to your README")
    else:
        click.echo("\nAdd this section to your README:\n")
        click.echo(scaffold.readme, nl=False)
