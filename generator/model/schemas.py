"""OpenAPI schema objects → lean JSON Schema 2020-12 for ``inputSchema`` (and for the models' input).

Drops what an agent does not need to call a tool (examples, titles, ``x-`` keys, XML hints, OpenAPI-only
keywords), turns ``nullable`` into a type union, inlines components used once and keeps the rest, and
every recursive one, under ``$defs`` so each ``$ref`` resolves inside the tool's own schema.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from generator.model import naming
from generator.model.prose import WHOLE, brief
from generator.spec.refs import RefError, Resolver, schema_name

KEEP = frozenset(
    {
        "type", "enum", "const", "format", "default", "items", "properties", "required", "additionalProperties",
        "allOf", "oneOf", "anyOf", "not", "minimum", "maximum", "multipleOf", "minLength", "maxLength",
        "pattern", "minItems", "maxItems", "uniqueItems", "minProperties", "maxProperties", "deprecated",
        "description", "prefixItems", "patternProperties",
    }
)  # fmt: skip
SUBSCHEMA_LISTS = ("allOf", "oneOf", "anyOf", "prefixItems")
DESCRIPTION_LIMIT = WHOLE  # the full text: listings cut their own (``generator.emit.listing``)


class SchemaConverter:
    """Converts the schemas of one tool; collects the components it keeps under ``$defs``."""

    def __init__(
        self, resolver: Resolver, where: str, *, drop_read_only: bool = True, always_defs: bool = False
    ) -> None:
        self.resolver = resolver
        self.where = where
        self.drop_read_only = drop_read_only
        self.always_defs = always_defs
        self.names: dict[str, str] = {}
        self.uses: Counter[str] = Counter()
        self.recursive: set[str] = set()
        self.defs: dict[str, dict[str, Any]] = {}

    def survey(self, schema: Any, stack: tuple[str, ...] = ()) -> None:
        """First pass: count how often each component is used and find the recursive ones."""
        if isinstance(schema, list):
            for item in schema:
                self.survey(item, stack)
            return
        if not isinstance(schema, dict):
            return
        ref = schema.get("$ref")
        if isinstance(ref, str):
            self.uses[ref] += 1
            if ref in stack:
                self.recursive.add(ref)
                return
            if self.uses[ref] == 1:
                self.survey(self.resolver.lookup(ref, self.where), (*stack, ref))
            return
        for key, value in schema.items():
            if key in ("properties", "patternProperties") and isinstance(value, dict):
                self.survey(list(value.values()), stack)
            elif key in KEEP or key in SUBSCHEMA_LISTS:
                self.survey(value, stack)

    def convert(self, schema: Any) -> dict[str, Any]:
        """Second pass: the cleaned schema, with shared and recursive components as ``$defs`` refs."""
        if not isinstance(schema, dict):
            return {}
        ref = schema.get("$ref")
        if isinstance(ref, str):
            return self._convert_ref(ref)
        out: dict[str, Any] = {}
        for key, value in schema.items():
            if key in KEEP:
                converted = self._convert_keyword(key, value)
                if converted is not None:
                    out[key] = converted
        if schema.get("nullable") is True:
            out = _nullable(out)
        if schema.get("exclusiveMinimum") is True and "minimum" in out:
            out["exclusiveMinimum"] = out.pop("minimum")
        if schema.get("exclusiveMaximum") is True and "maximum" in out:
            out["exclusiveMaximum"] = out.pop("maximum")
        if out.get("format") == "byte" and out.get("type") in ("string", ["string", "null"]):
            out = byte_or_file(out)
        return out

    def _convert_ref(self, ref: str) -> dict[str, Any]:
        target = self.resolver.lookup(ref, self.where)
        if self.always_defs or ref in self.recursive or self.uses[ref] > 1:
            name = self.def_name(ref)
            if name not in self.defs:
                self.defs[name] = {}
                self.defs[name] = self.convert(target)
            return {"$ref": f"#/$defs/{name}"}
        return self.convert(target)

    def def_name(self, ref: str) -> str:
        """The ``$defs`` key (and model class name) of a component, unique within this converter."""
        if ref not in self.names:
            base = name = naming.class_name(schema_name(ref))
            n = 2
            while name in self.names.values():
                name, n = f"{base}{n}", n + 1
            self.names[ref] = name
        return self.names[ref]

    def _convert_keyword(self, key: str, value: Any) -> Any:
        if key == "description":
            return brief(value, DESCRIPTION_LIMIT) or None
        if key in ("properties", "patternProperties") and isinstance(value, dict):
            return {
                str(name): self.convert(sub)
                for name, sub in value.items()
                if not (self.drop_read_only and isinstance(sub, dict) and sub.get("readOnly") is True)
            }
        if key in ("items", "not") or (key == "additionalProperties" and isinstance(value, dict)):
            return self.convert(value)
        if key in SUBSCHEMA_LISTS and isinstance(value, list):
            return [self.convert(sub) for sub in value]
        if key == "required" and isinstance(value, list):
            return [str(v) for v in value] or None
        if key == "type" and isinstance(value, list):
            return list(value)
        return value


FILE_OBJECT = {
    "type": "object",
    "description": "Instead of base64: a local file {path}, or inline {content, encoding: text|base64}.",
    "properties": {
        "path": {"type": "string"},
        "content": {"type": "string"},
        "encoding": {"enum": ["text", "base64"]},
    },
}


def byte_or_file(out: dict[str, Any]) -> dict[str, Any]:
    """A base64 field also takes a local file or inline text: the runtime reads and encodes it."""
    description = out.pop("description", None)
    either: dict[str, Any] = {"anyOf": [out, FILE_OBJECT]}
    return {"description": description, **either} if description else either


def _nullable(out: dict[str, Any]) -> dict[str, Any]:
    kind = out.get("type")
    if isinstance(kind, str):
        out["type"] = [kind, "null"]
        if "enum" in out and None not in out["enum"]:
            out["enum"] = [*out["enum"], None]
        return out
    if isinstance(kind, list):
        out["type"] = kind if "null" in kind else [*kind, "null"]
        return out
    if not out:
        return out
    return {"anyOf": [out, {"type": "null"}]}


def convert_all(resolver: Resolver, where: str, schemas: list[Any]) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Convert several schemas of one tool together; returns them and the shared ``$defs``."""
    converter = SchemaConverter(resolver, where)
    try:
        for schema in schemas:
            converter.survey(schema)
        converted = [converter.convert(schema) for schema in schemas]
    except RecursionError:
        raise RefError(where, "schema nesting is too deep") from None
    return converted, dict(sorted(converter.defs.items()))


def request_models(resolver: Resolver, refs: set[str]) -> dict[str, Any]:
    """JSON Schemas of the object components among ``refs``, keyed by model class name."""
    converter = SchemaConverter(resolver, "#/components/schemas", always_defs=True)
    for ref in sorted(refs):
        target = resolver.deref({"$ref": ref}, ref)
        if isinstance(target, dict) and (target.get("type") == "object" or "properties" in target or "allOf" in target):
            converter.convert({"$ref": ref})
    return dict(sorted(converter.defs.items()))
