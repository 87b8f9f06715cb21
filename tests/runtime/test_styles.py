"""The specification's own style examples, one test per row: ``color`` as empty, ``blue``, a list and an object.

Rows come from the "Style Examples" table of OpenAPI 3.1 (label/explode=false as 3.1.1 corrects it, after RFC
6570 section 3.2.5: commas, not dots). Each row is built by the real request builder from an ``Operation``, so
the test reads what the wire gets: the path, the query string, the header or the cookie.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx2
import pytest

from generator.runtime.contract import Operation, ParamSpec
from generator.runtime.failures import BadArgument
from generator.runtime.wire.request import Request, build
from generator.runtime.wire.uploads import Folder

EMPTY, STRING, ARRAY, OBJECT = "", "blue", ["blue", "black", "brown"], {"R": 100, "G": 200, "B": 150}
NA = None  # the table's n/a: the style does not define the cell
BASE = "https://h.test"


def _request(location: str, style: str, explode: bool, value: Any, tmp_path: Path) -> Request:
    path = "/c/{color}" if location == "path" else "/c"
    spec = ParamSpec("color", "color", location, style=style, explode=explode)
    return build(Operation("t", "GET", path, params=(spec,)), BASE, {"color": value}, {}, Folder(tmp_path))


def _wire(location: str, style: str, explode: bool, value: Any, tmp_path: Path) -> str:
    """What the wire carries for one cell: the path's last segment, the query, the header or the cookie."""
    request = _request(location, style, explode, value, tmp_path)
    if location == "path":
        return request.url.removeprefix(f"{BASE}/c/")
    if location == "query":
        return request.target().removeprefix(f"{BASE}/c").removeprefix("?")
    return request.headers["color" if location == "header" else "Cookie"]


def _check(location: str, style: str, explode: bool, row: tuple[Any, ...], tmp_path: Path) -> None:
    for value, expected in zip((EMPTY, STRING, ARRAY, OBJECT), row, strict=True):
        if expected is not NA:
            assert _wire(location, style, explode, value, tmp_path) == expected, (style, explode, value)


ROWS = {
    ("matrix", False): (";color", ";color=blue", ";color=blue,black,brown", ";color=R,100,G,200,B,150"),
    ("matrix", True): (";color", ";color=blue", ";color=blue;color=black;color=brown", ";R=100;G=200;B=150"),
    ("label", False): (".", ".blue", ".blue,black,brown", ".R,100,G,200,B,150"),
    ("label", True): (".", ".blue", ".blue.black.brown", ".R=100.G=200.B=150"),
    ("simple", False): (NA, "blue", "blue,black,brown", "R,100,G,200,B,150"),
    ("simple", True): (NA, "blue", "blue,black,brown", "R=100,G=200,B=150"),
    ("form", False): ("color=", "color=blue", "color=blue,black,brown", "color=R,100,G,200,B,150"),
    ("form", True): ("color=", "color=blue", "color=blue&color=black&color=brown", "R=100&G=200&B=150"),
    ("spaceDelimited", False): (NA, NA, "color=blue%20black%20brown", "color=R%20100%20G%20200%20B%20150"),
    ("pipeDelimited", False): (NA, NA, "color=blue|black|brown", "color=R|100|G|200|B|150"),
    ("deepObject", True): (NA, NA, NA, "color[R]=100&color[G]=200&color[B]=150"),
}


@pytest.mark.parametrize("explode", [False, True])
def test_matrix(explode: bool, tmp_path: Path) -> None:
    _check("path", "matrix", explode, ROWS[("matrix", explode)], tmp_path)


@pytest.mark.parametrize("explode", [False, True])
def test_label(explode: bool, tmp_path: Path) -> None:
    _check("path", "label", explode, ROWS[("label", explode)], tmp_path)


@pytest.mark.parametrize("explode", [False, True])
def test_simple_in_the_path_and_in_a_header(explode: bool, tmp_path: Path) -> None:
    _check("path", "simple", explode, ROWS[("simple", explode)], tmp_path)
    _check("header", "simple", explode, ROWS[("simple", explode)], tmp_path)
    with pytest.raises(BadArgument, match="empty"):
        _request("path", "simple", explode, EMPTY, tmp_path)


