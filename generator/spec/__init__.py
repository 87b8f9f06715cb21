"""The spec stage: bytes → a bounded, normalized, structurally checked OpenAPI document.

``load`` reads a path or URL and checks the pin, ``normalize`` repairs what real specs get wrong, ``refs``
resolves ``$ref`` pointers, ``structure`` validates with openapi-pydantic and lists the operations.
"""
