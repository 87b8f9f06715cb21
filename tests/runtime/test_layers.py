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


def _repeated(names: list[tuple[str, str]]) -> dict[str, list[str]]:
    """Each name given by more than one place, with the places (sorted)."""
    places: dict[str, list[str]] = {}
    for name, where in names:
        places.setdefault(name, []).append(where)
    return {name: sorted(found) for name, found in places.items() if len(found) > 1}


GENERATOR = ROOT.parent
SOURCES = sorted(GENERATOR.rglob("*.py"))


def test_no_class_name_is_used_twice_across_the_generator() -> None:
    # Two ``Limits`` (four, once) make a reader open the import to learn which one a line means.
    classes = [
        (node.name, str(path.relative_to(GENERATOR)))
        for path in SOURCES
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.ClassDef)
    ]
    assert _repeated(classes) == {}


def test_no_module_name_is_used_twice_across_the_generator() -> None:
    # ``calls.py`` in flows/ and serve/ held unrelated things; a module's name alone should say which it is.
    modules = [(p.name, str(p.relative_to(GENERATOR))) for p in SOURCES if p.name not in ("__init__.py", "__main__.py")]
    assert _repeated(modules) == {}
