"""Specs generated, written and imported as packages, for tests that drive a real generated server."""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
import venv
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType
from typing import Any

from generator.emit.write import write_package
from generator.model.config import default_config
from generator.pipeline import generate


@contextmanager
def imported(out: Path, specs: dict[str, Path]) -> Iterator[dict[str, tuple[ModuleType, list[str]]]]:
    """Each ``{name: spec}`` generated under ``out`` and imported: ``{name: (server module, summary warnings)}``."""
    found: dict[str, tuple[ModuleType, list[str]]] = {}
    try:
        for name, spec in specs.items():
            result = generate(default_config(name, str(spec)))
            assert not result.report.errors and result.server is not None, result.report.errors
            write_package(out / f"{name}_mcp", result.files)
            sys.path.insert(0, str(out / f"{name}_mcp" / "src"))
            found[name] = (importlib.import_module(f"{name}_mcp.server"), [p.line() for p in result.report.warnings])
        yield found
    finally:
        for name in found:
            sys.path.remove(str(out / f"{name}_mcp" / "src"))


@contextmanager
def made(
    out: Path, specs: Mapping[str, Callable[[], dict[str, Any]]]
) -> Iterator[dict[str, tuple[ModuleType, list[str]]]]:
    """Each ``{name: make}`` spec written under ``out`` as JSON, then generated and imported (``imported``)."""
    for name, make in specs.items():
        (out / f"{name}.json").write_text(json.dumps(make()), encoding="utf-8")
    with imported(out, {name: out / f"{name}.json" for name in specs}) as found:
        yield found


def settings_for(name: str, url: str, **extra: str) -> Any:
    """The settings of the imported package ``<name>_mcp`` against ``url``, no retries; ``extra``: more variables."""
    settings = importlib.import_module(f"{name}_mcp.runtime.settings").Settings
    env = {f"{name.upper()}_BASE_URL": url, f"{name.upper()}_MAX_RETRIES": "0"}
    env |= {f"{name.upper()}_{k}": v for k, v in extra.items()}
    return settings.from_env(importlib.import_module(f"{name}_mcp.vendor").VENDOR, env)


def venv_with(folder: Path, *requirements: str, timeout: float = 900) -> None:
    """A new venv at ``folder`` with ``requirements`` installed and nothing else (not even pip: this environment's
    pip installs into it, ``pip --python``, which spares the 7 s of ``ensurepip`` per venv)."""
    venv.EnvBuilder(with_pip=False).create(folder)
    python = folder / "bin" / "python"
    command = [sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet", *requirements]
    done = subprocess.run(command, check=False, capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, done.stderr[-2000:]
