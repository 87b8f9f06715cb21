"""Vendor configs (``openapi/<vendor>.toml``): where the spec lives and what the spec does not say."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError

from generator.errors import FatalError
from generator.model.naming import snake
from generator.runtime.contract import NothingFound


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SpecSource(_Strict):
    """Where the spec comes from: a local mirror pinned by sha256, and the vendor's upstream URL."""

    path: str | None = None
    url: str | None = None
    sha256: str | None = None


class AuthScheme(_Strict):
    """One way the upstream accepts credentials; the first whose variables are set wins."""

    type: Literal["basic", "bearer", "header", "query", "cookie"]
    username_env: str | None = None
    password_env: str | None = None
    token_env: str | None = None
    env: str | None = None
    header: str | None = None
    name: str | None = None
    optional: bool = False
    prefix: str | None = None  # an apiKey's text before the key, e.g. "Token token=" (the spec's words otherwise)


class OperationOverride(_Strict):
    """What the vendor config says about one operation (keyed by operationId or ``METHOD /path``)."""

    name: str | None = None
    verb: str | None = None
    resource: str | None = None
    skip: bool = False
    read_only: bool | None = None
    destructive: bool | None = None
    idempotent: bool | None = None
    open_world: bool | None = None
    scopes: list[str] | None = None
    title: str | None = None
    retry_safe: bool | None = None
    credits: bool = False
    paginated: bool | None = None  # False: do not follow cursors even though the cursor argument exists
    # A list in the answer holds at most this many (what the spec's words do not say plainly), and the words.
    returns_at_most: int | None = Field(default=None, gt=0)
    returns_at_most_words: str | None = None
    # Parameters the spec states only in prose, as OpenAPI parameter objects (added before parsing).
    parameters: list[dict[str, Any]] = Field(default_factory=list)


class JobConfig(_Strict):
    """A start operation whose work finishes later, paired with the operation that reports its state."""

    status: str  # operationId (or METHOD /path) of the status operation
    id_field: str  # dotted path to the job id in the start response, e.g. ``session.id``
    id_param: str  # the status operation's parameter that takes the id
    state_field: str  # dotted path to the state in the status (and start) response
    terminal: list[str] = Field(min_length=1)
    failed: list[str] = Field(default_factory=list)  # terminal states that mean the job failed
    carry: list[str] = Field(default_factory=list)  # start arguments the status call needs too
    max_wait_s: float = Field(default=300.0, gt=0, le=3600)


class UploadConfig(_Strict):
    """What the vendor says about an upload operation that the spec does not."""

    max_bytes: int | None = Field(default=None, gt=0)  # the vendor's stated size limit
    skill: bool = False  # the files form a skill package: markdown with name/description frontmatter


class FlowInputsConfig(_Strict):
    """A run operation whose accepted inputs depend on the thing run, listed by another operation."""

    schema_op: str  # operationId (or METHOD /path) of the operation that lists the inputs
    key: str  # the argument naming the flow, passed unchanged to the schema operation
    list_field: str  # dotted path to the list of inputs in the schema response
    name_field: str = "name"  # each input's name
    values_param: str = "additional_properties"  # the start argument that carries the inputs
    type_field: str = ""  # each input's declared type (a ``string`` input takes text); "": not listed


def regex(value: str) -> str:
    """``value`` when it is a regular expression Python compiles; a one-line error otherwise."""
    try:
        re.compile(value)
    except re.error as exc:
        raise ValueError(f"not a regular expression: {exc}") from None
    return value


class NothingFoundConfig(_Strict):
    """A list or search that answers "nothing found" with an error status, which is an empty list, not an error."""

    list_field: str = ""  # dotted path to the list in a success answer ("": the answer is the list itself)
    status: int = Field(default=404, ge=400, le=499)
    message: Annotated[str, AfterValidator(regex)] = NothingFound().message  # what the vendor's error message matches


class DownloadConfig(_Strict):
    """An operation that answers with a link to the bytes rather than the bytes."""

    url_field: str  # dotted path to the (signed) download URL in the response
    filename_field: str | None = None
    media_type_field: str | None = None


class PaginationConfig(_Strict):
    """Where the vendor keeps its page cursor: an argument going out, a dotted response path coming back."""

    cursor: str = "cursor"  # wire name of the cursor query parameter or body field
    next_cursor: str  # dotted path to the next page's cursor in a response, e.g. ``records.cursor``


