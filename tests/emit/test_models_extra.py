"""Extra keys: the spec is the truth. Objects it closes refuse them; every other object keeps and forwards them."""

from __future__ import annotations

import types

import pytest
from pydantic import ValidationError

from generator.emit.models import models_text

MODELS = {
    "Closed": {"type": "object", "properties": {"b": {"type": "integer"}}, "additionalProperties": False},
    "Open": {
        "type": "object",
        "properties": {
            "a": {"type": "string"},
            "closed": {"$ref": "#/$defs/Closed"},
            "nested": {"type": "object", "properties": {"x": {"type": "string"}}},
        },
    },
}


def _module() -> types.ModuleType:
    text, problems = models_text(MODELS)
    assert not problems
    module = types.ModuleType("extra_models")
    exec(compile(text, "models.py", "exec"), module.__dict__)
    for model in ("Closed", "Open"):
        getattr(module, model).model_rebuild(_types_namespace=module.__dict__)
    return module


def test_open_objects_keep_and_forward_extra_keys_at_every_depth() -> None:
    value = {"a": "x", "more": 1, "nested": {"x": "y", "deeper": [1]}}
    assert _module().Open.model_validate(value).model_dump(exclude_unset=True) == value


def test_objects_the_spec_closes_refuse_extra_keys() -> None:
    module = _module()
    with pytest.raises(ValidationError, match="Extra inputs are not permitted"):
        module.Open.model_validate({"closed": {"b": 1, "more": 2}})
    with pytest.raises(ValidationError, match="Extra inputs are not permitted"):
        module.Closed.model_validate({"b": 1, "more": 2})


def test_the_spec_documents_are_not_changed() -> None:
    before = repr(MODELS)
    models_text(MODELS)
    assert repr(MODELS) == before


def test_enum_members_named_like_digits_are_renamed_and_values_kept() -> None:
    """adyen.com PaymentService (corpus): ``I = 'I'`` failed ruff E741 and refused the spec."""
    text, problems = models_text({"Kind": {"type": "string", "enum": ["A", "I", "O", "l"]}})
    assert not problems
    assert "    I_ = 'I'" in text and "    O_ = 'O'" in text and "    l_ = 'l'" in text
