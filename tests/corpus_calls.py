"""A served corpus spec's tools called in memory, each request they send checked against the spec's own rules.

Every listed tool's name and hints are checked against its operation's words (``tests.name_rules``), and the
README's credential lines against a basic scheme that names its two parts (``accountSid_authToken``). The first
``TOOLS`` tools the server lists (in its order; none that downloads from a signed link), and the first after them
that uploads a file, are each called once with arguments drawn from the tool's own input schema
(``hypothesis-jsonschema``, a fixed seed; the plain example filler of ``tests.schema_args`` when a schema cannot be
drawn from and its values are valid; else the tool is not called, and that is noted), against a recording
upstream: an ``httpx2.MockTransport`` on the server's dispatcher that answers ``200 {}``. Each request is checked
by ``tests.request_rules`` against the operation it was sent for, and a file argument (a file put in the upload
folder) must go out as the file's bytes; a call that sends nothing must be a tool error naming an argument
(counted as refused), anything else is listed as unsent.
"""

from __future__ import annotations

import importlib
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import anyio
import httpx2
import jsonschema
from mcp import Client

from tests import name_rules
from tests.peers import vendor_env
from tests.request_rules import Sent, Spec, check, matches
from tests.schema_args import SELECT, WHOLE, arguments

TOOLS = 5  # per spec, the first ones listed
UPSTREAM = "http://upstream.invalid/base"
CALL_TIMEOUT = 15.0
CLAMP = {"timeout_s": 1, "max_pages": 2, "wait": False}  # the server's own waiting and paging: bounded
UPLOAD, UPLOADED = "corpus-upload.bin", b"mcpgen corpus upload \x00\x01\x02\xff"  # in the upload folder


@dataclass
class Calls:
    """One spec's tool calls: how many, the requests checked, refusals, and each breach as ``METHOD /path: rule``."""

    calls: int = 0
    requests: int = 0
    refused: int = 0
    unsent: list[str] = field(default_factory=list)
    breaches: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def drawn(schema: dict[str, Any]) -> dict[str, Any] | None:
    """One argument set valid per ``schema``, the same on every run, clamped where the server would wait; None when
    none could be drawn (the plain filler's values break the schema, e.g. its ``pattern``s)."""
    from tests.test_fuzz_prism import examples

    try:
        found = examples(_python_patterns(schema), 1)
    except Exception:  # hypothesis-jsonschema cannot draw from it (an odd format): the plain filler
        found = []
    args = found[0] if found else arguments(schema)
    try:
        if not found and next(jsonschema.Draft202012Validator(schema).iter_errors(args), None) is not None:
            return None
    except Exception:  # a pattern Python cannot read: the filler's values cannot be checked either
        return None
    clamped = {k: CLAMP[k] if k in CLAMP and isinstance(v, bool | int | float) else v for k, v in args.items()}
    return clamped | ({SELECT: WHOLE} if SELECT in clamped else {})  # a drawn string is seldom JMESPath


def _python_patterns(node: Any) -> Any:
    """``node`` without the ``pattern``s Python's ``re`` cannot read (``\\p{L}``): the rest can still be drawn from."""
    if isinstance(node, list):
        return [_python_patterns(item) for item in node]
    if not isinstance(node, dict):
        return node
    kept = {k: _python_patterns(v) if k not in ("enum", "const", "default") else v for k, v in node.items()}
    if isinstance(kept.get("pattern"), str):
        try:
            re.compile(kept["pattern"])
        except re.error:
            del kept["pattern"]
    return kept


def call_tools(package: str, spec_file: Path, folder: Path) -> Calls:
    """Call up to ``TOOLS`` tools of the imported ``package`` in memory; every request checked against the spec."""
    return anyio.run(_call_tools, package, Spec(json.loads(spec_file.read_text(encoding="utf-8"))), folder)


async def _call_tools(package: str, spec: Spec, folder: Path) -> Calls:
    module = importlib.import_module(f"{package}.server")
    vendor = importlib.import_module(f"{package}.vendor").VENDOR
    settings = importlib.import_module(f"{package}.runtime.settings").Settings
    env = {**os.environ, **vendor_env(package.removesuffix("_mcp"), UPSTREAM, folder)}
    server = module.create_server(settings.from_env(vendor, env | {f"{vendor.env_prefix}_TOOLSET": "full"}))
    sent: list[Sent] = []

    def record(request: httpx2.Request) -> httpx2.Response:
        sent.append(Sent(request.method, str(request.url), dict(request.headers), request.content))
        return httpx2.Response(200, json={})

    server.dispatcher.upstream._transport = httpx2.MockTransport(record)
    filled = frozenset(f"{s.type}:{s.header}" for s in vendor.auth if s.header)
    calls = Calls()
    folder.mkdir(parents=True, exist_ok=True)
    (folder / UPLOAD).write_bytes(UPLOADED)
    async with Client(server) as client:
        tools = [t for t in (await client.list_tools()).tools if t.name in server.operations]
        calls.breaches += name_rules.breaches(spec, [_named(t, server.operations[t.name]) for t in tools])
        calls.breaches += _credential_docs(spec, folder.parent / package / "README.md", vendor)
        for tool in _chosen(tools, server.operations, spec):
            op = server.operations[tool.name]
            mark = len(sent)
            result = await _call(client, tool, _files(spec, op), calls)
            own = filled | {f"{f.location}:{f.wire}" for f in op.fixed if f.credential}
            for request in sent[mark:]:
                _check(spec, op, request, own, calls)
                calls.breaches += _uploaded(spec, op, request)
            if len(sent) == mark and result is not None:
                _refused(tool, result, calls)
    return calls


