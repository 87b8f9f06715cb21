"""The one rule for a tool's arguments, whichever way the call came: checked against the schema the tool lists,
before anything is sent, and refused in one line that names the argument, what was wrong and what it takes.

A direct call (``full``), ``call_tool`` (``dynamic``) and an inner call of ``run_code`` (``code``) all reach the
registered tool (``lazy_tool.LazyTool.run``), which asks its ``ArgumentRules`` first:

1. a name the schema does not list is refused with the nearest known one and every known one (never dropped:
   that would quietly change the question);
2. the rules the tool function's types do not carry (a pattern, a format such as email, date-time or uuid, bounds,
   nested objects and array items) are checked with ``jsonschema`` for the arguments given that have any;
3. the rest is the SDK's pydantic validation, whose error is worded here the same way (``refused``).

The rules are built once per tool, on its first call; a call that gives only plain arguments pays for a set
difference.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import TYPE_CHECKING, Any

from mcp.types import CallToolResult
from pydantic import ValidationError

from ..shaping import results

if TYPE_CHECKING:
    from jsonschema.exceptions import ValidationError as SchemaError
    from jsonschema.protocols import Validator

# Keys a tool function's own types check (``generator.emit.pytypes``): a property with only these needs no more.
TYPED_KEYS = frozenset({"type", "enum", "description", "title", "default", "examples", "deprecated", "nullable"})
SCALARS = frozenset({"string", "integer", "number", "boolean", "null"})
FORMATS = {
    "email": "an email address",
    "idn-email": "an email address",
    "date-time": "a date-time such as 2024-01-31T09:00:00Z",
    "date": "a date such as 2024-01-31",
    "uuid": "a UUID such as 123e4567-e89b-12d3-a456-426614174000",
    "ipv4": "an IPv4 address",
    "ipv6": "an IPv6 address",
}
KINDS = {"string": "a string", "integer": "an integer", "number": "a number", "boolean": "true or false",
         "null": "null", "array": "a list", "object": "an object"}  # fmt: skip
BOUNDS = {"minLength": "at least {} character{}", "maxLength": "at most {} character{}", "minimum": "at least {}",
          "maximum": "at most {}", "exclusiveMinimum": "over {}", "exclusiveMaximum": "under {}",
          "minItems": "at least {} item{}", "maxItems": "at most {} item{}"}  # fmt: skip
MOST_SHOWN = 12  # enum values and field names listed in one line


@dataclass(frozen=True)
class ArgumentRules:
    """One tool's argument rules: the names it lists, and a validator for those of its arguments whose rules its
    function's types do not carry (None: it has none)."""

    tool: str
    schema: Mapping[str, Any]  # the listed input schema
    known: frozenset[str]
    deep: frozenset[str]
    validator: Validator | None
    flow_values: str | None = None  # the argument that carries a flow's inputs, if the tool starts a flow
    described: bool = False  # the toolset has ``describe_tool`` (dynamic, code): the hints point to it

    @classmethod
    def of(
        cls, tool: str, schema: Mapping[str, Any], flow_values: str | None = None, described: bool = False
    ) -> ArgumentRules:
        """The rules of the tool that lists ``schema``."""
        properties: Mapping[str, Any] = schema.get("properties") or {}
        deep = frozenset(name for name, sub in properties.items() if not _typed(sub))
        validator = None
        if deep:
            checked = {"properties": {name: properties[name] for name in deep}, "$defs": schema.get("$defs") or {}}
            validator = validator_class()(checked, format_checker=format_checker())
        return cls(tool, schema, frozenset(properties), deep, validator, flow_values, described)

    def refusal(self, arguments: Mapping[str, Any], parse: Any) -> CallToolResult | None:
        """None when the arguments may go on (to the SDK's validation); else the one-line refusal. ``parse`` is the
        SDK's pre-parsing of JSON text (a list given as ``"[1, 2]"``), applied to the values checked here."""
        if not self.known.issuperset(arguments):
            return self._unknown([name for name in arguments if name not in self.known])
        if self.validator is None or self.deep.isdisjoint(arguments):
            return None  # the common call: set operations only
        given = {k: v for k, v in arguments.items() if k in self.deep and v is not None}
        if not given:
            return None
        from jsonschema.exceptions import best_match

        try:
            found = best_match(self.validator.iter_errors(parse(given)))
        except RecursionError:
            return self._error(f"arguments {', '.join(sorted(given))} nest too deeply to check", "")
        return None if found is None else self._schema_error(found)

    def refused(self, error: ValidationError) -> CallToolResult:
        """The SDK's validation error as the same one line."""
        lines, where = [], ""
        for item in error.errors(include_url=False)[:3]:
            path = [str(step) if isinstance(step, str) else step for step in item["loc"]]
            if item["type"] == "missing":
                lines.append(self._missing(path))
            elif item["type"] == "extra_forbidden":
                lines.append(self._not_a_field(path[:-1], [str(path[-1])]))
            else:
                lines.append(self._wrong(path, item["input"], item["msg"]))
            where = path_of(path) if not lines[:-1] else ""
        return self._error("; ".join(lines), where)

    def _unknown(self, given: list[str]) -> CallToolResult:
        unknown = [name_of(name) for name in given[:MOST_SHOWN]]
        named = ", ".join(unknown) + (f" … ({len(given)} in all)" if len(given) > MOST_SHOWN else "")
        verb = "is not an argument" if len(given) == 1 else "are not arguments"
        nearest = [n for n in (closest(name, self.known) for name in given[:MOST_SHOWN]) if n]
        said = f"{named} {verb} of {self.tool}"
        said += f"; did you mean {', '.join(nearest)}? Known: " if nearest else "; known: "
        said += ", ".join(sorted(self.known)) or "none"
        hint = f"call {self.tool} again with only the known arguments"
        if self.flow_values:
            example = f"{self.flow_values}={{{json.dumps(given[0], ensure_ascii=False)[:60]}: …}}"
            hint = f"if {unknown[0]} is one of the flow's inputs, give it inside {self.flow_values}: {example}"
            said += f" (a flow's inputs go inside {self.flow_values})"
        details = {"unknown": unknown, "known": sorted(self.known), **({"did_you_mean": nearest} if nearest else {})}
        return results.error(said, hint=self._pointed(hint), details=details)

    def _schema_error(self, error: SchemaError) -> CallToolResult:
        path = list(error.absolute_path)
        instance = error.instance
        if error.validator == "required" and isinstance(instance, dict):
            required = error.validator_value if isinstance(error.validator_value, list) else []
            missing = [name for name in required if name not in instance][:1]
            return self._error(self._missing(path + missing), path_of(path + missing))
        if error.validator == "additionalProperties" and isinstance(instance, dict):
            fields = error.schema.get("properties") or {} if isinstance(error.schema, dict) else {}
            extra = [name for name in instance if name not in fields and isinstance(name, str)]
            return self._error(self._not_a_field(path, extra), path_of(path))
        return self._error(self._wrong(path, instance, "", error.schema), path_of(path))

    def _missing(self, path: Sequence[Any]) -> str:
        sub = self._at(path)
        takes = f" ({describe(sub, self.defs)})" if sub is not None else ""
        return f"argument {path_of(path)} is required{takes}; it was not given"

    def _not_a_field(self, path: Sequence[Any], extra: list[str]) -> str:
        sub = self._at(path)
        fields = sorted((sub or {}).get("properties") or {}) if isinstance(sub, dict) else []
        nearest = [n for n in (closest(name, fields) for name in extra[:MOST_SHOWN]) if n]
        named = ", ".join(name_of(name) for name in extra[:MOST_SHOWN])
        said = f"{named} {'is not a field' if len(extra) == 1 else 'are not fields'} of {path_of(path)}"
        said += f"; did you mean {', '.join(nearest)}?" if nearest else ""
        return said + (f" Known: {', '.join(fields[:MOST_SHOWN])}" if fields else "")

    def _wrong(self, path: Sequence[Any], value: Any, message: str, sub: Any = None) -> str:
        sub = sub if sub is not None else self._at(path)
        takes = describe(sub, self.defs) if sub is not None else message[:1].lower() + message[1:]
        return f"argument {path_of(path)}: got {shown(value)}; it takes {takes}"

    def _error(self, message: str, where: str) -> CallToolResult:
        fix = "give" if message.endswith("it was not given") else "fix"
        hint = f"{fix} {where} and call {self.tool} again" if where else f"fix these and call {self.tool} again"
        return results.error(message, hint=self._pointed(hint), details={"argument": where} if where else None)

    def _pointed(self, hint: str) -> str:
        """A hint, and where the toolset shows the tool's arguments (a direct call's client lists them)."""
        return f"{hint}; describe_tool({self.tool!r}) shows its arguments" if self.described else hint

    @property
    def defs(self) -> Mapping[str, Any]:
        """The listed schema's shared shapes."""
        found: Mapping[str, Any] = self.schema.get("$defs") or {}
        return found

    def _at(self, path: Sequence[Any]) -> Any:
        """The listed schema of the value at ``path`` (None: the schema does not say)."""
        node: Any = self.schema
        for step in path:
            node = _resolved(node, self.defs)
            if not isinstance(node, dict):
                return None
            if isinstance(step, int):
                node = node.get("items")
            else:
                node = (node.get("properties") or {}).get(step) or _branch_with(node, step, self.defs)
        return _resolved(node, self.defs)


