"""Issue 32 #5, #6: the credential wherever a spec puts it, and in the form its scheme documents.

Two small specs of our own, generated, written and imported, then driven by an MCP client against a recording
upstream on 127.0.0.1: one in Slack's manner (the token as a form or JSON body field, an apiKey scheme whose
parameter a JSON body repeats), one in PagerDuty's (``Authorization: Token token=<key>``, said in the apiKey
scheme's description). The exact request is asserted, and that no tool takes the credential as an argument.
"""

from __future__ import annotations

from collections.abc import Iterator
from types import ModuleType
from typing import Any

import anyio
import pytest
from mcp import Client

from generator.model.auth import documented_prefix
from tests.package_kit import made, settings_for
from tests.upstream import Upstream

OK = {"200": {"description": "ok", "content": {"application/json": {"schema": {"type": "object"}}}}}
TOKEN_TEXT = "Authentication token bearing required scopes."


def _body(media: str, properties: dict[str, Any], required: list[str], **extra: Any) -> dict[str, Any]:
    schema = {"type": "object", "required": required, "properties": properties, **extra}
    return {"required": True, "content": {media: {"schema": schema}}}


def slack_form() -> dict[str, Any]:
    """Slack's manner: an OAuth scheme, the token as a required form field or JSON field, an apiKey ``api_key``."""
    token = {"type": "string", "description": TOKEN_TEXT}
    form = _body("application/x-www-form-urlencoded", {"token": token, "channel": {"type": "string"},
                 "text": {"type": "string"}}, ["token", "channel"])  # fmt: skip
    view = _body("application/json", {"token": token, "user_id": {"type": "string"}}, ["token", "user_id"],
                 additionalProperties=True)  # fmt: skip
    keyed = _body("application/json", {"api_key": {"type": "string", "description": "Yours."},
                  "name": {"type": "string"}}, ["api_key", "name"])  # fmt: skip
    return {
        "openapi": "3.0.3",
        "info": {"title": "Slack form", "version": "1"},
        "servers": [{"url": "https://slack-form.test/api"}],
        "components": {"securitySchemes": {
            "slackAuth": {"type": "oauth2", "flows": {"authorizationCode": {
                "authorizationUrl": "https://slack-form.test/oauth", "tokenUrl": "https://slack-form.test/token",
                "scopes": {"chat:write": "Post"}}}},
            "keyAuth": {"type": "apiKey", "in": "query", "name": "api_key"},
        }},
        "security": [{"slackAuth": []}],
        "paths": {
            "/chat.postMessage": {"post": {"operationId": "chat_postMessage", "requestBody": form, "responses": OK}},
            "/views.publish": {"post": {"operationId": "views_publish", "requestBody": view, "responses": OK}},
            "/apps.create": {"post": {"operationId": "apps_create", "requestBody": keyed, "responses": OK,
                                      "security": [{"keyAuth": []}]}},
        },
    }  # fmt: skip


PAGER_KEY = "The account's API key, sent in the header as `Authorization: Token token=<API_KEY>`."


def pager_like() -> dict[str, Any]:
    """PagerDuty's manner: an apiKey ``Authorization`` header whose description shows ``Token token=<key>``."""
    return {
        "openapi": "3.0.3",
        "info": {"title": "Pager like", "version": "1"},
        "servers": [{"url": "https://pager-like.test"}],
        "components": {"securitySchemes": {"api_key": {"type": "apiKey", "in": "header", "name": "Authorization",
                                                       "description": PAGER_KEY}}},
        "security": [{"api_key": []}],
        "paths": {"/incidents": {"get": {"operationId": "listIncidents", "responses": OK}}},
    }  # fmt: skip


SPECS = {"slackform": slack_form, "pagerlike": pager_like}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, tuple[ModuleType, list[str]]]]:
    """Each spec generated, written and imported: ``{name: (server module, summary warnings)}``."""
    with made(tmp_path_factory.mktemp("credential_places"), SPECS) as found:
        yield found


