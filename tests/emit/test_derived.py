"""The emit stage's derivations from IR facts: input schemas, local arguments, descriptions, annotations."""

from __future__ import annotations

from dataclasses import replace

import pytest

from generator.emit.arguments import FILE_HELP, arguments, input_schema
from generator.emit.catalog import entry
from generator.emit.describe import describe, full_text, listed_description, summary
from generator.emit.functions import function_view, imports
from generator.emit.pytypes import annotation, arg_annotation
from generator.model.ir import Hints, Paging, Param, Server, Tool
from generator.runtime.contract import DEFAULT_TIMEOUT_S, SELECT_HELP, Download, FlowInputs, Job, Upload


def _param(arg: str, schema: dict[str, object], **facts: object) -> Param:
    base = {"py_name": arg, "wire": arg, "location": "query", "required": False, "declared": schema}
    return Param(arg=arg, schema=schema, **{**base, **facts})  # type: ignore[arg-type]  # test shorthand


def _tool(*params: Param, **facts: object) -> Tool:
    hints = Hints("List things", read_only=True, destructive=False, idempotent=True)
    base = Tool(
        "list_all_acme_things", "listThings", "GET", "/v1/things", "things", "Things", "", "", params, {}, hints
    )
    # An empty answer, so that only the arguments a test is about are listed (``select`` comes with a JSON one).
    return replace(base, **{"response_kind": "empty", **facts})  # type: ignore[arg-type]  # test shorthand


def _server(*tools: Tool, scope_prose: tuple[str, ...] = ()) -> Server:
    return Server(
        "acme", "Acme", "acme_mcp", "acme-mcp", "ACME", "", "http://x", "s.json", "0", None, "1", (), tools,
        scope_prose=scope_prose,
    )  # fmt: skip


def test_a_json_answer_adds_select_described_once_in_the_listing() -> None:
    cursor = _param("cursor", {"type": "string"})
    tool = _tool(cursor, response_kind="json", paging=Paging("cursor", "next"))
    assert [a.name for a in arguments(tool)] == ["cursor", "max_pages", "select"]
    assert input_schema(tool)["properties"]["select"] == {"description": SELECT_HELP, "type": "string"}
    listed = input_schema(tool, listed=True)["properties"]
    assert listed["select"] == {"type": "string"} and "description" not in listed["max_pages"]
    assert listed["cursor"] == input_schema(tool)["properties"]["cursor"]  # a spec argument keeps its words
    own = _tool(_param("select", {"type": "string"}), response_kind="json")
    assert [a.location for a in arguments(own)] == ["query"]  # the vendor's own select, sent on the wire
    assert [a.name for a in arguments(_tool(response_kind="binary"))] == []


def test_input_schema_from_params() -> None:
    limit = _param("limit", {"type": "integer"}, description="How many.")
    thing = _param("thing", {"$ref": "#/$defs/Thing"}, location="body", required=True, description="The thing.")
    tool = _tool(limit, thing, defs={"Thing": {"type": "object"}})
    assert input_schema(tool) == {
        "type": "object",
        "properties": {
            "limit": {"description": "How many.", "type": "integer"},
            "thing": {"$ref": "#/$defs/Thing", "description": "The thing."},
        },
        "required": ["thing"],
        "$defs": {"Thing": {"type": "object"}},
    }


def test_a_schema_description_is_kept() -> None:
    tool = _tool(_param("q", {"type": "string", "description": "From the schema."}, description="Other."))
    assert input_schema(tool)["properties"]["q"] == {"type": "string", "description": "From the schema."}


def test_paging_adds_max_pages_unless_taken() -> None:
    cursor = _param("cursor", {"type": "string"})
    pages = Paging("cursor", "next")
    schema = input_schema(_tool(cursor, paging=pages))
    assert list(schema["properties"]) == ["cursor", "max_pages"]
    assert schema["properties"]["max_pages"]["maximum"] == 10
    taken = _tool(cursor, _param("max_pages", {"type": "integer"}), paging=pages)
    assert [a.name for a in arguments(taken)] == ["cursor", "max_pages"]
    assert "required" not in schema


def test_job_adds_wait_and_timeout() -> None:
    job = Job("get_run", "id", "run_id", "state", ("DONE", "FAILED"), max_wait_s=120)
    wait, timeout = arguments(_tool(job=job))
    assert (wait.name, wait.default, wait.python_type) == ("wait", False, "bool")
    assert "Poll get_run until the job reaches DONE, FAILED" in wait.description
    assert (timeout.name, timeout.default, timeout.schema["maximum"]) == ("timeout_s", DEFAULT_TIMEOUT_S, 120)
    assert "at most 120" in timeout.description


