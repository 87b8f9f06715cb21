"""Every string format datamodel-code-generator maps to a type: the emitted models import only what a generated
package declares (pydantic, the standard library), and values go out as given."""

from __future__ import annotations

import ast
import sys
from typing import Any

from datamodel_code_generator.parser.schema_version import get_data_formats

from generator.emit.models import models_text

DECLARED = {"pydantic", "typing_extensions", "__future__"} | set(sys.stdlib_module_names)


def _formats() -> list[tuple[str, str]]:
    table = get_data_formats(is_openapi=True)  # fails loudly if the library moves its format table
    return sorted((kind, name) for kind, names in table.items() for name in names if name != "default")


def _models(pairs: list[tuple[str, str]]) -> str:
    props = {f"f{index}": {"type": kind, "format": name} for index, (kind, name) in enumerate(pairs)}
    text, problems = models_text({"Thing": {"type": "object", "properties": props}})
    assert problems == []
    return text


def test_the_format_table_is_still_where_we_read_it() -> None:
    assert ("string", "email") in _formats() and ("string", "password") in _formats()


def test_no_format_needs_an_undeclared_package() -> None:
    tree = ast.parse(_models(_formats()))
    imported = {
        (node.module or "").split(".")[0] if isinstance(node, ast.ImportFrom) else alias.name.split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    }
    assert imported <= DECLARED, f"emitted models import {sorted(imported - DECLARED)}, which no package declares"


def test_string_formats_with_a_plain_meaning_reach_the_wire_unchanged() -> None:
    pairs = [("string", "email"), ("string", "idn-email"), ("string", "ulid"), ("string", "password")]
    namespace: dict[str, Any] = {}
    exec(compile(_models(pairs), "models.py", "exec"), namespace)  # our own emitted code, as the package runs it
    values = {"f0": "a@b.example", "f1": "ü@b.example", "f2": "01ARZ3NDEKTSV4RRFFQ69G5FAV", "f3": "hunter2"}
    sent = namespace["Thing"](**values).model_dump(mode="json", exclude_unset=True)
    assert sent == values
