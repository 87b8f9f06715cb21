"""Structural validation: openapi-pydantic is the gatekeeper, and the operations are listed in document order.

openapi-pydantic checks structure and types and names the first fault with a JSON pointer. No openapi-pydantic
type leaves this module.
"""

from __future__ import annotations

from typing import Any

from generator.errors import FatalError
from generator.spec.refs import escape

METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")
OPERATIONS = (*METHODS, "query")  # OpenAPI 3.2's QUERY, kept when a 3.2 document is read as 3.1 (``v32``)


MAX_ROUNDS = 50  # each round isolates every fault openapi-pydantic reports; faults revealed by a fix come next


def check_structure(document: dict[str, Any]) -> list[tuple[str, str]]:
    """Validate with openapi-pydantic, isolating what fails to the operation or schema it is in.

    An operation with a fault is dropped and a component schema with a fault is loosened to a plain object,
    each returned as ``(where, why)`` for a warning; the document is changed in place. A fault anywhere else
    (``info``, ``servers``, the document's shape) is fatal, one line with its JSON pointer.
    """
    # Imported here: a run that checks in a forked process (``generator.processes``) never loads them in this one.
    from openapi_pydantic.v3.v3_0 import OpenAPI as OpenAPI30
    from openapi_pydantic.v3.v3_1 import OpenAPI as OpenAPI31
    from pydantic import ValidationError

    if not isinstance(document.get("paths"), dict) or not document["paths"]:
        raise FatalError("#/paths", "the spec has no paths, so there is nothing to generate")
    model = OpenAPI31 if str(document.get("openapi", "")).startswith("3.1") else OpenAPI30
    isolated: list[tuple[str, str]] = []
    for _ in range(MAX_ROUNDS):
        try:
            model.model_validate(document)
            return isolated + _check_queries(document)
        except ValidationError as exc:
            isolated += _isolate(document, exc.errors())
        except (ValueError, TypeError) as exc:
            raise FatalError("#", f"not an OpenAPI document: {exc}") from None
    raise FatalError("#", f"still invalid after isolating faults {MAX_ROUNDS} times")


def _isolate(document: dict[str, Any], errors: list[Any]) -> list[tuple[str, str]]:
    """Drop or loosen what each fault sits in; fatal when one sits outside any operation or schema.

    pydantic reports a fault once per union branch it tried; the deepest report is the one that says what is wrong.
    """
    deepest: dict[tuple[Any, ...], tuple[list[Any], str]] = {}
    for error in errors:
        parts = _document_path(document, error["loc"])
        target = _target(document, parts)
        if target is None:
            raise FatalError(_pointer(parts), error["msg"])
        if target not in deepest or len(parts) > len(deepest[target][0]):
            deepest[target] = (parts, error["msg"])
    done = [_apply(document, target, f"{msg} at {_pointer(parts)}") for target, (parts, msg) in deepest.items()]
    if not any(isinstance(item, dict) and set(item) & set(OPERATIONS) for item in document["paths"].values()):
        raise FatalError("#/paths", "every operation was skipped, so there is nothing to generate")
    return [line for lines in done for line in lines]


def _check_queries(document: dict[str, Any]) -> list[tuple[str, str]]:
    """Validate each ``query`` operation (an extra key to openapi-pydantic's 3.1 path item); drop a faulty one."""
    from openapi_pydantic.v3.v3_1 import Operation
    from pydantic import ValidationError

    dropped = []
    for path, item in document["paths"].items():
        if not isinstance(item, dict) or "query" not in item:
            continue
        try:
            Operation.model_validate(item["query"])
        except ValidationError as exc:
            first = exc.errors()[0]
            where = _pointer(["paths", path, "query", *_document_path(item["query"], first["loc"])])
            del item["query"]
            dropped.append((f"QUERY {path}", f"skipped: {first['msg']} at {where}"))
    return dropped


def _target(document: dict[str, Any], parts: list[Any]) -> tuple[Any, ...] | None:
    """What a fault at ``parts`` takes down: an operation, a path item, a component schema, or (None) the spec."""
    if len(parts) >= 3 and parts[0] == "paths" and parts[2] in METHODS:
        return ("operation", parts[1], parts[2])
    if len(parts) >= 2 and parts[0] == "paths":
        return ("path", parts[1])
    if len(parts) >= 3 and parts[:2] == ["components", "schemas"]:
        return ("schema", parts[2])
    return None


def _apply(document: dict[str, Any], target: tuple[Any, ...], reason: str) -> list[tuple[str, str]]:
    """Drop the operation or path item, or loosen the schema; what was done, as warnings."""
    paths = document["paths"]
    if target[0] == "operation":
        del paths[target[1]][target[2]]
        return [(f"{str(target[2]).upper()} {target[1]}", f"skipped: {reason}")]
    if target[0] == "path":
        item = paths.pop(target[1])  # a fault in the path item itself (its shared parameters): all its operations
        return [(f"{m.upper()} {target[1]}", f"skipped: {reason}") for m in OPERATIONS if m in item]
    document["components"]["schemas"][target[1]] = dict(LOOSE)
    _loosen_refs_into(document, f"#/components/schemas/{escape(str(target[1]))}/")
    return [(f"#/components/schemas/{escape(str(target[1]))}", f"loosened to any object: {reason}")]


def _loosen_refs_into(document: Any, prefix: str) -> None:
    """A ``$ref`` into a loosened schema's inside (``.../Connection/properties/id``) now means any value."""
    stack = [document]
    while stack:
        node = stack.pop()
        items = node.values() if isinstance(node, dict) else node if isinstance(node, list) else ()
        for value in items:
            if isinstance(value, dict) and str(value.get("$ref", "")).startswith(prefix):
                value.pop("$ref")
            elif isinstance(value, dict | list):
                stack.append(value)


def _pointer(parts: list[Any]) -> str:
    return "#/" + "/".join(escape(str(part)) for part in parts)


LOOSE: dict[str, Any] = {"type": "object"}


def _document_path(document: Any, loc: tuple[Any, ...] | list[Any]) -> list[Any]:
    """The parts of a pydantic error location that are keys in the document (union branch names are not)."""
    node, parts = document, []
    for part in loc:
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
        else:
            continue
        parts.append(part)
    return parts


def iter_operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any], dict[str, Any]]]:
    """Every ``(method, path, operation, path item)`` in document order."""
    found = []
    paths = document.get("paths")
    for path, item in paths.items() if isinstance(paths, dict) else ():
        if not isinstance(item, dict):
            continue
        for method in OPERATIONS:
            operation = item.get(method)
            if isinstance(operation, dict):
                found.append((method.upper(), path, operation, item))
    return found
