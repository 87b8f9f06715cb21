"""One OpenAPI operation → one IR tool: arguments from parameters and body, the input schema, the docs."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from generator.emit import pytypes
from generator.errors import Report
from generator.model import naming, semantics
from generator.model.byte_fields import byte_paths
from generator.model.config import OperationOverride, VendorConfig
from generator.model.ir import Param, Tool
from generator.model.paging import paging
from generator.model.prose import brief, plain
from generator.model.schemas import convert_all
from generator.spec.refs import Resolver

LOCATION_ORDER = ("path", "query", "header", "cookie", "body", "body_whole", "body_extra")
ARG_CHARS = re.compile(r"[^A-Za-z0-9_.-]")
HEADER_TOKEN = re.compile(r"^[!#$%&'*+.^_`|~0-9A-Za-z-]+$")
JSON_TYPES = ("application/json", "*/*", "text/json")


@dataclass
class RawArg:
    """An argument before naming: where it goes and its schema as the spec wrote it."""

    wire: str
    location: str
    required: bool
    schema: Any
    description: str
    is_file: bool = False


@dataclass
class Draft:
    """A tool waiting for its final name and for the set of generated model classes."""

    name_request: naming.NameRequest
    method: str
    path: str
    operation: dict[str, Any]
    raw_args: list[RawArg]
    body_kind: str
    body_media_type: str | None
    body_required: bool
    override: OperationOverride
    config: VendorConfig
    resolver: Resolver
    report: Report
    component_refs: set[str] = field(default_factory=set)

    def byte_fields(self) -> tuple[tuple[str, ...], ...]:
        """Body paths to base64 file content, which the runtime may fill from a local file."""
        return _byte_fields(self)

    def finish(self, name: str, models: frozenset[str]) -> Tool:
        """Settle arguments, schemas and semantics now that the name is known."""
        where = f"{self.method} {self.path}"
        params, schema = _arguments(self, models)
        pages = paging(self.config, self.override, params, schema, where, self.report)
        op = self.operation
        doc = plain(op.get("description")) or plain(op.get("summary"))
        found = semantics.scopes(self.config, op, self.override, self.resolver.document.get("security"))
        scopes, conditional = found
        tag = (op.get("tags") or ["default"])[0]
        return Tool(
            name=name,
            operation_id=str(op.get("operationId") or naming.snake(where)),
            method=self.method,
            path=self.path,
            module=naming.module_name(str(tag)),
            tag=str(tag),
            summary=brief(op.get("summary"), 120),
            description=semantics.describe(op, self.config, found, self.override),
            doc=doc,
            params=pages.params,
            body_kind=self.body_kind,  # type: ignore[arg-type]
            body_media_type=self.body_media_type,
            body_required=self.body_required,
            input_schema=pages.schema,
            hints=semantics.hints(self.method, self.path, op, self.override, name),
            scopes=scopes,
            conditional_scopes=conditional,
            server_url=semantics.first_server(op),
            deprecated=bool(op.get("deprecated")),
            credits=self.override.credits,
            retry_safe=bool(self.override.retry_safe),
            response_kind=semantics.response_kind(op, self.resolver, where),
            cursor_arg=pages.cursor_arg,
            next_cursor=pages.next_cursor,
            byte_fields=self.byte_fields() if self.body_kind == "json" else (),
        )


def _byte_fields(draft: Draft) -> tuple[tuple[str, ...], ...]:
    found: list[tuple[str, ...]] = []
    for raw in draft.raw_args:
        prefix = (raw.wire,) if raw.location == "body" else ()
        if raw.location in ("body", "body_whole"):
            found += [(*prefix, *p) for p in byte_paths(raw.schema, draft.resolver, f"{draft.method} {draft.path}")]
    return tuple(p for p in found if p)


def build_operation(
    method: str,
    path: str,
    operation: dict[str, Any],
    item: dict[str, Any],
    resolver: Resolver,
    config: VendorConfig,
    override: OperationOverride,
    report: Report,
) -> Draft:
    """Gather one operation's raw arguments; names and types are settled later, in ``Draft.finish``."""
    where = f"{method} {path}"
    raw_args = _parameters(operation, item, resolver, where, report)
    body_kind, media_type, body_required, body_args = _body(operation, resolver, where, report)
    raw_args.extend(body_args)
    key = str(operation.get("operationId") or where)
    request = naming.NameRequest(key, method, path, config.name, override.name, override.verb, override.resource)
    draft = Draft(
        request,
        method,
        path,
        operation,
        raw_args,
        body_kind,
        media_type,
        body_required,
        override,
        config,
        resolver,
        report,
    )
    draft.component_refs = {a.schema["$ref"] for a in raw_args if isinstance(a.schema, dict) and "$ref" in a.schema}
    draft.component_refs |= {
        a.schema["items"]["$ref"]
        for a in raw_args
        if isinstance(a.schema, dict) and isinstance(a.schema.get("items"), dict) and "$ref" in a.schema["items"]
    }
    return draft


