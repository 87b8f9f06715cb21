"""A tool's arguments as listed and as Python parameters: its spec parameters plus the local ones its facts imply.

Local arguments steer the server itself and never go on the wire: ``max_pages`` for a tool that pages,
``wait`` and ``timeout_s`` for one that starts a job, ``select`` for one whose answer is JSON. File parts take a
local path or inline content.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from generator.model.ir import Param, Tool
from generator.model.paging import follows_pages
from generator.runtime.contract import MAX_PAGES, PAGE_LIMIT, SELECT, SELECT_HELP, TIMEOUT, WAIT, Job, servers_own

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
    f"Follow the next-page cursor and merge up to this many pages (1-{PAGE_LIMIT}) into one result, stopping on a "
    "page boundary under the size cap; leave it out for one page."
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
    nonempty: bool = False  # an empty value would reach the vendor as none: listed and checked as non-empty
    nonempty_items: bool = False  # so would an empty string among a query list's items (``?ids=``)


def arguments(tool: Tool) -> tuple[Arg, ...]:
    """Every argument of the tool, in listing order: spec parameters, ``max_pages``, the job's, then ``select``."""
    found = [_spec_arg(p, tool.body_kind) for p in tool.params]
    if follows_pages(tool.params, tool.paging):
        schema = {"type": "integer", "minimum": 1, "maximum": PAGE_LIMIT, "description": MAX_PAGES_HELP}
        found.append(_local(MAX_PAGES, schema, f"Annotated[int, Field(ge=1, le={PAGE_LIMIT})]", None))
    if tool.job:
        found += _job_args(tool.job)
    if tool.response_kind == "json" and tool.download is None:  # an answer to narrow, not a file it saves
        found.append(_local(SELECT, {"description": SELECT_HELP, "type": "string"}, "str", None))
    spec_args = [p.arg for p in tool.params]
    return tuple(a for a in found if a.location != LOCAL or servers_own(a.name, spec_args))


def input_schema(tool: Tool, listed: bool = False) -> dict[str, Any]:
    """The tool's ``inputSchema`` in full (``generator.emit.listing`` trims it for ``tools/list``); ``listed``: the
    server's own arguments without their descriptions, which the server's instructions say once for every tool."""
    found = arguments(tool)
    schema: dict[str, Any] = {"type": "object", "properties": {a.name: _shown(a, listed) for a in found}}
    required = [a.name for a in found if a.required]
    if required:
        schema["required"] = required
    if tool.defs:
        schema["$defs"] = tool.defs
    return schema


def _shown(arg: Arg, listed: bool) -> dict[str, Any]:
    if not listed or arg.location != LOCAL:
        return arg.schema
    return {key: value for key, value in arg.schema.items() if key != "description"}


def description(param: Param) -> str:
    """An argument's text; a file part says how to give the file."""
    return f"{param.description} {FILE_HELP}".strip() if param.is_file else param.description


def _spec_arg(param: Param, body_kind: str) -> Arg:
    bound = _empty_bound(param, body_kind)
    schema = _valued(param, _schema(param))
    if bound and not schema.get(bound, 0) >= 1:
        schema = {**schema, bound: 1}
    items = bound == "minItems" and _plain_query_strings(param)
    if items and not schema["items"].get("minLength", 0) >= 1:
        schema = {**schema, "items": {**schema["items"], "minLength": 1}}
    args = (param.arg, param.py_name, param.wire, param.location, param.required, schema, description(param))
    return Arg(*args, param=param, nonempty=bound is not None, nonempty_items=items)


def _valued(param: Param, schema: dict[str, Any]) -> dict[str, Any]:
    """A required path, query, header or cookie argument listed without ``null``: a style reads null as undefined,
    no value at all, which a required one cannot be (``wire.request`` refuses it). A ``content`` parameter's null
    is JSON text, and a body field's is JSON ``null``: both keep it."""
    if not param.nullable or param.location not in ("path", "query", "header", "cookie") or param.encoding.media_type:
        return schema
    kinds, enum, members = schema.get("type"), schema.get("enum"), schema.get("anyOf")
    out = dict(schema)
    if isinstance(kinds, list):
        out["type"] = [k for k in kinds if k != "null"]
    if isinstance(enum, list):
        out["enum"] = [v for v in enum if v is not None]
    if isinstance(members, list):
        out["anyOf"] = [m for m in members if m != {"type": "null"}]
    return out


def _plain_query_strings(param: Param) -> bool:
    """Whether a query list's items are plain strings (Python ``list[str]``): an empty one is sent as no value."""
    declared = param.declared.get("items") if isinstance(param.declared, dict) else None
    listed = param.schema.get("items")
    if param.location != "query" or not isinstance(declared, dict) or not isinstance(listed, dict):
        return False
    plain = declared.get("type") == "string" and not {"enum", "format", "nullable", "$ref"} & set(declared)
    return plain and "$ref" not in listed


def _empty_bound(param: Param, body_kind: str) -> str | None:
    """``minLength``/``minItems`` when an empty value of this required argument would be sent as no value at all.

    An empty query value is an absent one (OpenAPI's ``allowEmptyValue`` is false unless said), an empty path
    segment is no segment (the runtime refuses it), an empty text sent as the whole raw body is no body (S3's XML,
    Azure's policy text), and an empty list puts nothing in a query or a form/multipart body. The listing says so
    and the function refuses it by name, so a call valid per the listed schema is one the server accepts. Only the
    plain shapes whose Python type is ``str`` or ``list[...]`` (``generator.emit.pytypes``): an enum lists its
    values, a ``$ref`` is a model.
    """
    raw = param.declared if isinstance(param.declared, dict) else {}
    stated = raw.get("type")
    kinds: list[Any] = stated if isinstance(stated, list) else [stated]
    named = [k for k in kinds if k != "null"]
    kind = named[0] if len(named) == 1 else None
    if not param.required or "$ref" in raw or (param.is_file and param.schema.get("type") != "array"):
        return None
    if param.is_file or kind == "array":
        form = body_kind in ("form", "multipart")
        return "minItems" if param.location == "query" or (param.location == "body" and form) else None
    plain = raw.get("nullable") is not True and "null" not in kinds and raw.get("format") != "byte"
    whole_text = param.location == "body_whole" and body_kind == "raw"
    if kind == "string" and plain and "enum" not in raw and (param.location in ("query", "path") or whole_text):
        return "minLength"
    return None


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
    timeout = job.default_wait_s
    timeout_help = f"With wait: give up waiting after this many seconds (at most {job.max_wait_s:g}); the job goes on."
    # Whole seconds listed as integers (``45``, not ``45.0``): the same number, and every listed byte is paid for.
    timeout_schema = {"type": "number", "minimum": 0, "maximum": _whole(job.max_wait_s), "default": _whole(timeout)}
    return [
        _local(WAIT, {"description": wait_help, "type": "boolean", "default": False}, "bool", False),
        _local(TIMEOUT, {"description": timeout_help, **timeout_schema}, "float", timeout),
    ]


def _whole(seconds: float) -> float | int:
    return int(seconds) if float(seconds).is_integer() else seconds


def _local(name: str, schema: dict[str, Any], python_type: str, default: Any) -> Arg:
    return Arg(name, name, name, LOCAL, False, schema, str(schema["description"]), default, python_type=python_type)
