"""Layer 6, serve: a tool's argument rules, one line per refusal, on schemas of our own (no server needed)."""

from __future__ import annotations

from typing import Any

from mcp.types import CallToolResult

from generator.runtime.serve.argument_rules import ArgumentRules, closest, name_of

SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "name": {"type": "string"},
        "tags": {"type": "array", "items": {"type": "string", "pattern": "^[a-z]+$"}},
        "owner": {"$ref": "#/$defs/Owner"},
        "tree": {"$ref": "#/$defs/Node"},
    },
    "required": ["name"],
    "$defs": {"Owner": {"type": "object", "properties": {"email": {"type": "string", "format": "email"}},
                        "additionalProperties": False},
              "Node": {"type": "object", "properties": {"a": {"type": "array", "items": {"$ref": "#/$defs/Node"}}}}},
}  # fmt: skip
RULES = ArgumentRules.of("make_thing", SCHEMA)


def _line(result: CallToolResult | None) -> str:
    assert result is not None and result.is_error
    first = result.content[0]
    assert first.type == "text"
    return first.text.split("\n")[0]


def _same(data: dict[str, Any]) -> dict[str, Any]:
    return data


def test_plain_arguments_pass_with_no_schema_check() -> None:
    assert RULES.deep == {"tags", "owner", "tree"}  # "name" is a plain string: the function's type checks it
    assert RULES.refusal({"name": "a"}, _same) is None
    assert RULES.refusal({"name": "a", "tags": ["x"], "owner": {"email": "a@b.c"}}, _same) is None


def test_nested_rules_are_named_by_their_path() -> None:
    assert _line(RULES.refusal({"name": "a", "tags": ["ok", "Not Ok"]}, _same)) == (
        'argument tags[1]: got "Not Ok"; it takes a string matching ^[a-z]+$'
    )
    assert _line(RULES.refusal({"name": "a", "owner": {"emial": "a@b.c"}}, _same)) == (
        "emial is not a field of owner; did you mean email? Known: email"
    )


def test_unknown_names_are_shown_safely_and_bounded() -> None:
    assert _line(RULES.refusal({"": 1, "a\nb": 2}, _same)).startswith('"", "a\\nb" are not arguments of make_thing;')
    many = _line(RULES.refusal({f"x{n}": n for n in range(500)}, _same))
    assert "… (500 in all)" in many and len(many) < 400
    assert closest("NAME", ["name", "tags"]) == "name" and closest("zzz", ["name"]) is None
    assert name_of("workspaceID") == "workspaceID" and name_of(" padded") == '" padded"'


def test_a_value_nested_past_the_interpreter_is_refused_not_raised() -> None:
    deep: Any = {}
    for _ in range(5000):
        deep = {"a": [deep]}
    said = _line(RULES.refusal({"name": "a", "tree": deep}, _same))
    assert said == "arguments tree nest too deeply to check"


def test_a_look_ahead_is_checked_and_a_pattern_python_cannot_read_passes_to_the_models() -> None:
    """A look-ahead (AWS Step Functions) is Python's to check; ``\\p{L}`` is pydantic's (the request models)."""
    rules = ArgumentRules.of("name_alias", {"type": "object", "properties": {
        "alias": {"type": "string", "pattern": r"^(?=.*[a-z])[a-z0-9]+$"},
        "label": {"type": "string", "pattern": r"^\p{L}+$"}}})  # fmt: skip
    assert _line(rules.refusal({"alias": "0"}, _same)) == (
        'argument alias: got "0"; it takes a string matching ^(?=.*[a-z])[a-z0-9]+$'
    )
    assert rules.refusal({"alias": "a0", "label": "Zoë"}, _same) is None
