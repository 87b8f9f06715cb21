"""Stage 3, parse: check the normalized document with openapi-pydantic, then build the IR.

openapi-pydantic is the gatekeeper (structure and types, with a JSON pointer for the first fault); the
IR is built from the checked document. No openapi-pydantic type leaves this module.
"""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import Any

from openapi_pydantic.v3.v3_0 import OpenAPI as OpenAPI30
from openapi_pydantic.v3.v3_1 import OpenAPI as OpenAPI31
from pydantic import ValidationError

from generator import naming, semantics, workflows
from generator.config import VendorConfig
from generator.ir import AuthSpec, Server
from generator.load import LoadedSpec
from generator.operations import Draft, build_operation
from generator.problems import FatalError, Report
from generator.refs import RefError, Resolver
from generator.text import brief

METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")


def check_structure(document: dict[str, Any]) -> None:
    """Validate with openapi-pydantic; the first fault is reported as a JSON pointer."""
    if not isinstance(document.get("paths"), dict) or not document["paths"]:
        raise FatalError("#/paths", "the spec has no paths, so there is nothing to generate")
    model = OpenAPI31 if str(document.get("openapi", "")).startswith("3.1") else OpenAPI30
    try:
        model.model_validate(document)
    except ValidationError as exc:
        error = exc.errors()[0]
        pointer = "#/" + "/".join(str(p).replace("~", "~0").replace("/", "~1") for p in error["loc"] if p)
        raise FatalError(pointer, error["msg"]) from None
    except (ValueError, TypeError) as exc:
        raise FatalError("#", f"not an OpenAPI document: {exc}") from None


def iter_operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any], dict[str, Any]]]:
    """Every ``(method, path, operation, path item)`` in document order."""
    found = []
    for path, item in document["paths"].items():
        if not isinstance(item, dict):
            continue
        for method in METHODS:
            operation = item.get(method)
            if isinstance(operation, dict):
                found.append((method.upper(), path, operation, item))
    return found


def build_server(spec: LoadedSpec, document: dict[str, Any], config: VendorConfig, report: Report) -> Server:
    """The whole IR for one vendor."""
    workflows.add_stated_parameters(document, config)
    check_structure(document)
    resolver = Resolver(document)
    operations = iter_operations(document)
    _check_operation_ids(operations, report)
    drafts = _build_drafts(operations, resolver, config, report)
    models = semantics.request_models(resolver, drafts)
    names, decisions = naming.settle_tool_names([d.name_request for d in drafts])
    for line in decisions:
        report.rename(*line.split(": ", 1))
    tools = []
    for draft in drafts:
        try:
            tools.append(draft.finish(names[draft.name_request.key], frozenset(models)))
        except RefError as exc:
            report.error(f"{draft.method} {draft.path}", exc.problem.message)
    info = document.get("info") or {}
    return Server(
        vendor=config.name,
        title=config.title or str(info.get("title") or config.name),
        package=naming.package_name(config.name),
        distribution=naming.distribution_name(config.name),
        env_prefix=config.prefix,
        description=brief(info.get("description"), 400),
        base_url=config.base_url or semantics.first_server(document) or "http://127.0.0.1:8080",
        spec_name=PurePosixPath(spec.location.replace("\\", "/")).name,
        spec_sha256=spec.sha256,
        spec_url=config.spec.url,
        api_version=str(info.get("version") or ""),
        auth=tuple(_auth(config, document)),
        tools=workflows.attach(tuple(tools), config, report),
        models=models,
    )


def _check_operation_ids(operations: list[tuple[str, str, dict[str, Any], dict[str, Any]]], report: Report) -> None:
    seen: dict[str, str] = {}
    for method, path, operation, _ in operations:
        op_id = operation.get("operationId")
        if isinstance(op_id, str) and op_id in seen:
            report.error(f"{method} {path}", f"duplicate operationId {op_id!r} (also used by {seen[op_id]})")
        elif isinstance(op_id, str):
            seen[op_id] = f"{method} {path}"


def _build_drafts(
    operations: list[tuple[str, str, dict[str, Any], dict[str, Any]]],
    resolver: Resolver,
    config: VendorConfig,
    report: Report,
) -> list[Draft]:
    drafts = []
    for method, path, operation, item in operations:
        where = f"{method} {path}"
        override = semantics.override_for(config, operation, method, path)
        if override.skip:
            report.warn(where, "skipped by the vendor config")
            continue
        try:
            drafts.append(build_operation(method, path, operation, item, resolver, config, override, report))
        except RefError as exc:
            report.error(where, exc.problem.message)
    return drafts


def _auth(config: VendorConfig, document: dict[str, Any]) -> list[AuthSpec]:
    if config.auth:
        return [semantics.auth_spec(scheme) for scheme in config.auth]
    schemes = (document.get("components") or {}).get("securitySchemes") or {}
    found = [
        semantics.auth_from_scheme(config.prefix, scheme) for scheme in schemes.values() if isinstance(scheme, dict)
    ]
    return [a for a in found if a is not None][:1] or [AuthSpec("bearer", (f"{config.prefix}_API_KEY",), optional=True)]
