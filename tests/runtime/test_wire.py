"""Layer 1, wire: credentials and request building, no network."""

from __future__ import annotations

from pathlib import Path

import httpx2
import pytest

from generator.runtime.contract import AuthSpec, Operation, ParamSpec
from generator.runtime.failures import BadArgument, MissingCredentials
from generator.runtime.wire import credentials
from generator.runtime.wire.request import build
from generator.runtime.wire.uploads import Folder


def test_first_complete_required_scheme_wins_and_optional_ones_add() -> None:
    schemes = (
        AuthSpec("basic", ("K", "S")),
        AuthSpec("bearer", ("T",)),
        AuthSpec("header", ("W",), header="X-Workspace", optional=True),
    )
    creds = credentials.resolve(schemes, {"T": "tok", "W": "ws"})
    assert creds.headers == {"Authorization": "Bearer tok", "X-Workspace": "ws"}
    assert creds.secrets == ("tok",)
    with pytest.raises(MissingCredentials, match="K \\+ S or T"):
        credentials.resolve(schemes, {})


def test_arguments_go_where_the_operation_says(tmp_path: Path) -> None:
    op = Operation(
        "x",
        "POST",
        "/a/{id}",
        params=(
            ParamSpec("id", "id", "path"),
            ParamSpec("q", "Q", "query"),
            ParamSpec("trace", "X-Trace", "header"),
            ParamSpec("name", "name", "body"),
        ),
        body="json",
    )
    request = build(op, "https://h.test/", {"id": "a/b", "q": [1, 2], "trace": "t", "name": "n"}, {}, Folder(tmp_path))
    assert request.url == "https://h.test/a/a%2Fb"
    assert request.query == ["Q=1", "Q=2"] and request.headers == {"X-Trace": "t"}
    assert request.json == {"name": "n"}


def test_missing_path_argument_and_header_line_breaks_are_refused(tmp_path: Path) -> None:
    op = Operation("x", "GET", "/a/{id}", params=(ParamSpec("id", "id", "path"), ParamSpec("h", "H", "header")))
    with pytest.raises(BadArgument, match="'id' is required"):
        build(op, "https://h.test", {}, {}, Folder(tmp_path))
    with pytest.raises(BadArgument, match="line break"):
        build(op, "https://h.test", {"id": "1", "h": "a\r\nb"}, {}, Folder(tmp_path))


def test_what_the_corpus_sweep_found_is_sent_by_the_rules(tmp_path: Path) -> None:
    # AWS path keys: ``#…`` is never sent (the query it hid was lost), a key's own query is joined with ``&``.
    fragment = Operation("t", "GET", "/#Action=ListGroups", params=(ParamSpec("g", "GroupName", "query"),))
    assert (
        build(fragment, "https://h.test/", {"g": "a"}, {}, Folder(tmp_path)).target() == "https://h.test/?GroupName=a"
    )
    keyed = Operation("t", "GET", "/?Action=ListGroups", params=(ParamSpec("g", "GroupName", "query"),))
    sent = build(keyed, "https://h.test/", {"g": "a"}, {}, Folder(tmp_path)).target()
    assert sent == "https://h.test/?Action=ListGroups&GroupName=a"
    # a multipart operation called without a file still sends multipart, not a urlencoded form
    upload = Operation("t", "POST", "/batch", params=(ParamSpec("n", "name", "body"),), body="multipart")
    request = build(upload, "https://h.test/", {"n": "x"}, {}, Folder(tmp_path))
    built = httpx2.Client().build_request("POST", request.target(), files=request.files, data=request.data)
    assert built.headers["content-type"].startswith("multipart/form-data")
    assert b'name="name"\r\n\r\nx' in built.read()
    # a header argument beyond ASCII is a tool error naming it, not a crash inside the tool
    header = Operation("t", "GET", "/x", params=(ParamSpec("h", "X-Name", "header"),))
    with pytest.raises(BadArgument, match="'h' contains characters beyond ASCII"):
        build(header, "https://h.test/", {"h": "Zoë"}, {}, Folder(tmp_path))
