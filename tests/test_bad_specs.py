"""Bad input: one clear line naming the place, a non-zero exit, no traceback, nothing written."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli import mcpgen

NOPE = "#/components/schemas/Nope"
GOOD_OP = {"get": {"operationId": "listThings", "responses": {"200": {"description": "ok"}}}}


def spec(**overrides: object) -> dict[str, object]:
    base: dict[str, object] = {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {"/things": GOOD_OP},
    }
    base.update(overrides)
    return base


CASES = {
    "malformed-json": ('{"openapi": "3.0.3", "paths": {', "invalid JSON", ".json"),
    "malformed-yaml": ("openapi: 3.0.3\npaths:\n  /x: [unclosed\n", "invalid YAML", ".yaml"),
    "swagger-2": (json.dumps({"swagger": "2.0", "paths": {}}), "#/swagger: Swagger 2.0 is not supported", ".json"),
    "unknown-version": (json.dumps(spec(openapi="4.2.0")), "#/openapi: unsupported OpenAPI version", ".json"),
    "missing-paths": (json.dumps({k: v for k, v in spec().items() if k != "paths"}), "#/paths:", ".json"),
    "not-an-object": ("[1, 2, 3]", "must be a JSON or YAML object", ".json"),
    "dangling-ref": (
        json.dumps(
            spec(
                paths={
                    "/things": {
                        "post": {
                            "operationId": "makeThing",
                            "requestBody": {
                                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Nope"}}}
                            },
                            "responses": {"200": {"description": "ok"}},
                        }
                    }
                }
            )
        ),
        "POST /things: $ref '#/components/schemas/Nope' does not resolve",
        ".json",
    ),
    "network-ref": (
        json.dumps(
            spec(
                paths={
                    "/things": {
                        "get": {
                            "operationId": "getThing",
                            "parameters": [{"$ref": "https://example.com/params.json#/limit"}],
                            "responses": {"200": {"description": "ok"}},
                        }
                    }
                }
            )
        ),
        "external refs are not fetched",
        ".json",
    ),
    "duplicate-operation-ids": (
        json.dumps(spec(paths={"/a": GOOD_OP, "/b": GOOD_OP})),
        "GET /b: duplicate operationId 'listThings' (also used by GET /a)",
        ".json",
    ),
    "wrong-type": (json.dumps(spec(info="not an object")), "#/info:", ".json"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_spec_is_one_line_and_writes_nothing(
    case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    text, expected, suffix = CASES[case]
    path = tmp_path / f"bad{suffix}"
    path.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    run = mcpgen(capsys, monkeypatch, "generate", "--spec", str(path), "--name", "bad", "--out", str(out))
    assert run.code != 0
    errors = [line for line in run.lines if line.startswith("error:")]
    assert len(errors) == 1, run.lines
    assert expected in errors[0]
    assert "Traceback" not in run.out + run.err
    assert not out.exists()


def test_failed_run_leaves_previous_output_untouched(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    good = tmp_path / "good.json"
    good.write_text(json.dumps(spec()), encoding="utf-8")
    out = tmp_path / "out"
    assert mcpgen(capsys, monkeypatch, "generate", "--spec", str(good), "--name", "acme", "--out", str(out)).code == 0
    before = {p: p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}
    good.write_text(json.dumps(spec(paths={"/a": GOOD_OP, "/b": GOOD_OP})), encoding="utf-8")
    assert mcpgen(capsys, monkeypatch, "generate", "--spec", str(good), "--name", "acme", "--out", str(out)).code == 1
    assert {p: p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()} == before


def test_pin_mismatch_says_how_to_update(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    spec_path = tmp_path / "acme.json"
    spec_path.write_text(json.dumps(spec()), encoding="utf-8")
    config = tmp_path / "acme.toml"
    config.write_text(f'name = "acme"\n[spec]\npath = "acme.json"\nsha256 = "{"0" * 64}"\n', encoding="utf-8")
    run = mcpgen(capsys, monkeypatch, "generate", str(config), "--out", str(tmp_path / "out"))
    assert run.code == 2
    assert "does not match the pin" in run.err and "set spec.sha256" in run.err
    assert not (tmp_path / "out").exists()


def test_unknown_config_key_names_the_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "acme.toml"
    config.write_text('name = "acme"\n[operations.listThings]\nnmae = "x"\n', encoding="utf-8")
    run = mcpgen(capsys, monkeypatch, "generate", str(config), "--dry-run")
    assert run.code == 2
    assert "operations.listThings.nmae" in run.err


def test_the_installed_command_prints_no_traceback(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text("{nope", encoding="utf-8")
    command = [str(Path(sys.executable).with_name("mcpgen")), "generate", "--spec", str(path), "--name", "x"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False, cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr.strip().count("\n") == 0
    assert done.stderr.startswith(f"error: {path}:1:2: invalid JSON")
