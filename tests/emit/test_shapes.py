"""The answer shapes the code toolset's describe_tool shows (``shapes.json``)."""

from __future__ import annotations

from generator.emit.shapes import shape


def test_an_answer_shape_follows_refs_and_stops_at_cycles() -> None:
    schema = {
        "type": "object",
        "properties": {"calls": {"type": "array", "items": {"$ref": "#/$defs/Call"}}, "n": {"type": "integer"}},
        "$defs": {
            "Call": {"type": "object", "properties": {"id": {"type": "string"}, "next": {"$ref": "#/$defs/Call"}}}
        },
    }
    assert shape(schema) == {"calls": [{"id": "str", "next": "dict"}], "n": "int"}
