"""Specs in the manner of Stripe, Slack and Notion: every tool's requests checked against the spec's own rules.

Three small fixture specs (``tests/specs/*_like.json``) carry what real vendor specs carry: deepObject queries
and form bodies with ``encoding`` (Stripe), the token as a required header or query parameter and RPC-style
paths (Slack), a required constant version header and a server URL with a variable (Notion). Each is
generated, written and imported; then every tool is called twice (required fields, every field) through a
recording proxy in front of ``prism mock`` of the same spec, which must find no request that breaks the spec,
and chosen calls go to a recording upstream that checks the exact wire form the spec's rules give.
"""

from __future__ import annotations

import base64
import importlib
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import anyio
import pytest
from mcp import Client

from tests.package_kit import imported
from tests.peers import Prism, RecordingProxy
from tests.schema_args import arguments
from tests.upstream import Upstream

ROOT = Path(__file__).resolve().parents[1]
SPECS = {"stripelike": "stripe_like.json", "slacklike": "slack_like.json", "notionlike": "notion_like.json"}
UPLOAD = "note.txt"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, tuple[ModuleType, list[str]]]]:
    """Each fixture spec generated, written and imported: ``{name: (server module, summary warnings)}``."""
    specs = {name: ROOT / "tests/specs" / spec for name, spec in SPECS.items()}
    with imported(tmp_path_factory.mktemp("vendor_styles"), specs) as found:
        yield found


@pytest.fixture(scope="module")
def mocks(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Prism]]:
    """``prism mock`` of each fixture spec, started together."""
    logs = tmp_path_factory.mktemp("vendor_prism")
    started = {
        name: Prism(ROOT / "tests/specs" / spec, logs / f"{name}.log", errors=False) for name, spec in SPECS.items()
    }
    try:
        for prism in started.values():
            prism.wait_ready()
        yield started
    finally:
        for prism in started.values():
            prism.stop()


def _settings(name: str, env: dict[str, str]) -> Any:
    settings = importlib.import_module(f"{name}_mcp.runtime.settings").Settings
    return settings.from_env(importlib.import_module(f"{name}_mcp.vendor").VENDOR, env)


def _env(name: str, url: str, folder: Path, **extra: str) -> dict[str, str]:
    p = name.upper()
    base = {f"{p}_BASE_URL": url, f"{p}_MAX_RETRIES": "0", f"{p}_UPLOAD_DIR": str(folder)}
    return base | {f"{p}_OUTPUT_DIR": str(folder / "out")} | {f"{p}_{k}": v for k, v in extra.items()}


def _tool(server: Any, method: str, path: str) -> str:
    """The tool name of one operation (names are the naming stage's business, not this test's)."""
    return next(name for name, op in server.operations.items() if (op.method, op.path) == (method, path))


async def _calls(module: ModuleType, settings: Any, calls: list[tuple[str, str, dict[str, Any]]]) -> list[Any]:
    server = module.create_server(settings)
    async with Client(server) as client:
        return [await client.call_tool(_tool(server, m, p), args) for m, p, args in calls]


# Where Prism 5 reads a request otherwise than the specification (each checked on the wire by a test below):
# it reads no multipart part as JSON (an object part is application/json by the spec's defaults); it applies
# the URL's reserved-character rule to a multipart text part; it reads repeated form fields (``form``,
# exploded: the spec's default for a form body) as one value. A 422 for these, and only these, is tallied.
PRISM_MISREADS = {
    ("/files.upload", "meta"): "must be object",
    ("/files.upload", "channels"): "Reserved characters",
    ("/chat.postMessage", "link_names"): "must be array",
}


def _misread(exchange: Any) -> bool:
    found = [
        (exchange.path, str((v.get("location") or ["", ""])[-1]), str(v.get("message"))) for v in exchange.violations
    ]
    return (
        exchange.status == 422
        and bool(found)
        and all(
            (path, field) in PRISM_MISREADS and PRISM_MISREADS[(path, field)] in message
            for path, field, message in found
        )
    )


