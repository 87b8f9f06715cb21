"""The model stage's entry: a checked, normalized document and a vendor config → the IR of one server."""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import Any

from generator.errors import Report
from generator.model import naming, semantics, workflows
from generator.model.config import VendorConfig
from generator.model.ir import AuthSpec, Server
from generator.model.operations import Draft, build_operation
from generator.model.prose import brief
from generator.spec.load import LoadedSpec
from generator.spec.refs import RefError, Resolver
from generator.spec.structure import iter_operations


def build_model(spec: LoadedSpec, document: dict[str, Any], config: VendorConfig, report: Report) -> Server:
    """The whole IR for one vendor."""
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
