"""The intermediate representation: frozen facts about one server, free of openapi-pydantic types.

Facts only: each argument is stated once, with its JSON Schema; nothing here is Python syntax or text
composed for a reader. Input schemas, annotations, signatures and listed descriptions are derived from
these facts in ``generator.emit``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from generator.model.encoding import PLAIN, Encoding
from generator.runtime.contract import (
    AuthSpec,
    Download,
    Fixed,
    FlowInputs,
    Job,
    Kind,
    NothingFound,
    Upload,
    Variable,
    VendorOAuth,
    kind_of,
)

Location = Literal["path", "query", "header", "cookie", "body", "body_extra", "body_whole"]
BodyKind = Literal["none", "json", "multipart", "form", "raw"]
ResponseKind = Literal["json", "text", "binary", "empty"]


@dataclass(frozen=True)
class Param:
    """One tool argument taken from the spec, and where its value goes on the wire."""

    arg: str  # the name agents see in inputSchema
    py_name: str  # the Python identifier settled for it (a naming decision: unique, never a keyword)
    wire: str  # the name on the wire (query key, header, body property)
    location: Location
    required: bool
    schema: dict[str, Any]  # lean JSON Schema, ``$ref``s into the tool's ``defs``; the description is separate
    declared: Any  # the schema as the spec declares it; a ``$ref`` to an object component is kept (it is a model)
    description: str = ""
    is_file: bool = False  # a multipart file part: the value is a local path or inline content
    default_env: str | None = None  # filled from this environment variable when not given
    encoding: Encoding = PLAIN  # style, explode, allowReserved; a content or multipart part type and headers
    nullable: bool = False  # null is one of its values and a given null is sent (required, or a JSON body field)


@dataclass(frozen=True)
class Hints:
    """MCP tool annotations, settled in order: vendor config > ``x-mcp`` > heuristic."""

    title: str
    read_only: bool
    destructive: bool
    idempotent: bool
    open_world: bool = True


@dataclass(frozen=True)
class Paging:
    """A tool that takes the vendor's page cursor: which argument carries it, where the next one is."""

    cursor_arg: str
    next_cursor: str  # dotted path to the next cursor in a response


@dataclass(frozen=True)
class Tool:
    """One operation as one MCP tool."""

    name: str
    operation_id: str
    method: str
    path: str
    module: str
    tag: str
    summary: str  # the operation's summary, as plain text
    text: str  # the operation's description, as plain text (may be empty)
    params: tuple[Param, ...]
    defs: dict[str, Any]  # JSON Schemas shared by this tool's arguments, referenced as ``#/$defs/Name``
    hints: Hints
    body_kind: BodyKind = "none"
    body_media_type: str | None = None
    body_required: bool = False
    scopes: tuple[str, ...] = ()
    conditional_scopes: tuple[str, ...] = ()
    server_url: str | None = None
    deprecated: bool = False
    credits: bool = False
    retry_safe: bool = False
    response_kind: ResponseKind = "json"
    response_schema: dict[str, Any] | None = None  # the first 2xx JSON response's lean schema, ``$defs`` inside
    job: Job | None = None
    upload: Upload | None = None
    flow_inputs: FlowInputs | None = None
    download: Download | None = None
    nothing_found: NothingFound | None = None  # an error answer that means an empty list (spec or config)
    paging: Paging | None = None
    tag_parents: tuple[str, ...] = ()  # the tag's parent, its parent's, … (OpenAPI 3.2 nested tags)
    byte_fields: tuple[tuple[str, ...], ...] = ()  # JSON body paths to base64 content ("[]" steps into arrays)
    fixed: tuple[Fixed, ...] = ()  # credential and constant parameters: the server fills them, never the model
    at_most: tuple[int, str] | None = None  # the most a list in the answer holds, and the vendor's words saying so
    security: tuple[tuple[str, ...], ...] = ()  # the spec's alternatives by scheme name (``()``: none); empty: any

    @property
    def kind(self) -> Kind:
        """What the tool does by its hints, as ``--methods`` sees it (``read``, ``write``, ``custom``)."""
        return kind_of(self.method, self.hints.read_only, self.hints.destructive)

    @property
    def tags(self) -> tuple[str, ...]:
        """Its tag and the tag's parents, the tags ``--tags`` matches."""
        return (self.tag, *self.tag_parents) if self.tag else ()


@dataclass(frozen=True)
class Server:
    """Everything the emit stage needs to write one server package."""

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
    scope_prose: tuple[str, ...] = ()  # patterns of sentences that only state scopes (listed apart, not repeated)
    max_rps: float = 0.0  # the vendor's stated limits (config ``[limits]``); 0: none
    daily_quota: int = 0
    url_template: str = ""  # the spec's server URL with ``{variables}`` (``base_url`` has their defaults)
    variables: tuple[Variable, ...] = ()  # server URL variables and constant headers, each a setting
    toolset: str = ""  # the default toolset, set by emit from the listing's size (``generator.emit.budget``)
    oauth: VendorOAuth | None = None  # the vendor's OAuth for connecting accounts (config ``[oauth]``)
    members: tuple[Server, ...] = ()  # a suite's vendors, each as its own package has it (``emit.suite_files``)
