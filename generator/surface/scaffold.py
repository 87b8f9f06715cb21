"""``mcpgen init``: the files a repository needs to own one vendor's MCP server and keep it current in CI.

Everything is planned in memory first (``{relative path: bytes}``): the vendor config, the pinned spec
beside it, the first lock, the regeneration workflow, and a README section. Nothing is written until the
spec has generated without errors and no planned file would overwrite another (unless forced); then each
file is written atomically. The same spec and name give the same bytes.
"""

from __future__ import annotations

import hashlib
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.emit.render import make_environment
from generator.emit.write import write_file
from generator.model import naming
from generator.model.auth import auth_from_scheme
from generator.model.config import default_config, load_config
from generator.model.servers import first_server
from generator.surface import lock
from generator.surface.drift import generated_surface
from generator.surface.fetch import fetch, openapi_document

# Actions pinned to the commit of a release (the tag is in the comment; a tag can move, a commit cannot).
ACTIONS = {
    "checkout": ("actions/checkout", "11bd71901bbe5b1630ceea73d27597364c9af683", "v4.2.2"),
    "setup_python": ("actions/setup-python", "a26af69be951a213d495a4c3e4e4022e16d87065", "v5.6.0"),
    "upload_artifact": ("actions/upload-artifact", "ea165f8d65b6e75b540449e92b4886f43607fa02", "v4.6.2"),
    "download_artifact": ("actions/download-artifact", "d3f86a106a0bac45b974a628896c90dbdf5c8093", "v4.3.0"),
    "create_pull_request": ("peter-evans/create-pull-request", "271a8d0340265f705b14b6d32b9829c1cb33d45e", "v7.0.8"),
}


@dataclass(frozen=True)
class Target:
    """What the scaffold pins beside the spec: the mcpgen CI installs, the branch it builds, the spec's upstream."""

    requirement: str
    branch: str = "main"
    url: str | None = None


@dataclass(frozen=True)
class Scaffold:
    """The planned files (relative path → bytes) and the README section to print."""

    files: dict[str, bytes]
    readme: str


def plan(spec: str, name: str, target: Target) -> Scaffold:
    """Read the spec, render every file and generate the first lock, all in memory.

    The spec's upstream URL is ``target.url``, else ``spec`` itself when it is a URL; with neither, the spec is
    pinned locally and the workflow pulls nothing (and says so).
    """
    vendor = default_config(name, spec).name
    raw = fetch(spec)
    document = openapi_document(spec, raw)
    mirror = f"{vendor}.json" if raw.lstrip().startswith(b"{") else f"{vendor}.yaml"
    view = _view(vendor, raw, document, mirror, target)
    view["url"] = target.url or (spec if spec.startswith(("http://", "https://")) else None)
    env = make_environment()
    files = {
        f"openapi/{vendor}.toml": env.get_template("init/config.toml.j2").render(view).encode("utf-8"),
        f"openapi/{mirror}": raw,
        view["workflow_path"]: env.get_template("init/workflow.yml.j2").render(view).encode("utf-8"),
    }
    files[f"openapi/{vendor}.lock.json"] = first_lock(vendor, files)
    return Scaffold(files, env.get_template("init/readme.md.j2").render(view))


def _view(vendor: str, raw: bytes, document: dict[str, Any], mirror: str, target: Target) -> dict[str, Any]:
    """What the three templates print; every spec-derived string is escaped by the templates' filters."""
    info = _table(document, "info")
    title = info.get("title") if isinstance(info.get("title"), str) else None
    # A weekly run at a time derived from the name, so that many vendors do not all start at once.
    hour, minute = divmod(int(hashlib.sha256(vendor.encode("utf-8")).hexdigest()[:8], 16) % (60 * 6), 60)
    return {
        "vendor": vendor,
        "title": title,
        "prefix": vendor.upper(),
        "package": naming.package_name(vendor),
        "mirror": mirror,
        "sha256": hashlib.sha256(raw).hexdigest(),
        "base_url": first_server(document),
        "auth": auth_entries(vendor.upper(), document),
        "example": first_operation(document),
        "workflow_path": f".github/workflows/mcpgen-{vendor}.yml",
        "requirement": target.requirement,
        "branch": target.branch,
        "cron": f"{minute} {hour + 3} * * 1",
        "actions": {key: {"uses": f"{repo}@{sha}", "version": tag} for key, (repo, sha, tag) in ACTIONS.items()},
    }


def auth_entries(prefix: str, document: dict[str, Any]) -> list[dict[str, Any]]:
    """``[[auth]]`` tables for the spec's security schemes, as the generator would read them by default."""
    schemes = _table(_table(document, "components"), "securitySchemes")
    entries: list[dict[str, Any]] = []
    for scheme in schemes.values():
        found = auth_from_scheme(prefix, scheme) if isinstance(scheme, dict) else None
        if found is None:
            continue
        entry = _auth_table(found.type, found.env, found.header)
        if entry not in entries:
            entries.append(entry)
    return entries


def _table(node: dict[str, Any], key: str) -> dict[str, Any]:
    value = node.get(key)
    return value if isinstance(value, dict) else {}


def _auth_table(kind: str, env: tuple[str, ...], header: str | None) -> dict[str, Any]:
    if kind == "basic":
        return {"type": "basic", "username_env": env[0], "password_env": env[1]}
    if kind == "bearer":
        return {"type": "bearer", "token_env": env[0]}
    return {"type": kind, "header" if kind == "header" else "name": header, "env": env[0]}


def first_operation(document: dict[str, Any]) -> str | None:
    """The first operationId in the spec, to show the per-operation knobs on a real key."""
    for item in (document.get("paths") or {}).values():
        for operation in item.values() if isinstance(item, dict) else ():
            if isinstance(operation, dict) and isinstance(operation.get("operationId"), str):
                return str(operation["operationId"])
    return None


def first_lock(vendor: str, files: dict[str, bytes]) -> bytes:
    """Generate from the planned config and spec in a scratch folder; the lock ``mcpgen lock`` would write."""
    with tempfile.TemporaryDirectory(prefix="mcpgen-init-") as scratch:
        root = Path(scratch)
        for name, data in files.items():
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            (root / name).write_bytes(data)
        _, current = generated_surface(load_config(root / "openapi" / f"{vendor}.toml"))
        return lock.dumps(current).encode("utf-8")


def existing(root: Path, files: dict[str, bytes]) -> list[str]:
    """Planned files that already exist under ``root`` with other bytes."""
    return [name for name, data in files.items() if (root / name).exists() and (root / name).read_bytes() != data]


def write_all(root: Path, files: dict[str, bytes]) -> dict[str, bool]:
    """Write each file atomically (a scratch file, then a rename) unless it already holds exactly those bytes,
    which leaves it untouched (its time included); a failure names the file.

    Returns:
        Each planned name, and whether it was written (False: it was identical and left alone).
    """
    written = {}
    for name, data in files.items():
        path = root / name
        written[name] = not (path.is_file() and path.read_bytes() == data)
        if written[name]:
            write_file(path, data)
    return written
