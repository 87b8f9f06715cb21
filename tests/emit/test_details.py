"""What ``describe_tool`` adds to the listing (``details.json``): uncut descriptions and the answer's shape."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from generator.emit import listing
from generator.emit.arguments import input_schema
from generator.emit.details import details
from generator.emit.shapes import UNPROMISED, answer_shape
from generator.errors import Report
from generator.model.ir import Server
from generator.runtime.serve.described import uncut
from generator.runtime.serve.search import answer_of


@pytest.fixture(params=["gong", "gumloop"])
def built(request: pytest.FixtureRequest, vendor_ir: Callable[[str], tuple[Server, Report]]) -> tuple[Server, Any]:
    """A vendor's IR and the ``details.json`` made from it."""
    server, _ = vendor_ir(request.param)
    return server, details(server)


def test_the_listed_schema_with_its_descriptions_put_back_is_the_whole_schema(built: tuple[Server, Any]) -> None:
    server, known = built
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
    assert shape.kind == "dict" and shape.promised  # "required" is stated, so "may be left out" means something
    assert shape.rows == {
        "calls": "list[Call]",
        "n": "int | None (int32), unit seconds, may be left out: Length in seconds.",
        "kind": "str, one of a, b, may be left out",
    }
    assert shape.defs == {"Call": {"id": "str", "next": "Call"}}


def test_each_tool_reads_back_its_own_answer_shape_shared_or_not(built: tuple[Server, Any]) -> None:
    server, known = built
    shared = 0
    for tool in server.tools:
        if tool.response_schema is None:
            assert answer_of(known, tool.name) == {}
            continue
        shape = answer_shape(tool.response_schema)
        expected = {"returns_type": shape.kind, "returns": shape.rows, "returns_defs": shape.defs}
        expected["returns_note"] = UNPROMISED if shape.rows and not shape.promised else None
        assert answer_of(known, tool.name) == {key: value for key, value in expected.items() if value}, tool.name
        shared += "returns_as" in (known.get(tool.name) or {})
    assert shared > 0
