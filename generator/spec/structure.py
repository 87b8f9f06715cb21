"""Structural validation: openapi-pydantic is the gatekeeper, and the operations are listed in document order.

openapi-pydantic checks structure and types and names the first fault with a JSON pointer. No openapi-pydantic
type leaves this module.
"""

from __future__ import annotations

from typing import Any

from openapi_pydantic.v3.v3_0 import OpenAPI as OpenAPI30
from openapi_pydantic.v3.v3_1 import OpenAPI as OpenAPI31
from pydantic import ValidationError

from generator.errors import FatalError

METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")


def check_structure(document: dict[str, Any]) -> None:
    """Validate with openapi-pydantic; the first fault is reported as a JSON pointer."""
    if not isinstance(document.get("paths"), dict) or not document["paths"]:
        raise FatalError("#/paths", "the spec has no paths, so there is nothing to generate")
    model = OpenAPI31 if str(document.get("openapi", "")).startswith("3.1") else OpenAPI30
    try:
        model.model_validate(document)
    except ValidationError as exc:
        error = exc.errors()[0]
        pointer = "#/" + "/".join(str(p).replace("~", "~0").replace("/", "~1") for p in error["loc"] if p)
        raise FatalError(pointer, error["msg"]) from None
    except (ValueError, TypeError) as exc:
        raise FatalError("#", f"not an OpenAPI document: {exc}") from None


def iter_operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any], dict[str, Any]]]:
    """Every ``(method, path, operation, path item)`` in document order."""
    found = []
    for path, item in document["paths"].items():
        if not isinstance(item, dict):
            continue
        for method in METHODS:
            operation = item.get(method)
            if isinstance(operation, dict):
                found.append((method.upper(), path, operation, item))
    return found
