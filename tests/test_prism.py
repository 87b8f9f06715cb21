"""Request fidelity: every tool of each generated server, called against Prism mocking the vendor's own spec.

Prism validates each request against the spec (after the generator's normalization) and says so in its
``sl-violations`` header; with ``--errors`` it also refuses invalid requests outright. Its answers are the
vendor's own examples, which break the vendor's own response schemas in places: the lenient mock hands them
over anyway, and the server must return them as results, not errors. With ``--errors`` Prism answers such
examples with a 500 instead; those calls are counted, not failed: the vendor's example is at fault there.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import anyio
import pytest
from mcp import Client

from tests.conftest import VENDORS
from tests.peers import Exchange, Prism, RecordingProxy, vendor_env
from tests.schema_args import arguments

# One file serves every upload tool: a skill (markdown with the frontmatter skills need) is text to the others.
UPLOAD_NAME = "SKILL.md"
UPLOAD_TEXT = "---\nname: peer-skill\ndescription: A file the peer tests upload.\n---\nSay hello.\n"
# What a client learns only by reading a tool's answers: Prism's generated answer to GET /get_inputs declares
# one flow input named "string", and the flow-run tool checks the declared inputs before it starts a run.
EXTRA_ARGS: dict[str, dict[str, Any]] = {"create_a_gumloop_flow_run": {"additional_properties": {"string": "hi"}}}
REQUIRED, FULL, FOLLOWING = "required fields", "all fields", "waiting for the job or following pages"
FOLLOW = {"wait": True, "timeout_s": 1, "max_pages": 2}
DOWNLOAD_REASON = (
    "fetches the signed link in the answer; Prism's example links point off this machine, which tests never contact"
)


@dataclass
class Tally:
    """What one vendor's run against one Prism found."""

    tools: set[str] = field(default_factory=set)
    calls: int = 0
    requests: int = 0
    violations: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    not_exercised: dict[str, str] = field(default_factory=dict)
    off_schema_examples: set[str] = field(default_factory=set)
    prism_limits: dict[str, str] = field(default_factory=dict)


def _package(vendor: str) -> tuple[Any, Any, Any]:
    server = importlib.import_module(f"{vendor}_mcp.server")
    settings = importlib.import_module(f"{vendor}_mcp.runtime.settings")
    return server.create_server, settings.Settings, importlib.import_module(f"{vendor}_mcp.vendor").VENDOR


def _runs(tool: Any) -> list[str]:
    """Required fields; every field; and, for tools that wait for jobs or follow pages, doing so."""
    follows = FOLLOW.keys() & tool.input_schema.get("properties", {}).keys()
    return [REQUIRED, FULL, *([FOLLOWING] if follows else [])]


def _tool_args(tool: Any, operation: Any, run: str) -> dict[str, Any]:
    """Schema-derived arguments; file arguments get a real file: its path, or (``full``) its inline content."""
    full = run != REQUIRED
    args = arguments(tool.input_schema, full=full) | EXTRA_ARGS.get(tool.name, {})
    if run == FOLLOWING:
        args |= {k: v for k, v in FOLLOW.items() if k in tool.input_schema.get("properties", {})}
    for spec in operation.params:
        if spec.is_file:
            schema = tool.input_schema["properties"][spec.arg]
            inline = {"content": UPLOAD_TEXT, "filename": UPLOAD_NAME, "media_type": "text/markdown"}
            value = inline if full and "object" in str(schema) else UPLOAD_NAME
            args[spec.arg] = [value] if schema.get("type") == "array" else value
    if full:
        for field in getattr(operation, "byte_fields", ()):
            _put_file(args, field)
    return args


def _put_file(node: Any, path: tuple[str, ...]) -> None:
    """At a base64 body field the schema also offers a file object: give it the upload file by path."""
    head, rest = path[0], path[1:]
    slots = range(len(node)) if head == "[]" and isinstance(node, list) else [head] if isinstance(node, dict) else []
    for slot in slots:
        if rest:
            _put_file(node[slot], rest)
        elif head == "[]" or slot in node:
            node[slot] = {"path": UPLOAD_NAME}


async def _drive(vendor: str, prism: Prism, folder: Path) -> Tally:
    create_server, settings_class, vendor_spec = _package(vendor)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / UPLOAD_NAME).write_text(UPLOAD_TEXT, encoding="utf-8")
    tally = Tally()
    with RecordingProxy(prism.port) as proxy:
        settings = settings_class.from_env(vendor_spec, vendor_env(vendor, proxy.url, folder))
        server = create_server(settings)
        # Before any call: every operation, including those with a server of their own, goes to the proxy.
        assert {settings.url_for(op.server_url) for op in server.operations.values()} == {proxy.url}
        async with Client(server) as client:
            for tool in (await client.list_tools()).tools:
                operation = server.operations[tool.name]
                if getattr(operation, "download", None) is not None:
                    tally.not_exercised[tool.name] = DOWNLOAD_REASON
                    continue
                for run in _runs(tool):
                    mark = len(proxy.exchanges)
                    result = await client.call_tool(tool.name, _tool_args(tool, operation, run))
                    _judge(tally, prism, tool.name, run, result, proxy.since(mark))
    return tally


