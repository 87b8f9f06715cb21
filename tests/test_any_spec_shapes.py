"""Issue 32 #4, #8, #10, #13: names, parameters, whole-body uploads and credential docs, as rules for any spec, on
specs shaped like the APIs that showed each defect (Twilio, Jira, GitHub, Stripe, Slack, Box, PagerDuty), made here.

Each spec is generated, written and imported, then driven by an MCP client against a recording upstream on
127.0.0.1: the tool names are asserted, a tool is called by its name with the arguments its listing shows, and
every request it sends is checked against the spec's own rules (``tests.request_rules``) and byte for byte.
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import urlencode

import anyio
import pytest
from mcp import Client

from tests.package_kit import imported
from tests.request_rules import Sent, Spec, check
from tests.test_credential_places import pager_like
from tests.upstream import Seen, Upstream

OK = {"200": {"description": "ok", "content": {"application/json": {"schema": {"type": "object"}}}}}
SID = {"name": "AccountSid", "in": "path", "required": True, "schema": {"type": "string"}}
ITEM = {"name": "Sid", "in": "path", "required": True, "schema": {"type": "string"}}


def _query(name: str, description: str) -> dict[str, Any]:
    schema = {"type": "string", "format": "date-time"}
    return {"name": name, "in": "query", "schema": schema, "description": description}


def _form(*required: str) -> dict[str, Any]:
    properties = {name: {"type": "string"} for name in required}
    schema = {"type": "object", "properties": properties} | ({"required": list(required)} if required else {})
    return {"content": {"application/x-www-form-urlencoded": {"schema": schema}}}


def twilio_like() -> dict[str, Any]:
    """A date-versioned path with ``.json`` suffixes, ``DateSent<``/``DateSent>``, an update that redacts."""
    sent = "Filter by the date the message was sent."
    listed = [SID, _query("DateSent", sent), _query("DateSent<", sent), _query("DateSent>", sent)]
    redact = "Update a Message resource (used to redact Message `body` text and to cancel not-yet-sent messages)"
    return {
        "openapi": "3.0.1",
        "info": {"title": "Twilio like", "version": "1"},
        "servers": [{"url": "https://twilio-like.test"}],
        "components": {"securitySchemes": {"accountSid_authToken": {"type": "http", "scheme": "basic"}}},
        "security": [{"accountSid_authToken": []}],
        "paths": {
            "/2010-04-01/Accounts/{AccountSid}/Messages.json": {
                "get": {"operationId": "ListMessage", "parameters": listed, "responses": OK},
                "post": {"operationId": "CreateMessage", "parameters": [SID], "requestBody": _form("To"),
                         "responses": OK},
            },
            "/2010-04-01/Accounts/{AccountSid}/Messages/{Sid}.json": {
                "parameters": [SID, ITEM],
                "get": {"operationId": "FetchMessage", "responses": OK},
                "post": {"operationId": "UpdateMessage", "description": redact, "requestBody": _form("Body"),
                         "responses": OK},
                "delete": {"operationId": "DeleteMessage", "responses": {"204": {"description": "gone"}}},
            },
        },
    }  # fmt: skip


def _at(name: str) -> dict[str, Any]:
    return {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}


def jira_like() -> dict[str, Any]:
    """``/rest/api/3`` paths, ``/myself``, DELETE beside an async POST ``…/delete``, attachments as an array."""
    files = {"type": "array", "items": {"type": "string", "format": "binary"}}
    attach = {"required": True, "content": {"multipart/form-data": {"schema": files}}}
    return {
        "openapi": "3.0.1",
        "info": {"title": "Jira like", "version": "1"},
        "servers": [{"url": "https://jira-like.test"}],
        "paths": {
            "/rest/api/3/issue": {"post": {"operationId": "createIssue", "requestBody": {"content": {
                "application/json": {"schema": {"type": "object", "properties": {"key": {"type": "string"}}}}}},
                "responses": OK}},
            "/rest/api/3/myself": {"get": {"operationId": "getCurrentUser", "responses": OK}},
            "/rest/api/3/project/{projectIdOrKey}": {"delete": {"operationId": "deleteProject",
                "parameters": [_at("projectIdOrKey")], "responses": OK}},
            "/rest/api/3/project/{projectIdOrKey}/delete": {"post": {"operationId": "deleteProjectAsynchronously",
                "summary": "Delete project asynchronously", "parameters": [_at("projectIdOrKey")], "responses": OK}},
            "/rest/api/3/issue/{issueIdOrKey}/attachments": {"post": {"operationId": "addAttachment",
                "parameters": [_at("issueIdOrKey")], "requestBody": attach, "responses": OK}},
        },
    }  # fmt: skip


def github_like() -> dict[str, Any]:
    """A release asset: the file's bytes as the whole ``application/octet-stream`` body; Stripe's and Slack's
    update-by-POST, an RPC ``addAlias``, Box's ``/users/me``, Azure's ``$select`` and PostgREST's ``select``."""
    asset = {"content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}}
    name = {"name": "name", "in": "query", "required": True, "schema": {"type": "string"}}
    return {
        "openapi": "3.0.3",
        "info": {"title": "GitHub like", "version": "1"},
        "servers": [{"url": "https://github-like.test"}],
        "paths": {
            "/repos/{owner}/releases/{release_id}/assets": {"post": {"operationId": "repos/upload-release-asset",
                "parameters": [_at("owner"), _at("release_id"), name], "requestBody": asset, "responses": OK}},
            "/v1/quotes/{quote}": {"post": {"operationId": "PostQuotesQuote", "parameters": [_at("quote")],
                "requestBody": _form(), "responses": OK}},
            "/admin.emoji.addAlias": {"post": {"operationId": "admin_emoji_addAlias", "requestBody": _form("name"),
                "responses": OK}},
            "/users/me": {"get": {"operationId": "get_users_me", "responses": OK}},
            "/users/terminate_sessions": {"post": {"operationId": "post_users_terminate_sessions",
                "requestBody": _form("user_ids"), "responses": OK}},
            "/values": {"get": {"operationId": "Values_List", "responses": OK,
                "parameters": [_in_query("$select", "Properties to return"), _in_query("$filter", "OData filter")]}},
            "/rows": {"get": {"operationId": "rows", "parameters": [_in_query("select", "Columns to return")],
                "responses": OK}},
            "/datasets": {"post": {"operationId": "CreateDataset", "responses": OK, "requestBody": {"required": True,
                "content": {"application/json": {"schema": {"type": "object", "required": ["Schema"], "properties": {
                    "Schema": {"type": "object", "properties": {"Attributes": {"type": "array"}}},
                    "json": {"type": "string"}}}}}}}},
        },
    }  # fmt: skip


def _in_query(name: str, description: str) -> dict[str, Any]:
    return {"name": name, "in": "query", "schema": {"type": "string"}, "description": description}


SPECS = {"twiliolike": twilio_like, "jiralike": jira_like, "githublike": github_like, "pagerlike": pager_like}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, dict[str, tuple[ModuleType, list[str]]]]]:
    """Each spec generated, written and imported, and the folder uploads are read from."""
    out = tmp_path_factory.mktemp("any_spec_shapes")
    for name, make in SPECS.items():
        (out / f"{name}.json").write_text(json.dumps(make()), encoding="utf-8")
    (out / "uploads").mkdir()
    with imported(out, {name: out / f"{name}.json" for name in SPECS}) as found:
        yield out / "uploads", found


