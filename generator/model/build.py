"""The model stage's entry: a checked, normalized document and a vendor config → the IR of one server."""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import Any

from generator.errors import Report
from generator.model import naming, workflows
from generator.model.auth import server_auth
from generator.model.config import VendorConfig
from generator.model.ir import Server, Tool
from generator.model.operations import Gathered, component_refs, gather, tool_for
from generator.model.overrides import override_for
from generator.model.prose import brief
from generator.model.schemas import request_models
from generator.model.scopes import scope_prose
from generator.model.servers import DEFAULT_BASE_URL, first_server
from generator.runtime.contract import VendorOAuth
from generator.spec.load import LoadedSpec
from generator.spec.refs import RefError, Resolver
from generator.spec.structure import iter_operations

Operations = list[tuple[str, str, dict[str, Any], dict[str, Any]]]


def build_model(
    spec: LoadedSpec, document: dict[str, Any], config: VendorConfig, report: Report, *, responses: bool = True
) -> Server:
    """The whole IR for one vendor; without ``responses``, no tool's ``response_schema`` (only locks read them)."""
    resolver = Resolver(document)
    operations = iter_operations(document)
    _check_operation_ids(operations, report)
    gathered = _gather_all(operations, resolver, config, report)
    models = request_models(resolver, set().union(*(component_refs(g) for g in gathered)))
    tools = _tools(gathered, resolver, config, report, responses)
    info = document.get("info") or {}
    return Server(
        vendor=config.name,
        title=config.title or str(info.get("title") or config.name),
        package=naming.package_name(config.name),
        distribution=naming.distribution_name(config.name),
        env_prefix=config.prefix,
        description=brief(info.get("description"), 400),
        base_url=config.base_url or first_server(document) or DEFAULT_BASE_URL,
        spec_name=PurePosixPath(spec.location.replace("\\", "/")).name,
        spec_sha256=spec.sha256,
        spec_url=config.spec.url,
        api_version=str(info.get("version") or ""),
        auth=server_auth(config, document),
        tools=workflows.attach(tools, config, report),
        models=models,
        scope_prose=scope_prose(config),
        max_rps=config.limits.rps,
        daily_quota=config.limits.daily,
        oauth=_oauth(config),
    )


def _oauth(config: VendorConfig) -> VendorOAuth | None:
    """The config's ``[oauth]`` as the runtime's contract carries it."""
    if config.oauth is None:
        return None
    fields = config.oauth.model_dump()
    return VendorOAuth(**{**fields, "scopes": tuple(fields["scopes"])})


def _check_operation_ids(operations: Operations, report: Report) -> None:
    seen: dict[str, str] = {}
    for method, path, operation, _ in operations:
        op_id = operation.get("operationId")
        if isinstance(op_id, str) and op_id in seen:
            report.error(f"{method} {path}", f"duplicate operationId {op_id!r} (also used by {seen[op_id]})")
        elif isinstance(op_id, str):
            seen[op_id] = f"{method} {path}"


def _gather_all(operations: Operations, resolver: Resolver, config: VendorConfig, report: Report) -> list[Gathered]:
    gathered = []
    for method, path, operation, item in operations:
        where = f"{method} {path}"
        override = override_for(config, operation, method, path)
        if override.skip:
            report.warn(where, "skipped by the vendor config")
            continue
        try:
            gathered.append(gather(method, path, operation, item, resolver, config, override, report))
        except RefError as exc:
            report.error(where, exc.problem.message)
    return gathered


def _tools(
    gathered: list[Gathered], resolver: Resolver, config: VendorConfig, report: Report, responses: bool
) -> tuple[Tool, ...]:
    names, decisions = naming.settle_tool_names([g.request for g in gathered])
    for line in decisions:
        report.rename(*line.split(": ", 1))
    tools = []
    for item in gathered:
        try:
            tools.append(tool_for(item, names[item.request.key], resolver, config, report, responses=responses))
        except RefError as exc:
            report.error(item.where, exc.problem.message)
    return tuple(tools)
