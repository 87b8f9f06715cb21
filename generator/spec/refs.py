"""``$ref`` resolution inside one document: names with spaces, escaped pointers, cycles; no network refs."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator
from typing import Any
from urllib.parse import unquote

from generator.errors import FatalError


class RefError(FatalError):
    """A ``$ref`` that points outside the document, nowhere, or around in a circle."""


class Resolver:
    """Follows local JSON pointers (``#/components/...``) in a normalized document."""

    def __init__(self, document: dict[str, Any]) -> None:
        self.document = document
        # Facts later stages derive from this document alone, by their own keys; they live as long as it does.
        self.memo: dict[Hashable, Any] = {}

    def lookup(self, ref: str, where: str) -> Any:
        """Return the node a ``$ref`` points at."""
        if not isinstance(ref, str) or not ref.startswith("#/"):
            raise RefError(where, f"$ref {ref!r} is not a local reference (#/...); external refs are not fetched")
        node: Any = self.document
        for raw in ref[2:].split("/"):
            part = unquote(raw).replace("~1", "/").replace("~0", "~")
            if isinstance(node, dict) and part in node:
                node = node[part]
            elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
                node = node[int(part)]
            else:
                raise RefError(where, f"$ref {ref!r} does not resolve")
        return node

    def deref(self, node: Any, where: str) -> Any:
        """Follow a chain of ``$ref`` objects (parameters, bodies, responses) to the real node."""
        seen: list[str] = []
        while isinstance(node, dict) and "$ref" in node:
            ref = node["$ref"]
            if ref in seen:
                raise RefError(where, f"$ref cycle: {' -> '.join([*seen, ref])}")
            seen.append(ref)
            node = self.lookup(ref, where)
        return node


def schema_name(ref: str) -> str:
    """The component name a schema ``$ref`` ends with, unescaped (``Generic Property``)."""
    return unquote(ref.rsplit("/", 1)[-1]).replace("~1", "/").replace("~0", "~")


def dangling(document: dict[str, Any], refs: set[str] | None = None) -> list[tuple[str, str]]:
    """Every local ``$ref`` in the document that resolves nowhere, as ``(JSON pointer of the $ref, target)``.

    Walked without recursion, in document order; a ``$ref`` that is not local is reported where it is used.
    Each distinct target is looked up once; only when one fails is the walk repeated to name the places.
    ``refs``: the distinct local targets, when the caller has them already (``normalize.Survey``).
    """
    resolver = Resolver(document)
    broken: set[str] = set()
    for ref in _local_refs(document) if refs is None else refs:
        try:
            resolver.lookup(ref, "#")
        except RefError:
            broken.add(ref)
    return _places(document, broken) if broken else []


def _local_refs(document: dict[str, Any]) -> set[str]:
    """The distinct local ``$ref`` targets anywhere in the document."""
    refs: set[str] = set()
    stack: list[Any] = [document]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/"):
                refs.add(ref)
            stack.extend(value for value in node.values() if isinstance(value, (dict, list)))
        else:
            stack.extend(value for value in node if isinstance(value, (dict, list)))
    return refs


def _places(document: dict[str, Any], broken: set[str]) -> list[tuple[str, str]]:
    """Where each ``$ref`` to a broken target sits, in document order."""
    found: list[tuple[str, str]] = []
    for pointer, node in walk(document):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref in broken:
            found.append((f"{pointer}/$ref", ref))
    return found


def walk(document: dict[str, Any], skip: Callable[[str], bool] | None = None) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every object in the document with its JSON pointer, in document order, without recursion.

    A caller may change an object while it holds it (its children are read after); ``skip`` names keys whose
    values are not walked into.
    """
    stack: list[tuple[str, Any]] = [("#", document)]
    while stack:
        pointer, node = stack.pop()
        if isinstance(node, dict):
            yield pointer, node
            items = [(escape(str(key)), value) for key, value in node.items() if not (skip and skip(str(key)))]
        else:
            items = [(str(index), value) for index, value in enumerate(node)]
        stack.extend((f"{pointer}/{key}", value) for key, value in reversed(items) if isinstance(value, dict | list))


def objects(document: dict[str, Any], skip: Callable[[str], bool]) -> Iterator[dict[str, Any]]:
    """Every object :func:`walk` yields, without building pointers and in no particular order."""
    stack: list[Any] = [document]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            yield node
            stack.extend(v for k, v in node.items() if isinstance(v, dict | list) and not skip(str(k)))
        else:
            stack.extend(v for v in node if isinstance(v, dict | list))


def escape(key: str) -> str:
    """One JSON pointer part: ``~`` and ``/`` escaped."""
    return key.replace("~", "~0").replace("/", "~1")
