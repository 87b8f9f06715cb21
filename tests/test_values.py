"""Values as the caller gave them, for any spec (issue 32): strings stay strings, open objects keep their keys, a
given null is sent where the schema allows it, and an answer with no body is an empty success.

``tests/specs/values_like.json`` is shaped like the specs they were found on: Slack's ``chat.postMessage`` (JSON
text in a string), Box's search (``mdfilters[].filters``, an open object under ``allOf``) and delete (204), and
GitHub's issue update (``milestone``/``assignee`` cleared by null). It is generated, written and imported; each
call goes to a recording upstream on loopback, and the test asserts the exact body that went out.
"""

from __future__ import annotations

import importlib
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import anyio
import pytest
from mcp import Client

from generator.emit.write import write_package
from generator.model.config import default_config
from generator.pipeline import generate
from tests.upstream import Reply, Seen, Upstream

ROOT = Path(__file__).resolve().parents[1]
NAME = "valueslike"


@pytest.fixture(scope="module")
def server_module(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    """The fixture spec's package, generated, written and imported."""
    out = tmp_path_factory.mktemp("values")
    result = generate(default_config(NAME, str(ROOT / "tests/specs/values_like.json")))
    assert not result.report.errors and result.server is not None, result.report.errors
    write_package(out / f"{NAME}_mcp", result.files)
    sys.path.insert(0, str(out / f"{NAME}_mcp" / "src"))
    try:
        yield importlib.import_module(f"{NAME}_mcp.server")
    finally:
        sys.path.remove(str(out / f"{NAME}_mcp" / "src"))


def _calls(
    module: ModuleType, folder: Path, calls: list[tuple[str, str, dict[str, Any]]], replies: dict[str, Reply]
) -> tuple[list[Any], list[Seen]]:
    """Each ``(METHOD, path, arguments)`` called by its tool; the results and the requests the upstream saw."""

    async def run(url: str) -> list[Any]:
        env = {"BASE_URL": url, "MAX_RETRIES": "0", "UPLOAD_DIR": str(folder), "OUTPUT_DIR": str(folder / "out")}
        vendor = importlib.import_module(f"{NAME}_mcp.vendor").VENDOR
        settings = importlib.import_module(f"{NAME}_mcp.runtime.settings").Settings
        server = module.create_server(settings.from_env(vendor, {f"{NAME.upper()}_{k}": v for k, v in env.items()}))
        names = {(op.method, op.path): name for name, op in server.operations.items()}
        async with Client(server) as client:
            return [await client.call_tool(names[(m, p)], args) for m, p, args in calls]

    with Upstream() as up:
        for path, reply in replies.items():
            method, _, where = path.partition(" ")
            up.route(method, where, reply)
        return anyio.run(run, up.url), up.seen


def test_json_looking_strings_stay_strings(server_module: ModuleType, tmp_path: Path) -> None:
    """Slack's ``blocks`` is JSON text: a string argument is never parsed as JSON, optional or required, nor a
    nullable string (``thread_ts``), nor a string enum whose values read as JSON (``null``, ``true``, ``[1]``)."""
    blocks = '[{"type":"divider"}]'
    calls = [
        ("POST", "/chat.postMessage", {"channel": "C1", "blocks": blocks}),
        ("POST", "/chat.postMessage", {"channel": "[1]", "text": "[1,2,3]", "thread_ts": "null", "mode": "true"}),
        ("PATCH", "/repos/{owner}/{repo}/issues/{issue_number}", {"owner": "o", "repo": "r", "issue_number": 1,
                                                                  "body": "[1, 2, 3]", "title": "{}"}),
    ]  # fmt: skip
    results, seen = _calls(server_module, tmp_path, calls, {})
    assert not any(r.is_error for r in results), [r.content for r in results]
    assert [s.json() for s in seen] == [
        {"channel": "C1", "blocks": blocks},
        {"channel": "[1]", "text": "[1,2,3]", "thread_ts": "null", "mode": "true"},
        {"body": "[1, 2, 3]", "title": "{}"},
    ]


def test_open_objects_keep_their_keys(server_module: ModuleType, tmp_path: Path) -> None:
    """Box's ``mdfilters[].filters`` is an open object (``allOf`` of ``{type: object}``): its keys go out."""
    mdfilters = [{"scope": "enterprise", "templateKey": "contract", "filters": {"category": "NDA", "n": [1, 2]}}]
    results, seen = _calls(server_module, tmp_path, [("POST", "/search", {"mdfilters": mdfilters})], {})
    assert not results[0].is_error, results[0].content
    assert seen[0].json() == {"mdfilters": mdfilters}


def test_a_given_null_is_sent_and_an_argument_not_given_is_not(server_module: ModuleType, tmp_path: Path) -> None:
    """GitHub's issue update: ``milestone: null`` and ``assignee: null`` clear them; ``title`` was not given."""
    path = "/repos/{owner}/{repo}/issues/{issue_number}"
    calls = [
        ("PATCH", path, {"owner": "o", "repo": "r", "issue_number": 7, "milestone": None, "assignee": None}),
        ("PATCH", path, {"owner": "o", "repo": "r", "issue_number": 7, "labels": ["bug"]}),
    ]
    results, seen = _calls(server_module, tmp_path, calls, {})
    assert not any(r.is_error for r in results), [r.content for r in results]
    assert [(s.path, s.json()) for s in seen] == [
        ("/repos/o/r/issues/7", {"milestone": None, "assignee": None}),
        ("/repos/o/r/issues/7", {"labels": ["bug"]}),
    ]


def test_an_answer_with_no_body_is_an_empty_success(server_module: ModuleType, tmp_path: Path) -> None:
    """A 204 (no content type, no body) is the status and no body, never an empty saved file."""
    replies = {"DELETE /files/f1": Reply(204, b"", {"Content-Type": ""})}
    results, seen = _calls(server_module, tmp_path, [("DELETE", "/files/{file_id}", {"file_id": "f1"})], replies)
    assert [s.method for s in seen] == ["DELETE"] and not results[0].is_error
    assert json.loads(results[0].content[0].text) == {"status": 204, "body": None}
    assert results[0].structured_content == {"status": 204, "body": None}
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())
