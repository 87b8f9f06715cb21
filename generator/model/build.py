"""The model stage's entry: a checked, normalized document and a vendor config → the IR of one server."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import PurePosixPath
from typing import Any

from generator.errors import Report
from generator.model import fixed, name_clashes, naming, workflows
from generator.model.auth import server_auth
from generator.model.config import VendorConfig
from generator.model.ir import Server, Tool
from generator.model.operations import Gathered, component_refs, gather, tool_for
from generator.model.overrides import override_for
from generator.model.prose import brief
from generator.model.schemas import request_models
from generator.model.scopes import scope_prose
from generator.model.servers import DEFAULT_BASE_URL, first_server, url_variables
from generator.runtime.contract import VendorOAuth
from generator.spec.load import LoadedSpec
from generator.spec.refs import RefError, Resolver
from generator.spec.structure import iter_operations

Operations = list[tuple[str, str, dict[str, Any], dict[str, Any]]]


def build_model(
    spec: LoadedSpec,
    document: dict[str, Any],
    config: VendorConfig,
    report: Report,
    *,
    responses: bool = True,
    models_known: Callable[[dict[str, Any]], object] | None = None,
) -> Server:
    """The whole IR for one vendor; without ``responses``, no tool's ``response_schema`` (only locks read them).

    ``models_known`` is called with the server's ``models`` as soon as they are known, before the tools are built
    (most of this stage): the pipeline's models worker writes ``models.py`` meanwhile.
    """
    resolver = Resolver(document)
    operations = iter_operations(document)
    _check_operation_ids(operations, report)
    gathered = _gather_all(operations, resolver, config, report)
    models = request_models(resolver, set().union(*(component_refs(g) for g in gathered)))
    if models_known is not None:
        models_known(models)
    tools = _tools(gathered, resolver, config, report, responses)
    info = document.get("info") or {}
    auth = server_auth(config, document)
    template, url_settings = ("", ()) if config.base_url else url_variables(document)
    filled = [(f"{t.method} {t.path}", f) for t in tools for f in t.fixed]
    for where, message in fixed.summary(filled, tuple(dict.fromkeys(a.env[0] for a in auth if a.env))):
        report.warn(where, message)
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
        auth=auth,
        tools=workflows.attach(tools, config, report),
        models=models,
        scope_prose=scope_prose(config),
        max_rps=config.limits.rps,
        daily_quota=config.limits.daily,
        url_template=template,
        variables=(*url_settings, *fixed.variables(filled, config.prefix)),
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
    names, decisions = name_clashes.settle_tool_names([g.request for g in gathered])
    for line in decisions:
        report.rename(*line.split(": ", 1))
    tools = []
    for item in gathered:
        try:
            tools.append(tool_for(item, names[item.request.key], resolver, config, report, responses=responses))
        except RefError as exc:
            report.error(item.where, exc.problem.message)
    _report_repeated_descriptions(tools, report)
    return tuple(tools)


def _report_repeated_descriptions(tools: list[Tool], report: Report) -> None:
    """Tools whose summary and description are the same words: an agent cannot choose between them by reading."""
    groups: dict[str, list[Tool]] = {}
    for tool in tools:
        text = " ".join(f"{tool.summary} {tool.text}".split())
        if text:
            groups.setdefault(text, []).append(tool)
    for group in (g for g in groups.values() if len(g) > 1):
        for tool in group:
            others = ", ".join(t.name for t in group if t is not tool)
            report.warn(
                f"{tool.method} {tool.path}", f"description repeated by {others}: agents cannot tell them apart"
            )
