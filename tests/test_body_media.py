"""A request body goes out as the spec takes it, whatever the spec's manner (found by the corpus sweep).

One small spec of our own, generated, written and imported, then driven by an MCP client against a recording
upstream on 127.0.0.1:

- a JSON body under a vendor's media type (Amadeus's ``application/vnd.amadeus+json``, JSON:API's
  ``application/vnd.api+json``) is sent with that Content-Type; plain ``application/json`` wins when listed too;
- a ``Content-Type`` or ``Accept`` header parameter (D7's, VTEX's) is no argument: the body sets the first;
- a required text body (S3's XML, Azure's policy text) is refused by name when empty, and nothing is sent;
- a credential the spec puts in a required form field (LanguageTool's ``apiKey``, no security scheme) is the
  server's: filled when set, and when not, the call answers which variable to set and sends nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from types import ModuleType
from typing import Any

import anyio
import pytest
from mcp import Client

from tests.package_kit import made, settings_for
from tests.upstream import Upstream

OK = {"200": {"description": "ok", "content": {"application/json": {"schema": {"type": "object"}}}}}
NAMED = {"type": "object", "required": ["name"], "properties": {"name": {"type": "string"}}}
ASKED = {"in": "header", "required": True, "schema": {"type": "string", "example": "application/json"}}


def _post(content: dict[str, Any], *parameters: dict[str, Any]) -> dict[str, Any]:
    body = {"required": True, "content": content}
    return {"post": {"requestBody": body, "parameters": list(parameters), "responses": OK}}


def body_media() -> dict[str, Any]:
    """Four operations, each in the manner of a corpus spec whose body went out wrong."""
    word = {
        "type": "object",
        "required": ["word", "apiKey"],
        "properties": {
            "word": {"type": "string"},
            "apiKey": {"type": "string", "description": "Your API key", "format": "password"},
        },
    }
    return {
        "openapi": "3.0.3",
        "info": {"title": "Body media", "version": "1"},
        "servers": [{"url": "https://body-media.test"}],
        "paths": {
            "/pricing": _post({"application/vnd.amadeus+json": {"schema": NAMED}}),
            "/both": _post({"application/vnd.both+json": {"schema": NAMED}, "application/json": {"schema": NAMED}}),
            "/send": _post({"application/json": {"schema": NAMED}}, {**ASKED, "name": "Content-Type"},
                           {**ASKED, "name": "Accept"}),
            "/policy": _post({"text/plain": {"schema": {"type": "string"}}}),
            "/words/add": _post({"application/x-www-form-urlencoded": {"schema": word}}),
        },
    }  # fmt: skip


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, tuple[ModuleType, list[str]]]]:
    """The spec generated, written and imported: ``{"bodymedia": (server module, summary warnings)}``."""
    with made(tmp_path_factory.mktemp("body_media"), {"bodymedia": body_media}) as found:
        yield found


async def _session(module: ModuleType, settings: Any, calls: list[tuple[str, dict[str, Any]]]) -> Any:
    server = module.create_server(settings)
    async with Client(server) as client:
        listing = {t.name: t.input_schema for t in (await client.list_tools()).tools}
        by_path = {op.path: name for name, op in server.operations.items()}
        results = [await client.call_tool(by_path[path], args) for path, args in calls]
    return {path: listing[by_path[path]] for path in by_path}, results


def _drive(built: dict[str, Any], calls: list[tuple[str, dict[str, Any]]], **env: str) -> Any:
    with Upstream() as up:
        listing, results = anyio.run(_session, built["bodymedia"][0], settings_for("bodymedia", up.url, **env), calls)
        return listing, results, up.seen


def test_a_json_body_goes_out_as_the_json_media_type_the_spec_takes(built: dict[str, Any]) -> None:
    calls = [("/pricing", {"name": "a"}), ("/both", {"name": "b"})]
    _, results, (priced, both) = _drive(built, calls)
    assert not any(r.is_error for r in results), [r.content for r in results]
    assert (priced.headers["Content-Type"], priced.json()) == ("application/vnd.amadeus+json", {"name": "a"})
    assert (both.headers["Content-Type"], both.json()) == ("application/json", {"name": "b"})


def test_content_type_and_accept_parameters_are_the_servers(built: dict[str, Any]) -> None:
    listing, (result,), (seen,) = _drive(built, [("/send", {"name": "n"})])
    assert not result.is_error, result.content
    assert list(listing["/send"]["properties"]) == ["name", "select"], listing["/send"]
    assert (seen.headers["Content-Type"], seen.json()) == ("application/json", {"name": "n"})
    assert any("header parameter 'Content-Type' is set by the server" in w for w in built["bodymedia"][1])


def test_a_required_text_body_is_refused_by_name_when_empty(built: dict[str, Any]) -> None:
    listing, (empty, given), (seen,) = _drive(built, [("/policy", {"body": ""}), ("/policy", {"body": "allow"})])
    assert listing["/policy"]["required"] == ["body"], listing["/policy"]
    assert empty.is_error and "body" in empty.content[0].text, empty.content
    assert not given.is_error, given.content
    assert (seen.headers["Content-Type"], seen.body) == ("text/plain", b"allow")


def test_a_credential_form_field_is_filled_or_the_call_says_which_variable_to_set(built: dict[str, Any]) -> None:
    listing, (filled,), (seen,) = _drive(built, [("/words/add", {"word": "w"})], API_KEY="lt-1")
    assert "apiKey" not in listing["/words/add"]["properties"], listing["/words/add"]
    assert not filled.is_error and seen.body == b"word=w&apiKey=lt-1", (filled.content, seen.body)
    _, (refused,), sent = _drive(built, [("/words/add", {"word": "w"})])
    assert refused.is_error and sent == [], refused.content
    assert "set BODYMEDIA_API_KEY" in refused.content[0].text and "'apiKey'" in refused.content[0].text
