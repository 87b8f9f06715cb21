"""The model stage on small inline specs: each argument once, with its facts; responses and hints in the IR."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import fields
from typing import Any

from generator.model.ir import Param, Server, Tool

BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "required": ["name"],
                    "properties": {
                        "name": {"type": "string", "description": "The <b>name</b>"},
                        "id": {"type": "string", "readOnly": True},
                        "size": {"type": "integer", "nullable": True},
                    },
                }
            }
        },
    }
}


def test_ir_holds_no_derived_text_or_schema() -> None:
    names = {f.name for f in fields(Tool)} | {f.name for f in fields(Param)}
    assert not names & {"input_schema", "annotation", "description_listed", "doc"}
    assert "response_schema" in names


def test_each_argument_once_with_its_facts(one_tool: Callable[..., Tool]) -> None:
    tool = one_tool(
        {
            "operationId": "createThing",
            "parameters": [{"name": "X-Trace", "in": "header", "schema": {"type": "string"}}],
            **BODY,
        }
    )
    assert [(p.arg, p.location, p.required) for p in tool.params] == [
        ("X-Trace", "header", False),
        ("name", "body", True),
        ("size", "body", False),
    ]
    name = tool.params[1]
    assert name.schema == {"type": "string", "description": "The name"}
    assert name.description == "The name"
    assert tool.params[2].schema == {"type": ["integer", "null"]}
    assert tool.params[0].py_name == "x_trace"
    assert (tool.body_kind, tool.body_media_type, tool.body_required) == ("json", "application/json", True)


def test_an_optional_body_still_requires_its_required_fields(one_tool: Callable[..., Tool]) -> None:
    """The tool sends its body fields whenever it is called: a body without ``name`` would break the spec."""
    optional = {"requestBody": {**BODY["requestBody"], "required": False}}
    tool = one_tool({"operationId": "createThing", **optional})
    assert [(p.arg, p.required) for p in tool.params] == [("name", True), ("size", False)]
    assert tool.body_required is False


def test_clashing_arguments_are_renamed_and_reported(build_inline: Callable[..., tuple[Server, Any]]) -> None:
    operation: dict[str, Any] = {"parameters": [{"name": "name", "in": "query", "schema": {"type": "string"}}], **BODY}
    operation["responses"] = {"200": {"description": "ok"}}
    document = {"openapi": "3.0.3", "info": {"title": "A", "version": "1"}, "paths": {"/v1/x": {"post": operation}}}
    server, report = build_inline(document)
    assert [p.arg for p in server.tools[0].params] == ["name", "name_body", "size"]
    assert any("renamed 'name_body'" in line for line in report.renames)


def test_summary_and_text_are_plain_and_whole(one_tool: Callable[..., Tool]) -> None:
    long = "Lists things. " * 20
    tool = one_tool({"summary": "List <i>things</i>", "description": f"<p>{long}</p>"}, method="get")
    assert tool.summary == "List things"
    assert tool.text == long.strip()


def test_success_response_schema_is_a_fact(one_tool: Callable[..., Tool]) -> None:
    answer = {"type": "object", "properties": {"id": {"type": "string", "example": "1"}}}
    responses = {
        "404": {"description": "no", "content": {"application/json": {"schema": {"type": "string"}}}},
        "200": {"description": "ok", "content": {"application/json": {"schema": answer}}},
    }
    tool = one_tool({"responses": responses}, method="get")
    assert tool.response_kind == "json"
    assert tool.response_schema == {"type": "object", "properties": {"id": {"type": "string"}}}


def test_no_json_response_no_schema(one_tool: Callable[..., Tool]) -> None:
    responses = {"200": {"description": "ok", "content": {"text/csv": {"schema": {"type": "string"}}}}}
    tool = one_tool({"responses": responses}, method="get")
    assert (tool.response_kind, tool.response_schema) == ("text", None)


def test_scopes_from_prose_and_security(one_tool: Callable[..., Tool]) -> None:
    operation = {
        "description": "Reads things. Requires scope 'things:read'. With media, also 'things:media'.",
        "security": [{"oauth": ["things:list"]}, {"oauth": ["other"]}],
    }
    scopes = {"patterns": [r"scope '([a-z:]+)'"], "conditional_patterns": [r"also '([a-z:]+)'"]}
    tool = one_tool(operation, method="get", scopes=scopes)
    assert tool.scopes == ("things:list", "things:read")
    assert tool.conditional_scopes == ("things:media",)
    assert tool.text.startswith("Reads things. Requires scope")


def test_hints_config_beats_x_mcp_beats_heuristic(one_tool: Callable[..., Tool]) -> None:
    searched = one_tool({"operationId": "searchThings"})
    assert (searched.hints.read_only, searched.hints.destructive, searched.hints.idempotent) == (True, False, True)
    flagged = one_tool({"operationId": "searchThings", "x-mcp": {"readOnly": False}})
    assert flagged.hints.read_only is False
    configured = one_tool(
        {"operationId": "searchThings", "x-mcp": {"readOnly": False}}, operations={"searchThings": {"read_only": True}}
    )
    assert configured.hints.read_only is True
    erased = one_tool({"operationId": "eraseThing"})
    assert erased.hints.destructive and erased.hints.title == "Delete a acme thing"  # its verb names it (23.5)


def test_paging_is_a_fact_not_an_argument(one_tool: Callable[..., Tool]) -> None:
    operation = {"parameters": [{"name": "cursor", "in": "query", "schema": {"type": "string"}}]}
    tool = one_tool(operation, method="get", pagination={"next_cursor": "records.cursor"})
    assert [p.arg for p in tool.params] == ["cursor"]
    assert tool.paging is not None and (tool.paging.cursor_arg, tool.paging.next_cursor) == ("cursor", "records.cursor")


def test_multipart_file_part(one_tool: Callable[..., Tool]) -> None:
    schema = {
        "type": "object",
        "properties": {"file": {"type": "string", "format": "binary", "description": "The file."}},
    }
    tool = one_tool({"requestBody": {"content": {"multipart/form-data": {"schema": schema}}}})
    (param,) = tool.params
    assert param.is_file and param.schema == {"type": "string"} and param.description == "The file."


def test_kitchen_sink_models_and_refs(kitchen_sink: Server) -> None:
    assert kitchen_sink.tools
    for tool in kitchen_sink.tools:
        for param in tool.params:
            assert "$ref" not in param.schema or param.schema["$ref"].startswith("#/$defs/"), (tool.name, param.arg)
            assert param.schema.get("$ref", "#/$defs/").removeprefix("#/$defs/") in {*tool.defs, ""}


def test_a_property_two_allof_members_define_takes_null_only_where_both_do(one_tool: Callable[..., Tool]) -> None:
    """rev.ai: ``media_url`` is a required string in one member and nullable in another; both hold, so a model that
    sent null (the listing allowed it) had the vendor refuse the job."""
    url = {"type": "string", "maxLength": 2048}
    body = {"allOf": [
        {"type": "object", "required": ["media_url"], "properties": {"media_url": url}},
        {"type": "object", "properties": {"media_url": {**url, "nullable": True},
                                          "note": {"type": "string", "nullable": True},
                                          "tag": {"type": ["string", "null"]}}},
        {"type": "object", "properties": {"note": {"type": "string", "nullable": True}, "tag": {"type": "string"}}},
    ]}  # fmt: skip
    tool = one_tool({"requestBody": {"content": {"application/json": {"schema": body}}}})
    schemas = {p.arg: p.schema for p in tool.params}
    assert "null" not in str(schemas["media_url"]) and schemas["media_url"].get("maxLength") == 2048
    assert "null" in str(schemas["note"])  # nullable in every member that defines it
    assert "null" not in str(schemas["tag"])
