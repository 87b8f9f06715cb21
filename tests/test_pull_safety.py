"""Spec pulls that fail safely: whatever the upstream answers, a bad download moves no pin, mirror or lock.

One real ``mcpgen pull --all --accept`` (the console script, as CI runs it) over eight vendors whose upstreams,
on 127.0.0.1, answer in every bad way the issue names, and one that moved for real.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import socket
import subprocess
import sys
from pathlib import Path

from tests.spec_host import SpecHost

ROOT = Path(__file__).resolve().parents[1]
PETSTORE = (ROOT / "tests" / "specs" / "petstore.yaml").read_bytes()
MCPGEN = str(Path(sys.executable).with_name("mcpgen"))
DANGLING = {
    "openapi": "3.0.3",
    "info": {"title": "t", "version": "1"},
    "paths": {
        "/things": {
            "post": {
                "operationId": "makeThing",
                "requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Nope"}}}},
                "responses": {"200": {"description": "ok"}},
            }
        }
    },
}
# vendor → (what the upstream answers, the reason the one line must give)
BAD = {
    "unreachable": (None, "upstream unreachable"),
    "error_page": (
        {"body": b"<html><body>Internal error</body></html>", "status": 500, "content_type": "text/html"},
        "HTTP 500",
    ),
    "login_page": (
        {"body": b"<!DOCTYPE html><html><form>Sign in</form></html>", "content_type": "text/html"},
        "HTML page",
    ),
    "truncated": ({"body": PETSTORE[:700], "declared": len(PETSTORE)}, "truncated download"),
    "invalid": ({"body": b'{"openapi": "3.0.3", "paths": {', "content_type": "application/json"}, "invalid JSON"),
    "foreign": ({"body": b'{"status": "ok"}', "content_type": "application/json"}, "not an OpenAPI 3 document"),
    "refused": (
        {"body": json.dumps(DANGLING).encode(), "content_type": "application/json"},
        "mcpgen refuses the new spec",
    ),
}


def closed_port_url() -> str:
    """A URL on 127.0.0.1 where nothing listens."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/spec.yaml"


def vendor_repo(root: Path, urls: dict[str, str]) -> None:
    """One config per vendor, each pinned to petstore.yaml committed beside it, and their first locks."""
    openapi = root / "openapi"
    openapi.mkdir(parents=True)
    digest = hashlib.sha256(PETSTORE).hexdigest()
    for vendor, url in urls.items():
        (openapi / f"{vendor}.yaml").write_bytes(PETSTORE)
        (openapi / f"{vendor}.toml").write_text(
            f'name = "{vendor}"\n\n[spec]\npath = "{vendor}.yaml"\nurl = "{url}"\nsha256 = "{digest}"\n',
            encoding="utf-8",
        )
    done = subprocess.run([MCPGEN, "lock", "--all"], cwd=root, capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file's bytes."""
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def test_bad_downloads_move_nothing_and_say_which_vendor_and_why(tmp_path: Path) -> None:
    with SpecHost() as host:
        urls = {vendor: host.url + f"/{vendor}.yaml" for vendor in BAD}
        urls["unreachable"] = closed_port_url()
        urls["moved"] = host.url + "/moved.yaml"
        vendor_repo(tmp_path, urls)
        before = snapshot(tmp_path / "openapi")
        for vendor, (answer, _) in BAD.items():
            if answer is not None:
                host.serve(f"/{vendor}.yaml", **answer)  # type: ignore[arg-type]
        moved = PETSTORE.replace(b"summary: List pets", b"summary: List every pet")
        host.serve("/moved.yaml", moved)
        report = tmp_path / "pull.md"
        command = [MCPGEN, "pull", "--all", "--accept", "--output", str(report)]
        done = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    failed = done.stderr.strip().splitlines()
    assert len(failed) == len(BAD), failed
    for vendor, (_, reason) in BAD.items():
        [line] = [line for line in failed if line.startswith(f"{vendor}: failed: ")]
        assert reason in line and line.endswith("pin and lock unchanged"), line
        assert f"- {vendor}: failed: " in report.read_text(encoding="utf-8")
    after = snapshot(tmp_path / "openapi")
    changed = {name for name in before if before[name] != after[name]}
    assert changed == {"moved.toml", "moved.yaml"}, changed
    assert after["moved.yaml"] == moved and hashlib.sha256(moved).hexdigest() in after["moved.toml"].decode()
    assert "moved: changed: " in done.stdout and "accepted" in done.stdout
    shutil.rmtree(tmp_path / ".cache", ignore_errors=True)