def _typed(schema: Any) -> bool:
    """Whether a tool function's type checks all of a property's rules (a scalar, an enum, a union of those)."""
    if not isinstance(schema, dict):
        return False
    branches = schema.get("anyOf")
    if isinstance(branches, list):
        rest = {k: v for k, v in schema.items() if k != "anyOf"}
        return set(rest) <= TYPED_KEYS and all(_typed(branch) for branch in branches)
    plain = set(schema) - {"minLength", "format"} <= TYPED_KEYS and schema.get("type") in SCALARS
    return plain and schema.get("minLength", 0) <= 1 and schema.get("format") not in FORMATS


def _resolved(node: Any, defs: Mapping[str, Any]) -> Any:
    ref = node.get("$ref") if isinstance(node, dict) else None
    if isinstance(ref, str) and ref.startswith("#/$defs/"):
        return defs.get(ref.removeprefix("#/$defs/"))
    return node


def _branch_with(node: dict[str, Any], field: str, defs: Mapping[str, Any]) -> Any:
    """The schema of ``field`` in whichever ``anyOf``/``oneOf``/``allOf`` branch has it."""
    for key in ("anyOf", "oneOf", "allOf"):
        for branch in node.get(key) or []:
            found = (_resolved(branch, defs) or {}).get("properties", {}).get(field)
            if found is not None:
                return found
    return None


