"""Fuzzed arguments against Prism: each tool called with values drawn from its own listed input schema.

``hypothesis-jsonschema`` draws a few schema-valid argument sets per tool (a fixed seed: the same calls on
every run) for Gong, Gumloop and the kitchen-sink spec, and a real MCP client calls every tool with them
against ``prism mock --errors``, which validates each request against the vendor's spec. A schema-valid call
must never get a protocol error: either every request it sends passes Prism, or the server refuses before
sending with a tool error that names an argument. Then each tool gets arguments that break its schema (one
argument of the wrong type, or a required one left out): a tool error naming that argument, nothing sent.
"""

from __future__ import annotations

import importlib
import json
import sys
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import anyio
import pytest
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis.errors import NonInteractiveExampleWarning
from hypothesis_jsonschema import from_schema
from mcp import Client

from generator.emit.write import write_package
from generator.model.config import default_config
from generator.pipeline import generate
from generator.spec.normalize import normalize
from tests.peers import Prism, RecordingProxy, vendor_env
from tests.schema_args import SELECT, WHOLE

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = 3  # per tool and vendor: ~130 tools, ~400 calls, well under a minute beside Prism
SEED = 15
CLAMP = {"timeout_s": 1, "max_pages": 2}  # the server's own waiting and paging: fuzzed, but bounded
SINK = "sinkfuzz"
# Prism is JavaScript: it reads an integer above 2**53 - 1 as out of range, though int64 ids (Gong's) are valid.
JS_INTEGER = "must be <= 9007199254740991"


@dataclass
class Fuzz:
    """One vendor's fuzz run."""

    tools: int = 0
    calls: int = 0
    requests: int = 0
    refused: int = 0
    broken: int = 0
    violations: list[str] = field(default_factory=list)
    prism_limits: list[str] = field(default_factory=list)


