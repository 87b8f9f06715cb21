"""OpenAPI 3.2, read as 3.1 plus what a tool needs from it.

openapi-pydantic knows 3.0.x and 3.1.x. A 3.2 document is a 3.1 document with additions, most of them keys that
openapi-pydantic keeps as extras; those that break 3.1's rules or that a tool reads are lowered here, in place:

- the ``query`` operation of a path item (the ``QUERY`` method) stays; ``iter_operations`` lists it, and
  ``structure.check_structure`` validates it as an operation;
- an ``in: querystring`` parameter whose content is a form-encoded object becomes one ``in: query`` parameter per
  property (``style: form``, ``explode: true``: what ``application/x-www-form-urlencoded`` means in a query);
- a response's ``itemSchema`` (a streamed answer: JSON Lines, server-sent events) with no ``schema`` is read
  whole, as an array of those items;
- nested tags (``parent``, ``kind``) are kept as they are.

What a tool cannot use skips its operation with a reason, never the spec: ``additionalOperations`` (custom
methods), a querystring parameter of any other shape, a streamed request body.
"""

from __future__ import annotations

from typing import Any

from generator.spec.refs import escape

METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace", "query")
FORM = "application/x-www-form-urlencoded"


def lower(document: dict[str, Any]) -> list[tuple[str, str]]:
    """Lower a 3.2 document to 3.1 in place; one ``(where, why)`` per operation skipped."""
    skipped: list[tuple[str, str]] = []
    paths = document.get("paths")
    for path, item in paths.items() if isinstance(paths, dict) else ():
        if not isinstance(item, dict):
            continue
        custom = item.pop("additionalOperations", None)
        for method in custom if isinstance(custom, dict) else ():
            skipped.append(
                (f"{str(method).upper()} {path}", "skipped: OpenAPI 3.2 additionalOperations: not supported")
            )
        shared = _expanded(document, item.get("parameters"))
        for method in METHODS:
            operation = item.get(method)
            if not isinstance(operation, dict):
                continue
            why = shared if isinstance(shared, str) else _lower_operation(document, operation)
            if why:
                del item[method]
                skipped.append((f"{method.upper()} {path}", f"skipped: {why}"))
        if isinstance(shared, list):
            item["parameters"] = shared
    components = document.get("components")
    responses = components.get("responses") if isinstance(components, dict) else None
    for response in responses.values() if isinstance(responses, dict) else ():
        _read_items_whole(response)
    return skipped


def inline_path_items(document: dict[str, Any]) -> list[tuple[str, str]]:
    """Replace each path item's local ``$ref`` by what it points at (3.1's ``components.pathItems``), in place.

    A path item that is only a ``$ref`` names no operation until resolved; one that cannot be is reported.
    """
    problems: list[tuple[str, str]] = []
    paths = document.get("paths")
    if not isinstance(paths, dict):
        return problems
    for path, item in paths.items():
        ref = item.get("$ref") if isinstance(item, dict) else None
        if not isinstance(ref, str):
            continue
        target = _local(document, item)
        if target is item or not isinstance(target, dict) or "$ref" in target:
            problems.append((f"#/paths/{escape(str(path))}", f"path item $ref {ref!r} does not resolve to a path item"))
            continue
        paths[path] = {**target, **{k: v for k, v in item.items() if k != "$ref"}}
    return problems


def _lower_operation(document: dict[str, Any], operation: dict[str, Any]) -> str | None:
    """Lower one operation; the reason it cannot be a tool, if any."""
    parameters = _expanded(document, operation.get("parameters"))
    if isinstance(parameters, str):
        return parameters
    if parameters is not None:
        operation["parameters"] = parameters
    body = _local(document, operation.get("requestBody"))
    content = body.get("content") if isinstance(body, dict) else None
    for media in content.values() if isinstance(content, dict) else ():
        if isinstance(media, dict) and {"itemSchema", "itemEncoding", "prefixEncoding"} & set(media):
            return "a streamed request body (OpenAPI 3.2 itemSchema) is not supported"
    responses = operation.get("responses")
    for response in responses.values() if isinstance(responses, dict) else ():
        _read_items_whole(response)
    return None


def _expanded(document: dict[str, Any], parameters: Any) -> list[Any] | str | None:
    """The parameters with each ``in: querystring`` one expanded; a reason when one cannot be; None: unchanged."""
    if not isinstance(parameters, list):
        return None
    out: list[Any] = []
    changed = False
    for raw in parameters:
        param = _local(document, raw)
        if not isinstance(param, dict) or param.get("in") != "querystring":
            out.append(raw)
            continue
        fields = _form_fields(document, param)
        if fields is None:
            return f"querystring parameter {param.get('name')!r} is not a form-encoded object"
        out += fields
        changed = True
    return out if changed else None


def _form_fields(document: dict[str, Any], param: dict[str, Any]) -> list[dict[str, Any]] | None:
    content = param.get("content")
    media = content.get(FORM) if isinstance(content, dict) and len(content) == 1 else None
    schema = _local(document, media.get("schema")) if isinstance(media, dict) else None
    properties = schema.get("properties") if isinstance(schema, dict) else None
    if not isinstance(properties, dict) or not properties:
        return None
    required = schema.get("required") if isinstance(schema, dict) else None
    needed = set(required) if isinstance(required, list) else set()
    return [
        {"name": name, "in": "query", "required": name in needed, "schema": value, "style": "form", "explode": True}
        for name, value in properties.items()
    ]


def _read_items_whole(response: Any) -> None:
    """A streamed answer's ``itemSchema`` as the schema of the whole answer: an array of its items."""
    content = response.get("content") if isinstance(response, dict) else None
    for media in content.values() if isinstance(content, dict) else ():
        if isinstance(media, dict) and "itemSchema" in media and "schema" not in media:
            media["schema"] = {"type": "array", "items": media["itemSchema"]}


def _local(document: dict[str, Any], node: Any) -> Any:
    """``node``, or what its local ``$ref`` points at (one step; anything else is left to the resolver)."""
    ref = node.get("$ref") if isinstance(node, dict) else None
    if not isinstance(ref, str) or not ref.startswith("#/"):
        return node
    target: Any = document
    for part in ref[2:].split("/"):
        key = part.replace("~1", "/").replace("~0", "~")
        target = target.get(key) if isinstance(target, dict) else None
    return target if target is not None else node