def test_file_parts_take_a_path_or_inline_content() -> None:
    one = _param("file", {"type": "string"}, location="body", is_file=True, description="The file.")
    many = _param("files", {"type": "array", "items": {"type": "string"}}, location="body", is_file=True)
    properties = input_schema(_tool(one, many))["properties"]
    assert properties["file"]["description"] == f"The file. {FILE_HELP}"
    assert properties["file"]["anyOf"][0] == {"type": "string"}
    assert properties["files"]["type"] == "array" and "anyOf" in properties["files"]["items"]
    args = arguments(_tool(one, many))
    assert [arg_annotation(a, frozenset()) for a in args] == ["str | dict[str, Any]", "list[str | dict[str, Any]]"]


def test_description_composed_in_order() -> None:
    text = "Lists things. Needs scope 'things:read'. Pages by cursor."
    tool = _tool(
        summary="List things (/v1/things)",
        text=text,
        scopes=("things:read",),
        conditional_scopes=("things:media",),
        credits=True,
        deprecated=True,
        job=Job("get_run", "id", "run_id", "state", ("DONE",)),
        upload=Upload(max_bytes=5_000_000, skill=True),
        flow_inputs=FlowInputs("get_inputs", "flow", "inputs", "name", "values"),
        download=Download("url"),
    )
    lines = describe(tool, "ACME", (r"scope '[a-z:]+'",)).split("\n")
    assert lines[:6] == [
        "List things (/v1/things)",
        "Lists things. Pages by cursor.",
        "Scopes: things:read.",
        "Sometimes also: things:media.",
        "Consumes paid vendor credits on every call.",
        "Deprecated.",
    ]
    assert lines[6].startswith("Starts a job") and "get_run" in lines[6]
    assert lines[7] == "Uploads up to 5 MB."
    assert lines[8].startswith("Give the skill's markdown")
    assert lines[9].startswith("The flow's inputs go in values") and "get_inputs" in lines[9]
    assert lines[10].startswith("The file is fetched")
    assert lines[11] == "At most ACME_CREDIT_CALL_BUDGET such calls (default 3) per UTC day."
    assert listed_description(tool, "ACME", ()).startswith("List things\n")


def test_a_body_that_repeats_the_summary_is_left_out() -> None:
    tool = _tool(summary="List things.", text="List things")
    assert describe(tool, "ACME", ()) == "List things."
    assert full_text(tool) == "List things" and full_text(replace(tool, text="")) == "List things."
    pathed = _tool(summary="List things (/v1/things)", text="List things.")  # Gong's summaries name the path
    assert describe(pathed, "ACME", ()) == "List things (/v1/things)"
    assert listed_description(pathed, "ACME", ()) == "List things"


def test_summary_is_cut_for_listing_but_whole_in_the_ir() -> None:
    tool = _tool(summary="word " * 60)
    assert len(summary(tool)) <= 121 and len(tool.summary) == 300


@pytest.mark.parametrize(
    ("declared", "expected"),
    [
        ({"type": "string"}, "str"),
        ({"type": "string", "nullable": True}, "str | None"),
        ({"type": "string", "enum": ["a", "b"]}, "Literal['a', 'b']"),
        ({"type": "string", "format": "byte"}, "str | dict[str, Any]"),
        ({"type": "array", "items": {"type": "integer"}}, "list[int]"),
        ({"$ref": "#/components/schemas/Thing"}, "models.Thing"),
        ({"$ref": "#/components/schemas/Other"}, "Any"),
        ({"type": "object"}, "dict[str, Any]"),
        ({}, "Any"),
    ],
)
def test_annotations(declared: dict[str, object], expected: str) -> None:
    assert annotation(declared, frozenset({"Thing"})) == expected


def test_signature_lines() -> None:
    required = _param("id", {"type": "string"}, location="path", required=True)
    aliased = _param("from", {"type": "string"}, py_name="from_")
    view = function_view(_tool(aliased, required, paging=None), frozenset())
    assert [p["signature"] for p in view["params"]] == [
        "id: Annotated[str, Field(min_length=1)]",
        "from_: Annotated[str | None, Field(validation_alias='from')] = None",
    ]
    assert imports(" ".join(p["signature"] for p in view["params"]))[0] == "from typing import Annotated"


