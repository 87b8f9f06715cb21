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


def test_modules_stay_under_250_lines() -> None:
    long = {str(p.relative_to(ROOT)): n for p in MODULES if (n := len(p.read_text().splitlines())) > 250}
    assert long == {}