async def _every_tool(module: ModuleType, settings: Any, proxy: RecordingProxy) -> tuple[list[str], list[str]]:
    """Every listed tool with its required fields, then with every field (file arguments get ``UPLOAD``):
    the requests Prism finds against the spec, and the calls that failed though Prism answered."""
    server = module.create_server(settings)
    broken, failed = [], []
    async with Client(server) as client:
        for tool in (await client.list_tools()).tools:
            files = {s.arg for s in server.operations[tool.name].params if s.is_file}
            for full in (False, True):
                args = arguments(tool.input_schema, full=full) | dict.fromkeys(
                    files & set(tool.input_schema["properties"]), UPLOAD
                )
                mark = len(proxy.exchanges)
                result = await client.call_tool(tool.name, args)
                seen = [e for e in proxy.since(mark) if not _misread(e)]
                broken += [f"{tool.name} {e.method} {e.path}: {v}" for e in seen for v in e.request_violations()]
                statuses = [e.status for e in proxy.since(mark)]
                if len(statuses) != 1 or (seen and (result.is_error or statuses[0] >= 400)):
                    failed.append(f"{tool.name} (full={full}): HTTP {statuses}: {result.content}")
    return broken, failed


@pytest.mark.parametrize("name", list(SPECS))
def test_every_tool_passes_prism(name: str, built: dict[str, Any], mocks: dict[str, Prism], tmp_path: Path) -> None:
    """No request Prism finds against the spec, and no error result for an answer Prism gave as valid."""
    (tmp_path / UPLOAD).write_text("hello", encoding="utf-8")
    creds = {"USERNAME": "sk_test_1", "API_KEY": "tok-1"}
    with RecordingProxy(mocks[name].port) as proxy:
        settings = _settings(name, _env(name, proxy.url, tmp_path, **creds))
        broken, failed = anyio.run(_every_tool, built[name][0], settings, proxy)
    assert not broken, broken
    assert not failed, failed


def _one(name: str, built: dict[str, Any], tmp_path: Path, calls: list[Any], **env: str) -> tuple[list[Any], list[Any]]:
    with Upstream() as up:
        results = anyio.run(_calls, built[name][0], _settings(name, _env(name, up.url, tmp_path, **env)), calls)
        return results, up.seen


def test_stripe_deep_objects_in_the_query_and_the_form_body(built: dict[str, Any], tmp_path: Path) -> None:
    """``created[gte]=…``, ``expand[0]=…``; ``metadata[order]=42``, ``preferred_locales[0]=en`` (not JSON text)."""
    calls = [
        ("GET", "/v1/customers", {"created": {"gte": 1700000000}, "expand": ["data.default_source"], "limit": 3}),
        ("POST", "/v1/customers", {"email": "a@b.co", "metadata": {"order": "42"}, "preferred_locales": ["en", "fr"],
                                   "address": {"city": "Paris", "line1": "1 rue"}}),
    ]  # fmt: skip
    results, (listed, created) = _one("stripelike", built, tmp_path, calls, USERNAME="sk_test_1")
    assert not any(r.is_error for r in results), [r.content for r in results]
    assert listed.query == [("created[gte]", "1700000000"), ("expand[0]", "data.default_source"), ("limit", "3")]
    assert created.body.decode() == (
        "email=a%40b.co&metadata[order]=42&preferred_locales[0]=en&preferred_locales[1]=fr"
        "&address[city]=Paris&address[line1]=1%20rue"
    )
    assert created.headers["Content-Type"] == "application/x-www-form-urlencoded"


def test_stripe_key_as_its_docs_say_and_the_operations_own_alternatives(built: dict[str, Any], tmp_path: Path) -> None:
    """Basic with the key as user name and no password; search takes only bearer, so it asks for the token."""
    search = ("GET", "/v1/customers/search", {"query": "email:'a@b.co'"})
    calls = [("GET", "/v1/customers", {}), search]
    (_, refused), seen = _one("stripelike", built, tmp_path, calls, USERNAME="sk_test_1")
    assert seen[0].headers["Authorization"] == "Basic " + base64.b64encode(b"sk_test_1:").decode()
    assert len(seen) == 1 and refused.is_error and "STRIPELIKE_API_KEY" in refused.content[0].text
    (_, found), seen = _one("stripelike", built, tmp_path, calls, USERNAME="sk_test_1", API_KEY="sk_test_2")
    assert not found.is_error and seen[1].headers["Authorization"] == "Bearer sk_test_2"


