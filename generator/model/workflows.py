"""Vendor workflows, config → IR: async jobs, uploads, per-flow inputs and linked downloads.

Runs once the tools are named. Each config entry names operations by operationId (or ``METHOD /path``);
it becomes facts on the tool (which the runtime follows) plus the arguments and text an agent needs.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from generator.errors import Report
from generator.model import semantics
from generator.model.config import DownloadConfig, FlowInputsConfig, JobConfig, UploadConfig, VendorConfig
from generator.model.ir import Download, FlowInputs, Job, Param, Tool, Upload
from generator.runtime.contract import DEFAULT_TIMEOUT_S, TIMEOUT, WAIT

FILE_HELP = (
    "Give a local file path (under the server's upload folder), or inline content as "
    '{"content": "...", "encoding": "text" or "base64", "filename": "...", "media_type": "..."}.'
)
INLINE_FILE = {
    "type": "object",
    "properties": {
        "content": {"type": "string"},
        "encoding": {"type": "string", "enum": ["text", "base64"], "default": "text"},
        "filename": {"type": "string"},
        "media_type": {"type": "string"},
    },
    "required": ["content"],
}


def add_stated_parameters(document: dict[str, Any], config: VendorConfig) -> None:
    """Add the parameters the config states for an operation (ones its spec gives only in prose)."""
    paths = document.get("paths")
    for path, item in (paths or {}).items() if isinstance(paths, dict) else ():
        for method, operation in item.items() if isinstance(item, dict) else ():
            if not isinstance(operation, dict) or method.startswith("x-"):
                continue
            stated = semantics.override_for(config, operation, method.upper(), path).parameters
            present = {(p.get("in"), p.get("name")) for p in operation.get("parameters") or [] if isinstance(p, dict)}
            added = [p for p in stated if (p.get("in"), p.get("name")) not in present]
            if added:
                operation["parameters"] = [*(operation.get("parameters") or []), *added]


def attach(tools: tuple[Tool, ...], config: VendorConfig, report: Report) -> tuple[Tool, ...]:
    """Every tool with the workflow facts the config gives it; unknown names are errors."""
    found = {t.name: _with_inline_files(t) for t in tools}
    index = {key: t.name for t in tools for key in (t.operation_id, f"{t.method} {t.path}")}

    def tool(section: str, key: str) -> Tool | None:
        if key not in index:
            report.error(f"{section}.{key}", "no operation has this operationId or METHOD /path")
            return None
        return found[index[key]]

    for key, job in config.jobs.items():
        start, status = tool("jobs", key), tool("jobs", job.status)
        if start and status:
            found[start.name] = _job(start, status, job, f"jobs.{key}", report) or start
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
    budget = f"At most {config.prefix}_CREDIT_CALL_BUDGET such calls (default 3) per server process."
    for name, credited in found.items():
        if credited.credits:
            found[name] = replace(credited, description=f"{credited.description}\n{budget}")
    return tuple(found[t.name] for t in tools)


def _arg_for(tool: Tool, wire: str) -> str | None:
    """The argument name agents use for a wire name (or an argument name) of a tool."""
    return next((p.arg for p in tool.params if wire in (p.wire, p.arg) and p.location != "local"), None)


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
    timeout = min(DEFAULT_TIMEOUT_S, config.max_wait_s)
    extra = (
        _local(WAIT, {"type": "boolean", "default": False}, "bool", False, _wait_help(status.name, job)),
        _local(
            TIMEOUT,
            {"type": "number", "minimum": 0, "maximum": config.max_wait_s, "default": timeout},
            "float",
            timeout,
            f"With wait: give up waiting after this many seconds (at most {config.max_wait_s:g}); the job goes on.",
        ),
    )
    note = f"Starts a job that finishes later; wait=true follows it with {status.name} until it ends."
    return _extended(replace(start, job=job), extra, note)


def _wait_help(status_tool: str, job: Job) -> str:
    return (
        f"Poll {status_tool} until the job reaches {', '.join(job.terminal)} and return the final state "
        "(default false: return at once with the job id)."
    )


def _local(name: str, schema: dict[str, Any], annotation: str, default: Any, description: str) -> Param:
    schema = {"description": description, **schema}
    return Param(name, name, name, "local", False, schema, annotation, description, default=default)


def _extended(tool: Tool, extra: tuple[Param, ...], note: str) -> Tool:
    """A tool with more arguments (listed and typed) and one more line of description."""
    properties = {**tool.input_schema.get("properties", {}), **{p.arg: p.schema for p in extra}}
    schema = {**tool.input_schema, "properties": properties}
    return replace(tool, params=tool.params + extra, input_schema=schema, description=f"{tool.description}\n{note}")


def _with_inline_files(tool: Tool) -> Tool:
    """File arguments take a local path or inline content (text, or base64 with a media type)."""
    if not any(p.is_file for p in tool.params):
        return tool
    params, properties = [], dict(tool.input_schema.get("properties", {}))
    for param in tool.params:
        if not param.is_file:
            params.append(param)
            continue
        many = param.annotation.startswith("list[")
        description = f"{param.description.replace('Give a local file path.', '').strip()} {FILE_HELP}".strip()
        one = {"anyOf": [{"type": "string"}, INLINE_FILE]}
        schema = {"description": description, **({"type": "array", "items": one} if many else one)}
        annotation = "list[str | dict[str, Any]]" if many else "str | dict[str, Any]"
        params.append(replace(param, schema=schema, annotation=annotation, description=description))
        properties[param.arg] = schema
    return replace(tool, params=tuple(params), input_schema={**tool.input_schema, "properties": properties})


def _upload(tool: Tool, config: UploadConfig, where: str, report: Report) -> Tool:
    if not any(p.is_file for p in tool.params):
        report.warn(where, f"{tool.name} has no file argument; the upload limits are not used")
        return tool
    notes = []
    if config.max_bytes:
        notes.append(f"Uploads up to {_size(config.max_bytes)}.")
    if config.skill:
        notes.append(
            "Give the skill's markdown (with name and description frontmatter) as a file or text, or a "
            ".skill/.zip package; markdown is checked and packaged as a .skill archive."
        )
    upload = Upload(max_bytes=config.max_bytes, skill=config.skill)
    return replace(tool, upload=upload, description="\n".join([tool.description, *notes]))


def _size(count: int) -> str:
    for unit, factor in (("GB", 10**9), ("MB", 10**6), ("KB", 10**3)):
        if count >= factor:
            return f"{count / factor:g} {unit}"
    return f"{count} bytes"


def _flow_inputs(start: Tool, schema: Tool, config: FlowInputsConfig, where: str, report: Report) -> Tool | None:
    key, schema_key, values = (
        _arg_for(start, config.key),
        _arg_for(schema, config.key),
        _arg_for(start, config.values_param),
    )
    if key is None or schema_key is None or values is None:
        report.error(
            where, f"{config.key!r} must be an argument of both tools and {config.values_param!r} of the first"
        )
        return None
    facts = FlowInputs(schema.name, key, config.list_field, config.name_field, values)
    note = f"The flow's inputs go in {values}; they are checked against {schema.name} before the run starts."
    return replace(start, flow_inputs=facts, description=f"{start.description}\n{note}")


def _download(tool: Tool, config: DownloadConfig) -> Tool:
    facts = Download(config.url_field, config.filename_field, config.media_type_field)
    note = "The file is fetched and saved under the server's output folder; the result gives its path."
    return replace(tool, download=facts, description=f"{tool.description}\n{note}")
