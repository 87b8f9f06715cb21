"""Locks, drift checks, spec diffs, spec pulls and the regenerate workflow, driven through ``mcpgen`` itself."""

from __future__ import annotations

import functools
import hashlib
import http.server
import json
import re
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import click
import pytest
import yaml

import generator
from generator.cli.main import cli
from generator.model.config import load_config
from generator.surface.diff import SurfaceDiff, compare
from generator.surface.diff_render import as_json, as_markdown, as_text
from generator.surface.drift import diff_specs
from tests.cli import mcpgen

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT / "openapi"
OLD_GONG = ROOT / "tests" / "specs" / "gong-2026-02-05-raw-compact.json"
NEW_GONG = SHARED / "gong.json"
TOOL_FACTS = {"operation_id", "method", "path", "scopes", "conditional_scopes", "annotations", "deprecated", "credits"}
ADDED = (
    "askEntity",
    "generateBrief",
    "listBriefs",
    "getFlowSteps",
    "submitFlowProspectsBulkAssignment",
    "getFlowProspectsBulkAssignment",
)


@pytest.fixture(scope="module")
def gong_diff() -> SurfaceDiff:
    """The Gong spec of 2026-02 against today's, under the Gong config (no pins involved)."""
    return diff_specs(str(OLD_GONG), str(NEW_GONG), load_config(ROOT / "openapi" / "gong.toml"), None)


def test_gong_diff_lists_added_operations_the_rename_and_schema_changes(gong_diff: SurfaceDiff) -> None:
    added = [c for c in gong_diff.changes if c.kind == "tool_added"]
    assert sorted(op for op in ADDED if any(f", {op}," in c.detail for c in added)) == sorted(ADDED)
    assert len(added) == 6 and not any(c.breaking for c in added)
    assert (gong_diff.tools_before, gong_diff.tools_after) == (61, 67)
    assert not [c for c in gong_diff.changes if c.kind in ("tool_removed", "tool_renamed")]
    [rename] = [c for c in gong_diff.changes if c.kind == "operation_renamed"]
    assert "'getFlowsForProspects' → 'getProspectsAssignedFlows'" in rename.detail
    assert "tool name unchanged" in rename.detail and not rename.breaking
    by_tool = {(c.tool, c.detail): c.breaking for c in gong_diff.changes}
    assert by_tool[(rename.tool, "argument 'crmProspectsIds' made optional")] is False
    assert by_tool[(rename.tool, "optional argument 'flowInstanceIds' added (array)")] is False
    assert by_tool[("create_a_gong_task", "argument 'filter.userId' minLength unset → 1")] is True
    assert by_tool[("update_a_gong_task_by_id", "optional argument 'priority' added (string)")] is False
    assert by_tool[("list_all_gong_users", "response field 'users[].conferencingProviders' added (array)")] is False
    assert any(c.kind == "deprecation_changed" for c in gong_diff.changes)
    credits = [c for c in added if "consumes paid credits" in c.detail]
    assert {c.detail.split(", ")[1] for c in credits} == {"askEntity", "generateBrief"}


def test_gong_diff_in_text_json_and_markdown(gong_diff: SurfaceDiff) -> None:
    text = as_text([gong_diff])
    assert "61 → 67 tools: 6 added, 0 removed, 1 renamed" in text
    assert "  breaking:\n    create_a_gong_task: argument 'filter.userId' minLength unset → 1\n" in text
    document = json.loads(as_json([gong_diff]))
    [vendor] = document["diffs"]
    assert vendor["summary"]["added"] == 6 and vendor["summary"]["breaking"] == len(gong_diff.breaking) >= 1
    assert {c["kind"] for c in vendor["changes"]} >= {"tool_added", "operation_renamed", "argument_added"}
    assert all(isinstance(c["breaking"], bool) for c in vendor["changes"])
    markdown = as_markdown([gong_diff])
    assert markdown.startswith("## Tool surface changes\n")
    assert "#### Breaking (" in markdown and "#### Not breaking (" in markdown
    assert "| `create_a_gong_task` | argument 'filter.userId' minLength unset → 1 |" in markdown
    assert all(f", {op}," in markdown for op in ADDED)