def _credential_docs(spec: Spec, readme: Path, vendor: Any) -> list[str]:
    """A basic scheme whose name joins two parts (``accountSid_authToken``): the README names both in the spec's
    words, and its docker line carries both variables."""
    text = readme.read_text(encoding="utf-8") if readme.is_file() else ""
    docker = next((line for line in text.splitlines() if line.startswith("docker run")), "")
    found = []
    schemes = ((spec.document.get("components") or {}).get("securitySchemes")) or {}
    for key, scheme in schemes.items() if isinstance(schemes, dict) else ():
        halves = [h for h in str(key).split("_") if h]
        basic = isinstance(scheme, dict) and str(scheme.get("scheme", "")).lower() == "basic"
        if not basic or len(halves) != 2 or any(h.lower() in ("basic", "auth", "http") for h in halves):
            continue
        for half in halves:
            if " ".join(name_rules.words(half)) not in text.lower():
                found.append(f"securitySchemes {key}: the README never calls a credential {half!r}")
        variables = [v for s in vendor.auth if s.name == key for v in s.env]
        found += [f"securitySchemes {key}: the docker line leaves out {v}" for v in variables if f" {v} " not in docker]
    return found


def _chosen(tools: list[Any], operations: dict[str, Any], spec: Spec) -> list[Any]:
    """The first ``TOOLS`` tools (none that downloads from a signed link), and the first that uploads a file."""
    served = [t for t in tools if getattr(operations[t.name], "download", None) is None]
    files = [t for t in served[TOOLS:] if _files(spec, operations[t.name])]
    return served[:TOOLS] + files[:1]


def _named(tool: Any, op: Any) -> name_rules.Named:
    destructive = bool(tool.annotations and tool.annotations.destructive_hint)
    return name_rules.Named(tool.name, op.method, op.path, destructive, tuple((p.arg, p.wire) for p in op.params))


def _files(spec: Spec, op: Any) -> list[Any]:
    """The arguments that carry a file: those the server reads as files, and the whole body where the spec says it
    is a file's bytes (whatever the server makes of it)."""
    whole = _file_body(spec, op.method, op.path)
    return [p for p in op.params if p.is_file or (whole and p.location == "body_whole")]


def _file_body(spec: Spec, method: str, template: str) -> bool:
    """Whether the operation's request body is a file: binary bytes, or a multipart body that is no object."""
    found = spec.operation(method, template)
    body = spec.resolve(found.op.get("requestBody")) if found else None
    content = body.get("content") if isinstance(body, dict) else None
    for media, entry in (content or {}).items() if isinstance(content, dict) else ():
        schema = spec.resolve(entry.get("schema")) if isinstance(entry, dict) else None
        schema = schema if isinstance(schema, dict) else {}
        items = spec.resolve(schema.get("items")) if schema.get("type") == "array" else schema
        binary = isinstance(items, dict) and items.get("format") == "binary"
        base = media.split(";", 1)[0].strip().lower()
        if (base == "application/octet-stream" or (base == "*/*" and binary)) or (
            base == "multipart/form-data" and binary and "properties" not in schema
        ):
            return True
    return False


def _uploaded(spec: Spec, op: Any, request: Sent) -> list[str]:
    """A file argument's bytes are in the request: the whole body, or a part of a multipart one."""
    files = _files(spec, op)
    if not files or request.method != op.method:
        return []
    whole = any(p.location == "body_whole" for p in files)
    if (request.body == UPLOADED) if whole else (UPLOADED in request.body):
        return []
    return [f"{op.method} {op.path}: the file {UPLOAD} given as {files[0].arg!r} was not sent as its bytes"]


async def _call(client: Client, tool: Any, files: list[Any], calls: Calls) -> Any:
    args = drawn(tool.input_schema)
    for arg in [p.arg for p in files] if args is not None else []:
        many = tool.input_schema["properties"][arg].get("type") == "array"  # the file put in the upload folder
        args[arg] = [UPLOAD] if many else UPLOAD
    if args is None:
        calls.notes.append(f"{tool.name}: not called: no arguments valid per its schema could be drawn")
        return None
    calls.calls += 1
    try:
        with anyio.fail_after(CALL_TIMEOUT):
            return await client.call_tool(tool.name, args)
    except Exception as exc:
        calls.unsent.append(f"{tool.name}: {type(exc).__name__}: {str(exc)[:160]}")
        return None


def _refused(tool: Any, result: Any, calls: Calls) -> None:
    text = " ".join(getattr(c, "text", "") for c in result.content)
    if result.is_error and any(name in text for name in tool.input_schema.get("properties", {})):
        calls.refused += 1
    else:
        calls.unsent.append(f"{tool.name}: sent nothing: {text[:400]}")


def _check(spec: Spec, op: Any, request: Sent, filled: frozenset[str], calls: Calls) -> None:
    """Check ``request`` against the tool's operation, or the one of the spec it was sent for (a next page)."""
    calls.requests += 1
    base, path = urlsplit(UPSTREAM).path, urlsplit(request.url).path
    method, template = op.method, op.path
    if not (request.method == op.method and matches(op.path, path, base)):
        method, template = next(
            ((m, t) for m, t in spec.templates() if m == request.method and matches(t, path, base)),
            (op.method, op.path),
        )
    verdict = check(spec, method, template, request, base, filled)
    calls.breaches += [f"{method} {template}: {rule}" for rule in verdict.breaches]
    calls.notes += [f"{method} {template}: {note}" for note in verdict.notes]