def describe(schema: Any, defs: Mapping[str, Any]) -> str:
    """What a schema takes, in a few words: ``a string matching ^AC[0-9a-f]{32}$``, ``one of 'a', 'b'``."""
    schema = _resolved(schema, defs)
    if not isinstance(schema, dict):
        return "any value"
    options = schema.get("anyOf") or schema.get("oneOf")
    if isinstance(options, list) and options:
        return " or ".join(dict.fromkeys(describe(option, defs) for option in options))
    enum = schema.get("enum")
    if isinstance(enum, list) and enum:
        listed = ", ".join(json.dumps(v, ensure_ascii=False) for v in enum[:MOST_SHOWN])
        return f"one of {listed}" + (f" (… {len(enum)} in all)" if len(enum) > MOST_SHOWN else "")
    kind = schema.get("type")
    kinds = kind if isinstance(kind, list) else [kind]
    said = " or ".join(KINDS.get(str(k), "a value") for k in kinds if k) or "a value"
    if schema.get("format") in FORMATS:
        said = FORMATS[schema["format"]]
    return said + "".join(_bounds(schema, defs))


def _bounds(schema: dict[str, Any], defs: Mapping[str, Any]) -> Iterable[str]:
    if isinstance(schema.get("pattern"), str):
        yield f" matching {schema['pattern']}"
    for key, said in BOUNDS.items():
        value = schema.get(key)
        if isinstance(value, int | float) and not isinstance(value, bool):
            yield ", " + said.format(f"{value:g}", "" if value == 1 else "s")
    items = schema.get("items")
    if isinstance(items, dict) and items:
        yield f", each {describe(items, defs)}"
    fields = schema.get("properties")
    if isinstance(fields, dict) and fields:
        yield f" with fields {', '.join(sorted(fields)[:MOST_SHOWN])}"
        required = schema.get("required")
        if isinstance(required, list) and required:
            yield f" (required: {', '.join(map(str, required))})"


