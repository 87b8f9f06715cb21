"""A tool's arguments as listed and as Python parameters: its spec parameters plus the local ones its facts imply.

Local arguments steer the server itself and never go on the wire: ``max_pages`` for a tool that pages,
``wait`` and ``timeout_s`` for one that starts a job. File parts take a local path or inline content.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from generator.model.ir import Param, Tool
from generator.model.paging import follows_pages
from generator.runtime.contract import DEFAULT_TIMEOUT_S, MAX_PAGES, PAGE_LIMIT, TIMEOUT, WAIT, Job

LOCAL = "local"
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
MAX_PAGES_HELP = (
    f"Follow the next-page cursor and merge up to this many pages (1-{PAGE_LIMIT}) into one result; "
    "leave it out for one page."
)


@dataclass(frozen=True)
class Arg:
    """One argument of a tool function: a spec parameter (``param``), or a local one with its own Python type."""

    name: str  # as listed
    py_name: str
    wire: str
    location: str  # a wire location, or ``local``
    required: bool
    schema: dict[str, Any]  # as listed, before the listing diet
    description: str
    default: Any = None  # a real default shown in the signature (``wait: bool = False``); ``None``: none
    param: Param | None = None
    python_type: str | None = None  # local arguments only


def arguments(tool: Tool) -> tuple[Arg, ...]:
    """Every argument of the tool, in listing order: spec parameters, ``max_pages``, then the job's."""
    found = [_spec_arg(p) for p in tool.params]
    if follows_pages(tool.params, tool.paging):
        schema = {"type": "integer", "minimum": 1, "maximum": PAGE_LIMIT, "description": MAX_PAGES_HELP}
        found.append(_local(MAX_PAGES, schema, f"Annotated[int, Field(ge=1, le={PAGE_LIMIT})]", None))
    if tool.job:
        found += _job_args(tool.job)
    return tuple(found)


def input_schema(tool: Tool) -> dict[str, Any]:
    """The tool's ``inputSchema`` in full (``generator.emit.listing`` trims it for ``tools/list``)."""
    listed = arguments(tool)
    schema: dict[str, Any] = {"type": "object", "properties": {a.name: a.schema for a in listed}}
    required = [a.name for a in listed if a.required]
    if required:
        schema["required"] = required
    if tool.defs:
        schema["$defs"] = tool.defs
    return schema


def description(param: Param) -> str:
    """An argument's text; a file part says how to give the file."""
    return f"{param.description} {FILE_HELP}".strip() if param.is_file else param.description


def _spec_arg(param: Param) -> Arg:
    return Arg(
        param.arg,
        param.py_name,
        param.wire,
        param.location,
        param.required,
        _schema(param),
        description(param),
        param=param,
    )


def _schema(param: Param) -> dict[str, Any]:
    text, schema = description(param), param.schema
    if param.is_file:
        one = {"anyOf": [{"type": "string"}, INLINE_FILE]}
        return {"description": text, **({"type": "array", "items": one} if schema.get("type") == "array" else one)}
    if not text or "description" in schema:
        return schema
    return {"description": text, **schema} if "$ref" not in schema else {**schema, "description": text}


def _job_args(job: Job) -> list[Arg]:
    wait_help = (
        f"Poll {job.status_tool} until the job reaches {', '.join(job.terminal)} and return the final state "
        "(default false: return at once with the job id)."
    )
    timeout = min(DEFAULT_TIMEOUT_S, job.max_wait_s)
    timeout_help = f"With wait: give up waiting after this many seconds (at most {job.max_wait_s:g}); the job goes on."
    timeout_schema = {"type": "number", "minimum": 0, "maximum": job.max_wait_s, "default": timeout}
    return [
        _local(WAIT, {"description": wait_help, "type": "boolean", "default": False}, "bool", False),
        _local(TIMEOUT, {"description": timeout_help, **timeout_schema}, "float", timeout),
    ]


def _local(name: str, schema: dict[str, Any], python_type: str, default: Any) -> Arg:
    return Arg(name, name, name, LOCAL, False, schema, str(schema["description"]), default, python_type=python_type)
