"""What ``describe_tool`` adds to the listing (``details.json``): uncut descriptions and the answer's shape."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from generator.emit import listing
from generator.emit.arguments import input_schema
from generator.emit.details import details
from generator.emit.shapes import answer_shape
from generator.errors import Report
from generator.model.ir import Server
from generator.runtime.serve.described import uncut


@pytest.mark.parametrize("vendor", ["gong", "gumloop"])
def test_the_listed_schema_with_its_descriptions_put_back_is_the_whole_schema(
    vendor: str, vendor_ir: Callable[[str], tuple[Server, Report]]
) -> None:
    server, _ = vendor_ir(vendor)
    known = details(server)
    restored = 0
    for tool in server.tools:
        arguments = input_schema(tool)
        whole, listed = listing.listing_schema(arguments, limit=None), listing.listing_schema(arguments)
        own = known.get(tool.name) or {}
        shown = own.get("input_schema") or uncut(listed, own.get("descriptions") or {})
        assert shown == whole, tool.name
        restored += bool(own.get("descriptions"))
    assert restored > 0


def test_an_answer_shape_follows_refs_once_and_marks_null_formats_and_units() -> None:
    schema = {
        "type": "object",
        "required": ["calls"],
        "properties": {
            "calls": {"type": "array", "items": {"$ref": "#/$defs/Call"}},
            "n": {"type": ["integer", "null"], "format": "int32", "description": "Length in seconds."},
            "kind": {"allOf": [{"type": "string", "enum": ["a", "b"]}]},
        },
        "$defs": {
            "Call": {
                "type": "object",
                "properties": {"id": {"type": "string"}, "next": {"$ref": "#/$defs/Call"}},
            }
        },
    }
    shape = answer_shape(schema)
    assert shape.kind == "dict"
    assert shape.rows == {
        "calls": "list[Call]",
        "n": "int | None (int32), unit seconds, may be left out: Length in seconds.",
        "kind": "str, one of a, b, may be left out",
    }
    assert shape.defs == {"Call": {"id": "str", "next": "Call"}}
