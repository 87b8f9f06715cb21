"""OpenAPI parameter serialization: ``style``, ``explode`` and ``allowReserved``, as the specification defines them.

Path values take ``simple``, ``label`` or ``matrix``; query values (and form bodies) ``form``, ``spaceDelimited``,
``pipeDelimited`` or ``deepObject``; headers ``simple``; cookies ``form``. Each value part is percent-encoded
on its own and the style's delimiters are written as they are, so a comma inside a value never reads as a
delimiter. Nested objects and arrays in ``deepObject`` follow the vendors' form (``a[b][c]=1``, ``a[0]=x``);
anywhere else a nested value is JSON text. ``None`` is the empty value (Stripe reads ``metadata[k]=`` as unset),
except as a list's item: RFC 6570 reads a null as undefined, so a null item is left out (``[a, None]`` is ``a``).

Label and matrix follow RFC 6570 (sections 3.2.5, 3.2.7), which the specification cites: unexploded lists are
comma-separated (``.blue,black,brown``), as OpenAPI 3.1.1's corrected table shows.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

Encode = Callable[[str], str]
Pairs = list[tuple[str, str]]

DEFAULT_STYLE = {"path": "simple", "query": "form", "header": "simple", "cookie": "form", "body": "form"}
DELIMITERS = {"spaceDelimited": "%20", "pipeDelimited": "|"}
# allowReserved keeps RFC 3986 reserved characters as they are, except those that would end or split a pair.
RESERVED_KEPT = ":/?[]@!$'()*,;"


def atom(value: Any) -> str:
    """One primitive as text: ``true``/``false``, numbers as written, ``None`` empty, anything nested as JSON."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict | list):
        return json.dumps(value, separators=(",", ":"), ensure_ascii=False)
    return str(value)


def default_explode(style: str) -> bool:
    """The specification's default: ``explode`` is true for ``form`` (and ``deepObject``), false otherwise."""
    return style in ("form", "deepObject")


def encoder(allow_reserved: bool = False) -> Encode:
    """Percent-encoding for one value part: everything but unreserved characters (and, if allowed, reserved)."""
    safe = RESERVED_KEPT if allow_reserved else ""
    return lambda text: quote(text, safe=safe)


def _key(text: str) -> str:
    return quote(text, safe="[]")


def _items(value: dict[str, Any], explode: bool, enc: Encode) -> list[str]:
    """An object's members: ``k=v`` each when exploded, else ``k``, ``v`` in turn."""
    if explode:
        return [f"{enc(str(k))}={enc(atom(v))}" for k, v in value.items()]
    return [part for k, v in value.items() for part in (enc(str(k)), enc(atom(v)))]


def _empty(value: Any) -> bool:
    return value is None or value in ("", [], {})


def _defined(value: Any) -> Any:
    """A list without its null items (undefined in RFC 6570: they have no text); anything else as it is."""
    return [v for v in value if v is not None] if isinstance(value, list) else value


def path_value(style: str, explode: bool, name: str, value: Any) -> str:
    """A path parameter's text in place of ``{name}``: ``simple`` (``a,b``), ``label`` (``.a``) or ``matrix``."""
    enc = encoder()
    value = _defined(value)
    if style == "label":
        return "." + _joined(value, explode, ".", enc)
    if style == "matrix":
        return _matrix(name, value, explode, enc)
    return _joined(value, explode, ",", enc)


def _joined(value: Any, explode: bool, exploded_sep: str, enc: Encode) -> str:
    """A list or object as ``simple`` or ``label`` joins it: commas, or ``exploded_sep`` when exploded."""
    sep = exploded_sep if explode else ","
    if isinstance(value, list):
        return sep.join(enc(atom(v)) for v in value)
    if isinstance(value, dict):
        return sep.join(_items(value, explode, enc))
    return enc(atom(value))


def _matrix(name: str, value: Any, explode: bool, enc: Encode) -> str:
    key = enc(name)
    if _empty(value):
        return f";{key}"
    if isinstance(value, list):
        return (
            "".join(f";{key}={enc(atom(v))}" for v in value)
            if explode
            else f";{key}=" + _joined(value, False, ",", enc)
        )
    if isinstance(value, dict):
        return (
            "".join(f";{item}" for item in _items(value, True, enc))
            if explode
            else f";{key}=" + ",".join(_items(value, False, enc))
        )
    return f";{key}={enc(atom(value))}"


def query_pairs(style: str, explode: bool, name: str, value: Any, enc: Encode) -> Pairs:
    """``(key, value)`` pairs for a query parameter or a form field, each part encoded with ``enc``.

    ``form``: ``a=x&a=y`` exploded, ``a=x,y`` not; objects ``k=v&…`` exploded, ``a=k,v,…`` not.
    ``spaceDelimited``/``pipeDelimited``: as ``form`` unexploded with their own delimiter (exploded: as ``form``).
    ``deepObject``: ``a[k]=v``, nested ``a[k][j]=v`` and ``a[k][0]=v``; a list at the top is ``a[0]=x``.
    """
    key = _key(name) if enc is not _identity else name
    if style == "deepObject" and isinstance(value, dict | list):
        return _deep(name, value, enc)
    value = _defined(value)
    if isinstance(value, list):
        if explode or not value:
            return [(key, enc(atom(v))) for v in value] or [(key, "")]
        return [(key, DELIMITERS.get(style, ",").join(enc(atom(v)) for v in value))]
    if isinstance(value, dict):
        if explode and style == "form" and value:
            return [(enc(str(k)), enc(atom(v))) for k, v in value.items()]
        return [(key, DELIMITERS.get(style, ",").join(_items(value, False, enc)))]
    return [(key, enc(atom(value)))]


def _deep(name: str, value: Any, enc: Encode) -> Pairs:
    """``name[k]`` for each member, all the way down; an empty object or list is ``name=`` (empty)."""
    key = _key(name) if enc is not _identity else name
    if isinstance(value, dict) and value:
        return [pair for k, v in value.items() for pair in _deep(f"{name}[{k}]", v, enc)]
    if isinstance(value, list) and value:
        return [pair for i, v in enumerate(value) for pair in _deep(f"{name}[{i}]", v, enc)]
    return [(key, "" if _empty(value) else enc(atom(value)))]


def _identity(text: str) -> str:
    return text


def plain_pairs(style: str, explode: bool, name: str, value: Any) -> Pairs:
    """Pairs as ``query_pairs`` makes them, not encoded (multipart text parts carry them as they are)."""
    return query_pairs(style, explode, name, value, _identity)


def query_text(pairs: Pairs) -> list[str]:
    """Encoded pairs as ``k=v`` fragments of a query string."""
    return [f"{k}={v}" for k, v in pairs]


def header_value(explode: bool, value: Any) -> str:
    """A header's text (``simple``): ``a,b``; an object ``k,v,…``, or ``k=v,…`` exploded. Nothing is encoded."""
    return _joined(_defined(value), explode, ",", _identity)


def cookie_pairs(explode: bool, name: str, value: Any) -> Pairs:
    """A cookie's ``name=value`` pairs (``form``): each value part percent-encoded, commas kept as delimiters."""
    return query_pairs("form", explode, name, value, encoder())
