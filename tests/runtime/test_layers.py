"""The runtime's shape: modules stay small, and the runtime imports nothing of the generator (it is copied)."""

from __future__ import annotations

import ast
from pathlib import Path

import generator.runtime

ROOT = Path(generator.runtime.__file__).parent
MODULES = sorted(ROOT.rglob("*.py"))


def test_the_runtime_imports_only_itself_and_third_parties() -> None:
    for path in MODULES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                assert not node.module.startswith("generator"), f"{path.relative_to(ROOT)} imports {node.module}"


def test_modules_stay_under_400_lines() -> None:
    long = {str(p.relative_to(ROOT)): n for p in MODULES if (n := len(p.read_text().splitlines())) > 400}
    assert long == {}


def test_no_private_name_is_imported_across_modules() -> None:
    # A leading underscore means "this module's own": another module that imports it hides a coupling (the audit
    # found access.py importing transport's _respond). Third-party internals go through named adapters instead.
    found = []
    for path in MODULES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                found += [f"{path.relative_to(ROOT)}: {a.name}" for a in node.names if a.name.startswith("_")]
    assert found == []
