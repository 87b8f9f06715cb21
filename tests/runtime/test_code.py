"""The code toolset's pure parts, from the runtime source: signatures, the import check, the answer as data."""

from __future__ import annotations

from typing import Any

import pytest
from mcp.types import CallToolResult

from generator.runtime.serve import code, code_source
from generator.runtime.serve.signature import annotation, signature


def test_a_signature_lists_required_arguments_first_and_keyword_only() -> None:
    schema = {
        "type": "object",
        "properties": {
            "cursor": {"type": "string"},
            "fromDateTime": {"type": "string"},
            "ids": {"type": "array", "items": {"type": "string"}},
            "filter": {"type": "object"},
        },
        "required": ["fromDateTime"],
    }
    assert signature("gong", "list_calls", schema) == (
        "gong.list_calls(*, fromDateTime: str, cursor: str | None = None, ids: list[str] | None = None, "
        "filter: dict | None = None) -> dict"
    )
    assert signature("gong", "ping", {"type": "object"}) == "gong.ping() -> dict"


@pytest.mark.parametrize(
    ("schema", "expected"),
    [
        ({"type": ["string", "null"]}, "str | None"),
        ({"anyOf": [{"type": "integer"}, {"type": "string"}]}, "int | str"),
        ({"type": "number"}, "float"),
        ({}, "Any"),
    ],
)
def test_annotations(schema: dict[str, Any], expected: str) -> None:
    assert annotation(schema) == expected


@pytest.mark.parametrize(
    ("source", "refused"),
    [
        ("import os", "'os'"),
        ("import json as j, socket", "'socket'"),
        ("from os.path import join", "'os.path'"),
        ("from . import x", "'.'"),
        ("if True:\n    import subprocess", "'subprocess'"),
        ("x = eval", "eval()"),
        ("exec('1')", "exec()"),
        ("def f(:\n", "not valid Python"),
    ],
)
def test_the_import_check_refuses_what_is_not_on_the_list(source: str, refused: str) -> None:
    result = code_source.prepared(source, {"gong": frozenset()})
    assert isinstance(result, CallToolResult) and result.is_error and refused in result.content[0].text  # type: ignore[union-attr]


def test_the_import_check_lets_the_listed_modules_and_top_level_await_through() -> None:
    source = "import json, re, datetime, math, statistics, itertools, collections\nfrom collections import Counter\n"
    source += "x = await gong.list_calls()"
    assert code_source.prepared(source, {"gong": frozenset({"list_calls"})}) == source


def test_an_answer_becomes_json_data() -> None:
    assert code.plain({1: (1, 2), "s": {3}, "n": None, "o": object}) == {
        "1": [1, 2],
        "s": [3],
        "n": None,
        "o": "<class 'object'>",
    }


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("x = 1\nx", "x = 1\nx"),  # ends with an expression: its value is the answer already
        ("x = 1", "x = 1"),  # no expression: no answer
        ("def f():\n    1", "def f():\n    1"),  # a definition runs none of its body
        ("if a: 1\nelse: 2", "if a: A = 1\nelse: A = 2\nA\n"),
        ("while a:\n    b = 1\n    b", "while a:\n    b = 1\n    A = b\nA\n"),
        (
            "try:\n    1\nexcept E:\n    2\nfinally:\n    3",
            "try:\n    A = 1\nexcept E:\n    A = 2\nfinally:\n    A = 3\nA\n",
        ),
        ("match x:\n    case 1:\n        'one'", "match x:\n    case 1:\n        A = 'one'\nA\n"),
        ("with c:\n    é = 'é'; é", "with c:\n    é = 'é'; A = é\nA\n"),  # offsets in UTF-8 bytes
        ("for i in r:\n    if i:\n        i\r\n", "for i in r:\n    if i:\n        A = i\n\nA\n"),
    ],
)
def test_the_last_expression_keeps_its_value_wherever_it_stands(source: str, expected: str) -> None:
    prepared = code_source.prepared(source, {"gong": frozenset()})
    assert prepared == expected.replace("A", code_source.ANSWER)


def test_a_tool_named_without_a_call_is_refused_by_line() -> None:
    refused = code_source.prepared("x = 1\nf = gong.list_calls\nawait f()", {"gong": frozenset({"list_calls"})})
    assert isinstance(refused, CallToolResult) and refused.structured_content
    assert refused.structured_content["error"] == (
        "line 2: gong.list_calls is a tool: call it, `await gong.list_calls(...)`"
    )
    assert code_source.prepared("gong.other", {"gong": frozenset({"list_calls"})}) == "gong.other"  # the sandbox's