def test_required_values_that_would_be_sent_as_nothing_must_not_be_empty() -> None:
    """An empty query value or list is an absent one: refused by name before sending (found by fuzzing)."""
    query = _param("q", {"type": "string"}, required=True)
    ids = _param("ids", {"type": "array", "items": {"type": "string"}}, required=True)
    path = _param("id", {"type": "string"}, location="path", required=True)
    optional = _param("tag", {"type": "string"})
    files = _param("files", {"type": "array", "items": {"type": "string"}}, location="body", required=True)
    view = function_view(_tool(query, ids, path, optional, files, paging=None, body_kind="multipart"), frozenset())
    assert [p["signature"] for p in view["params"]] == [
        "q: Annotated[str, Field(min_length=1)]",
        "ids: Annotated[list[Annotated[str, Field(min_length=1)]], Field(min_length=1)]",
        "id: Annotated[str, Field(min_length=1)]",
        "files: Annotated[list[str], Field(min_length=1)]",
        "tag: str | None = None",
    ]


def test_the_listing_refuses_the_empty_values_the_server_refuses() -> None:
    """One truth: what the function refuses as empty, the listed schema bounds (minLength/minItems 1)."""
    query = _param("q", {"type": "string"}, required=True)
    ids = _param("ids", {"type": "array", "items": {"type": "string"}}, required=True)
    files = _param("files", {"type": "array", "items": {"type": "string"}}, location="body", required=True)
    path = _param("id", {"type": "string"}, location="path", required=True)
    listed = input_schema(_tool(query, ids, files, path, paging=None, body_kind="multipart"))["properties"]
    assert listed["q"] == {"type": "string", "minLength": 1}
    assert listed["ids"] == {"type": "array", "items": {"type": "string", "minLength": 1}, "minItems": 1}  # ?ids=
    assert listed["files"]["minItems"] == 1
    assert listed["id"] == {"type": "string", "minLength": 1}  # the runtime refuses an empty path segment
    longer = _param("q", {"type": "string", "minLength": 3}, required=True)
    assert input_schema(_tool(longer, paging=None))["properties"]["q"]["minLength"] == 3


@pytest.mark.parametrize(
    "declared",
    [
        {"type": "string"},
        {"type": ["string"]},
        {"type": ["string", "null"]},
        {"type": "string", "nullable": True},
        {"type": "string", "format": "byte"},
        {"type": "string", "enum": ["a", "b"]},
        {"type": "array", "items": {"type": "integer"}},
        {"type": ["array", "null"], "items": {"type": "integer"}},
        {"type": "integer"},
        {"type": {"odd": "type"}},
        {"$ref": "#/components/schemas/Thing"},
    ],
)
def test_a_bound_empty_value_is_one_the_function_refuses(declared: dict[str, object]) -> None:
    """The listed bound and ``min_length=1`` in the signature come from one decision, on every shape."""
    param = _param("q", declared, required=True)
    (arg,) = arguments(_tool(param, paging=None))
    bounded = "minLength" in arg.schema or "minItems" in arg.schema
    signature = function_view(_tool(param, paging=None), frozenset({"Thing"}))["params"][0]["signature"]
    assert bounded == ("min_length=1" in signature)
    assert bounded == (arg_annotation(arg, frozenset()) in ("str", "list[int]", "list[int] | None"))


def test_catalog_entry_lists_the_lean_schema_and_meta() -> None:
    tool = _tool(_param("q", {"type": "string", "minLength": 0}), summary="Find (/v1/things)", scopes=("things:read",))
    listed = entry(tool, _server(tool))
    assert listed["description"] == "Find\nScopes: things:read."
    assert listed["input_schema"]["properties"]["q"] == {"type": "string"}
    assert listed["meta"] == {"io.mcpgen/operation": {"scopes": ["things:read"]}}


def test_listed_meta_leaves_out_what_the_operation_table_holds_and_empty_values() -> None:
    # method, path and tag are in operations.py, where the server reads them; no scopes is no key, not [].
    plain = _tool(_param("q", {"type": "string"}))
    assert "meta" not in entry(plain, _server(plain))
    job = Job("get_thing", "id", "id", "state", ("done",))
    facts = entry(replace(plain, job=job, deprecated=True), _server(plain))["meta"]["io.mcpgen/operation"]
    assert facts == {"deprecated": True, "job": {"status_tool": "get_thing", "terminal_states": ["done"]}}