def test_diff_command_infers_the_config_and_prints_markdown(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    run = mcpgen(capsys, monkeypatch, "diff", str(OLD_GONG), str(NEW_GONG), "--markdown", "--fail-on-breaking")
    assert run.code == 1, run.err  # one breaking change: a new minLength
    assert "using the config of gong" in run.err
    assert run.out.startswith("## Tool surface changes") and "getProspectsAssignedFlows" in run.out


def test_diff_from_a_lock_uses_that_vendors_config(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    run = mcpgen(capsys, monkeypatch, "diff", "openapi/gong.lock.json", str(OLD_GONG), "--json")
    assert run.code == 0 and "using the config of gong" in run.err
    [diff] = json.loads(run.out)["diffs"]
    removed = {c["tool"] for c in diff["changes"] if c["kind"] == "tool_removed" and c["breaking"]}
    assert len(removed) == 6 and all(
        name.startswith(("create_a_gong_", "list_all_gong_", "get_single_gong_")) for name in removed
    )
    assert not [c for c in diff["changes"] if c["kind"] == "tool_renamed"]


def test_breaking_rules_on_hand_made_surfaces() -> None:
    def tool(**facts: object) -> dict[str, object]:
        base = {
            "operation_id": "getThing",
            "method": "POST",
            "path": "/things",
            "scopes": ["read"],
            "conditional_scopes": [],
            "annotations": {"read_only": True, "destructive": False, "idempotent": True, "open_world": True},
            "deprecated": False,
            "credits": False,
            "input_schema_sha256": "a",
            "arguments": {"n": {"type": "integer", "required": False}, "mode": {"type": "string", "enum": ["a", "b"]}},
        }
        return {**base, **facts}

    old = {"spec": {}, "tools": {"get_thing": tool(), "drop_me": tool(path="/gone", operation_id="dropMe")}}
    new_args = {"n": {"type": "string", "required": True}, "mode": {"type": "string", "enum": ["a", "c"]}}
    changed = tool(
        scopes=["read", "write"],
        annotations={"read_only": False, "destructive": False, "idempotent": True, "open_world": True},
        input_schema_sha256="b",
        arguments=new_args,
    )
    diff = compare(old, {"spec": {}, "tools": {"get_thing": changed}})
    found = {c.detail: c.breaking for c in diff.changes}
    assert found == {
        "tool removed (POST /gone)": True,
        "scope 'write' added": True,
        "annotation read_only_hint True → False": True,
        "argument 'n' made required": True,
        "argument 'n' type integer → string": True,
        "argument 'mode' values ['b'] removed": True,
        "argument 'mode' values ['c'] added": False,
    }
    loosened = compare({"spec": {}, "tools": {"get_thing": changed}}, {"spec": {}, "tools": {"get_thing": tool()}})
    assert {c.detail for c in loosened.changes if c.breaking} == {
        "argument 'n' type string → integer",
        "argument 'mode' values ['c'] removed",
    }


def test_check_fails_on_a_changed_spec_until_the_lock_is_refreshed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    spec_path = tmp_path / "specs" / "gong.json"
    spec_path.parent.mkdir()
    shutil.copyfile(NEW_GONG, spec_path)
    config = temp_config(tmp_path, spec_path)
    out = str(tmp_path / "generated")
    assert mcpgen(capsys, monkeypatch, "check", str(config), "--out", out).code == 1  # no lock yet
    assert mcpgen(capsys, monkeypatch, "lock", str(config)).code == 0
    assert mcpgen(capsys, monkeypatch, "check", str(config), "--out", out).code == 0

    spec = json.loads(spec_path.read_text(encoding="utf-8"))
    del spec["paths"]["/v2/settings/briefs"]
    [avatars] = [p for p in spec["paths"]["/v2/users"]["get"]["parameters"] if p["name"] == "includeAvatars"]
    avatars["required"] = True
    spec_path.write_text(json.dumps(spec), encoding="utf-8")
    pin(config, spec_path)

    run = mcpgen(capsys, monkeypatch, "check", str(config), "--out", out)
    assert run.code == 1
    assert "67 → 66 tools: 0 added, 1 removed" in run.out
    assert "    list_all_gong_settings_briefs: tool removed (GET /v2/settings/briefs)" in run.out
    assert "    list_all_gong_users: argument 'includeAvatars' made required" in run.out
    assert "records another spec sha256" in run.out and "check gong: NOT current (2 breaking)" in run.err
    as_json_run = mcpgen(capsys, monkeypatch, "check", str(config), "--out", out, "--json")
    kinds = {c["kind"] for c in json.loads(as_json_run.out)["diffs"][0]["changes"]}
    assert as_json_run.code == 1 and kinds == {"tool_removed", "argument_required"}

    assert mcpgen(capsys, monkeypatch, "lock", str(config)).code == 0
    assert mcpgen(capsys, monkeypatch, "check", str(config), "--out", out).code == 0


def test_check_reports_a_stale_package_on_disk(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    config, out = locked_and_generated(tmp_path, capsys, monkeypatch)
    assert mcpgen(capsys, monkeypatch, "check", str(config), "--out", str(out)).code == 0
    (out / "gumloop_mcp" / "README.md").write_text("edited by hand\n", encoding="utf-8")
    (out / "gumloop_mcp" / "notes.txt").write_text("stray\n", encoding="utf-8")
    run = mcpgen(capsys, monkeypatch, "check", str(config), "--out", str(out))
    assert run.code == 1
    assert "is stale (2 file(s): README.md differs, notes.txt extra); run `make generate`" in run.out


def test_check_names_the_mcpgen_that_wrote_a_package_when_it_is_another(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    config, out = locked_and_generated(tmp_path, capsys, monkeypatch)
    pyproject = out / "gumloop_mcp" / "pyproject.toml"
    text = pyproject.read_text(encoding="utf-8")
    recorded = f'[tool.mcpgen]\nversion = "{generator.__version__}"\n'
    assert recorded in text and 'MCPGEN_VERSION = "' + generator.__version__ in (
        out / "gumloop_mcp" / "src" / "gumloop_mcp" / "vendor.py"
    ).read_text(encoding="utf-8")
    current = mcpgen(capsys, monkeypatch, "check", str(config), "--out", str(out))
    assert current.code == 0 and "written by" not in current.out
    pyproject.write_text(text.replace(recorded, '[tool.mcpgen]\nversion = "0.0.1"\n'), encoding="utf-8")
    run = mcpgen(capsys, monkeypatch, "check", str(config), "--out", str(out))
    assert run.code == 1
    line = f"{out.as_posix()}/gumloop_mcp was written by mcpgen 0.0.1; this is {generator.__version__}"
    assert run.out.count("was written by") == 1 and line in run.out
    assert "is stale (1 file(s): pyproject.toml differs)" in run.out


def test_committed_locks_are_current_and_hold_no_prose(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    configs = [str(ROOT / "openapi" / f"{vendor}.toml") for vendor in ("gong", "gumloop")]
    run = mcpgen(capsys, monkeypatch, "check", *configs, "--out", str(tmp_path))
    assert run.code == 0, f"locks are stale; review, then run `mcpgen lock --all`:\n{run.out}"
    text = (ROOT / "openapi" / "gong.lock.json").read_text(encoding="utf-8")
    lock = json.loads(text)
    assert lock["spec"]["sha256"] == load_config(ROOT / "openapi" / "gong.toml").spec.sha256
    assert "Gong's unique numeric identifier" not in text  # a description the spec repeats everywhere
    fact_keys = {k for facts in lock["tools"].values() for k in facts}
    assert fact_keys <= {*TOOL_FACTS, "arguments", "input_schema_sha256", "response_schema_sha256"}
    field_keys = {k for facts in lock["tools"].values() for field in facts["arguments"].values() for k in field}
    assert field_keys <= {"type", "format", "enum", "required", "constraints", "additional_properties"}
    assert lock["tools"]["list_all_gong_users"]["arguments"]["includeAvatars"] == {"required": False, "type": "boolean"}


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    """A folder served over HTTP on 127.0.0.1 (the vendor's upstream in these tests), and its base URL."""
    folder = tmp_path / "upstream"
    folder.mkdir()
    handler = functools.partial(QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield folder, f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    """A static file handler that keeps the test output clean."""

    def log_message(self, format: str, *args: object) -> None:
        pass


def test_pull_caches_reports_and_never_overwrites_a_pinned_spec(
    tmp_path: Path, served: tuple[Path, str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    folder, url = served
    original = (SHARED / "gumloop.yaml").read_bytes()
    (folder / "gumloop.yaml").write_bytes(original)
    mirror = tmp_path / "mirror" / "gumloop.yaml"
    config = tmp_path / "openapi" / "gumloop.toml"
    config.parent.mkdir()
    config.write_text(
        f'name = "gumloop"\n\n[spec]\npath = "../mirror/gumloop.yaml"\nurl = "{url}/gumloop.yaml"\n'
        f'sha256 = "{hashlib.sha256(original).hexdigest()}"\n',
        encoding="utf-8",
    )
    cache = tmp_path / "cache"

    def pull(*extra: str) -> tuple[int, str]:
        run = mcpgen(capsys, monkeypatch, "pull", str(config), "--cache", str(cache), *extra)
        return run.code, run.out + run.err

    code, out = pull()
    assert code == 0 and "gumloop: unchanged:" in out and "restored gumloop.yaml" in out
    assert mirror.read_bytes() == original == (cache / "gumloop" / "gumloop.yaml").read_bytes()

    changed = original + b"\n# upstream moved\n"
    (folder / "gumloop.yaml").write_bytes(changed)
    code, out = pull()
    assert code == 0 and "gumloop: changed:" in out and "mcpgen diff" in out
    assert mirror.read_bytes() == original and (cache / "gumloop" / "gumloop.yaml").read_bytes() == changed
    code, out = pull("--accept")
    assert code == 1 and "not overwriting the pinned spec" in out and mirror.read_bytes() == original
    assert hashlib.sha256(original).hexdigest() in config.read_text(encoding="utf-8")

    mirror.unlink()  # a fresh CI runner: the pinned file is absent
    code, out = pull("--accept")
    assert code == 0 and "accepted" in out and mirror.read_bytes() == changed
    assert f'sha256 = "{hashlib.sha256(changed).hexdigest()}"' in config.read_text(encoding="utf-8")

    (folder / "gumloop.yaml").unlink()
    code, out = pull()
    assert code == 1 and "gumloop: failed:" in out and "404" in out and len(out.strip().splitlines()) == 1


def test_workflow_parses_and_runs_the_real_commands() -> None:
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "regenerate.yml").read_text(encoding="utf-8"))
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as true
    assert "openapi/**" in triggers["push"]["paths"]
    assert triggers["schedule"][0]["cron"] and "workflow_dispatch" in triggers
    assert workflow["permissions"] == {} and workflow["jobs"]["regenerate"]["permissions"] == {"contents": "read"}
    steps = workflow["jobs"]["regenerate"]["steps"]
    runs = "\n".join(step.get("run", "") for step in steps)
    targets = make_targets(ROOT / "Makefile")
    used = re.findall(r"\bmake ([\w./-]+)", runs)
    assert used and all(target in targets for target in used), (used, sorted(targets))
    ci_run = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "make test" in ci_run and "make test" in runs
    commands = re.findall(r"mcpgen (\w+)", runs)
    context = click.Context(cli)
    assert set(commands) == {"pull", "check", "lock", "generate"}  # the code diff is proposed with the spec diff
    assert all(c in cli.list_commands(context) and cli.get_command(context, c) for c in commands)
    assert "mcpgen check --all" in make_recipe(ROOT / "Makefile", "test")
    propose = workflow["jobs"]["propose"]
    assert propose["if"] == "needs.regenerate.outputs.changed == 'true'" and not any(
        "make" in s.get("run", "") for s in propose["steps"]
    )
    [pr] = [
        step for step in propose["steps"] if str(step.get("uses", "")).startswith("peter-evans/create-pull-request")
    ]
    assert pr["with"]["body-path"].endswith("/mcpgen/report.md") and '--output "$RUNNER_TEMP/mcpgen/report.md"' in runs


def make_targets(makefile: Path) -> set[str]:
    """Every target a Makefile defines, with ``$(VAR)`` expanded from its ``:=``/``?=`` assignments."""
    text = makefile.read_text(encoding="utf-8")
    variables = dict(re.findall(r"^(\w+)\s*[:?]?=\s*(.*)$", text, re.MULTILINE))
    for _ in range(3):
        variables = {k: expand(v, variables) for k, v in variables.items()}
    names = re.findall(r"^([^\s#:=][^:=]*?):(?!=)", text, re.MULTILINE)
    return {expand(name, variables).strip() for name in names}


def expand(text: str, variables: dict[str, str]) -> str:
    """``$(BIN)/mcpgen`` → ``.venv/bin/mcpgen``."""
    return re.sub(r"\$\((\w+)\)", lambda m: variables.get(m.group(1), ""), text)


def make_recipe(makefile: Path, target: str) -> str:
    """The recipe lines of one target."""
    match = re.search(rf"^{target}:.*\n((?:\t.*\n)+)", makefile.read_text(encoding="utf-8"), re.MULTILINE)
    return match.group(1) if match else ""


def locked_and_generated(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> tuple[Path, Path]:
    """Gumloop's config on a copy of its spec, locked, and its package generated under ``tmp_path/generated``."""
    spec_path = tmp_path / "gumloop.yaml"
    shutil.copyfile(SHARED / "gumloop.yaml", spec_path)
    config = temp_config(tmp_path, spec_path, "gumloop")
    out = tmp_path / "generated"
    assert mcpgen(capsys, monkeypatch, "lock", str(config)).code == 0
    assert mcpgen(capsys, monkeypatch, "generate", str(config), "--out", str(out)).code == 0
    return config, out


def temp_config(tmp_path: Path, spec_path: Path, vendor: str = "gong") -> Path:
    """A vendor's config, pointed at a copy of its spec (pinned to the copy)."""
    text = (ROOT / "openapi" / f"{vendor}.toml").read_text(encoding="utf-8")
    text = re.sub(r'(?m)^path = ".*"$', f"path = {json.dumps(str(spec_path))}", text, count=1)
    config = tmp_path / "openapi" / f"{vendor}.toml"
    config.parent.mkdir()
    config.write_text(text, encoding="utf-8")
    pin(config, spec_path)
    return config


def pin(config: Path, spec_path: Path) -> None:
    """Pin ``config`` to the spec file as it is now (what a reviewer does after reading the diff)."""
    digest = hashlib.sha256(spec_path.read_bytes()).hexdigest()
    text = re.sub(r'(?m)^sha256 = "[0-9a-f]*"$', f'sha256 = "{digest}"', config.read_text(encoding="utf-8"))
    config.write_text(text, encoding="utf-8")
