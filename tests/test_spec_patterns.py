"""A ``pattern`` neither pydantic nor Python's ``re`` can compile is dropped with a warning; the spec still generates
and imports. One only Python reads (a look-ahead, amadeus.com's ``[[A-Z0-9]{1,18}``) stays for the argument rules."""

from __future__ import annotations

import json
from pathlib import Path

from generator.model.config import default_config
from generator.pipeline import generate
from generator.spec.patterns import drop_bad_patterns

BAD = "[A-Z0-9{1,18}"  # an unclosed character class, to either reader
PYTHONS = ("[[A-Z0-9]{1,18}", "^(?=.*[a-z])[a-z0-9]+$")  # amadeus.com flight offers (a '[' in a class), a look-ahead


def _spec(pattern: str) -> dict[str, object]:
    basis = {"type": "string", "pattern": pattern, "example": {"pattern": BAD}}
    body = {"type": "object", "properties": {"fareBasis": basis, "code": {"type": "string", "pattern": "^[A-Z]{3}$"}}}
    operation = {
        "operationId": "price",
        "requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Offer"}}}},
        "responses": {"200": {"description": "ok"}},
    }
    return {
        "openapi": "3.0.3",
        "info": {"title": "Fares", "version": "1"},
        "paths": {"/offers": {"post": operation}},
        "components": {"schemas": {"Offer": body, "Wrapper": {"type": "object", "properties": {"o": body}}}},
    }


def test_bad_patterns_leave_with_their_pointer_and_good_ones_stay() -> None:
    document = _spec(BAD)
    found = drop_bad_patterns(document)
    assert [pointer for pointer, _ in found] == ["#/components/schemas/Offer/properties/fareBasis/pattern"]
    assert "unclosed character class" in found[0][1]
    offer = document["components"]["schemas"]["Offer"]["properties"]  # type: ignore[index]
    assert "pattern" not in offer["fareBasis"] and offer["code"]["pattern"] == "^[A-Z]{3}$"
    assert offer["fareBasis"]["example"] == {"pattern": BAD}  # examples are values, not schemas
    for pattern in PYTHONS:
        assert drop_bad_patterns(kept := _spec(pattern)) == []
        assert kept["components"]["schemas"]["Offer"]["properties"]["fareBasis"]["pattern"] == pattern  # type: ignore[index]


def test_a_spec_with_a_bad_pattern_generates_with_a_warning(tmp_path: Path) -> None:
    spec = tmp_path / "fares.json"
    spec.write_text(json.dumps(_spec(BAD)), encoding="utf-8")
    result = generate(default_config("fares", str(spec)))
    assert not result.report.errors, result.report.errors
    assert any(p.where.endswith("fareBasis/pattern") for p in result.report.warnings)


def test_the_survey_of_normalize_finds_what_the_stages_own_walks_find() -> None:
    """The pipeline hands ``dangling`` and ``drop_bad_patterns`` what normalize's walk saw; the same findings."""
    from generator.spec.normalize import Survey, normalize
    from generator.spec.refs import dangling

    specs = [_spec(BAD), _spec("^ok$")]
    broken = _spec(BAD)
    broken["x-extra"] = {"pattern": BAD, "$ref": "#/nowhere"}  # an extension: its pattern is no schema's
    broken["components"]["schemas"]["Offer"]["properties"]["default"] = {"type": "string", "pattern": BAD}  # type: ignore[index]
    specs.append(broken)
    root = Path(__file__).resolve().parents[1]
    for name in ("kitchen_sink.json", "hostile.json"):
        specs.append(json.loads((root / "tests" / "specs" / name).read_text(encoding="utf-8")))
    for document in specs:
        alone = json.loads(json.dumps(document))
        normalize(alone, in_place=True)
        expected = (dangling(alone), drop_bad_patterns(alone))
        survey = Survey()
        surveyed, _ = normalize(json.loads(json.dumps(document)), in_place=True, survey=survey)
        assert (dangling(surveyed, survey.refs), drop_bad_patterns(surveyed, survey.patterns)) == expected
        assert surveyed == alone
