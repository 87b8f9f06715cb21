"""``mcpgen generate`` on specs shaped like public ones (issue 23): RPC paths, form APIs, OpenAPI 3.2, a big API.

Each spec in ``tests/specs/`` was written for these tests. The generated package is imported and driven with a
real MCP client against a recording upstream on 127.0.0.1.
"""

from __future__ import annotations

import importlib
import json
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import anyio
import pytest
from mcp import Client

from generator.emit import budget
from generator.emit.catalog import catalog
from generator.errors import Report
from generator.model.ir import Server
from tests.cli import Run, mcpgen
from tests.upstream import Reply, Upstream

SPECS = Path(__file__).resolve().parent / "specs"
META_TOOLS = {"search_tools", "describe_tool", "call_tool"}


def _generate(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, out: Path, *args: str) -> Run:
    return mcpgen(capsys, monkeypatch, "generate", *args, "--out", str(out))


def _serve(out: Path, package: str, env: dict[str, str], body: Callable[[Client], Awaitable[Any]]) -> Any:
    """Import the generated package from ``out`` and run ``body`` with an in-process client of its server."""
    src = str(out / package / "src")
    sys.path.insert(0, src)
    try:
        server = importlib.import_module(f"{package}.server")
        vendor = importlib.import_module(f"{package}.vendor").VENDOR
        settings = importlib.import_module(f"{package}.runtime.settings").Settings.from_env(vendor, env)
    finally:
        sys.path.remove(src)

    async def go() -> Any:
        with anyio.fail_after(30):
            async with Client(server.create_server(settings)) as client:
                return await body(client)

    return anyio.run(go)


def _tools(client: Client) -> Awaitable[Any]:
    return client.list_tools()


def _arguments(tool: Any, wanted: dict[str, Any]) -> dict[str, Any]:
    """``wanted``, plus a value for the spec's ``token`` header argument while it is still listed as one."""
    listed = tool.input_schema.get("properties", {})
    return {**wanted, **({"token": "xoxb-test"} if "token" in listed else {})}


