"""Form and multipart bodies by the spec's ``encoding``; credentials by each operation's alternatives."""

from __future__ import annotations

from pathlib import Path

import httpx2
import pytest

from generator.runtime.contract import AuthSpec, Fixed, Operation, ParamSpec
from generator.runtime.failures import BadArgument, MissingCredentials
from generator.runtime.wire import credentials
from generator.runtime.wire.request import Request, build
from generator.runtime.wire.uploads import Folder

BASE = "https://h.test"


def _sent(request: Request) -> httpx2.Request:
    """The request as httpx builds it (the multipart body rendered)."""
    sent = httpx2.Request(
        request.method, request.target(), headers=request.headers, data=request.data, files=request.files,
        content=request.content, json=request.json,
    )  # fmt: skip
    sent.read()
    return sent


def test_multipart_parts_take_the_encoding_types_and_headers(tmp_path: Path) -> None:
    params = (
        ParamSpec("doc", "doc", "body", media_type="application/xml", part_headers=(("X-Rate", "fast"),)),
        ParamSpec("meta", "meta", "body"),
        ParamSpec("tags", "tags", "body", style="form", explode=False),
        ParamSpec("n", "n", "body"),
    )
    op = Operation("t", "POST", "/up", params=params, body="multipart")
    args = {"doc": "<a/>", "meta": {"k": [1]}, "tags": ["x", "y"], "n": 3}
    body = _sent(build(op, BASE, args, {}, Folder(tmp_path))).content.decode()
    assert 'name="doc"\r\nX-Rate: fast\r\nContent-Type: application/xml\r\n\r\n<a/>\r\n' in body
    assert 'name="meta"\r\nContent-Type: application/json\r\n\r\n{"k":[1]}\r\n' in body
    assert 'name="tags"\r\n\r\nx,y\r\n' in body and 'name="n"\r\n\r\n3\r\n' in body


def test_form_fields_by_style_by_default_and_null(tmp_path: Path) -> None:
    """Stated styles as stated; unstated: lists repeat, objects are JSON text; a required nullable null is empty."""
    params = (
        ParamSpec("ids", "ids", "body", style="pipeDelimited", explode=False),
        ParamSpec("url", "url", "body", reserved=True),
        ParamSpec("tags", "tags", "body"),
        ParamSpec("meta", "meta", "body"),
        ParamSpec("gone", "gone", "body", nullable=True),
        ParamSpec("skip", "skip", "body"),
    )
    op = Operation("t", "POST", "/f", params=params, body="form")
    args = {"ids": [1, 2], "url": "https://x/y", "tags": ["a", "b"], "meta": {"k": "v"}, "gone": None, "skip": None}
    request = build(op, BASE, args, {}, Folder(tmp_path))
    assert request.content == (b"ids=1|2&url=https://x/y&tags=a&tags=b&meta=%7B%22k%22%3A%22v%22%7D&gone=")
    assert request.headers["Content-Type"] == "application/x-www-form-urlencoded"


def test_server_filled_values_and_a_null_query_value(tmp_path: Path) -> None:
    """A credential parameter takes the token; a constant its setting, else the spec's value. A required query
    value given null has no text (a style reads null as undefined, an empty value as absent): refused by name."""
    fixed = (
        Fixed("header", "token", credential=True),
        Fixed("header", "V", "2022", "ACME_V"),
        Fixed("query", "k", "1"),
    )
    op = Operation("t", "GET", "/g", params=(ParamSpec("q", "q", "query", nullable=True),), fixed=fixed)
    request = build(op, BASE, {"q": "x"}, {"ACME_V": "2025"}, Folder(tmp_path), token="tok")
    assert request.headers == {"token": "tok", "V": "2025"} and request.target() == f"{BASE}/g?q=x&k=1"
    with pytest.raises(BadArgument, match=r"^argument 'q' is null, but a required query parameter needs a value$"):
        build(op, BASE, {"q": None}, {}, Folder(tmp_path))


def test_a_specs_basic_takes_an_empty_password_and_cookies_carry_api_keys() -> None:
    """A spec's basic scheme (Stripe: the key is the user name) needs no password; a config's needs both."""
    basic = AuthSpec("basic", ("U", "P"), name="b", empty_password=True)
    schemes = (basic, AuthSpec("cookie", ("K",), "sid", name="c"))
    assert credentials.resolve(schemes, {"U": "sk_1"}).headers == {"Authorization": "Basic c2tfMTo="}
    assert not credentials.usable(AuthSpec("basic", ("U", "P")), {"U": "sk_1"})
    creds = credentials.resolve(schemes, {"K": "s e"}, (("c",),))
    request = Request("GET", BASE, headers={"Cookie": "a=1"})
    credentials.attach(request, creds)
    assert request.headers["Cookie"] == "a=1; sid=s%20e" and creds.token == "s e"


def test_each_operation_takes_only_its_own_alternatives() -> None:
    schemes = (AuthSpec("basic", ("U", "P"), name="b", empty_password=True), AuthSpec("bearer", ("T",), name="t"))
    with pytest.raises(MissingCredentials, match=r"set T$"):
        credentials.resolve(schemes, {"U": "u"}, (("t",),))
    assert credentials.resolve(schemes, {}, (("t",), ())).headers == {}  # anonymous is one alternative
    assert credentials.resolve(schemes, {"T": "x"}, (("t",), ())).headers == {"Authorization": "Bearer x"}
    assert credentials.resolve(schemes, {"T": "x"}, (("b",), ("t",))).headers == {"Authorization": "Bearer x"}
