"""Issue 32 #12: the argument rules a spec states (a pattern, a format such as email, date-time or uuid, nested
objects and array items) are checked before anything is sent, one line each.

Two small specs of our own, generated, written and imported, then driven by an MCP client against a recording
upstream on 127.0.0.1: one in Twilio's manner (an ``AccountSid`` path parameter with a pattern), one in
PagerDuty's (a ``From`` header that is an email, a JSON body with a nested object, an array of objects, a date-time
and a uuid). Each refusal's text is asserted, and that the upstream saw nothing until a valid call. A third spec
says on a list's 404 "No items found": that answer is an empty list, while a 404 of another read stays an error.
"""

from __future__ import annotations

from collections.abc import Iterator
from types import ModuleType
from typing import Any

import anyio
import pytest
from mcp import Client
from mcp.types import CallToolResult

from tests.package_kit import made, settings_for
from tests.upstream import Reply, Upstream

OK = {"200": {"description": "ok", "content": {"application/json": {"schema": {"type": "object"}}}}}
SID = "AC" + "0123456789abcdef" * 2


def twilio_like() -> dict[str, Any]:
    """Twilio's manner: the account's SID in the path, with the pattern its spec states."""
    sid = {
        "name": "AccountSid",
        "in": "path",
        "required": True,
        "schema": {"type": "string", "pattern": "^AC[0-9a-fA-F]{32}$", "minLength": 34, "maxLength": 34},
    }
    return {
        "openapi": "3.0.3",
        "info": {"title": "Twilio like", "version": "1"},
        "servers": [{"url": "https://twilio-like.test"}],
        "paths": {"/Accounts/{AccountSid}/Calls.json": {"get": {"operationId": "ListCall", "parameters": [sid],
                                                                "responses": OK}}},
    }  # fmt: skip


def pager_like() -> dict[str, Any]:
    """PagerDuty's manner: ``From`` is the email of the user acting; the incident is a nested object."""
    reference = {
        "type": "object",
        "required": ["id", "type"],
        "properties": {"id": {"type": "string"}, "type": {"type": "string", "enum": ["service_reference"]}},
    }
    incident = {"type": "object", "required": ["title", "service"], "properties": {
        "title": {"type": "string"},
        "service": reference,
        "assignments": {"type": "array", "items": {"type": "object", "properties": {
            "assignee": {"type": "object", "properties": {"id": {"type": "string", "format": "uuid"}}}}}},
        "start": {"type": "string", "format": "date-time"},
    }}  # fmt: skip
    body = {
        "required": True,
        "content": {
            "application/json": {
                "schema": {"type": "object", "required": ["incident"], "properties": {"incident": incident}}
            }
        },
    }
    sender = {"name": "From", "in": "header", "required": True, "schema": {"type": "string", "format": "email"}}
    return {
        "openapi": "3.0.3",
        "info": {"title": "Pager like", "version": "1"},
        "servers": [{"url": "https://pager-like.test"}],
        "paths": {"/incidents": {"post": {"operationId": "createIncident", "parameters": [sender],
                                          "requestBody": body, "responses": OK}}},
    }  # fmt: skip


def search_like() -> dict[str, Any]:
    """A list whose spec says its 404 means no results, and a read by id whose 404 means a wrong id."""
    items = {
        "type": "object",
        "properties": {"total": {"type": "integer"}, "items": {"type": "array", "items": {"type": "object"}}},
    }
    listed = {
        "200": {"description": "ok", "content": {"application/json": {"schema": items}}},
        "404": {"description": "No items found for the given filters"},
    }
    one = {"200": OK["200"], "404": {"description": "Item not found"}}
    query = [{"name": "q", "in": "query", "schema": {"type": "string"}}]
    return {
        "openapi": "3.0.3",
        "info": {"title": "Search like", "version": "1"},
        "servers": [{"url": "https://search-like.test"}],
        "paths": {
            "/items": {"get": {"operationId": "searchItems", "parameters": query, "responses": listed}},
            "/items/{id}": {"get": {"operationId": "getItem", "responses": one, "parameters": [
                {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}]}},
        },
    }  # fmt: skip


SECRET = r'^(?!.*[:\"][^:"]*$).+$'  # AWS DataSync's user name and password: a look-ahead pydantic cannot compile
ALIAS = r"^(?=.*[a-zA-Z_\-\.])[a-zA-Z0-9_\-\.]+$"  # AWS Step Functions' alias name: not digits alone


def aws_like() -> dict[str, Any]:
    """AWS's manner: a JSON body whose fields are ``allOf`` a shared string with a look-ahead pattern and a
    description, nested in a shared object (``Credentials``) and at the top (``name``)."""
    secret = {"type": "string", "pattern": SECRET, "maxLength": 1024, "format": "password"}
    described = {"allOf": [{"$ref": "#/components/schemas/Secret"}, {"description": "Who signs in."}]}
    credentials = {
        "type": "object",
        "required": ["Username", "Password"],
        "properties": {"Username": described, "Password": described},
    }
    request = {
        "type": "object",
        "required": ["name", "Credentials"],
        "properties": {
            "name": {"type": "string", "pattern": ALIAS, "maxLength": 80},
            "Credentials": {"allOf": [{"$ref": "#/components/schemas/Credentials"}, {"description": "Its keys."}]},
        },
    }
    body = {"required": True, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Add"}}}}
    return {
        "openapi": "3.0.3",
        "info": {"title": "Aws like", "version": "1"},
        "servers": [{"url": "https://aws-like.test"}],
        "paths": {"/#X-Amz-Target=Service.AddSystem": {"post": {"operationId": "AddSystem", "requestBody": body,
                                                                "responses": OK}}},
        "components": {"schemas": {"Secret": secret, "Credentials": credentials, "Add": request}},
    }  # fmt: skip


SPECS = {"twiliorules": twilio_like, "pagerrules": pager_like, "searchlike": search_like, "awsrules": aws_like}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, tuple[ModuleType, list[str]]]]:
    with made(tmp_path_factory.mktemp("argument_rules"), SPECS) as found:
        yield found


