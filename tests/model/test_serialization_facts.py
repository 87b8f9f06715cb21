"""The IR states how each argument goes on the wire, which parameters the server fills, and the spec's auth."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from generator.errors import Report
from generator.model.encoding import Encoding
from generator.model.ir import Server, Tool
from generator.runtime.contract import AuthSpec, Fixed, Variable

BuildInline = Callable[..., tuple[Server, Report]]
STRING = {"type": "string"}


def _param(name: str, where: str, **more: Any) -> dict[str, Any]:
    return {"name": name, "in": where, "schema": more.pop("schema", STRING), **more}


def test_styles_are_kept_where_they_differ_from_the_defaults(one_tool: Callable[..., Tool]) -> None:
    tool = one_tool(
        {
            "parameters": [
                _param("created", "query", style="deepObject", explode=True, schema={"type": "object"}),
                _param("ids", "query", style="FORM", explode=False, schema={"type": "array", "items": STRING}),
                _param("at", "query", style="form", explode=True, allowReserved=True),
                _param("id", "path", required=True, style="matrix", explode=True),
                {"name": "filter", "in": "query", "content": {"application/json": {"schema": {"type": "object"}}}},
            ]
        },
        path="/v1/things/{id}",
    )
    found = {p.wire: p.encoding for p in tool.params}
    assert found == {
        "id": Encoding("matrix", True),
        "created": Encoding("deepObject"),
        "ids": Encoding("", False),
        "at": Encoding(reserved=True),
        "filter": Encoding(media_type="application/json"),
    }


def test_form_and_multipart_fields_take_their_encoding_entries(one_tool: Callable[..., Tool]) -> None:
    headers = {"X-Rate": {"schema": {"type": "string", "enum": ["fast"]}}, "X-Free": {"schema": STRING}}
    form = {
        "schema": {"type": "object", "properties": {"metadata": {"type": "object"}, "tags": {"type": "array"}}},
        "encoding": {"metadata": {"style": "deepObject", "explode": True}, "tags": {"style": "form", "explode": False}},
    }
    multipart = {
        "schema": {"type": "object", "properties": {"doc": {"type": "object"}, "n": {"type": "integer"}}},
        "encoding": {"doc": {"contentType": "application/xml", "headers": headers}, "n": {"contentType": "text/*"}},
    }
    formed = one_tool({"requestBody": {"content": {"application/x-www-form-urlencoded": form}}})
    assert {p.wire: p.encoding for p in formed.params} == {
        "metadata": Encoding("deepObject"),
        "tags": Encoding("form", False),
    }
    parts = one_tool({"requestBody": {"content": {"multipart/form-data": multipart}}})
    assert {p.wire: p.encoding for p in parts.params} == {
        "doc": Encoding(media_type="application/xml", part_headers=(("X-Rate", "fast"),)),
        "n": Encoding(),  # a range is no one type: the part's own value decides
    }


def test_a_nullable_json_field_is_marked_elsewhere_only_a_required_one(one_tool: Callable[..., Tool]) -> None:
    """A given null is sent in a JSON body (it clears a field); in a form, only where the field is required."""
    schema = {
        "type": "object",
        "required": ["icon", "cover"],
        "properties": {
            "icon": {"type": "object", "nullable": True},
            "cover": {"type": "string"},
            "title": {"type": "string", "nullable": True},
        },
    }
    tool = one_tool({"requestBody": {"content": {"application/json": {"schema": schema}}}})
    assert {p.wire: p.nullable for p in tool.params} == {"icon": True, "cover": False, "title": True}
    form = one_tool({"requestBody": {"content": {"application/x-www-form-urlencoded": {"schema": schema}}}})
    assert {p.wire: p.nullable for p in form.params} == {"icon": True, "cover": False, "title": False}


def test_credential_parameters_leave_the_listing_and_page_tokens_stay(build_inline: BuildInline) -> None:
    """Named and described as a credential, or an apiKey scheme's own parameter; a page token or a sort key is data."""
    parameters = [
        _param("token", "header", required=True, description="Authentication token. Requires scope: chat:write"),
        _param("X-Api-Key", "header"),
        _param("page_token", "query", description="The token of the next page."),
        _param("key", "query", description="The sort key."),
    ]
    document = {
        "openapi": "3.0.3",
        "info": {"title": "Acme", "version": "1"},
        "components": {"securitySchemes": {"k": {"type": "apiKey", "in": "header", "name": "x-api-key"}}},
        "paths": {"/things": {"get": {"parameters": parameters, "responses": {"200": {"description": "ok"}}}}},
    }
    server, report = build_inline(document)
    (tool,) = server.tools
    assert [p.wire for p in tool.params] == ["page_token", "key"]
    required_token = Fixed("header", "token", credential=True, required=True)
    assert tool.fixed == (required_token, Fixed("header", "X-Api-Key", credential=True))
    assert sum("carries the credential" in p.message for p in report.warnings) == 2


