"""Every run verifies its own output: plain ruff on the formatted files, models.py and the server module imported."""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

from generator import pipeline
from generator.emit import verify
from generator.emit.models import import_problems, models_text
from generator.emit.render import render_code
from generator.emit.verify import ServerImport, module_problems
from generator.emit.write import dump_files, format_files
from generator.errors import Report
from generator.model.config import default_config
from generator.model.ir import Server
from generator.pipeline import generate

ROOT = Path(__file__).resolve().parents[1]
PETS = {
    "openapi": "3.0.3",
    "info": {"title": "Pets", "version": "1"},
    "paths": {"/pets": {"get": {"operationId": "listPets", "responses": {"200": {"description": "ok"}}}}},
}


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


def test_a_property_named_field_beside_an_aliased_one_still_lints_and_validates(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """datamodel-code-generator imports ``Field as Field_aliased`` then, in root models, calls ``Field(`` (AWS)."""
    models = {
        "Thing": {"type": "object", "properties": {"Field": {"type": "string"}, "Small": {"$ref": "#/$defs/Small"}}},
        "Small": {"type": "integer", "minimum": 1},
    }
    text, problems = models_text(models)
    report = Report()
    files = format_files({"src/pkg/models.py": text}, report)
    assert (problems, report.problems) == ([], [])
    (tmp_path / "aliased_models.py").write_text(files["src/pkg/models.py"], encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    thing = importlib.import_module("aliased_models").Thing
    assert thing.model_validate({"Field": "f", "Small": 2}).model_dump(by_alias=True) == {"Field": "f", "Small": 2}
    with pytest.raises(ValueError, match="greater than or equal to 1"):
        thing.model_validate({"Small": 0})


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


BROKEN_TOOLS = {
    "src/pkg/__init__.py": "",
    "src/pkg/server.py": "from .tools import TOOLS\n",
    "src/pkg/tools/__init__.py": "from .calls import list_calls\n\nTOOLS = [list_calls]\n",
    "src/pkg/tools/calls.py": "async def list_calls() -> None:\n    pass\n\n\nLIMIT = undefined_limit\n",
}


def test_a_tool_module_that_does_not_import_is_an_error_naming_its_file_and_line() -> None:
    """The whole server module is imported, in a child interpreter: ruff and models.py alone missed this."""
    problems, unverified = verify.SHARED.check(BROKEN_TOOLS, "pkg")
    assert unverified == []
    assert problems == [
        ("src/pkg/tools/calls.py:5", "does not import: NameError: name 'undefined_limit' is not defined")
    ]
    fixed = {**BROKEN_TOOLS, "src/pkg/tools/calls.py": "async def list_calls() -> None:\n    pass\n"}
    assert verify.SHARED.check(fixed, "pkg") == ([], [])  # the same child, the package imported afresh


def test_the_server_import_is_checked_in_process_the_same_way(tmp_path: Path) -> None:
    dump_files(tmp_path, {**BROKEN_TOOLS, "src/pkg/tools/calls.py": "def broken(:\n"})
    [(where, message)] = module_problems(tmp_path, "pkg.server")
    assert where == "src/pkg/tools/calls.py:1" and message.startswith("does not import: SyntaxError:")
    dump_files(tmp_path, {**BROKEN_TOOLS, "src/pkg/tools/calls.py": "async def list_calls() -> None:\n    pass\n"})
    verify.forget("pkg.server")
    assert module_problems(tmp_path, "pkg.server") == []


def test_a_package_whose_server_does_not_import_is_not_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """generate() reports it as an error and hands back no files, so the CLI keeps the previous output."""
    result = _generate_with(tmp_path, monkeypatch, "tools/__init__.py", "raise RuntimeError('a broken tools package')")
    assert result.files == {}
    [error] = [p.line() for p in result.report.errors]
    assert error.startswith("error: src/pets_mcp/tools/__init__.py:")
    assert error.endswith(": does not import: RuntimeError: a broken tools package")


def test_an_import_that_does_not_answer_in_time_is_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    """A hang (here: a child that never answers) is bounded; the error names the server module."""
    monkeypatch.setattr(verify, "TIMEOUT_S", 0.2)
    importer = ServerImport()
    importer._process = subprocess.Popen(
        [sys.executable, "-c", "import time; time.sleep(30)"], stdin=subprocess.PIPE, stdout=subprocess.PIPE
    )
    problems, _ = importer.check(BROKEN_TOOLS, "pkg")
    assert problems == [("src/pkg/server.py", "does not import within 0.2 s, or the importing process died")]
    assert importer._process is None  # stopped; the next check starts a fresh child


def test_where_the_servers_dependencies_are_not_installed_the_import_is_a_warning() -> None:
    """mcpgen installed alone (no mcp): the server cannot import there, and that says nothing of the package."""
    importer = ServerImport()
    without_mcp = "import sys; sys.modules['mcp'] = None; from generator.emit.verify import _serve; _serve()"
    importer._process = subprocess.Popen(
        [sys.executable, "-c", without_mcp], stdin=subprocess.PIPE, stdout=subprocess.PIPE, cwd=ROOT
    )
    try:
        errors, warnings = importer.check(BROKEN_TOOLS, "pkg")
    finally:
        importer.stop()
    assert errors == []
    assert warnings == [
        (
            "src/pkg/server.py",
            "not verified by import: 'mcp', which every generated server needs, is not installed beside mcpgen",
        )
    ]


def test_a_server_that_imports_its_models_at_start_is_checked_again_with_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The check starts before ``models.py`` is written; a server that needs it at start is not failed for that."""
    submitted: list[set[str]] = []
    submit = verify.SHARED.submit

    def recording(files: dict[str, str], package: str):  # type: ignore[no-untyped-def]
        submitted.append({path.rsplit("/", 1)[-1] for path in files})
        return submit(files, package)

    monkeypatch.setattr(verify.SHARED, "submit", recording)
    result = _generate_with(tmp_path, monkeypatch, "server.py", "from . import models as _models  # noqa: E402, F401")
    assert result.report.errors == []
    assert result.files
    assert "models.py" not in submitted[0]  # the first check ran while the models were still being written
    assert "models.py" in submitted[-1] and len(submitted) == 2


def test_a_server_that_imports_broken_models_at_start_is_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = _generate_with(tmp_path, monkeypatch, "server.py", "from .models import Missing  # noqa: E402, F401")
    assert result.files == {}
    [error] = [p.line() for p in result.report.errors]
    assert error.startswith("error: src/pets_mcp/server.py:")
    assert "ImportError: cannot import name 'Missing'" in error


def _generate_with(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, module: str, line: str) -> pipeline.Generated:
    """``generate()`` on PETS, with ``line`` added at the end of the package's ``module`` as rendered."""
    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps(PETS), encoding="utf-8")

    def changed(server: Server) -> dict[str, str]:
        files = render_code(server)
        files[f"src/{server.package}/{module}"] += f"\n{line}\n"
        return files

    monkeypatch.setattr(pipeline, "render_code", changed)
    return generate(default_config("pets", str(spec)))