def _parameters(
    operation: dict[str, Any], item: dict[str, Any], resolver: Resolver, where: str, report: Report
) -> list[RawArg]:
    merged: dict[tuple[str, str], dict[str, Any]] = {}
    for source in (item.get("parameters") or [], operation.get("parameters") or []):
        for index, raw in enumerate(source):
            param = resolver.deref(raw, f"{where} parameters[{index}]")
            if not isinstance(param, dict) or "name" not in param or "in" not in param:
                report.warn(where, f"parameters[{index}] has no name or location; ignored")
                continue
            merged[(str(param["in"]), str(param["name"]))] = param
    args = []
    for (location, name), param in merged.items():
        schema = param.get("schema")
        if schema is None and isinstance(param.get("content"), dict) and param["content"]:
            schema = next(iter(param["content"].values())).get("schema")
        if location in ("header", "cookie") and not HEADER_TOKEN.match(name):
            report.warn(where, f"{location} parameter {name!r} is not a valid HTTP token; skipped")
            continue
        if location not in ("path", "query", "header", "cookie"):
            report.warn(where, f"parameter {name!r} is in {location!r}, which is not an HTTP location; ignored")
            continue
        required = location == "path" or bool(param.get("required"))
        description = brief(param.get("description"), 240)
        args.append(RawArg(name, location, required, schema if schema is not None else {"type": "string"}, description))
    return args


def _body(
    operation: dict[str, Any], resolver: Resolver, where: str, report: Report
) -> tuple[str, str | None, bool, list[RawArg]]:
    raw = operation.get("requestBody")
    if raw is None:
        return "none", None, False, []
    body = resolver.deref(raw, f"{where} requestBody")
    content = body.get("content") if isinstance(body, dict) else None
    if not isinstance(content, dict) or not content:
        return "none", None, False, []
    required = bool(body.get("required"))
    media_type, kind = _pick_media_type(content)
    schema = (content.get(media_type) or {}).get("schema") or {}
    if kind == "raw":
        return (
            kind,
            media_type,
            required,
            [RawArg("body", "body_whole", required, {"type": "string"}, f"Request body ({media_type}).")],
        )
    target = resolver.deref(schema, f"{where} requestBody")
    properties, needed = _object_shape(target, resolver, where)
    if not properties or any(k in target for k in ("oneOf", "anyOf")):
        description = brief(target.get("description") if isinstance(target, dict) else None, 240) or "The request body."
        return kind, media_type, required, [RawArg("body", "body_whole", required, schema, description)]
    args = []
    for name, sub in properties.items():
        resolved = resolver.deref(sub, f"{where} requestBody/{name}")
        if isinstance(resolved, dict) and resolved.get("readOnly") is True:
            continue
        is_file = kind == "multipart" and _is_binary(resolved, resolver, where)
        description = brief(resolved.get("description") if isinstance(resolved, dict) else None, 240)
        if is_file:
            description = (description + " " if description else "") + "Give a local file path."
        args.append(RawArg(str(name), "body", required and name in needed, sub, description, is_file))
    extra = target.get("additionalProperties")
    if extra is True or (isinstance(extra, dict) and extra):
        args.append(
            RawArg("additional_properties", "body_extra", False, {"type": "object"}, "More top-level body fields.")
        )
    return kind, media_type, required, args