def test_a_constant_header_is_a_setting_and_url_variables_are_resolved(build_inline: BuildInline) -> None:
    version = _param("Api-Version", "header", required=True, schema={"type": "string", "enum": ["2024-01-01"]})
    document = {
        "openapi": "3.0.3",
        "info": {"title": "Acme", "version": "1"},
        "servers": [
            {
                "url": "https://{region}.acme.test/{v}",
                "variables": {"region": {"default": "us"}, "v": {"default": "v2"}},
            }
        ],
        "paths": {"/things": {"get": {"parameters": [version], "responses": {"200": {"description": "ok"}}}}},
    }
    server, report = build_inline(document)
    (tool,) = server.tools
    assert tool.params == () and tool.fixed == (Fixed("header", "Api-Version", "2024-01-01", "ACME_API_VERSION"),)
    assert server.base_url == "https://us.acme.test/v2" and server.url_template == "https://{region}.acme.test/{v}"
    assert server.variables == (
        Variable("REGION", "us", "server URL variable `region`", placeholder="region"),
        Variable("V", "v2", "server URL variable `v`", placeholder="v"),
        Variable(
            "API_VERSION",
            "2024-01-01",
            "the `Api-Version` header the spec pins, sent with each request that declares it",
        ),
    )
    assert any("is constant" in p.message for p in report.warnings)


def test_every_scheme_is_offered_with_each_operations_alternatives(build_inline: BuildInline) -> None:
    schemes = {
        "basic": {"type": "http", "scheme": "basic"},
        "bearer": {"type": "http", "scheme": "bearer"},
        "oauth": {"type": "oauth2", "flows": {}},
        "cookie": {"type": "apiKey", "in": "cookie", "name": "sid"},
        "query": {"type": "apiKey", "in": "query", "name": "app_id"},
        "mtls": {"type": "mutualTLS"},
    }
    ok = {"200": {"description": "ok"}}
    paths = {"/a": {"get": {"responses": ok}}, "/b": {"get": {"security": [], "responses": ok}}}
    paths["/c"] = {"get": {"security": [{"cookie": [], "query": []}], "responses": ok}}
    document = {"openapi": "3.0.3", "info": {"title": "Acme", "version": "1"}, "paths": paths}
    document |= {"components": {"securitySchemes": schemes}, "security": [{"basic": []}, {"bearer": []}]}
    server, _ = build_inline(document)
    assert server.auth == (
        AuthSpec("basic", ("ACME_USERNAME", "ACME_PASSWORD"), name="basic", empty_password=True),
        AuthSpec("bearer", ("ACME_API_KEY",), name="bearer"),
        AuthSpec("bearer", ("ACME_API_KEY",), name="oauth"),
        AuthSpec("cookie", ("ACME_API_KEY",), "sid", name="cookie"),
        AuthSpec("query", ("ACME_APP_ID",), "app_id", name="query"),  # a second key: a variable of its own
    )
    assert [t.security for t in server.tools] == [(("basic",), ("bearer",)), ((),), (("cookie", "query"),)]
