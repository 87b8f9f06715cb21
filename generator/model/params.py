"""Raw arguments → IR parameters: listed names (clashes renamed and reported), Python identifiers, lean schemas."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from generator.errors import Report
from generator.model import naming
from generator.model.ir import Param
from generator.model.schemas import convert_all
from generator.model.spec_arguments import RawArg
from generator.runtime.contract import SERVER_ARGUMENTS
from generator.spec.refs import Resolver

LOCATION_ORDER = ("path", "query", "header", "cookie", "body", "body_whole", "body_extra")
ARG_CHARS = re.compile(r"[^A-Za-z0-9_.-]")
FILE_SCHEMA: dict[str, Any] = {"type": "string"}
# A comparison a parameter's name ends with (Twilio's ``DateSent<``): a word in the argument, said in its description.
COMPARISONS = (("<=", "at_or_before", "at or before"), (">=", "at_or_after", "at or after"),
               ("<", "before", "before"), (">", "after", "after"), ("!=", "not", "other than"))  # fmt: skip


def settle_params(
    raw_args: list[RawArg], resolver: Resolver, param_defaults: dict[str, str], where: str, report: Report
) -> tuple[tuple[Param, ...], dict[str, Any]]:
    """The tool's parameters in listing order, and the ``$defs`` their schemas share."""
    ordered = sorted(raw_args, key=lambda a: LOCATION_ORDER.index(a.location))
    converted, defs = convert_all(resolver, where, [a.schema for a in ordered])
    taken_args: set[str] = set()
    taken_py: set[str] = set(SERVER_ARGUMENTS)  # ``$select`` is not the Python ``select`` the server adds
    params = []
    for raw, schema in zip(ordered, converted, strict=True):
        arg = _arg_name(raw, taken_args, where, report)
        py_name = naming.identifier(arg, taken_py)
        taken_args.add(arg)
        taken_py.add(py_name)
        param = _param(raw, arg, py_name, schema, param_defaults.get(raw.wire), resolver, where)
        params.append(_compared(param))
    return tuple(params), defs


def _param(
    raw: RawArg, arg: str, py_name: str, schema: dict[str, Any], default_env: str | None, resolver: Resolver, where: str
) -> Param:
    return Param(
        arg=arg,
        py_name=py_name,
        wire=raw.wire,
        location=raw.location,
        required=raw.required and default_env is None,
        schema=_file_schema(raw.schema) if raw.is_file else schema,
        declared=_declared(raw.schema, resolver, where),
        description=raw.description,
        is_file=raw.is_file,
        default_env=default_env,
        encoding=raw.encoding,
        nullable=raw.nullable,
    )


def _comparison(wire: str) -> tuple[str, str, str] | None:
    """The comparison a parameter's name ends with: ``(sign, word, words)``, or None."""
    return next((c for c in COMPARISONS if wire.endswith(c[0]) and wire.strip("<>=!")), None)


def _compared(param: Param) -> Param:
    """A parameter named with a comparison says which, first: ``DateSent<`` → "Only values before this one …"."""
    comparison = _comparison(param.wire)
    if comparison is None:
        return param
    said = f"Only values {comparison[2]} this one (sent as `{param.wire}`)."
    return replace(param, description=f"{said} {param.description}".strip())


def _arg_name(raw: RawArg, taken: set[str], where: str, report: Report) -> str:
    comparison = _comparison(raw.wire)
    wire = f"{raw.wire.removesuffix(comparison[0])}_{comparison[1]}" if comparison else raw.wire
    arg = ARG_CHARS.sub("_", wire)[:64] or "value"
    if arg in taken:
        new = f"{arg}_{raw.location}"[:64]
        report.rename(where, f"argument {arg!r} ({raw.location}) clashes; renamed {new!r}")
        arg = new
    return arg


def _file_schema(declared: Any) -> dict[str, Any]:
    """A file part is sent from a path (or inline content): a string, or an array of them as declared."""
    many = isinstance(declared, dict) and declared.get("type") == "array"
    return {"type": "array", "items": dict(FILE_SCHEMA)} if many else dict(FILE_SCHEMA)


def _declared(schema: Any, resolver: Resolver, where: str) -> Any:
    """Keep a ``$ref`` to an object component (it becomes a model); look through any other ``$ref``."""
    if isinstance(schema, dict) and "$ref" in schema:
        target = resolver.deref(schema, where)
        if isinstance(target, dict) and (target.get("type") == "object" or "properties" in target or "allOf" in target):
            return schema
        return target
    if isinstance(schema, dict) and schema.get("type") == "array" and isinstance(schema.get("items"), dict):
        return {**schema, "items": _declared(schema["items"], resolver, where)}
    return schema