def _object_shape(target: Any, resolver: Resolver, where: str, depth: int = 0) -> tuple[dict[str, Any], set[str]]:
    """Top-level properties and required names of an object body, ``allOf`` members merged in."""
    if not isinstance(target, dict) or depth > 16:
        return {}, set()
    properties: dict[str, Any] = {}
    needed: set[str] = set()
    for member in target.get("allOf") or []:
        resolved = resolver.deref(member, f"{where} requestBody/allOf")
        sub_properties, sub_needed = _object_shape(resolved, resolver, where, depth + 1)
        properties.update(sub_properties)
        needed |= sub_needed
    if isinstance(target.get("properties"), dict):
        properties.update(target["properties"])
    needed |= {str(n) for n in target.get("required") or []}
    return properties, needed


def _pick_media_type(content: dict[str, Any]) -> tuple[str, str]:
    for media_type in content:
        base = media_type.split(";")[0].strip().lower()
        if base in JSON_TYPES or base.endswith("+json"):
            return media_type, "json"
    for media_type in content:
        base = media_type.split(";")[0].strip().lower()
        if base == "multipart/form-data":
            return media_type, "multipart"
        if base == "application/x-www-form-urlencoded":
            return media_type, "form"
    return next(iter(content)), "raw"


def _is_binary(schema: Any, resolver: Resolver, where: str) -> bool:
    if not isinstance(schema, dict):
        return False
    if schema.get("format") in ("binary", "byte") and schema.get("type") == "string":
        return schema.get("format") == "binary"
    items = resolver.deref(schema.get("items"), where) if schema.get("type") == "array" else None
    return isinstance(items, dict) and items.get("format") == "binary"


def _arguments(draft: Draft, models: frozenset[str]) -> tuple[tuple[Param, ...], dict[str, Any]]:
    where = f"{draft.method} {draft.path}"
    ordered = sorted(draft.raw_args, key=lambda a: LOCATION_ORDER.index(a.location))
    converted, defs = convert_all(draft.resolver, where, [a.schema for a in ordered])
    taken_args: set[str] = set()
    taken_py: set[str] = set()
    params = []
    properties: dict[str, Any] = {}
    required: list[str] = []
    for raw, converted_schema in zip(ordered, converted, strict=True):
        schema = converted_schema
        arg = ARG_CHARS.sub("_", raw.wire)[:64] or "value"
        if arg in taken_args:
            new = f"{arg}_{raw.location}"[:64]
            draft.report.rename(where, f"argument {arg!r} ({raw.location}) clashes; renamed {new!r}")
            arg = new
        taken_args.add(arg)
        py_name = naming.identifier(arg, taken_py)
        taken_py.add(py_name)
        default_env = draft.config.param_defaults.get(raw.wire)
        if raw.is_file:
            schema = (
                {"type": "string"} if schema.get("type") != "array" else {"type": "array", "items": {"type": "string"}}
            )
        if raw.description and "description" not in schema:
            schema = (
                {"description": raw.description, **schema}
                if "$ref" not in schema
                else {**schema, "description": raw.description}
            )
        is_required = raw.required and default_env is None
        annotation = pytypes.annotation(_typed(raw.schema, draft.resolver, where), models, is_file=raw.is_file)
        if raw.is_file and raw.schema.get("type") == "array":
            annotation = "list[str]"
        params.append(
            Param(
                arg,
                py_name,
                raw.wire,
                raw.location,
                is_required,
                schema,
                annotation,
                raw.description,
                raw.is_file,
                default_env,
            )
        )  # type: ignore[arg-type]
        properties[arg] = schema
        if is_required:
            required.append(arg)
    input_schema: dict[str, Any] = {"type": "object", "properties": properties}
    if required:
        input_schema["required"] = required
    if defs:
        input_schema["$defs"] = defs
    return tuple(params), input_schema


def _typed(schema: Any, resolver: Resolver, where: str) -> Any:
    """Keep a ``$ref`` to an object component (it becomes a model); look through any other ``$ref``."""
    if isinstance(schema, dict) and "$ref" in schema:
        target = resolver.deref(schema, where)
        if isinstance(target, dict) and (target.get("type") == "object" or "properties" in target or "allOf" in target):
            return schema
        return target
    if isinstance(schema, dict) and schema.get("type") == "array" and isinstance(schema.get("items"), dict):
        return {**schema, "items": _typed(schema["items"], resolver, where)}
    return schema
