"""Drift: what ``check`` and ``diff`` compare. A side is a lock, or a spec generated in memory."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path, PurePosixPath
from typing import Any

import generator
from generator.errors import FatalError
from generator.model import naming
from generator.model.config import SpecSource, VendorConfig, default_config
from generator.pipeline import Generated, generate
from generator.surface import lock
from generator.surface.diff import SurfaceDiff, compare

IGNORED_PARTS = ("__pycache__", ".pytest_cache", ".ruff_cache", ".mypy_cache", "build", "dist")
MAX_LISTED_FILES = 5


def generated_surface(config: VendorConfig, *, with_files: bool = False) -> tuple[Generated, dict[str, Any]]:
    """Generate in memory; a run with errors is fatal, since its surface would be missing tools."""
    result = generate(config, with_files=with_files)
    if result.report.errors or result.server is None:
        raise FatalError(*_first_error(result))
    return result, lock.surface(result.server)


def _first_error(result: Generated) -> tuple[str, str]:
    errors = result.report.errors
    if not errors:
        return result.config.name, "generation failed"
    more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
    return errors[0].where, errors[0].message + more


def unpinned(config: VendorConfig, location: str) -> VendorConfig:
    """``config`` reading its spec from ``location`` with no sha256 pin (a diff compares any two files)."""
    if "://" in location:
        source = SpecSource(url=location)
    else:
        source = SpecSource(path=str(Path(location).resolve()), url=config.spec.url)
    return config.model_copy(update={"spec": source})


def infer_config(locations: list[str], configs: list[VendorConfig]) -> VendorConfig | None:
    """The vendor config whose spec file name (or lock) matches one of ``locations``, the newer side first."""
    names = [_file_name(loc) for loc in locations]
    for name in names:
        for config in configs:
            if name in (_file_name(config.spec.path or config.spec.url or ""), f"{config.name}.lock.json"):
                return config
    return None


def default_name(location: str) -> str:
    """A vendor name for tool names when no config applies: the first word of the spec's file name."""
    match = re.match(r"[a-z]+", _file_name(location).lower())
    return match.group(0) if match else "api"


def _file_name(location: str) -> str:
    return PurePosixPath(location.split("?", 1)[0].replace("\\", "/")).name


def side(location: str, config: VendorConfig, notes: list[str]) -> dict[str, Any]:
    """A surface from a lock file (``*.lock.json``) or from a spec path/URL generated with ``config``.

    A spec that generates with errors still gives a surface (an older spec may lack operations the config
    names); the errors are added to ``notes`` so the report says which tools may be missing.
    """
    if location.endswith(".lock.json"):
        found = lock.read_lock(Path(location))
        if found is None:
            raise FatalError(location, "no such lock file")
        return found
    spec_config = unpinned(config, location)
    result = generate(spec_config, with_files=False)
    if result.report.errors:
        where, message = _first_error(result)
        notes.append(f"{location}: generation reported errors with this config: {where}: {message}")
    if result.server is None:
        raise FatalError(*_first_error(result))
    return lock.surface(result.server)


def diff_specs(old: str, new: str, config: VendorConfig | None, name: str | None) -> SurfaceDiff:
    """``mcpgen diff``: both sides under the same config, so tool names and overrides line up."""
    base = config or default_config(name or default_name(new), new)
    if name:
        base = base.model_copy(update={"name": name})
    notes: list[str] = []
    result = compare(side(old, base, notes), side(new, base, notes))
    result.notes.extend(notes)
    return result


def check(config: VendorConfig, out_dir: Path) -> SurfaceDiff:
    """``mcpgen check``: the lock and the package on disk against a fresh in-memory generation."""
    package_dir = out_dir / naming.package_name(config.name)
    path = lock.lock_path(config)
    locked = lock.read_lock(path)
    on_disk = package_dir.is_dir()
    result, current = generated_surface(config, with_files=on_disk)
    diff = compare(locked or _empty(current), current)
    if locked is None:
        diff.notes.append(f"no lock at {path.as_posix()}; review the tools, then run `mcpgen lock`")
    elif diff.old.get("sha256") != diff.new.get("sha256"):
        diff.notes.append(f"{path.as_posix()} records another spec sha256; review, then run `mcpgen lock`")
    elif not diff.changes and path.read_text(encoding="utf-8") != lock.dumps(current):
        diff.notes.append(f"{path.as_posix()} is not what `mcpgen lock` writes; run `mcpgen lock`")
    if diff.changes and locked is not None:
        diff.notes.append(f"the tool surface differs from {path.as_posix()}; review, then run `mcpgen lock`")
    if on_disk:
        diff.notes += package_notes(package_dir, result.files)
    return diff


def package_notes(package_dir: Path, files: dict[str, str]) -> list[str]:
    """What is wrong with the package on disk against ``files`` (another writer, stale files), one line each."""
    notes = []
    other = other_writer(package_dir)
    if other:
        notes.append(other)
    stale = stale_files(package_dir, files)
    if stale:
        listed = ", ".join(stale[:MAX_LISTED_FILES]) + (" …" if len(stale) > MAX_LISTED_FILES else "")
        notes.append(f"{package_dir.as_posix()} is stale ({len(stale)} file(s): {listed}); run `make generate`")
    return notes


def written_by(package_dir: Path) -> str | None:
    """The mcpgen version a package's pyproject.toml records (``[tool.mcpgen] version``); None when it has none."""
    try:
        data = tomllib.loads((package_dir / "pyproject.toml").read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return None
    version = data.get("tool", {}).get("mcpgen", {}).get("version")
    return version if isinstance(version, str) else None


def other_writer(package_dir: Path) -> str | None:
    """One line when another mcpgen than the running one wrote the package (or it does not say); else None."""
    recorded = written_by(package_dir)
    if recorded == generator.__version__:
        return None
    by = f"mcpgen {recorded}" if recorded else "an mcpgen that did not record its version"
    return f"{package_dir.as_posix()} was written by {by}; this is {generator.__version__}"


def _empty(current: dict[str, Any]) -> dict[str, Any]:
    return {"vendor": current.get("vendor"), "spec": {}, "tools": {}}


def stale_files(package_dir: Path, files: dict[str, str]) -> list[str]:
    """Files that differ from, are missing from, or are extra to what generation produces now."""
    stale = []
    for name, text in sorted(files.items()):
        target = package_dir / name
        try:
            if target.read_text(encoding="utf-8") != text:
                stale.append(f"{name} differs")
        except (FileNotFoundError, UnicodeDecodeError):
            stale.append(f"{name} missing")
    for target in sorted(package_dir.rglob("*")):
        name = target.relative_to(package_dir).as_posix()
        if target.is_file() and name not in files and not _ignored(name):
            stale.append(f"{name} extra")
    return stale


def _ignored(name: str) -> bool:
    parts = name.split("/")
    return any(p in IGNORED_PARTS or p.endswith(".egg-info") for p in parts) or name.endswith((".pyc", ".pyo"))