async def _listing(module: ModuleType, settings: Any) -> dict[str, set[str]]:
    async with Client(module.create_server(settings)) as client:
        return {t.name: set(t.input_schema.get("properties", {})) for t in (await client.list_tools()).tools}


def test_slack_token_is_the_credential_never_an_argument(built: dict[str, Any], tmp_path: Path) -> None:
    """The header and query ``token`` are filled with the server's credential; the summary names both."""
    module, warnings = built["slacklike"]
    listing = anyio.run(_listing, module, _settings("slacklike", {}))
    assert not any("token" in props for props in listing.values()), listing
    assert any("header parameter 'token'" in w and "SLACKLIKE_API_KEY" in w for w in warnings), warnings
    assert any("query parameter 'token'" in w for w in warnings), warnings
    calls = [
        ("GET", "/auth.test", {}),
        ("GET", "/conversations.list", {"types": ["public_channel", "private_channel"], "limit": 2}),
        ("POST", "/chat.postMessage", {"channel": "C1", "text": "hi & bye", "link_names": ["a", "b"]}),
    ]
    results, (who, listed, posted) = _one("slacklike", built, tmp_path, calls, API_KEY="xoxb-1")
    assert not any(r.is_error for r in results)
    assert who.headers["token"] == "xoxb-1" and who.headers["Authorization"] == "Bearer xoxb-1"
    assert listed.query == [("types", "public_channel,private_channel"), ("limit", "2"), ("token", "xoxb-1")]
    assert posted.body == b"channel=C1&text=hi%20%26%20bye&link_names=a&link_names=b"


def test_slack_multipart_parts_carry_their_own_types(built: dict[str, Any], tmp_path: Path) -> None:
    """A file part its media type, an object part JSON, a ``form``/unexploded list one text part ``a,b``."""
    (tmp_path / UPLOAD).write_text("hello", encoding="utf-8")
    args = {"file": UPLOAD, "channels": ["C1", "C2"], "initial_comment": "see", "meta": {"source": "ci"}}
    (result,), (seen,) = _one("slacklike", built, tmp_path, [("POST", "/files.upload", args)], API_KEY="xoxb-1")
    assert not result.is_error, result.content
    body = seen.body.decode()
    assert 'name="file"; filename="note.txt"\r\nContent-Type: text/plain\r\n\r\nhello' in body
    assert 'name="meta"\r\nContent-Type: application/json\r\n\r\n{"source":"ci"}' in body
    assert 'name="channels"\r\n\r\nC1,C2\r\n' in body and 'name="initial_comment"\r\n\r\nsee\r\n' in body


def test_notion_version_is_a_setting_and_the_region_a_url_variable(built: dict[str, Any], tmp_path: Path) -> None:
    """``Notion-Version`` is sent with the spec's value (or the setting's), never listed; ``{region}`` resolves."""
    module, warnings = built["notionlike"]
    assert _settings("notionlike", {}).base_url == "https://api.notion-like.test/v1"
    assert _settings("notionlike", {"NOTIONLIKE_REGION": "eu"}).base_url == "https://eu.notion-like.test/v1"
    listing = anyio.run(_listing, module, _settings("notionlike", {}))
    assert not any("Notion-Version" in props for props in listing.values()), listing
    assert any("'Notion-Version'" in w and "NOTIONLIKE_NOTION_VERSION" in w for w in warnings), warnings
    calls = [("GET", "/users", {"page_size": 5}), ("PATCH", "/pages/{page_id}", {"page_id": "p1", "icon": None})]
    results, (users, patched) = _one("notionlike", built, tmp_path, calls, API_KEY="secret_1")
    assert not any(r.is_error for r in results), [r.content for r in results]
    assert users.headers["Notion-Version"] == "2022-06-28" and users.headers["Authorization"] == "Bearer secret_1"
    assert patched.json() == {"icon": None}, "a required nullable field given null is sent as null"
    _, (newer,) = _one("notionlike", built, tmp_path, calls[:1], API_KEY="s", NOTION_VERSION="2025-09-03")
    assert newer.headers["Notion-Version"] == "2025-09-03"
