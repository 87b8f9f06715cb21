"""The runtime's shape: modules stay small, and the runtime imports nothing of the generator (it is copied)."""

from __future__ import annotations

import ast
from pathlib import Path

import generator.runtime
from generator.runtime import failures

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


def test_every_runtime_failure_is_in_the_one_tree() -> None:
    # One module holds every exception class, each a RuntimeFailure: a caller catches the base once.
    elsewhere = [
        f"{path.relative_to(ROOT)}: {node.name}"
        for path in MODULES
        if path.name != "failures.py"
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.ClassDef) and any(_names_a_failure(base) for base in node.bases)
    ]
    assert elsewhere == []
    tree = [
        value for value in vars(failures).values() if isinstance(value, type) and value.__module__ == failures.__name__
    ]
    assert tree and all(issubclass(kind, failures.RuntimeFailure) for kind in tree)


def _names_a_failure(base: ast.expr) -> bool:
    name = base.id if isinstance(base, ast.Name) else base.attr if isinstance(base, ast.Attribute) else ""
    return name.endswith(("Error", "Exception", "Failure")) or hasattr(failures, name)


def test_shaping_writes_no_file_and_touches_no_logger() -> None:
    # The package says "pure functions": disk and logging belong to the layers named for them.
    for path in sorted((ROOT / "shaping").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import | ast.ImportFrom):
                modules = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
                assert not {"os", "shutil", "logging", "tempfile"} & set(modules), f"{path.name} imports {modules}"
            if isinstance(node, ast.Attribute):
                assert node.attr not in ("write_bytes", "write_text", "mkdir", "addFilter"), f"{path.name}: {node.attr}"