class ScopeRules(_Strict):
    """How scopes are found in prose when a spec has no structured ``security`` scopes."""

    patterns: list[str] = Field(default_factory=list)
    conditional_patterns: list[str] = Field(default_factory=list)


class LimitsConfig(_Strict):
    """The vendor's stated limits: the defaults of ``<PREFIX>_MAX_RPS`` and ``<PREFIX>_DAILY_QUOTA`` (0: none)."""

    rps: float = Field(default=0.0, ge=0)
    daily: int = Field(default=0, ge=0)


class OAuthConfig(_Strict):
    """The vendor's OAuth for connecting accounts (``[oauth]``); every field lands in the runtime's ``VendorOAuth``."""

    authorize_url: str = ""
    token_url: str = ""
    revoke_url: str = ""
    scopes: list[str] = Field(default_factory=list)
    client_id: str = ""
    pkce: bool = True
    token_params: Literal["form", "query"] = "form"
    base_url_field: str = ""
    identity_field: str = ""


class VendorConfig(_Strict):
    """Everything vendor-specific the generator needs; code never branches on a vendor's name."""

    name: str = Field(pattern=r"^[a-z][a-z0-9_]{0,39}$")
    title: str | None = None
    env_prefix: str | None = Field(default=None, pattern=r"^[A-Z][A-Z0-9_]{0,39}$")
    spec: SpecSource = SpecSource()
    base_url: str | None = None
    auth: list[AuthScheme] = Field(default_factory=list)
    scopes: ScopeRules = ScopeRules()
    param_defaults: dict[str, str] = Field(default_factory=dict)
    operations: dict[str, OperationOverride] = Field(default_factory=dict)
    pagination: PaginationConfig | None = None
    jobs: dict[str, JobConfig] = Field(default_factory=dict)
    uploads: dict[str, UploadConfig] = Field(default_factory=dict)
    flow_inputs: dict[str, FlowInputsConfig] = Field(default_factory=dict)
    downloads: dict[str, DownloadConfig] = Field(default_factory=dict)
    nothing_found: dict[str, NothingFoundConfig] = Field(default_factory=dict)
    limits: LimitsConfig = LimitsConfig()
    oauth: OAuthConfig | None = None
    source_dir: str = "."

    @property
    def prefix(self) -> str:
        """Environment variable prefix, e.g. ``GONG``."""
        return self.env_prefix or self.name.upper()

    def spec_location(self) -> str:
        """The local mirror if there is one (resolved against the config's folder), else the URL."""
        if self.spec.path:
            return str((Path(self.source_dir) / self.spec.path).resolve())
        if self.spec.url:
            return self.spec.url
        raise FatalError("spec", "the config names neither spec.path nor spec.url")


def load_config(path: Path) -> VendorConfig:
    """Read and check one vendor config; unknown keys are errors that name the key."""
    where = path.as_posix()
    try:
        text = path.read_text(encoding="utf-8")
        data = tomllib.loads(text)
    except FileNotFoundError:
        raise FatalError(where, "no such config file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise FatalError(where, f"cannot read config: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise FatalError(where, f"invalid TOML: {exc}{_spec_hint(path, text)}") from None
    data["source_dir"] = str(path.parent)
    try:
        return VendorConfig.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        key = ".".join(str(part) for part in first["loc"])
        raise FatalError(f"{where}: {key}", first["msg"]) from None


def _spec_hint(path: Path, text: str) -> str:
    """A hint when what was given as a config looks like an OpenAPI (or Swagger) document instead."""
    head = text.lstrip()[:4000]
    looks = path.suffix.lower() in (".json", ".yaml", ".yml") or head.startswith("{") or "openapi" in head
    if not looks:
        return ""
    return f"; this looks like an OpenAPI spec, not a vendor config: use --spec {path.as_posix()} --name NAME"


def default_config(name: str, spec: str) -> VendorConfig:
    """A config for ``--spec`` runs: defaults for everything."""
    slug = snake(name)
    if not slug or not slug[0].isalpha():
        raise FatalError("--name", f"{name!r} does not make a vendor name; use letters, digits and underscores")
    return VendorConfig(name=slug[:40], spec=SpecSource(path=spec) if "://" not in spec else SpecSource(url=spec))
