"""Specs generated, written and imported as packages, for tests that drive a real generated server."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType

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