def _settings(name: str, url: str, folder: Path, credentials: bool = True) -> Any:
    prefix = name.upper()
    env = {f"{prefix}_BASE_URL": url, f"{prefix}_MAX_RETRIES": "0", f"{prefix}_UPLOAD_DIR": str(folder)}
    if credentials:
        env |= {f"{prefix}_USERNAME": "AC123", f"{prefix}_PASSWORD": "secret", f"{prefix}_API_KEY": "k"}
    settings = importlib.import_module(f"{name}_mcp.runtime.settings").Settings
    return settings.from_env(importlib.import_module(f"{name}_mcp.vendor").VENDOR, env)


async def _session(server: Any, calls: list[tuple[str, dict[str, Any]]]) -> tuple[dict[str, Any], list[Any]]:
    async with Client(server) as client:
        listing = {t.name: t for t in (await client.list_tools()).tools}
        return listing, [await client.call_tool(name, args) for name, args in calls]


def _drive(built: Any, name: str, calls: list[tuple[str, dict[str, Any]]]) -> tuple[dict[str, Any], list[Seen]]:
    """List the tools, make ``calls`` by tool name; every request checked against the spec's rules."""
    folder, found = built
    with Upstream() as up:
        server = found[name][0].create_server(_settings(name, up.url, folder))
        listing, results = anyio.run(_session, server, calls)
        assert not any(r.is_error for r in results), [r.content for r in results]
        spec = Spec(SPECS[name]())
        for (tool, _), seen in zip(calls, up.seen, strict=True):
            op = server.operations[tool]
            sent = Sent(seen.method, f"{up.url}{seen.path}?{urlencode(seen.query)}", seen.headers, seen.body)
            assert check(spec, op.method, op.path, sent, "").breaches == [], (tool, seen)
        return listing, up.seen


