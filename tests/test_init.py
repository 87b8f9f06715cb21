"""``mcpgen init``: what it scaffolds, that spec text stays inert, that it never clobbers, and that the
workflows it writes (and this repository's own) pass zizmor and the GitHub workflow schema."""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from generator.model.config import load_config
from tests.cli import mcpgen
from tests.spec_host import SpecHost

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
PETSTORE = ROOT / "tests" / "specs" / "petstore.yaml"
SHA_PINNED = r"@[0-9a-f]{40}  # v\d+\.\d+\.\d+$"
HOSTILE_TITLE = 'Evil"\n[spec]\npath = "/etc/passwd" # ```\n<script>'
HOSTILE_HEADER = 'X-Key"\n[[auth]]\ntype = "basic'
HOSTILE_URL = 'https://api.example.com/v1"\nsha256 = "0'


def hostile_spec() -> bytes:
    """A small valid spec whose title, server URL and header name try to break out of TOML and Markdown."""
    return json.dumps(
        {
            "openapi": "3.0.3",
            "info": {"title": HOSTILE_TITLE, "version": "1"},
            "servers": [{"url": HOSTILE_URL}],
            "components": {"securitySchemes": {"k": {"type": "apiKey", "in": "header", "name": HOSTILE_HEADER}}},
            "paths": {"/things": {"get": {"operationId": 'list"Things', "responses": {"200": {"description": "ok"}}}}},
        }
    ).encode("utf-8")


def tree(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` (git-free), by relative path."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_init_scaffolds_a_vendor_from_a_url_and_is_repeatable(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    with SpecHost() as host:
        url = host.serve("/openapi.yaml", PETSTORE.read_bytes())
        run = mcpgen(capsys, monkeypatch, "init", "--spec", url, "--name", "acme", "--dir", str(tmp_path))
        assert run.code == 0, run.err
        first = tree(tmp_path)
        assert set(first) == {
            "openapi/acme.toml",
            "openapi/acme.yaml",
            "openapi/acme.lock.json",
            ".github/workflows/mcpgen-acme.yml",
        }
        again = mcpgen(capsys, monkeypatch, "init", "--spec", url, "--name", "acme", "--dir", str(tmp_path))
    assert again.code == 0 and tree(tmp_path) == first  # same spec and name, same bytes
    config = load_config(tmp_path / "openapi" / "acme.toml")
    assert config.spec.url == url and config.spec.sha256 == hashlib.sha256(PETSTORE.read_bytes()).hexdigest()
    assert config.base_url == "https://pets.example.com/api"
    assert [a.model_dump(exclude_defaults=True) for a in config.auth] == [
        {"type": "header", "header": "X-Api-Key", "env": "ACME_API_KEY"}
    ]
    assert "## The Pet Store MCP server" in run.out and "mcpgen generate openapi/acme.toml" in run.out
    monkeypatch.chdir(tmp_path)
    check = mcpgen(capsys, monkeypatch, "check", "openapi/acme.toml")
    assert check.code == 0 and "check acme: current" in check.err


def test_init_refuses_to_overwrite_without_force(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    args = ("init", "--spec", str(PETSTORE), "--name", "acme", "--dir", str(tmp_path))
    assert mcpgen(capsys, monkeypatch, *args).code == 0
    edited = tmp_path / "openapi" / "acme.toml"
    edited.write_text(edited.read_text(encoding="utf-8") + "# ours\n", encoding="utf-8")
    refused = mcpgen(capsys, monkeypatch, *args)
    assert refused.code == 1 and refused.lines == [f"init: {edited.as_posix()} exists; use --force to overwrite it"]
    assert edited.read_text(encoding="utf-8").endswith("# ours\n")
    assert mcpgen(capsys, monkeypatch, *args, "--force").code == 0
    assert not edited.read_text(encoding="utf-8").endswith("# ours\n")


def test_init_keeps_spec_text_inert(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = tmp_path / "evil.json"
    spec.write_bytes(hostile_spec())
    out = tmp_path / "repo"
    run = mcpgen(capsys, monkeypatch, "init", "--spec", str(spec), "--name", "evil", "--dir", str(out))
    assert run.code == 0, run.err
    config = load_config(out / "openapi" / "evil.toml")
    assert config.title == HOSTILE_TITLE and config.base_url == HOSTILE_URL and config.spec.path == "evil.json"
    assert [a.header for a in config.auth] == [HOSTILE_HEADER]
    assert "<script>" not in run.out and "&lt;script&gt;" in run.out
    workflow = yaml.safe_load((out / ".github" / "workflows" / "mcpgen-evil.yml").read_text(encoding="utf-8"))
    assert set(workflow["jobs"]) == {"regenerate", "propose"}


def test_init_writes_nothing_for_a_spec_it_refuses(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = tmp_path / "broken.yaml"
    spec.write_text("openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /x: [unclosed\n", encoding="utf-8")
    run = mcpgen(capsys, monkeypatch, "init", "--spec", str(spec), "--name", "acme", "--dir", str(tmp_path / "r"))
    assert run.code == 2 and len(run.lines) == 1 and "invalid YAML" in run.lines[0]
    assert not (tmp_path / "r").exists()


def test_workflows_pass_zizmor_and_the_workflow_schema(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert (
        mcpgen(capsys, monkeypatch, "init", "--spec", str(PETSTORE), "--name", "acme", "--dir", str(tmp_path)).code == 0
    )
    scaffolded = tmp_path / ".github" / "workflows" / "mcpgen-acme.yml"
    ours = ROOT / ".github" / "workflows" / "regenerate.yml"
    for path in (scaffolded, ours):
        uses = [
            line.split("uses: ", 1)[1] for line in path.read_text(encoding="utf-8").splitlines() if "uses: " in line
        ]
        assert uses and all(re.search(SHA_PINNED, u) for u in uses), uses
        zizmor = [str(BIN / "zizmor"), "--offline", "--no-progress", str(path)]
        done = subprocess.run(zizmor, capture_output=True, text=True, timeout=60, check=False)
        assert done.returncode == 0 and "No findings" in done.stdout, done.stdout + done.stderr
        schema = [str(BIN / "check-jsonschema"), "--builtin-schema", "vendor.github-workflows", str(path)]
        done = subprocess.run(schema, capture_output=True, text=True, timeout=60, check=False)
        assert done.returncode == 0, done.stdout + done.stderr
