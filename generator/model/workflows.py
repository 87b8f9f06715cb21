"""Vendor workflows, config → IR facts: async jobs, uploads, per-flow inputs and linked downloads.

Runs once the tools are named. Each config entry names operations by operationId (or ``METHOD /path``);
it becomes a typed fact on the tool, which the runtime follows and emit turns into arguments and notes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from generator.errors import Report
from generator.model.config import DownloadConfig, FlowInputsConfig, JobConfig, UploadConfig, VendorConfig
from generator.model.ir import Tool
from generator.model.overrides import override_for
from generator.runtime.contract import TIMEOUT, WAIT, Download, FlowInputs, Job, NothingFound, Upload

Lookup = Callable[[str, str], Tool | None]


def add_stated_parameters(document: dict[str, Any], config: VendorConfig) -> None:
    """Add the parameters the config states for an operation (ones its spec gives only in prose)."""
    paths = document.get("paths")
    for path, item in (paths or {}).items() if isinstance(paths, dict) else ():
        for method, operation in item.items() if isinstance(item, dict) else ():
            if not isinstance(operation, dict) or method.startswith("x-"):
                continue
            stated = override_for(config, operation, method.upper(), path).parameters
            present = {(p.get("in"), p.get("name")) for p in operation.get("parameters") or [] if isinstance(p, dict)}
            added = [p for p in stated if (p.get("in"), p.get("name")) not in present]
            if added:
                operation["parameters"] = [*(operation.get("parameters") or []), *added]


def attach(tools: tuple[Tool, ...], config: VendorConfig, report: Report) -> tuple[Tool, ...]:
    """Every tool with the workflow facts the config gives it; unknown names are errors."""
    found = {t.name: t for t in tools}
    index = {key: t.name for t in tools for key in (t.operation_id, f"{t.method} {t.path}")}

    def tool(section: str, key: str) -> Tool | None:
        if key not in index:
            report.error(f"{section}.{key}", "no operation has this operationId or METHOD /path")
            return None
        return found[index[key]]

    _attach_jobs(found, tool, config.jobs, report)
    for key, upload in config.uploads.items():
        if target := tool("uploads", key):
            found[target.name] = _upload(target, upload, f"uploads.{key}", report)
    for key, inputs in config.flow_inputs.items():
        start, schema = tool("flow_inputs", key), tool("flow_inputs", inputs.schema_op)
        if start and schema:
            found[start.name] = _flow_inputs(start, schema, inputs, f"flow_inputs.{key}", report) or start
    for key, download in config.downloads.items():
        if target := tool("downloads", key):
            found[target.name] = _download(target, download)
    for key, empty in config.nothing_found.items():
        if target := tool("nothing_found", key):
            stated = NothingFound(empty.list_field, empty.status, empty.message)
            found[target.name] = replace(target, nothing_found=stated)
    return tuple(found[t.name] for t in tools)


def _attach_jobs(found: dict[str, Tool], tool: Lookup, jobs: dict[str, JobConfig], report: Report) -> None:
    for key, job in jobs.items():
        start, status = tool("jobs", key), tool("jobs", job.status)
        if start and status:
            found[start.name] = _job(start, status, job, f"jobs.{key}", report) or start


def _arg_for(tool: Tool, wire: str) -> str | None:
    """The argument name agents use for a wire name (or an argument name) of a tool."""
    return next((p.arg for p in tool.params if wire in (p.wire, p.arg)), None)


def _job(start: Tool, status: Tool, config: JobConfig, where: str, report: Report) -> Tool | None:
    id_arg = _arg_for(status, config.id_param)
    if id_arg is None:
        report.error(where, f"{status.name} has no argument {config.id_param!r} to take the job id")
        return None
    carry = [(_arg_for(start, name), _arg_for(status, name)) for name in config.carry]
    if any(a is None or b is None or a != b for a, b in carry):
        report.error(where, f"every carried argument must be an argument of both tools: {config.carry}")
        return None
    taken = {p.arg for p in start.params} & {WAIT, TIMEOUT}
    if taken:
        report.error(where, f"{start.name} already has an argument {sorted(taken)[0]!r}")
        return None
    job = Job(
        status_tool=status.name,
        id_field=config.id_field,
        id_arg=id_arg,
        state_field=config.state_field,
        terminal=tuple(config.terminal),
        failed=tuple(config.failed),
        carry=tuple(a for a, _ in carry if a),
        max_wait_s=config.max_wait_s,
    )
    return replace(start, job=job)


def _upload(tool: Tool, config: UploadConfig, where: str, report: Report) -> Tool:
    if not any(p.is_file for p in tool.params):
        report.warn(where, f"{tool.name} has no file argument; the upload limits are not used")
        return tool
    return replace(tool, upload=Upload(max_bytes=config.max_bytes, skill=config.skill))


def _flow_inputs(start: Tool, schema: Tool, config: FlowInputsConfig, where: str, report: Report) -> Tool | None:
    key, schema_key = _arg_for(start, config.key), _arg_for(schema, config.key)
    values = _arg_for(start, config.values_param)
    if key is None or schema_key is None or values is None:
        report.error(
            where, f"{config.key!r} must be an argument of both tools and {config.values_param!r} of the first"
        )
        return None
    stated = FlowInputs(schema.name, key, config.list_field, config.name_field, values, config.type_field)
    return replace(start, flow_inputs=stated)


def _download(tool: Tool, config: DownloadConfig) -> Tool:
    return replace(tool, download=Download(config.url_field, config.filename_field, config.media_type_field))