def test_names_drop_file_suffixes_and_versions_and_fetch_by_id_is_a_get(built: Any) -> None:
    """Twilio's ``/2010-04-01/…/Messages/{Sid}.json``: ``get_single_…_by_id``; no ``json``, version or hash."""
    listing, _ = _drive(built, "twiliolike", [])
    assert sorted(listing) == [
        "create_a_twiliolike_message", "delete_a_twiliolike_message_by_id", "get_single_twiliolike_message_by_id",
        "list_all_twiliolike_messages", "update_a_twiliolike_message_by_id",
    ]  # fmt: skip
    assert listing["update_a_twiliolike_message_by_id"].annotations.destructive_hint is True  # it redacts
    jira, _ = _drive(built, "jiralike", [])
    assert sorted(jira) == [
        "create_a_jiralike_attachment", "create_a_jiralike_issue", "delete_a_jiralike_project_by_id",
        "delete_a_jiralike_project_delete_by_id", "get_single_jiralike_myself",
    ]  # fmt: skip


def test_comparison_parameters_get_distinct_names_that_say_which(built: Any) -> None:
    """``DateSent<`` / ``DateSent>`` are ``DateSent_before`` / ``DateSent_after``, sent under their own names."""
    args = {"AccountSid": "AC1", "DateSent_before": "2024-01-02T00:00:00Z", "DateSent_after": "2024-01-01T00:00:00Z"}
    listing, (seen,) = _drive(built, "twiliolike", [("list_all_twiliolike_messages", args)])
    properties = listing["list_all_twiliolike_messages"].input_schema["properties"]
    assert {"DateSent", "DateSent_before", "DateSent_after"} <= set(properties)
    assert properties["DateSent_before"]["description"].startswith("Only values before this one (sent as `DateSent<`)")
    assert properties["DateSent_after"]["description"].startswith("Only values after this one (sent as `DateSent>`)")
    assert seen.path == "/2010-04-01/Accounts/AC1/Messages.json"
    assert seen.query == [("DateSent<", "2024-01-02T00:00:00Z"), ("DateSent>", "2024-01-01T00:00:00Z")]


def test_a_whole_body_upload_sends_the_files_bytes(built: Any) -> None:
    """GitHub's release asset: the file named by the argument is read from the upload folder and sent whole."""
    folder = built[0]
    (folder / "notes.txt").write_bytes(b"release notes\x00\x01")
    args = {"owner": "o", "release_id": "7", "name": "notes.txt", "body": "notes.txt"}
    _, (seen,) = _drive(built, "githublike", [("create_a_githublike_asset", args)])
    assert seen.body == b"release notes\x00\x01"
    assert seen.headers["Content-Type"] == "application/octet-stream"
    assert seen.query == [("name", "notes.txt")]


def test_a_multipart_body_of_files_alone_sends_each_file_as_a_part(built: Any) -> None:
    """Jira's attachments (an array of binary strings, no object): each file a part named ``file``."""
    folder = built[0]
    (folder / "a.txt").write_bytes(b"first")
    (folder / "b.txt").write_bytes(b"second")
    args = {"issueIdOrKey": "PR-1", "file": ["a.txt", "b.txt"]}
    _, (seen,) = _drive(built, "jiralike", [("create_a_jiralike_attachment", args)])
    assert seen.headers["Content-Type"].startswith("multipart/form-data; boundary=")
    assert seen.body.count(b'name="file"; filename="a.txt"') == 1 and b"\r\n\r\nfirst\r\n" in seen.body
    assert seen.body.count(b'name="file"; filename="b.txt"') == 1 and b"\r\n\r\nsecond\r\n" in seen.body


def test_item_posts_update_and_words_are_not_mangled(built: Any) -> None:
    """Stripe's POST to an item updates it; ``addAlias`` keeps its ``alias``; ``/users/me`` is one user;
    Box's session termination is destructive."""
    calls = [("update_a_githublike_quote_by_id", {"quote": "q1"}), ("create_a_githublike_emoji_alias", {"name": "a"}),
             ("get_single_githublike_users_me", {})]  # fmt: skip
    listing, seen = _drive(built, "githublike", calls)
    assert [s.path for s in seen] == ["/v1/quotes/q1", "/admin.emoji.addAlias", "/users/me"]
    assert listing["create_a_githublike_users_terminate_session"].annotations.destructive_hint is True