def examples(schema: dict[str, Any], count: int = EXAMPLES) -> list[dict[str, Any]]:
    """``count`` argument sets valid per ``schema``, the same ones on every run."""
    found: list[dict[str, Any]] = []

    @seed(SEED)
    @settings(
        max_examples=count,
        database=None,
        deadline=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(from_schema(inlined(schema)))
    def draw(value: dict[str, Any]) -> None:
        if len(found) < count:
            found.append(value)

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", NonInteractiveExampleWarning)
        draw()
    return found


def inlined(schema: dict[str, Any], limit: int = 3) -> dict[str, Any]:
    """``schema`` with its ``$defs`` refs inlined (hypothesis-jsonschema draws from no recursive schema).

    A ref nested deeper than ``limit`` becomes ``{"not": {}}``: no value, so arrays of it stay empty and
    optional properties of it stay out. The result is stricter than ``schema``, never looser.
    """
    defs = schema.get("$defs", {})

    def walk(node: Any, depth: int) -> Any:
        if isinstance(node, list):
            return [walk(item, depth) for item in node]
        if not isinstance(node, dict):
            return node
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/$defs/"):
            target = defs[ref.removeprefix("#/$defs/")]
            rest = {k: v for k, v in node.items() if k != "$ref"}
            return {"not": {}} if depth >= limit else walk({**target, **rest}, depth + 1)
        return {k: walk(v, depth) if k not in ("enum", "const", "default") else v for k, v in node.items()}

    return walk({k: v for k, v in schema.items() if k != "$defs"}, 0)


def _bounded(args: dict[str, Any]) -> dict[str, Any]:
    found = {k: min(v, CLAMP[k]) if k in CLAMP and isinstance(v, int | float) else v for k, v in args.items()}
    # A drawn string is seldom JMESPath: the whole answer (``@``), so that the rest of the call reaches Prism.
    return found | ({SELECT: WHOLE} if SELECT in found else {})


def broken(schema: dict[str, Any], valid: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """Arguments that break the schema at one named argument: a wrong type, or a required one left out."""
    properties = schema.get("properties", {})
    typed = [(n, s) for n, s in properties.items() if isinstance(s.get("type"), str) and s["type"] != "array"]
    if typed:
        name, sub = typed[0]
        yield name, {**valid, name: [1] if sub["type"] == "object" else {"wrong": [1]}}
    for name in schema.get("required", [])[:1]:
        yield name, {k: v for k, v in valid.items() if k != name}


def _text(result: Any) -> str:
    return " ".join(getattr(c, "text", "") for c in result.content)


async def _fuzz(package: str, prism: Prism, folder: Path, count: int) -> Fuzz:
    module = importlib.import_module(f"{package}.server")
    settings_module = importlib.import_module(f"{package}.runtime.settings")
    vendor = importlib.import_module(f"{package}.vendor").VENDOR
    folder.mkdir(parents=True, exist_ok=True)
    fuzz = Fuzz()
    with RecordingProxy(prism.port) as proxy:
        env = vendor_env(package.removesuffix("_mcp"), proxy.url, folder)
        server = module.create_server(settings_module.Settings.from_env(vendor, env))
        async with Client(server) as client:
            for tool in (await client.list_tools()).tools:
                if getattr(server.operations[tool.name], "download", None) is not None:
                    continue  # follows signed links off this machine (see test_prism)
                fuzz.tools += 1
                valid = [_bounded(args) for args in examples(tool.input_schema, count)]
                for args in valid:
                    await _valid_call(fuzz, client, proxy, tool, args)
                for name, args in broken(tool.input_schema, valid[0] if valid else {}):
                    await _broken_call(fuzz, client, proxy, tool.name, name, args)
    return fuzz


async def _valid_call(fuzz: Fuzz, client: Client, proxy: RecordingProxy, tool: Any, args: dict[str, Any]) -> None:
    mark = len(proxy.exchanges)
    fuzz.calls += 1
    where = f"{tool.name} {json.dumps(args)[:300]}"
    try:
        result = await client.call_tool(tool.name, args)
    except Exception as exc:
        fuzz.violations.append(f"{where}: protocol error {type(exc).__name__}: {exc}")
        return
    exchanges = proxy.since(mark)
    fuzz.requests += len(exchanges)
    for exchange in exchanges:
        for found in exchange.request_violations():
            line = f"{where}: {exchange.method} {exchange.path}: {found}"
            (fuzz.prism_limits if JS_INTEGER in found else fuzz.violations).append(line)
        fuzz.prism_limits += [f"{where}: {exchange.method} {exchange.path}: {f}" for f in exchange.prism_limits()]
    if not exchanges:
        fuzz.refused += 1
        listed = tool.input_schema.get("properties", {})
        unlisted = [json.dumps(k, ensure_ascii=False)[1:-1] or '""' for k in args if k not in listed]
        named = any(name in _text(result) for name in [*listed, *unlisted])  # an unlisted one is refused by name
        if not (result.is_error and named):
            fuzz.violations.append(f"{where}: sent nothing, and no tool error names an argument: {_text(result)[:300]}")


async def _broken_call(
    fuzz: Fuzz, client: Client, proxy: RecordingProxy, tool: str, name: str, args: dict[str, Any]
) -> None:
    mark = len(proxy.exchanges)
    fuzz.broken += 1
    try:
        result = await client.call_tool(tool, args)
    except Exception as exc:
        fuzz.violations.append(f"{tool} broken at {name}: protocol error {type(exc).__name__}: {exc}")
        return
    if proxy.since(mark) or not result.is_error or name not in _text(result):
        fuzz.violations.append(f"{tool} broken at {name}: not refused naming it: {_text(result)[:300]}")


# Specs of our own, fuzzed beside the vendors: name → (spec file, package prefix, examples per tool). The two
# nullable specs are three tools each, so they take more examples: nulls in required fields, query items and parts.
OWN_SPECS = {
    "kitchen_sink": ("kitchen_sink.json", SINK, EXAMPLES),
    "nullable_fuzz": ("nullable_fuzz.json", "nullfuzz", 15),  # OpenAPI 3.0 ``nullable: true``
    "nullable_fuzz_31": ("nullable_fuzz_31.json", "nullfuzzb", 15),  # the same shapes with 3.1 ``null`` types
}


@contextmanager
def own_prism(peer_dir: Path, vendor: str) -> Iterator[tuple[str, Prism]]:
    """One of ``OWN_SPECS`` generated and imported as ``<prefix>_mcp``, and Prism with ``--errors`` on it."""
    file_name, prefix, _count = OWN_SPECS[vendor]
    spec = ROOT / "tests" / "specs" / file_name
    result = generate(default_config(prefix, str(spec)))
    assert result.server is not None and not result.report.errors
    write_package(peer_dir / "fuzz" / f"{prefix}_mcp", result.files)
    normalized = peer_dir / f"{vendor}.normalized.json"
    normalized.write_text(json.dumps(normalize(json.loads(spec.read_text("utf-8")))[0]), encoding="utf-8")
    prism = Prism(normalized, peer_dir / f"prism-{prefix}-errors.log", errors=True)
    src = str(peer_dir / "fuzz" / f"{prefix}_mcp" / "src")
    sys.path.insert(0, src)
    try:
        prism.wait_ready()
        yield f"{prefix}_mcp", prism
    finally:
        prism.stop()
        sys.path.remove(src)


@pytest.mark.parametrize("vendor", ["gong", "gumloop", *OWN_SPECS])
def test_fuzzed_arguments_pass_prism_or_are_refused_by_name(
    vendor: str,
    prisms: dict[tuple[str, bool], Prism],
    peer_dir: Path,
    tally: list[str],
) -> None:
    """Every tool, ``EXAMPLES`` schema-valid argument sets and its broken ones, against Prism with ``--errors``."""
    if vendor in OWN_SPECS:
        count = OWN_SPECS[vendor][2]
        with own_prism(peer_dir, vendor) as (package, prism):
            fuzz = anyio.run(_fuzz, package, prism, peer_dir / f"fuzz-{vendor}", count)
    else:
        count = EXAMPLES
        fuzz = anyio.run(_fuzz, f"{vendor}_mcp", prisms[(vendor, True)], peer_dir / f"fuzz-{vendor}", count)
    tally.append(
        f"fuzz {vendor}: {fuzz.tools} tools x {count} examples = {fuzz.calls} schema-valid calls "
        f"({fuzz.requests} requests, {fuzz.refused} refused before sending), {fuzz.broken} schema-breaking calls "
        f"refused by name; {len(fuzz.violations)} violations"
    )
    beyond = (
        f"  fuzz {vendor}: beyond Prism (JS integers, multipart parts read as text), {len(fuzz.prism_limits)} in all"
    )
    tally.extend(f"{beyond}: {line[:200]}" for line in fuzz.prism_limits[:3])
    assert not fuzz.violations, "\n".join(fuzz.violations[:30])
