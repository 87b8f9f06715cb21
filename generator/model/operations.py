"""One OpenAPI operation → one IR tool, in two steps: gather its arguments, then (once named) settle the facts.

Names are settled for all operations together (``name_clashes.settle_tool_names``), so an operation is first
``gather``ed; ``tool_for`` then builds the tool under its final name.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from generator.errors import Report
from generator.model import acts, auth, fixed, naming
from generator.model.byte_fields import byte_paths
from generator.model.config import OperationOverride, VendorConfig
from generator.model.hints import hints
from generator.model.ir import Tool
from generator.model.paging import paging
from generator.model.params import settle_params
from generator.model.prose import plain
from generator.model.responses import nothing_found, response_kind, success_schema
from generator.model.scopes import scopes
from generator.model.servers import first_server
from generator.model.spec_arguments import Body, RawArg, body, parameters
from generator.model.stated import stated
from generator.spec.refs import Resolver


@dataclass(frozen=True)
class Gathered:
    """An operation's raw arguments and body, waiting for its final tool name."""

    request: naming.NameRequest
    method: str
    path: str
    operation: dict[str, Any]
    override: OperationOverride
    raw_args: tuple[RawArg, ...]
    body: Body

    @property
    def where(self) -> str:
        """``METHOD /path``, for problems."""
        return f"{self.method} {self.path}"


def gather(
    method: str,
    path: str,
    operation: dict[str, Any],
    item: dict[str, Any],
    resolver: Resolver,
    config: VendorConfig,
    override: OperationOverride,
    report: Report,
) -> Gathered:
    """One operation's raw arguments (parameters, then body fields) and what its name is built from."""
    where = f"{method} {path}"
    found = body(operation, resolver, where)
    raw_args = (*parameters(operation, item, resolver, where, report), *found.args)
    key = str(operation.get("operationId") or where)
    verb, named = override.verb, path
    if not (override.name or override.verb or override.resource):
        verb, named = acts.named_by_act(method, path, operation) or (None, path)
    own = path if named != path else None
    request = naming.NameRequest(key, method, named, config.name, override.name, verb, override.resource, own)
    return Gathered(request, method, path, operation, override, raw_args, found)


def component_refs(gathered: Gathered) -> set[str]:
    """The component ``$ref``s an argument names directly, or as its array's items (candidate models)."""
    refs = set()
    for raw in gathered.raw_args:
        schema = raw.schema if isinstance(raw.schema, dict) else {}
        items = schema.get("items")
        for node in (schema, items if isinstance(items, dict) else {}):
            if "$ref" in node:
                refs.add(node["$ref"])
    return refs


def _defaults(args: list[RawArg], resolver: Resolver, config: VendorConfig) -> tuple[list[RawArg], dict[str, str]]:
    """The arguments, and the variables they default to: the config's, and the account in use for a path parameter
    that is it, which says so (a model leaves it out)."""
    account = auth.account_parameters(resolver.document, config.prefix)
    ours = {
        a.wire: account[naming.snake(a.wire)] for a in args if a.location == "path" and naming.snake(a.wire) in account
    }
    said = [_the_account(a) if a.wire in ours else a for a in args]
    return said, ours | config.param_defaults


def _the_account(arg: RawArg) -> RawArg:
    return replace(arg, description=f"{arg.description} Left out: the account in use.".strip())


def tool_for(
    gathered: Gathered, name: str, resolver: Resolver, config: VendorConfig, report: Report, *, responses: bool = True
) -> Tool:
    """The tool's facts under its settled name; ``responses=False`` leaves out the success schema."""
    op, where, override = gathered.operation, gathered.where, gathered.override
    api_keys, kept = auth.api_key_params(resolver.document), set(config.param_defaults)
    args, filled = fixed.split(gathered.raw_args, api_keys, config.prefix, kept, resolver, where)
    args, defaults = _defaults(args, resolver, config)
    params, defs = settle_params(args, resolver, defaults, where, report)
    required, conditional = scopes(config, op, override, resolver.document.get("security"))
    tag = str((op.get("tags") or ["default"])[0])
    judged = hints(gathered.method, gathered.path, op, override, name)
    for line in judged.decisions:
        report.warn(where, line)
    answer = success_schema(op, resolver, where) if responses else None
    return Tool(
        name=name,
        operation_id=str(op.get("operationId") or naming.snake(where)),
        method=gathered.method,
        path=gathered.path,
        module=naming.module_name(tag),
        tag=tag,
        summary=plain(op.get("summary")),
        text=plain(op.get("description")),
        params=params,
        defs=defs,
        hints=judged.hints,
        body_kind=gathered.body.kind,
        body_media_type=gathered.body.media_type,
        body_required=gathered.body.required,
        scopes=required,
        conditional_scopes=conditional,
        server_url=first_server(op),
        deprecated=bool(op.get("deprecated")),
        credits=override.credits,
        retry_safe=bool(override.retry_safe),
        response_kind=response_kind(op, resolver, where),
        response_schema=answer,
        nothing_found=nothing_found(op, resolver, where, judged.hints.read_only, answer),
        paging=paging(config, override, params, where, report),
        byte_fields=_byte_fields(gathered, resolver) if gathered.body.kind == "json" else (),
        fixed=filled,
        at_most=stated(op, override),
        security=() if config.auth else auth.security(op, resolver.document),
        tag_parents=tag_parents(resolver.document, tag),
    )


def tag_parents(document: dict[str, Any], tag: str) -> tuple[str, ...]:
    """The tag's ancestors, nearest first, by OpenAPI 3.2's ``parent`` (a cycle or a missing tag ends the chain)."""
    tags = document.get("tags")
    parents = (
        {str(t["name"]): t.get("parent") for t in tags if isinstance(t, dict) and "name" in t}
        if isinstance(tags, list)
        else {}
    )
    chain: list[str] = []
    parent = parents.get(tag)
    while isinstance(parent, str) and parent != tag and parent not in chain:
        chain.append(parent)
        parent = parents.get(parent)
    return tuple(chain)


def _byte_fields(gathered: Gathered, resolver: Resolver) -> tuple[tuple[str, ...], ...]:
    found: list[tuple[str, ...]] = []
    for raw in gathered.raw_args:
        prefix = (raw.wire,) if raw.location == "body" else ()
        if raw.location in ("body", "body_whole"):
            found += [(*prefix, *p) for p in byte_paths(raw.schema, resolver, gathered.where)]
    return tuple(p for p in found if p)
