"""The intermediate representation: frozen facts about one server, free of openapi-pydantic types."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from generator.runtime.contract import AuthSpec, Download, FlowInputs, Job, Upload

# ``local`` arguments steer the server itself (``wait``, ``timeout_s``) and never go on the wire.
Location = Literal["path", "query", "header", "cookie", "body", "body_extra", "body_whole", "local"]


@dataclass(frozen=True)
class Param:
    """One tool argument and where its value goes on the wire."""

    arg: str  # the name agents see in inputSchema
    py_name: str  # the Python parameter name
    wire: str  # the name on the wire (query key, header, body property)
    location: Location
    required: bool
    schema: dict[str, Any]
    annotation: str  # a Python type expression, built in parse from the schema
    description: str = ""
    is_file: bool = False
    default_env: str | None = None  # filled from this environment variable when not given
    default: Any = None  # the Python default shown in the signature (None: no default but ``None``)


@dataclass(frozen=True)
class Hints:
    """MCP tool annotations, settled in order: vendor config > ``x-mcp`` > heuristic."""

    title: str
    read_only: bool
    destructive: bool
    idempotent: bool
    open_world: bool = True


@dataclass(frozen=True)
class Tool:
    """One operation as one MCP tool."""

    name: str
    operation_id: str
    method: str
    path: str
    module: str
    tag: str
    summary: str
    description: str  # the lean text listed to agents
    doc: str  # the full plain text, for README and docstrings
    params: tuple[Param, ...]
    body_kind: Literal["none", "json", "multipart", "form", "raw"]
    body_media_type: str | None
    body_required: bool
    input_schema: dict[str, Any]
    hints: Hints
    scopes: tuple[str, ...] = ()
    conditional_scopes: tuple[str, ...] = ()
    server_url: str | None = None
    deprecated: bool = False
    credits: bool = False
    retry_safe: bool = False
    response_kind: Literal["json", "text", "binary", "empty"] = "json"
    job: Job | None = None
    upload: Upload | None = None
    flow_inputs: FlowInputs | None = None
    download: Download | None = None
    cursor_arg: str | None = None  # paginated tools: the argument carrying the page cursor
    next_cursor: str | None = None  # paginated tools: dotted path to the next cursor in a response
    byte_fields: tuple[tuple[str, ...], ...] = ()  # JSON body paths to base64 content ("[]" steps into arrays)


@dataclass(frozen=True)
class Server:
    """Everything the templates need to emit one server package."""

    vendor: str
    title: str
    package: str
    distribution: str
    env_prefix: str
    description: str
    base_url: str
    spec_name: str
    spec_sha256: str
    spec_url: str | None
    api_version: str
    auth: tuple[AuthSpec, ...]
    tools: tuple[Tool, ...]
    models: dict[str, Any] = field(default_factory=dict)  # component JSON Schemas for models.py
    notes: tuple[str, ...] = ()
