"""Every kind of argument reaches the wire where the spec says: path, query, header, cookie, JSON, form, raw."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import anyio
import pytest
from mcp import Client

from generator.emit.write import write_package
from generator.model.config import default_config
from generator.pipeline import generate
from tests.upstream import Upstream

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def sink(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """The kitchen-sink spec generated, written, and imported as ``sink_mcp``."""
    out = tmp_path_factory.mktemp("sink")
    result = generate(default_config("sink", str(ROOT / "tests/specs/kitchen_sink.json")))
    assert not result.report.errors and result.server is not None
    assert any("argument 'id' (query) clashes; renamed 'id_query'" in line for line in result.report.renames)
    write_package(out / "sink_mcp", result.files)
    sys.path.insert(0, str(out / "sink_mcp" / "src"))
    try:
        yield importlib.import_module("sink_mcp.server")
    finally:
        sys.path.remove(str(out / "sink_mcp" / "src"))


def call(sink: Any, up: Upstream, tool: str, args: dict[str, Any]) -> Any:
    from sink_mcp.runtime.settings import Settings
    from sink_mcp.vendor import VENDOR

    settings = Settings.from_env(VENDOR, {"SINK_BASE_URL": up.url})

    async def go() -> Any:
        async with Client(sink.create_server(settings)) as client:
            return await client.call_tool(tool, args)

    return anyio.run(go)


def test_path_query_header_cookie_and_flattened_json_body(sink: Any) -> None:
    args = {"id": "b/1 ?", "id_query": 5, "X-Trace": "t-1", "session": "s 1", "size": 2, "name": "n", "color": "red",
            "children": [{"size": 1}]}  # fmt: skip
    with Upstream() as up:
        result = call(sink, up, "update_a_sink_box_by_id", args)
        assert not result.is_error, result.content
        (seen,) = up.seen
    assert (seen.method, seen.path, seen.query) == ("PUT", "/v1/boxes/b%2F1%20%3F", [("id", "5")])
    assert seen.headers["X-Trace"] == "t-1"
    assert seen.headers["Cookie"] == "session=s%201"
    assert seen.json() == {"size": 2, "name": "n", "color": "red", "children": [{"size": 1}]}


def test_array_body_raw_text_and_form(sink: Any) -> None:
    with Upstream() as up:
        assert not call(sink, up, "create_a_sink_box", {"body": [{"size": 1, "name": "a"}]}).is_error
        assert not call(sink, up, "create_a_sink_note", {"body": "hello\nworld"}).is_error
        assert not call(sink, up, "create_a_sink_login", {"user": "u", "remember": True}).is_error
        boxes, note, login = up.seen
    assert boxes.json() == [{"size": 1, "name": "a"}]
    assert (note.body, note.headers["Content-Type"]) == (b"hello\nworld", "text/plain")
    assert login.body == b"user=u&remember=true"
    assert login.headers["Content-Type"] == "application/x-www-form-urlencoded"


def test_nested_models_forward_unknown_fields_the_spec_allows_and_refuse_bad_ones_before_sending(sink: Any) -> None:
    """``Box Spec`` is open in the spec: an extra key is the vendor's to judge; a wrong type or a gap is ours."""
    with Upstream() as up:
        extra = call(sink, up, "update_a_sink_box_by_id", {"id": "1", "size": 1, "children": [{"size": 1, "sise": 2}]})
        assert not extra.is_error and up.seen[0].json()["children"] == [{"size": 1, "sise": 2}]
        wrong = call(sink, up, "update_a_sink_box_by_id", {"id": "1", "size": 1, "children": [{"size": "big"}]})
        missing = call(sink, up, "update_a_sink_box_by_id", {"id": "1"})
        assert len(up.seen) == 1
    assert wrong.is_error and "children" in wrong.content[0].text
    assert missing.is_error and "size" in missing.content[0].text


def test_listed_schema_is_lean_and_self_contained(sink: Any) -> None:
    from sink_mcp.runtime.settings import Settings
    from sink_mcp.vendor import VENDOR

    async def go() -> Any:
        async with Client(sink.create_server(Settings.from_env(VENDOR, {}))) as client:
            return {t.name: t for t in (await client.list_tools()).tools}

    tools = anyio.run(go)
    box = tools["update_a_sink_box_by_id"].input_schema
    text = str(box)
    for noise in ("example", "xml", "x-order", "title", "readOnly", "nullable"):
        assert f"'{noise}'" not in text
    assert box["$defs"]["BoxSpec"]["properties"]["size"] == {"exclusiveMinimum": 0, "type": "integer"}
    assert box["properties"]["children"]["items"] == {"$ref": "#/$defs/BoxSpec"}
    color = box["properties"]["color"]["anyOf"]  # nullable: one type per branch
    assert color == [{"type": "string", "enum": ["red", "blue"]}, {"type": "null"}]
    assert "id" not in box["$defs"]["BoxSpec"]["properties"]  # readOnly: not an input
    assert tools["delete_a_sink_box_by_id"].meta["io.mcpgen/operation"]["deprecated"] is True