@pytest.mark.parametrize("explode", [False, True])
def test_form(explode: bool, tmp_path: Path) -> None:
    _check("query", "form", explode, ROWS[("form", explode)], tmp_path)


def test_form_in_a_cookie(tmp_path: Path) -> None:
    """Cookies take ``form``: the table's pairs with ``; `` between them."""
    assert _wire("cookie", "form", False, ARRAY, tmp_path) == "color=blue,black,brown"
    assert _wire("cookie", "form", True, ARRAY, tmp_path) == "color=blue; color=black; color=brown"
    assert _wire("cookie", "form", True, STRING, tmp_path) == "color=blue"


def test_space_delimited(tmp_path: Path) -> None:
    _check("query", "spaceDelimited", False, ROWS[("spaceDelimited", False)], tmp_path)


def test_pipe_delimited(tmp_path: Path) -> None:
    _check("query", "pipeDelimited", False, ROWS[("pipeDelimited", False)], tmp_path)


def test_exploded_delimited_styles_the_table_leaves_undefined_repeat_the_name_as_form_does(tmp_path: Path) -> None:
    for style in ("spaceDelimited", "pipeDelimited"):
        assert _wire("query", style, True, ARRAY, tmp_path) == "color=blue&color=black&color=brown"


def test_deep_object(tmp_path: Path) -> None:
    _check("query", "deepObject", True, ROWS[("deepObject", True)], tmp_path)


def test_deep_object_nests_as_vendors_read_it(tmp_path: Path) -> None:
    """Stripe's ``metadata[order]=42``, ``created[gte]=…``, ``items[0][price]=…``; an empty object unsets (``a=``)."""
    value = {"gte": 1700000000, "items": [{"price": "p_1", "qty": 2}], "tags": ["a", "b"], "none": {}}
    got = _wire("query", "deepObject", True, value, tmp_path)
    expected = (
        "color[gte]=1700000000&color[items][0][price]=p_1&color[items][0][qty]=2&color[tags][0]=a&color[tags][1]=b"
    )
    assert got == expected + "&color[none]="
    assert _wire("query", "deepObject", True, ["x", "y"], tmp_path) == "color[0]=x&color[1]=y"


def test_values_are_encoded_and_delimiters_are_not(tmp_path: Path) -> None:
    """A comma inside a value is ``%2C``; the style's own commas stay; ``allowReserved`` keeps ``/`` and ``:``."""
    assert _wire("query", "form", False, ["a,b", "c d"], tmp_path) == "color=a%2Cb,c%20d"
    spec = ParamSpec("u", "u", "query", reserved=True)
    request = build(Operation("t", "GET", "/c", params=(spec,)), BASE, {"u": "http://x/y?z&w"}, {}, Folder(tmp_path))
    assert request.target() == f"{BASE}/c?u=http://x/y?z%26w"


def test_the_serialized_query_reaches_the_wire_as_written(tmp_path: Path) -> None:
    """httpx sends the target as built: it neither re-encodes the delimiters nor drops the credential pairs."""
    request = _request("query", "pipeDelimited", False, ARRAY, tmp_path)
    request.params.append(("key", "s e"))
    sent = httpx2.Request("GET", request.target())
    assert sent.url.raw_path == b"/c?color=blue|black|brown&key=s%20e"


def test_a_null_item_is_left_out_as_rfc_6570_leaves_out_the_undefined(tmp_path: Path) -> None:
    """A list's null item has no text in any style: never ``None``, ``null`` or an empty item between delimiters."""
    items = [None, "blue", None, "black"]
    assert _wire("query", "form", True, items, tmp_path) == "color=blue&color=black"
    assert _wire("query", "form", False, items, tmp_path) == "color=blue,black"
    assert _wire("query", "pipeDelimited", False, items, tmp_path) == "color=blue|black"
    assert _wire("path", "simple", False, items, tmp_path) == "blue,black"
    assert _wire("path", "matrix", True, items, tmp_path) == ";color=blue;color=black"
    assert _wire("header", "simple", False, items, tmp_path) == "blue,black"
    assert _wire("cookie", "form", True, items, tmp_path) == "color=blue; color=black"
    assert _wire("query", "form", True, [None], tmp_path) == _wire("query", "form", True, [], tmp_path)
