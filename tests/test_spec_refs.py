"""Dangling ``$ref``s anywhere in a spec are reported with the pointer of the ``$ref`` itself."""

from __future__ import annotations

import json
from pathlib import Path

from generator.errors import Level
from generator.model.config import default_config
from generator.pipeline import generate
from generator.spec.refs import dangling

NOPE = {"$ref": "#/components/schemas/No~1pe"}
DOCUMENT = {
    "openapi": "3.0.3",
    "info": {"title": "t", "version": "1"},
    "paths": {
        "/things": {
            "get": {
                "operationId": "listThings",
                "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": NOPE}}}},
            }
        }
    },
    "components": {"schemas": {"Fine": {"type": "object"}, "Alias": {"$ref": "#/components/schemas/Fine"}}},
}
POINTER = "#/paths/~1things/get/responses/200/content/application~1json/schema/$ref"


def test_dangling_names_each_unresolved_ref_by_its_pointer() -> None:
    assert dangling(DOCUMENT) == [(POINTER, "#/components/schemas/No~1pe")]


def test_a_dangling_ref_in_a_response_is_a_warning_and_strict_material(tmp_path: Path) -> None:
    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps(DOCUMENT), encoding="utf-8")
    result = generate(default_config("things", str(spec)), with_files=False)
    assert [(p.level, p.where) for p in result.report.problems] == [(Level.WARNING, POINTER)]
    assert result.server is not None and [t.name for t in result.server.tools]