def closest(name: str, known: Iterable[str]) -> str | None:
    """The known name ``name`` most likely meant: the same letters in another case, else the nearest spelling."""
    names = list(known)
    same = [k for k in names if k.lower() == name.lower()]
    if same:
        return same[0]
    found = difflib.get_close_matches(name, names, n=1, cutoff=0.75)  # not subject → select
    return found[0] if found else None


def name_of(name: str) -> str:
    """A name as given when it reads as one (``workspaceID``), else quoted as JSON (``""``, ``"a\\nb"``), short."""
    plain = name.isprintable() and name == name.strip() and name != ""
    text = name if plain else json.dumps(name, ensure_ascii=False)
    return text if len(text) <= 60 else text[:57] + "…"


def path_of(path: Iterable[Any]) -> str:
    """``parties[0].emailAddress``."""
    text = ""
    for step in path:
        text += f"[{step}]" if isinstance(step, int) else (f".{step}" if text else str(step))
    return text


def shown(value: Any) -> str:
    """A value as the caller gave it, short: ``123 (an integer)``, ``"abc"``."""
    text = json.dumps(value, ensure_ascii=False, default=str)
    text = text if len(text) <= 60 else text[:57] + "…"
    kind = {bool: "true or false", int: "an integer", float: "a number", list: "a list", dict: "an object"}
    said = kind.get(type(value))
    return f"{text} ({said})" if said and not isinstance(value, bool) else text


@cache
def validator_class() -> Any:
    """Draft 2020-12 whose ``pattern`` passes over one Python's ``re`` cannot read (``\\p{L}``: the request
    models, whose engine reads it, check it instead); loaded by the first tool with such rules, on its first call."""
    from jsonschema import Draft202012Validator, validators

    return validators.extend(Draft202012Validator, {"pattern": python_pattern})  # type: ignore[no-untyped-call]


def python_pattern(validator: Any, pattern: Any, instance: Any, schema: Any) -> Iterable[SchemaError]:
    """``pattern``, as ``jsonschema`` checks it, for a pattern Python's ``re`` reads (a look-ahead among them)."""
    from jsonschema.exceptions import ValidationError as Mismatch

    if not validator.is_type(instance, "string") or not isinstance(pattern, str):
        return
    try:
        found = re.search(pattern, instance)
    except re.error:
        return
    if found is None:
        yield Mismatch(f"{instance!r} does not match {pattern!r}")


def format_checker() -> Any:
    """The formats checked: ``jsonschema``'s own (email, uuid, date, IP addresses) and ISO 8601 date-times."""
    from jsonschema import FormatChecker

    checker = FormatChecker(formats=[name for name in FORMATS if name in FormatChecker.checkers])
    checker.checks("date-time", raises=ValueError)(iso_date_time)
    return checker


def iso_date_time(value: object) -> bool:
    """Whether a string is an ISO 8601 date-time (``ValueError`` when not); any other value is not a string's
    business (``type`` says so)."""
    return not isinstance(value, str) or bool(datetime.fromisoformat(value.replace("z", "Z")))