def test_rpc_paths_get_names_and_hints_by_their_verb(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    run = _generate(capsys, monkeypatch, tmp_path, "--spec", str(SPECS / "rpc_chat.yaml"), "--name", "chatter")
    assert run.code == 0, run.lines
    assert any(line.startswith("warning: GET /auth.revoke: not read-only although GET") for line in run.lines)
    assert "chatter: listing: 10 tools" in run.out and "default toolset full" in run.out
    with Upstream() as up:
        env = {"CHATTER_BASE_URL": up.url, "CHATTER_API_KEY": "xoxb-test"}  # the required header ``token``'s
        read = _serve(tmp_path, "chatter_mcp", {**env, "CHATTER_METHODS": "read"}, _tools)
        assert {t.name for t in read.tools} == {
            "list_all_chatter_users",
            "get_single_chatter_user",
            "list_all_chatter_conversations_histories",
        }  # a read-only connection cannot revoke, uninstall or archive

        async def body(client: Client) -> Any:
            tools = {t.name: t for t in (await client.list_tools()).tools}
            args = _arguments(tools["delete_a_chatter_chat"], {"channel": "C1", "ts": "1700000000.1"})
            return tools, await client.call_tool("delete_a_chatter_chat", args)

        tools, result = _serve(tmp_path, "chatter_mcp", env, body)
    revoke = tools["revoke_a_chatter_auth"].annotations
    assert (revoke.title, revoke.read_only_hint, revoke.destructive_hint) == ("Revokes a token.", False, True)
    assert {"create_a_chatter_chat_message", "update_a_chatter_chat", "archive_a_chatter_conversation"} <= set(tools)
    assert not result.is_error, result.content
    assert [(s.method, s.path) for s in up.seen] == [("POST", "/chat.delete")]


def test_a_form_api_is_named_by_what_each_post_does(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    config = tmp_path / "billing.toml"
    config.write_text(
        f'name = "billing"\n[spec]\npath = "{(SPECS / "form_billing.yaml").as_posix()}"\n'
        "[operations.PostInvoicesInvoiceVoid]\ndestructive = false\n",
        encoding="utf-8",
    )
    run = _generate(capsys, monkeypatch, tmp_path / "out", str(config))
    assert run.code == 0, run.lines
    assert not [line for line in run.lines if line.startswith("warning:")]  # the config decided the one hint
    with Upstream() as up:

        async def body(client: Client) -> Any:
            tools = {t.name: t for t in (await client.list_tools()).tools}
            called = await client.call_tool("update_a_billing_customer_by_id", {"customer": "cus_1", "email": "a@b.c"})
            return tools, called

        tools, called = _serve(tmp_path / "out", "billing_mcp", {"BILLING_BASE_URL": up.url}, body)
    assert set(tools) == {
        "create_a_billing_customer",
        "get_single_billing_customer_by_id",
        "update_a_billing_customer_by_id",
        "delete_a_billing_customer_by_id",
        "void_a_billing_invoice_by_id",
        "send_a_billing_invoice_by_id",
        "list_all_billing_lines",
        "list_all_billing_invoices_searches",
    }
    update = tools["update_a_billing_customer_by_id"].annotations
    assert update.title == "Updates the specified customer by setting the values of the parameters passed."
    assert tools["void_a_billing_invoice_by_id"].annotations.destructive_hint is False  # the config's word
    assert tools["delete_a_billing_customer_by_id"].annotations.destructive_hint is True
    assert not called.is_error, called.content
    assert [(s.method, s.path) for s in up.seen] == [("POST", "/v1/customers/cus_1")]


def test_an_openapi_32_document_generates_and_serves(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    run = _generate(capsys, monkeypatch, tmp_path, "--spec", str(SPECS / "openapi32.yaml"), "--name", "catalog")
    assert run.code == 0, run.lines
    assert "warning: COPY /products/{id}: skipped: OpenAPI 3.2 additionalOperations: not supported" in run.lines
    assert any(line.startswith("warning: POST /imports: skipped: a streamed request body") for line in run.lines)
    assert "catalog: 4 tools from 4 operations" in run.out
    lines = '{"type":"created"}\n{"type":"deleted"}\n'
    with Upstream() as up:
        up.route("GET", "/v1/events", Reply(body=lines, headers={"Content-Type": "application/jsonl"}))

        async def body(client: Client) -> Any:
            queried = await client.call_tool("query_all_catalog_products", {"color": "red"})
            listed = await client.call_tool("list_all_catalog_products", {"page": 2, "color": "blue"})
            streamed = await client.call_tool("list_all_catalog_events", {})
            return queried, listed, streamed

        queried, listed, streamed = _serve(tmp_path, "catalog_mcp", {"CATALOG_BASE_URL": f"{up.url}/v1"}, body)
    assert not queried.is_error and not listed.is_error and not streamed.is_error
    seen = [(s.method, s.path, s.query, s.body) for s in up.seen]
    assert seen[0] == ("QUERY", "/v1/products", [], b'{"color":"red"}')
    assert seen[1] == ("GET", "/v1/products", [("page", "2"), ("color", "blue")], b"")
    assert json.loads(streamed.content[0].text) == [{"type": "created"}, {"type": "deleted"}]


def test_a_big_api_lists_the_dynamic_toolset_by_default(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    run = _generate(capsys, monkeypatch, tmp_path, "--spec", str(SPECS / "big_synthetic.json"), "--name", "big")
    assert run.code == 0, run.lines
    (line,) = [line for line in run.out.splitlines() if line.startswith("big: listing:")]
    assert "132 tools" in line and "default toolset dynamic" in line and "--toolset full" in line
    reported = int(line.split(" tools, ")[1].split(" bytes")[0].replace(",", ""))
    env = {"BIG_BASE_URL": "http://127.0.0.1:9"}
    lean = _serve(tmp_path, "big_mcp", env, _tools)
    full = _serve(tmp_path, "big_mcp", {**env, "BIG_TOOLSET": "full"}, _tools)
    assert {t.name for t in lean.tools} == META_TOOLS
    assert len(full.tools) == 132
    listed = [tool.model_dump(by_alias=True, exclude_none=True, mode="json") for tool in full.tools]
    sent = len(json.dumps({"tools": listed}, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
    assert sent == reported  # the summary's size is the listing's, byte for byte


def test_gong_and_gumloop_keep_the_full_toolset(vendor_ir: Callable[[str], tuple[Server, Report]]) -> None:
    for vendor, count in (("gong", 67), ("gumloop", 49)):
        listing = budget.measure(catalog(vendor_ir(vendor)[0]))
        assert (listing.tools, listing.toolset) == (count, "full")
        assert listing.bytes < budget.MAX_BYTES


REF_ONLY = """openapi: 3.1.0
info: {title: Refs, version: "1"}
paths:
  /things:
    $ref: "#/components/pathItems/%s"
components:
  pathItems:
    Things:
      get:
        operationId: listThings
        responses: {"200": {description: ok}}
"""
ONLY_32_METHODS = """openapi: 3.2.0
info: {title: Custom, version: "1"}
paths:
  /things:
    additionalOperations:
      COPY: {responses: {"201": {description: copied}}}
"""


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (
            ("--spec", "rpc_chat.yaml", "--name", "c", "--include", "nope"),
            "error: c: --include: unknown tool 'nope'; known:",
        ),
        (
            ("--spec", "rpc_chat.yaml", "--name", "c", "--tags", "nope"),
            "error: c: --tags: unknown tag 'nope'; known: apps, auth",
        ),
        (("--spec", "ref-missing.yaml", "--name", "c"), "error: #/paths: no operation is left to generate"),
        (("--spec", "only-32.yaml", "--name", "c"), "error: #/paths: no operation is left to generate"),
        (("rpc_chat.yaml",), "this looks like an OpenAPI spec, not a vendor config: use --spec"),
    ],
)
def test_bad_input_is_one_line_and_writes_nothing(
    args: tuple[str, ...],
    expected: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    (tmp_path / "ref-missing.yaml").write_text(REF_ONLY % "Missing", encoding="utf-8")
    (tmp_path / "only-32.yaml").write_text(ONLY_32_METHODS, encoding="utf-8")
    given = [str(SPECS / a) if (SPECS / a).is_file() else str(tmp_path / a) if a.endswith(".yaml") else a for a in args]
    run = _generate(capsys, monkeypatch, tmp_path / "out", *given)
    assert run.code != 0
    assert len(run.lines) == 1 and expected in run.lines[0], run.lines
    assert "internal error" not in run.lines[0]
    assert not (tmp_path / "out").exists()


def test_a_path_item_that_is_a_ref_generates(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    spec = tmp_path / "refs.yaml"
    spec.write_text(REF_ONLY % "Things", encoding="utf-8")
    run = _generate(capsys, monkeypatch, tmp_path, "--spec", str(spec), "--name", "refs", "--dry-run")
    assert run.code == 0, run.lines
    assert "refs: 1 tools from 1 operations" in run.out and "list_all_refs_things" in run.out