async def _session(module: ModuleType, settings: Any, calls: list[tuple[str, dict[str, Any]]]) -> Any:
    server = module.create_server(settings)
    async with Client(server) as client:
        listing = {t.name: t.input_schema for t in (await client.list_tools()).tools}
        by_path = {op.path: name for name, op in server.operations.items()}
        results = [await client.call_tool(by_path[path], args) for path, args in calls]
    return listing, results


def _drive(built: dict[str, Any], name: str, calls: list[tuple[str, dict[str, Any]]], **env: str) -> Any:
    with Upstream() as up:
        listing, results = anyio.run(_session, built[name][0], settings_for(name, up.url, **env), calls)
        assert not any(r.is_error for r in results), [r.content for r in results]
        return listing, up.seen


def test_a_token_in_a_form_or_json_body_is_the_servers_credential(built: dict[str, Any]) -> None:
    """The body field ``token`` is filled with the credential and never listed; a model's own is refused by name."""
    calls = [
        ("/chat.postMessage", {"channel": "C1", "text": "hi"}),
        ("/views.publish", {"user_id": "U1"}),
        ("/apps.create", {"name": "bot"}),
    ]
    listing, (posted, published, created) = _drive(built, "slackform", calls, API_KEY="xoxb-1")
    assert all({"token", "api_key"}.isdisjoint(schema.get("properties", {})) for schema in listing.values()), listing
    assert all({"token", "api_key"}.isdisjoint(schema.get("required", [])) for schema in listing.values()), listing
    assert posted.body == b"channel=C1&text=hi&token=xoxb-1"
    assert posted.headers["Authorization"] == "Bearer xoxb-1"
    assert published.json() == {"user_id": "U1", "token": "xoxb-1"}
    assert created.json() == {"name": "bot", "api_key": "xoxb-1"} and created.query == [("api_key", "xoxb-1")]
    with Upstream() as up:
        settings = settings_for("slackform", up.url, API_KEY="xoxb-1")
        _, (own,) = anyio.run(
            _session, built["slackform"][0], settings, [("/views.publish", {"user_id": "U1", "token": "mine"})]
        )
        assert own.is_error and own.content[0].text.startswith("token is not an argument of ") and up.seen == []
    warnings = built["slackform"][1]
    assert any("body parameter 'token'" in w and "SLACKFORM_API_KEY" in w for w in warnings), warnings


def test_an_api_key_is_sent_after_the_prefix_its_scheme_documents(built: dict[str, Any]) -> None:
    """``Authorization: Token token=<key>``, as the description says; ``<KEY VARIABLE>_PREFIX`` changes it."""
    calls = [("/incidents", {})]
    listing, (seen,) = _drive(built, "pagerlike", calls, API_KEY="pd-1")
    assert seen.headers["Authorization"] == "Token token=pd-1"
    assert all("Authorization" not in schema.get("properties", {}) for schema in listing.values())
    _, (changed,) = _drive(built, "pagerlike", calls, API_KEY="pd-1", API_KEY_PREFIX="Bearer ")
    assert changed.headers["Authorization"] == "Bearer pd-1"
    _, (bare,) = _drive(built, "pagerlike", calls, API_KEY="pd-1", API_KEY_PREFIX="")
    assert bare.headers["Authorization"] == "pd-1"


@pytest.mark.parametrize(
    ("description", "prefix"),
    [(PAGER_KEY, "Token token="), ("Use `Token token={key}`.", "Token token="), 
     ("authorization: Api-Key YOUR_KEY", "Api-Key "),
     ("Send `key=$API_KEY` in it.", "key="), ("The key, in the Authorization header.", ""), (None, "")],
)  # fmt: skip
def test_a_documented_prefix_is_read_where_the_value_form_is_shown(description: Any, prefix: str) -> None:
    assert documented_prefix(description, "Authorization") == prefix