def _judge(tally: Tally, prism: Prism, name: str, label: str, result: Any, exchanges: list[Exchange]) -> None:
    run = f"{name} ({label})"
    tally.tools.add(name)
    tally.calls += 1
    tally.requests += len(exchanges)
    text = " ".join(getattr(c, "text", "") for c in result.content)[:400]
    if not exchanges:
        tally.failures.append(f"{run}: sent no request; result: {text}")
    for exchange in exchanges:
        tally.violations += [f"{run}: {exchange.method} {exchange.path}: {v}" for v in exchange.request_violations()]
        for limit in exchange.prism_limits():
            tally.prism_limits[name] = f"{exchange.method} {exchange.path}: {limit}"
    rejected_example = prism.errors and any(e.status == 500 and e.response_violations() for e in exchanges)
    if rejected_example:
        tally.off_schema_examples.add(name)
    elif result.is_error and all(e.status < 400 for e in exchanges):
        statuses = [e.status for e in exchanges]
        tally.failures.append(f"{run}: Prism answered {statuses} but the result is an error: {text}")
    elif not result.is_error and not result.content:
        tally.failures.append(f"{run}: the result has no content")


@pytest.mark.parametrize("vendor", VENDORS)
def test_every_tool_passes_prism(
    vendor: str, prisms: dict[tuple[str, bool], Prism], peer_dir: Path, tally: list[str]
) -> None:
    """Every listed tool, called with its required fields, then every field (then waiting/paging), on both mocks."""
    found = {errors: anyio.run(_drive, vendor, prisms[(vendor, errors)], peer_dir / vendor) for errors in (True, False)}
    strict, lenient = found[True], found[False]
    skipped = strict.not_exercised | lenient.not_exercised
    violations = strict.violations + lenient.violations
    line = (
        f"prism {vendor}: {len(strict.tools | lenient.tools)} tools called, {len(violations)} violations "
        f"({strict.calls + lenient.calls} calls, {strict.requests + lenient.requests} requests; "
        f"with --errors, {len(strict.off_schema_examples)} tools got a 500 because {vendor}'s own example "
        "breaks its own response schema)"
    )
    tally.append(line)
    tally.extend(f"  {vendor}: not exercised: {name}: {reason}" for name, reason in sorted(skipped.items()))
    limits = strict.prism_limits | lenient.prism_limits
    tally.extend(
        f"  {vendor}: beyond Prism: {name}: {what} "
        "(Prism 5 never reads multipart parts as an array; the rest of the request was valid)"
        for name, what in sorted(limits.items())
    )
    assert not violations, "\n".join(violations[:40])
    assert not strict.failures + lenient.failures, "\n".join((strict.failures + lenient.failures)[:40])
    assert strict.tools == lenient.tools and len(strict.tools) + len(skipped) >= 1


def test_server_url_overrides_send_own_server_operations_elsewhere() -> None:
    """``<PREFIX>_SERVER_URL_OVERRIDES`` moves operations with their own server; the base URL alone does not."""
    create_server, settings_class, vendor_spec = _package("gumloop")
    own = {op.server_url for op in create_server(settings_class.from_env(vendor_spec, {})).operations.values()}
    own.discard(None)
    assert own, "the Gumloop spec has an operation with a server of its own (POST /chat/completions)"
    url = next(iter(own))
    alone = settings_class.from_env(vendor_spec, {"GUMLOOP_BASE_URL": "http://127.0.0.1:1"})
    assert alone.url_for(url) == url and alone.url_for(None) == "http://127.0.0.1:1"
    moved = settings_class.from_env(vendor_spec, {"GUMLOOP_SERVER_URL_OVERRIDES": f"{url}/=http://127.0.0.1:2/"})
    assert moved.url_for(url) == "http://127.0.0.1:2" and moved.url_for(None) == vendor_spec.base_url
    with pytest.raises(ValueError, match=r"^GUMLOOP_SERVER_URL_OVERRIDES: .* is not a list of FROM=TO pairs"):
        settings_class.from_env(vendor_spec, {"GUMLOOP_SERVER_URL_OVERRIDES": f"{url}/=http://127.0.0.1:2/,x"})
