"""The private datamodel-code-generator API behind ``generator.model.inflection``: fail loudly if it changes."""

from __future__ import annotations

from generator.model import inflection


def test_datamodel_code_generator_still_ships_its_inflect_loader() -> None:
    from datamodel_code_generator import reference

    loader = getattr(reference, "_get_inflect_engine", None)
    assert loader is not None, "datamodel_code_generator.reference._get_inflect_engine is gone: update the adapter"
    assert inflection.engine() is loader(), "the adapter no longer shares datamodel-code-generator's engine"


def test_engine_inflects_as_naming_needs() -> None:
    engine = inflection.engine()
    assert engine.singular_noun("calls") == "call"
    assert engine.singular_noun("call") is False
    assert engine.plural_noun("user") == "users"
