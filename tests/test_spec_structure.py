"""One bad schema degrades its operations, not the whole spec: faults are isolated, warned, and --strict material."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from generator.errors import FatalError
from generator.model.config import default_config
from generator.pipeline import generate
from generator.spec.structure import check_structure

OK = {"200": {"description": "ok"}}
SPEC: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "t", "version": "1"},
    "paths": {
        "/good": {"get": {"operationId": "listGood", "responses": OK}},
        "/bad": {
            "get": {
                "operationId": "getBad",
                "parameters": [{"name": "x", "in": "query", "schema": {"type": "string", "minLength": "three"}}],
                "responses": OK,
            }
        },
        "/boxes": {
            "post": {
                "operationId": "makeBox",
                "requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Box"}}}},
                "responses": OK,
            }
        },
    },
    "components": {"schemas": {"Box": {"type": "object", "properties": {"size": {"type": "integer", "maximum": "x"}}}}},
}


def test_a_bad_operation_is_skipped_and_a_bad_schema_loosened_with_real_pointers() -> None:
    document = copy.deepcopy(SPEC)
    assert check_structure(document) == [
        (
            "GET /bad",
            "skipped: Input should be a valid integer, unable to parse string as an integer "
            "at #/paths/~1bad/get/parameters/0/schema/minLength",
        ),
        (
            "#/components/schemas/Box",
            "loosened to any object: Input should be a valid number, unable to parse string as a number "
            "at #/components/schemas/Box/properties/size/maximum",
        ),
    ]
    assert "get" not in document["paths"]["/bad"] and document["components"]["schemas"]["Box"] == {"type": "object"}


def test_the_rest_of_the_spec_still_generates(tmp_path: Path) -> None:
    path = tmp_path / "spec.json"
    path.write_text(json.dumps(SPEC), encoding="utf-8")
    result = generate(default_config("t", str(path)))
    assert result.server is not None and not result.report.errors and result.files
    assert sorted(t.operation_id for t in result.server.tools) == ["listGood", "makeBox"]
    assert [p.where for p in result.report.warnings] == ["GET /bad", "#/components/schemas/Box"]
    assert result.operations == 3


@pytest.mark.parametrize(
    ("change", "pointer"),
    [
        ({"info": "not an object"}, "#/info"),
        ({"paths": {"/bad": SPEC["paths"]["/bad"]}}, "#/paths"),  # nothing left once the only operation goes
    ],
)
def test_faults_outside_operations_and_schemas_stay_fatal(change: dict[str, Any], pointer: str) -> None:
    with pytest.raises(FatalError) as caught:
        check_structure({**copy.deepcopy(SPEC), **copy.deepcopy(change)})
    assert caught.value.problem.where == pointer


CLEAN = {"openapi": "3.0.3", "info": SPEC["info"], "paths": {"/good": SPEC["paths"]["/good"]}}
# Run in a fresh interpreter: a test process has other threads, and the fork is only taken without them.
BOTH_WAYS = """
import json, sys
from generator import pipeline, processes
from generator.model.config import default_config
from generator.spec.structure import check_structure

document = json.loads(open(sys.argv[1], encoding="utf-8").read())
forked = processes.forked(lambda: b"clean" if not check_structure(document) else b"")
elsewhere = pipeline.generate(default_config("t", sys.argv[1]))  # the check and details.json, each in a fork
processes.forked = lambda work: None
here = pipeline.generate(default_config("t", sys.argv[1]))
clean = forked is not None and forked() == b"clean"
print(json.dumps([clean, elsewhere.files == here.files, elsewhere.report == here.report]))
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the structure check forks on Linux only")
@pytest.mark.parametrize("spec", [SPEC, CLEAN], ids=["faults", "clean"])
def test_checking_in_a_fork_or_here_gives_the_same_result(spec: dict[str, Any], tmp_path: Path) -> None:
    path = tmp_path / "spec.json"
    path.write_text(json.dumps(spec), encoding="utf-8")
    done = subprocess.run([sys.executable, "-c", BOTH_WAYS, str(path)], capture_output=True, text=True, check=True)
    clean, same_files, same_report = json.loads(done.stdout)
    assert clean is (spec is CLEAN) and same_files and same_report


def test_refs_into_a_loosened_schema_mean_any_value(tmp_path: Path) -> None:
    """codat.io sync-for-commerce (corpus): a property literally named ``additionalProperties`` loosens
    ``Connection``, and a parameter's ``$ref`` to ``Connection/properties/id`` must not sink its operation."""
    connection = {"type": "object", "properties": {"id": {"type": "string"}, "additionalProperties": True}}
    param = {
        "name": "id",
        "in": "path",
        "required": True,
        "schema": {"$ref": "#/components/schemas/Connection/properties/id"},
    }
    operation = {"operationId": "getConnection", "parameters": [param], "responses": {"200": {"description": "ok"}}}
    document = {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {"/connections/{id}": {"get": operation}},
        "components": {"schemas": {"Connection": connection}},
    }
    path = tmp_path / "spec.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    result = generate(default_config("codat", str(path)), with_files=False)
    assert not result.report.errors and result.server is not None and len(result.server.tools) == 1
    assert [p.where for p in result.report.warnings] == ["#/components/schemas/Connection"]


def test_a_type_that_is_not_a_string_is_any() -> None:
    """codat.io accounting (corpus): ``"type": {...}`` was a traceback in the annotation."""
    from generator.emit.pytypes import annotation

    assert annotation({"type": {"type": "string"}}, frozenset()) == "Any"
