"""``describe_tool`` is the full story, in the dynamic and the code toolsets alike, driven by a real MCP client.

Every description uncut (the listing keeps short ones), the answer's shape as deep as the spec goes (nullable,
formats, allowed values and units where the spec states them), the shape a ``wait=true`` call answers, and in code
mode the Python signature. Each is checked against a known truth: the spec's own text, or a real answer.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import anyio
import gumloop_mcp.server
import pytest
from gumloop_mcp.runtime.settings import Settings as GumloopSettings
from gumloop_mcp.vendor import VENDOR as GUMLOOP
from mcp import Client

from tests.code_kit import calls_page, code_settings, flat_rows, session, value
from tests.gong_kit import LIST_CALLS
from tests.upstream import Reply, Upstream, sequence

ROOT = Path(__file__).resolve().parents[1]
EXTENSIVE, TRANSCRIPT = "create_a_gong_calls_extensive", "create_a_gong_calls_transcript"
FLOW_RUN, RUN_STATUS = "create_a_gumloop_flow_run", "list_all_gumloop_get_pl_runs"


def _spec_text(path: str, name: str) -> str:
    """The spec's own description of ``GET path``'s query parameter ``name``: the known truth."""
    spec = json.loads((ROOT / "openapi" / "gong.json").read_text(encoding="utf-8"))
    [param] = [p for p in spec["paths"][path]["get"]["parameters"] if p["name"] == name]
    return " ".join(str(param["description"]).split())


def _gong(toolset: str, *names: str, url: str = "http://127.0.0.1:9", tmp: Path | None = None) -> list[Any]:
    """``tools/list`` and then ``describe_tool`` of each name, on a Gong server in ``toolset``."""
    settings = code_settings(url, tmp or Path("/nonexistent"), GONG_TOOLSET=toolset)

    async def body(client: Client) -> list[Any]:
        listed = await client.list_tools()
        return [listed, *[await client.call_tool("describe_tool", {"name": name}) for name in names]]

    found: list[Any] = session(settings, body)
    return found


def test_describe_gives_the_description_the_listing_cut(tmp_path: Path) -> None:
    for toolset in ("dynamic", "code"):
        _, described = _gong(toolset, LIST_CALLS)
        schema = value(described)["input_schema"]["properties"]
        truth = _spec_text("/v2/calls", "fromDateTime")
        assert "on or after the specified date and time" in truth
        assert schema["fromDateTime"]["description"] == truth
        assert "up to but excluding" in schema["toDateTime"]["description"]
    [full] = _gong("full")
    listed = {tool.name: tool for tool in full.tools}[LIST_CALLS].input_schema["properties"]
    assert listed["fromDateTime"]["description"].endswith("…")  # the listing's diet stays


def test_the_answer_shape_goes_as_deep_as_the_spec_with_formats_and_units() -> None:
    _, extensive, transcript = _gong("dynamic", EXTENSIVE, TRANSCRIPT)
    rows = flat_rows(value(extensive)["returns"])
    talk = rows["calls[].interaction.speakers[].talkTime"]
    assert talk.startswith("float (double), unit seconds: ") and talk.endswith("Talk duration in seconds")
    assert rows["calls[].metaData.direction"].startswith("str, one of Inbound, Outbound, Conference, Unknown")
    assert "calls[].parties[].userId" in rows and value(extensive)["returns_type"] == "dict"
    # Gong's spec lists no required answer field, and Gong answers null for an external party's userId
    assert "any field may be missing or null" in value(extensive)["returns_note"]
    sentences = flat_rows(value(transcript)["returns"])
    start = sentences["callTranscripts[].transcript[].sentences[].start"]
    assert start.startswith("int (int64), unit milliseconds: The starting time of the sentence")


def test_code_mode_describes_a_signature_and_answer_the_code_can_follow(tmp_path: Path) -> None:
    with Upstream() as up:
        up.route("GET", "/v2/calls", calls_page)
        _, described = _gong("code", LIST_CALLS, url=up.url, tmp=tmp_path)
        data = value(described)
        assert data["python"].startswith(f"gong.{LIST_CALLS}(*, fromDateTime: str, toDateTime: str, ")
        assert data["python"].endswith(") -> dict")
        assert flat_rows(data["returns"])["calls[].duration"].startswith("int (int64), unit seconds")
        # Follow the described shape: the durations it names are the upstream's own
        code = (
            f"page = await gong.{LIST_CALLS}(fromDateTime='2024-01-01T00:00:00Z', toDateTime='2024-02-01T00:00:00Z')\n"
            "[c['duration'] for c in page['calls']][:3]"
        )

        async def body(client: Client) -> Any:
            return await client.call_tool("run_code", {"code": code})

        ran = session(code_settings(up.url, tmp_path), body)
        assert value(ran)["result"] == [60, 97, 134]


def test_the_code_instructions_say_an_allowed_module_needs_an_import() -> None:
    [listed] = _gong("code")
    run_code = {tool.name: tool for tool in listed.tools}["run_code"]
    assert "Nothing is imported for you: write `import json`" in (run_code.description or "")


@pytest.fixture
def flows() -> Iterator[Upstream]:
    with Upstream() as up:
        up.route("GET", "/get_inputs", Reply(200, {"inputs": []}))
        up.route("POST", "/start_pipeline", Reply(200, {"run_id": "run-1", "saved_item_id": "flow-1", "url": "u"}))
        ended = {"state": "DONE", "outputs": {"answer": "42"}, "log": ["ok"], "created_ts": "2024-01-01T00:00:00Z"}
        up.route("GET", "/get_pl_run", sequence(Reply(200, {"state": "RUNNING"}), Reply(200, ended)))
        yield up


def _leaves(value: Any, at: str = "") -> Iterator[str]:
    """The path of every value in an answer, as the rows name them (``a.b``, ``a[].c``)."""
    if isinstance(value, dict) and value:
        for key, inner in value.items():
            yield from _leaves(inner, f"{at}.{key}" if at else key)
    elif isinstance(value, list) and value:
        for item in value:
            yield from _leaves(item, f"{at}[]")
    else:
        yield at


def _described(path: str, rows: dict[str, str]) -> bool:
    """A path has a row, or sits under a free-form ``dict`` or ``list`` row (its keys are the vendor's own)."""
    while path:
        if path in rows:
            return True
        path = path.rsplit(".", 1)[0] if "." in path else ""
        if path in rows and rows[path].startswith(("dict", "list[str]")):
            return True
    return False


def test_describe_shows_what_a_flow_run_answers_with_wait_and_it_is_what_comes(flows: Upstream, tmp_path: Path) -> None:
    env = {"GUMLOOP_BASE_URL": flows.url, "GUMLOOP_API_KEY": "key", "GUMLOOP_USER_ID": "u1"}
    env |= {"GUMLOOP_TOOLSET": "code", "GUMLOOP_JOB_POLL_INTERVAL": "0.01", "GUMLOOP_MAX_RPS": "0"}
    settings = GumloopSettings.from_env(GUMLOOP, env)

    async def go() -> tuple[Any, Any, Any]:
        async with Client(gumloop_mcp.server.create_server(settings)) as client:
            described = await client.call_tool("describe_tool", {"name": FLOW_RUN})
            file = await client.call_tool("describe_tool", {"name": "create_a_gumloop_download_file"})
            code = f"await gumloop.{FLOW_RUN}(saved_item_id='flow-1', wait=True)"
            return described, file, await client.call_tool("run_code", {"code": code})

    described, file, ran = anyio.run(go)
    data = value(described)
    assert flat_rows(data["returns"])["run_id"] == "str" and set(data["returns_when"]) == {
        "wait=true, ended",
        "wait=true, still running at timeout_s",
    }
    rows = flat_rows(data["returns_when"]["wait=true, ended"])
    assert rows["result.state"].startswith("str, one of RUNNING, DONE")
    answer = value(ran)
    assert answer["finished"] is True and answer["result"]["outputs"] == {"answer": "42"}
    missing = [path for path in _leaves(answer) if not _described(path, rows)]
    assert missing == []
    # A file answer has no schema in the spec; what the server answers instead is described
    saved = value(file)
    assert saved["python"].endswith(") -> Any") and "saved_to" in flat_rows(
        saved["returns_when"]["the answer is a file"]
    )
