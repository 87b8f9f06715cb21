"""Every run verifies its own output: plain ruff on the formatted files, and models.py imported for real."""

from __future__ import annotations

import json
from pathlib import Path

from generator.emit.models import import_problems
from generator.emit.write import format_files
from generator.errors import Report
from generator.model.config import default_config
from generator.pipeline import generate


def test_a_ruff_finding_is_an_error_naming_file_line_and_rule() -> None:
    report = Report()
    format_files({"src/pkg/models.py": "def f() -> None:\n    return undefined_name\n"}, report)
    assert [p.line() for p in report.errors] == [
        "error: src/pkg/models.py:2: ruff F821: Undefined name `undefined_name`"
    ]


def test_clean_files_come_back_formatted_without_problems() -> None:
    report = Report()
    files = format_files({"a.py": "x = {'a':1}\n"}, report)
    assert (files, report.problems) == ({"a.py": 'x = {"a": 1}\n'}, [])


def test_models_that_cannot_import_are_one_line_errors() -> None:
    regex = "from pydantic import BaseModel, Field\n\n\nclass A(BaseModel):\n    x: str = Field(pattern='(?<=a)b')\n"
    [(where, message)] = import_problems(regex)
    assert where == "models.py" and message.startswith("does not import: SchemaError:") and "\n" not in message
    [(_, missing)] = import_problems("import email_validator\n")
    assert missing == "does not import: ModuleNotFoundError: No module named 'email_validator'"


def test_a_pattern_pydantic_cannot_compile_is_dropped_with_a_warning(tmp_path: Path) -> None:
    """One bad regex sinks nothing (spec/patterns.py); models.py, verified by import, imports."""
    body = {"type": "object", "properties": {"code": {"type": "string", "pattern": "(?<=a+)b"}}}
    wrapper = {"type": "object", "properties": {"item": {"$ref": "#/components/schemas/T"}}}
    spec = {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/things": {
                "post": {
                    "operationId": "makeThing",
                    "requestBody": {"content": {"application/json": {"schema": wrapper}}},
                    "responses": {"200": {"description": "ok"}},
                }
            }
        },
        "components": {"schemas": {"T": body}},
    }
    path = tmp_path / "spec.json"
    path.write_text(json.dumps(spec), encoding="utf-8")
    result = generate(default_config("things", str(path)))
    assert result.report.errors == [] and "pattern" not in result.files["src/things_mcp/models.py"]
    assert [p.where for p in result.report.warnings] == ["#/components/schemas/T/properties/code/pattern"]