def test_credential_docs_name_each_part_in_the_specs_words(built: Any) -> None:
    """Twilio's ``accountSid_authToken``: the README, the docker and kubectl lines and the missing-credential line
    carry both parts, called Account SID and Auth Token; PagerDuty's prefix variable has its README row."""
    readme = (built[0].parent / "twiliolike_mcp" / "README.md").read_text(encoding="utf-8")
    assert "| `TWILIOLIKE_USERNAME` (Account SID) + `TWILIOLIKE_PASSWORD` (Auth Token) | basic credentials |" in readme
    docker = next(line for line in readme.splitlines() if line.startswith("docker run"))
    kubectl = next(line for line in readme.splitlines() if line.startswith("kubectl create secret"))
    assert "-e TWILIOLIKE_USERNAME -e TWILIOLIKE_PASSWORD" in docker
    assert '="$TWILIOLIKE_USERNAME"' in kubectl and '="$TWILIOLIKE_PASSWORD"' in kubectl
    registry = json.loads((built[0].parent / "twiliolike_mcp" / "server.json").read_text(encoding="utf-8"))
    said = {v["name"]: v["description"] for v in registry["packages"][0]["environmentVariables"]}
    assert said == {"TWILIOLIKE_USERNAME": "Twilio like Account SID", "TWILIOLIKE_PASSWORD": "Twilio like Auth Token"}
    pager = (built[0].parent / "pagerlike_mcp" / "README.md").read_text(encoding="utf-8")
    row = "| `PAGERLIKE_API_KEY_PREFIX` | the text sent before `PAGERLIKE_API_KEY` (default `Token token=`); set empty:"
    assert row in pager
    server = built[1]["twiliolike"][0].create_server(_settings("twiliolike", "http://127.0.0.1:9", built[0], False))
    _, (result,) = anyio.run(_session, server, [("list_all_twiliolike_messages", {"AccountSid": "AC1"})])
    text = result.content[0].text
    assert result.is_error and "TWILIOLIKE_USERNAME (Account SID) + TWILIOLIKE_PASSWORD (Auth Token)" in text, text


def test_the_account_path_parameter_defaults_to_the_account_in_use(built: Any) -> None:
    """``AccountSid`` is Twilio's basic user name: not required, and the account in use when not given."""
    listing, (seen, given) = _drive(built, "twiliolike", [("get_single_twiliolike_message_by_id", {"Sid": "SM1"}),
        ("get_single_twiliolike_message_by_id", {"Sid": "SM2", "AccountSid": "AC9"})])  # fmt: skip
    schema = listing["get_single_twiliolike_message_by_id"].input_schema
    assert "AccountSid" in schema["properties"] and "AccountSid" not in schema.get("required", [])
    assert schema["properties"]["AccountSid"]["description"].endswith("Left out: the account in use.")
    assert seen.path == "/2010-04-01/Accounts/AC123/Messages/SM1.json"
    assert given.path == "/2010-04-01/Accounts/AC9/Messages/SM2.json"


@pytest.mark.parametrize("name", ["twiliolike", "jiralike", "githublike"])
def test_the_corpus_checks_pass_these_shapes(name: str, tmp_path: Path) -> None:
    """The corpus sweep's own checks (names and hints, requests by the spec's rules, a file argument sent as the
    file's bytes) over each shape: what would have caught each defect finds none now."""
    from tests.corpus import check_one

    spec = tmp_path / f"{name}.json"
    spec.write_text(json.dumps(SPECS[name]()), encoding="utf-8")
    outcome = check_one(spec, tmp_path / "work", stdio=False)
    assert outcome.outcome == "served", outcome.reason
    assert (outcome.breaches, outcome.unsent) == ([], [])
    assert outcome.requests >= 3


def test_a_spec_argument_named_like_the_servers_own_keeps_both_apart(built: Any) -> None:
    """Azure's ``$select`` (Python ``select``, a duplicate parameter in the corpus) beside the server's JMESPath
    ``select``; PostgREST's own ``select`` is the vendor's, and the server adds none."""
    calls = [("list_all_githublike_values", {"_select": "id,name", "select": "path"}),
             ("list_all_githublike_rows", {"select": "id,name"})]  # fmt: skip
    folder, found = built
    with Upstream() as up:
        server = found["githublike"][0].create_server(_settings("githublike", up.url, folder))
        listing, results = anyio.run(_session, server, calls)
    values = listing["list_all_githublike_values"].input_schema["properties"]
    rows = listing["list_all_githublike_rows"].input_schema["properties"]
    assert {"_select", "_filter", "select"} <= set(values) and values["_select"][
        "description"
    ] == "Properties to return"
    assert set(rows) == {"select"} and rows["select"]["description"] == "Columns to return"
    assert [seen.query for seen in up.seen] == [[("$select", "id,name")], [("select", "id,name")]]
    assert results[0].content[0].text == "/values"  # the server's select narrowed the answer to its path
    assert json.loads(results[1].content[0].text) == {"ok": True, "path": "/rows"}  # nothing narrowed here


def test_arguments_named_like_a_pydantic_models_methods_reach_the_wire(built: Any) -> None:
    """AWS Forecast's required ``Schema`` (Python ``schema``, a BaseModel method the SDK renames and re-aliases) was
    refused as not given though the call gave it; ``json`` is one too."""
    args = {"Schema": {"Attributes": [{"AttributeName": "x"}]}, "json": "{}"}
    _, (seen,) = _drive(built, "githublike", [("create_a_githublike_dataset", args)])
    assert seen.json() == args
