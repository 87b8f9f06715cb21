"""OpenAPI 3.2 read as 3.1 plus what a tool needs (issue 23.8): QUERY, querystring, itemSchema, nested tags."""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from generator.emit.views import operation_view
from generator.errors import Report
from generator.model.filters import apply
from generator.model.ir import Server
from generator.runtime.visibility import Filters
from generator.spec import v32
from generator.spec.normalize import Survey, normalize
from generator.spec.structure import check_structure

SPEC = Path(__file__).resolve().parents[1] / "specs" / "openapi32.yaml"


def _document() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(SPEC.read_text(encoding="utf-8"))
    return loaded


def test_lowering_keeps_the_32_facts_and_skips_only_what_a_tool_cannot_use() -> None:
    document = _document()
    skipped = v32.lower(document)
    assert skipped == [
        ("POST /imports", "skipped: a streamed request body (OpenAPI 3.2 itemSchema) is not supported"),
        ("COPY /products/{id}", "skipped: OpenAPI 3.2 additionalOperations: not supported"),
    ]
    products = document["paths"]["/products"]
    assert "query" in products  # the QUERY operation stays
    assert [(p["name"], p["in"], p["required"]) for p in products["get"]["parameters"]] == [
        ("page", "query", True),
        ("color", "query", False),
    ]
    events = document["paths"]["/events"]["get"]["responses"]["200"]["content"]["application/jsonl"]
    assert events["schema"] == {"type": "array", "items": {"$ref": "#/components/schemas/Event"}}


def test_a_32_document_normalizes_and_validates_as_31() -> None:
    survey = Survey()
    document, notes = normalize(_document(), survey=survey)
    assert notes == ["version 3.2.0 read as 3.1.2"]
    assert len(survey.skipped) == 2
    assert check_structure(document) == []


def test_a_faulty_query_operation_is_skipped_not_the_spec() -> None:
    document, _ = normalize(_document())
    broken = copy.deepcopy(document)
    broken["paths"]["/products"]["query"]["responses"] = "none"
    dropped = check_structure(broken)
    assert [where for where, _ in dropped] == ["QUERY /products"]
    assert "get" in broken["paths"]["/products"]


def test_query_reads_and_nested_tags_filter(build_inline: Callable[..., tuple[Server, Report]]) -> None:
    server, report = build_inline(_document())
    assert not report.errors
    tools = {t.operation_id: t for t in server.tools}
    query = tools["queryProducts"]
    assert (query.name, query.method, query.hints.read_only, query.body_kind) == (
        "query_all_acme_products",
        "QUERY",
        True,
        "json",
    )
    assert query.tag_parents == ("catalog",)
    assert ("tag_parents", ("catalog",)) in operation_view(query)["extras"]  # the server's --tags sees parents too
    kept, _ = apply(server, Filters(tags=frozenset({"catalog"})))
    assert {t.operation_id for t in kept.tools} == {"queryProducts", "listProducts", "getProduct"}


def test_an_unsupported_querystring_skips_its_operation() -> None:
    document = _document()
    parameter = document["paths"]["/products"]["get"]["parameters"][0]
    parameter["content"] = {"application/json": parameter["content"]["application/x-www-form-urlencoded"]}
    skipped = v32.lower(document)
    assert ("GET /products", "skipped: querystring parameter 'filter' is not a form-encoded object") in skipped
    assert "query" in document["paths"]["/products"]