def _drive(built: dict[str, Any], name: str, calls: list[dict[str, Any]]) -> tuple[list[CallToolResult], Any]:
    """Each call of the spec's one tool, in order, against a fresh upstream: the results and what it saw."""
    module = built[name][0]
    with Upstream() as up:

        async def go() -> list[CallToolResult]:
            server = module.create_server(settings_for(name, up.url))
            tool = next(iter(server.operations))  # the spec's first operation
            async with Client(server) as client:
                return [await client.call_tool(tool, args) for args in calls]

        return anyio.run(go), up.seen


def _line(result: CallToolResult) -> str:
    assert result.is_error
    first = result.content[0]
    assert first.type == "text"
    return first.text.split("\n")[0]


def test_a_path_parameter_is_checked_against_its_pattern(built: dict[str, Any]) -> None:
    (refused, sent), seen = _drive(built, "twiliorules", [{"AccountSid": "not-a-sid"}, {"AccountSid": SID}])
    assert _line(refused) == (
        'argument AccountSid: got "not-a-sid"; it takes a string matching ^AC[0-9a-fA-F]{32}$, at least 34 '
        "characters, at most 34 characters"
    )
    assert not sent.is_error and [s.path for s in seen] == [f"/Accounts/{SID}/Calls.json"]  # the valid call only


INCIDENT = {"title": "Disk full", "service": {"id": "P1", "type": "service_reference"}}
ASSIGNEE = {"assignee": {"id": "123e4567-e89b-12d3-a456-426614174000"}}


def test_formats_and_nested_objects_are_checked_before_sending(built: dict[str, Any]) -> None:
    calls = [
        {"From": "not-an-email", "incident": INCIDENT},
        {"From": "a@example.com", "incident": {"title": "Disk full"}},
        {"From": "a@example.com", "incident": {**INCIDENT, "service": {"id": "P1", "type": "service"}}},
        {"From": "a@example.com", "incident": {**INCIDENT, "assignments": [{"assignee": {"id": "7"}}]}},
        {"From": "a@example.com", "incident": {**INCIDENT, "start": "yesterday"}},
        {"From": "a@example.com", "incident": {**INCIDENT, "start": "2024-01-31T09:00:00Z", "assignments": [ASSIGNEE]}},
    ]
    *refused, sent = (results := _drive(built, "pagerrules", calls))[0]
    assert [_line(r) for r in refused] == [
        'argument From: got "not-an-email"; it takes an email address',
        "argument incident.service is required (an object with fields id, type (required: id, type)); it was not given",
        'argument incident.service.type: got "service"; it takes one of "service_reference"',
        'argument incident.assignments[0].assignee.id: got "7"; it takes a UUID such as '
        "123e4567-e89b-12d3-a456-426614174000",
        'argument incident.start: got "yesterday"; it takes a date-time such as 2024-01-31T09:00:00Z',
    ]
    assert all("pydantic" not in _line(r) for r in refused)
    [seen] = results[1]  # only the valid call reached the upstream
    assert not sent.is_error and seen.headers["From"] == "a@example.com" and seen.json()["incident"]["start"]


def test_a_list_whose_spec_says_404_means_nothing_found_answers_an_empty_list(built: dict[str, Any]) -> None:
    module = built["searchlike"][0]
    with Upstream() as up:
        up.route("GET", "/items", Reply(404, {"message": "No items found"}))
        up.route("GET", "/items/7", Reply(404, {"message": "No item found"}))

        async def go() -> list[CallToolResult]:
            server = module.create_server(settings_for("searchlike", up.url))
            ops = {op.path: name for name, op in server.operations.items()}
            async with Client(server) as client:
                listed = await client.call_tool(ops["/items"], {"q": "x"})
                return [listed, await client.call_tool(ops["/items/{id}"], {"id": "7"})]

        empty, missing = anyio.run(go)
    assert not empty.is_error and empty.structured_content == {"items": []}
    note = empty.content[1]
    assert note.type == "text" and 'with "No items found", which means no record matches' in note.text
    assert _line(missing).startswith("Search like answered HTTP 404 to GET /items/{id}: No item found")


def test_look_ahead_patterns_are_checked_nested_and_on_top_before_sending(built: dict[str, Any]) -> None:
    """A pattern Python reads but pydantic does not (a look-ahead) stays in the listing and is checked by name."""
    keys = {"Username": "ops", "Password": "s3cret"}
    calls = [
        {"name": "prod", "Credentials": {**keys, "Password": ""}},
        {"name": "prod", "Credentials": {**keys, "Username": 'a:"b'}},
        {"name": "0", "Credentials": keys},
        {"name": "prod", "Credentials": keys},
    ]
    (*refused, sent), seen = _drive(built, "awsrules", calls)
    assert [_line(r) for r in refused] == [
        f'argument Credentials.Password: got ""; it takes a string matching {SECRET}, at most 1024 characters',
        f'argument Credentials.Username: got "a:\\"b"; it takes a string matching {SECRET}, at most 1024 characters',
        f'argument name: got "0"; it takes a string matching {ALIAS}, at most 80 characters',
    ]
    assert not sent.is_error and [s.json() for s in seen] == [{"name": "prod", "Credentials": keys}]
