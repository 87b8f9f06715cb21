"""``mcpgen init``: what it scaffolds, that spec text stays inert, that it never clobbers, what it pins (the mcpgen
CI installs, the branch it builds, a local spec said to be local), and that the workflows it writes (and this
repository's own) pass zizmor and the GitHub workflow schema."""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

import generator
from generator.model.config import load_config
from generator.surface import provenance
from tests.cli import Run, mcpgen
from tests.spec_host import SpecHost
from tests.workflow_runner import load, run_job

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
PETSTORE = ROOT / "tests" / "specs" / "petstore.yaml"
SHA_PINNED = r"@[0-9a-f]{40}  # v\d+\.\d+\.\d+$"
HOSTILE_TITLE = 'Evil"\n[spec]\npath = "/etc/passwd" # ```\n<script>'
HOSTILE_HEADER = 'X-Key"\n[[auth]]\ntype = "basic'
HOSTILE_URL = 'https://api.example.com/v1"\nsha256 = "0'
RELEASE = f"mcpgen=={generator.__version__}"


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


def init(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, *args: str) -> Run:
    """``mcpgen init ARGS`` pinning this release (what mcpgen pins by itself is tested on its own below)."""
    return mcpgen(capsys, monkeypatch, "init", "--requirement", RELEASE, *args)


def tree(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` (git-free), by relative path."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_init_scaffolds_a_vendor_from_a_url_and_is_repeatable(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    with SpecHost() as host:
        url = host.serve("/openapi.yaml", PETSTORE.read_bytes())
        run = init(capsys, monkeypatch, "--spec", url, "--name", "acme", "--dir", str(tmp_path))
        assert run.code == 0, run.err
        first = tree(tmp_path)
        assert set(first) == {
            "openapi/acme.toml",
            "openapi/acme.yaml",
            "openapi/acme.lock.json",
            ".github/workflows/mcpgen-acme.yml",
        }
        again = init(capsys, monkeypatch, "--spec", url, "--name", "acme", "--dir", str(tmp_path))
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
    args = ("--spec", str(PETSTORE), "--name", "acme", "--dir", str(tmp_path))
    assert init(capsys, monkeypatch, *args).code == 0
    edited = tmp_path / "openapi" / "acme.toml"
    edited.write_text(edited.read_text(encoding="utf-8") + "# ours\n", encoding="utf-8")
    refused = init(capsys, monkeypatch, *args)
    assert refused.code == 1 and refused.lines == [f"init: {edited.as_posix()} exists; use --force to overwrite it"]
    assert edited.read_text(encoding="utf-8").endswith("# ours\n")
    assert init(capsys, monkeypatch, *args, "--force").code == 0
    assert not edited.read_text(encoding="utf-8").endswith("# ours\n")


def test_init_run_again_leaves_identical_files_untouched_and_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 32 #14: identical inputs again: no file is rewritten (bytes and times kept), each is said unchanged."""
    args = ("--spec", str(PETSTORE), "--name", "acme", "--dir", str(tmp_path), "--readme", str(tmp_path / "sec.md"))
    first = init(capsys, monkeypatch, *args)
    assert first.code == 0 and first.out.count("\nwrote ") + first.out.startswith("wrote ") == 5, first.out
    old = 1_000_000_000_000_000_000
    for path in [*tmp_path.rglob("*")]:
        if path.is_file():
            os.utime(path, ns=(old, old))
    before = tree(tmp_path)
    again = init(capsys, monkeypatch, *args)
    assert again.code == 0 and tree(tmp_path) == before
    assert all(p.stat().st_mtime_ns == old for p in tmp_path.rglob("*") if p.is_file())
    assert "wrote" not in again.out and again.out.count("unchanged (identical, left alone) ") == 5, again.out
    edited = tmp_path / "openapi" / "acme.toml"
    edited.write_text(edited.read_text(encoding="utf-8") + "# ours\n", encoding="utf-8")
    forced = init(capsys, monkeypatch, *args, "--force")
    assert forced.code == 0 and f"wrote {edited.as_posix()}" in forced.out
    assert forced.out.count("unchanged (identical, left alone) ") == 4, forced.out


def test_init_keeps_spec_text_inert(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = tmp_path / "evil.json"
    spec.write_bytes(hostile_spec())
    out = tmp_path / "repo"
    run = init(capsys, monkeypatch, "--spec", str(spec), "--name", "evil", "--dir", str(out))
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
    run = init(capsys, monkeypatch, "--spec", str(spec), "--name", "acme", "--dir", str(tmp_path / "r"))
    assert run.code == 2 and len(run.lines) == 1 and "invalid YAML" in run.lines[0]
    assert not (tmp_path / "r").exists()


def test_workflows_pass_zizmor_and_the_workflow_schema(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    local = ("--spec", str(PETSTORE), "--name", "acme", "--dir", str(tmp_path / "local"))
    upstream = ("--spec", str(PETSTORE), "--name", "acme", "--dir", str(tmp_path / "url"), "--url", "https://x.test/a")
    assert init(capsys, monkeypatch, *local).code == 0 and init(capsys, monkeypatch, *upstream).code == 0
    scaffolded = [tmp_path / kind / ".github" / "workflows" / "mcpgen-acme.yml" for kind in ("local", "url")]
    ours = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
    assert {p.name for p in ours} >= {"regenerate.yml", "release.yml"}
    for path in (*scaffolded, *ours):
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
    assert "../shared" not in (ROOT / ".github" / "workflows" / "regenerate.yml").read_text(encoding="utf-8")


def git(repo: Path, *args: str) -> str:
    """Run git in ``repo`` (with an identity for commits) and return its output."""
    command = ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid", *args]
    return subprocess.run(command, cwd=repo, capture_output=True, text=True, timeout=30, check=True).stdout.strip()


def checkout(tmp_path: Path, remote_url: str) -> Path:
    """A clone of a one-commit mcpgen repository whose ``origin`` then points at ``remote_url`` (never fetched)."""
    upstream = tmp_path / "upstream"
    (upstream / "generator").mkdir(parents=True)
    (upstream / "generator" / "__init__.py").write_text('__version__ = "0.1.0"\n', encoding="utf-8")
    git(upstream, "init", "-q", "-b", "main")
    git(upstream, "add", "-A")
    git(upstream, "commit", "-q", "-m", "mcpgen")
    clone = tmp_path / "mcpgen"
    git(tmp_path, "clone", "-q", str(upstream), str(clone))
    git(clone, "remote", "set-url", "origin", remote_url)
    return clone


def test_a_checkout_pins_its_pushed_commit_from_its_https_remote(tmp_path: Path) -> None:
    clone = checkout(tmp_path, "https://someone:secret-token@git.example.com/team/mcpgen.git")
    commit = git(clone, "rev-parse", "HEAD")
    expected = f"mcpgen @ git+https://git.example.com/team/mcpgen.git@{commit}"
    assert provenance.checkout_pin(clone) == provenance.Pin(expected)  # the token is never written anywhere
    (clone / "generator" / "new.py").write_text("", encoding="utf-8")
    git(clone, "add", "-A")
    git(clone, "commit", "-q", "-m", "not pushed")
    local = git(clone, "rev-parse", "HEAD")
    unpushed = provenance.checkout_pin(clone)
    assert unpushed.requirement is None and unpushed.reason.endswith(
        f"{local[:12]}, which is on no branch of origin; push it"
    )


def test_a_checkout_without_an_https_remote_or_git_cannot_be_pinned(tmp_path: Path) -> None:
    clone = checkout(tmp_path, "git@git.example.com:team/mcpgen.git")
    ssh = provenance.checkout_pin(clone)
    assert ssh.requirement is None and "with no https remote CI could install from" in ssh.reason
    plain = tmp_path / "unpacked"
    plain.mkdir()
    assert provenance.checkout_pin(plain).reason.endswith("neither an installed release nor a git checkout")


def test_a_git_install_pins_the_commit_pip_recorded() -> None:
    commit = "0123456789abcdef0123456789abcdef01234567"
    vcs = {"url": "https://tok@github.com/team/mcpgen", "vcs_info": {"vcs": "git", "commit_id": commit}}
    assert provenance.direct_pin(vcs).requirement == f"mcpgen @ git+https://github.com/team/mcpgen@{commit}"
    wheel = {"url": "https://files.example.com/mcpgen-0.1.0-py3-none-any.whl", "archive_info": {}}
    assert provenance.direct_pin(wheel).requirement == f"mcpgen @ {wheel['url']}"
    assert (
        provenance.direct_pin({"url": "ssh://h/x", "vcs_info": {"vcs": "git", "commit_id": commit}}).requirement is None
    )


def test_init_pins_the_checkout_it_runs_from_or_refuses_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    clone = checkout(tmp_path, "https://git.example.com/team/mcpgen.git")
    monkeypatch.setattr(provenance, "source_root", lambda: clone)  # as if mcpgen ran from that checkout
    args = ("init", "--spec", str(PETSTORE), "--name", "acme", "--dir", str(tmp_path / "ours"))
    assert mcpgen(capsys, monkeypatch, *args).code == 0
    workflow = load(tmp_path / "ours" / ".github" / "workflows" / "mcpgen-acme.yml")
    pinned = f"mcpgen @ git+https://git.example.com/team/mcpgen.git@{git(clone, 'rev-parse', 'HEAD')}"
    assert workflow["jobs"]["regenerate"]["env"]["MCPGEN_REQUIREMENT"] == pinned
    git(clone, "remote", "set-url", "origin", "git@git.example.com:team/mcpgen.git")
    refused = mcpgen(
        capsys, monkeypatch, "init", "--spec", str(PETSTORE), "--name", "acme", "--dir", str(tmp_path / "r")
    )
    assert refused.code == 1 and len(refused.lines) == 1, refused.lines
    assert refused.lines[0].startswith("init: cannot pin mcpgen for CI: mcpgen runs from a checkout")
    assert refused.lines[0].endswith("pass --requirement SPEC (e.g. mcpgen==X.Y.Z)")
    assert not (tmp_path / "r").exists()
    hostile = ("--requirement", 'x"; rm -rf ~', "--dir", str(tmp_path / "q"))
    quoted = mcpgen(capsys, monkeypatch, "init", "--spec", str(PETSTORE), "--name", "a", *hostile)
    assert quoted.code == 2 and not (tmp_path / "q").exists()
    assert quoted.code == 2 and "holds characters a shell line would read" in quoted.err


def test_the_workflow_builds_the_repositorys_default_branch(tmp_path: Path) -> None:
    assert provenance.default_branch(tmp_path / "nowhere") == "main"
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "trunk")
    assert provenance.default_branch(repo) == "trunk"  # no commit yet: the current branch
    clone = checkout(tmp_path, "https://git.example.com/team/mcpgen.git")
    git(clone, "checkout", "-q", "-b", "feature")
    assert provenance.default_branch(clone) == "main"  # origin's HEAD, not the branch checked out
    git(clone, "symbolic-ref", "refs/remotes/origin/HEAD", "refs/remotes/origin/master")
    assert provenance.default_branch(clone) == "master"


def test_a_local_spec_is_said_to_be_pinned_locally_or_pulled_from_url(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "develop")
    run = init(capsys, monkeypatch, "--spec", str(PETSTORE), "--name", "acme", "--dir", str(repo))
    assert run.code == 0 and f"init: {PETSTORE} is pinned locally" in run.err and "pass --url URL" in run.err
    workflow = load(repo / ".github" / "workflows" / "mcpgen-acme.yml")
    assert workflow[True]["push"]["branches"] == ["develop"] and "schedule" not in workflow[True]
    assert "mcpgen pull openapi" not in (repo / ".github" / "workflows" / "mcpgen-acme.yml").read_text(encoding="utf-8")
    [step] = [s for s in workflow["jobs"]["regenerate"]["steps"] if "pinned locally" in s.get("name", "")]
    runner = tmp_path / "runner"
    runner.mkdir()
    alone = {"jobs": {"regenerate": {"steps": [step]}}}
    run_job(alone, "regenerate", repo, {"PATH": "/usr/bin:/bin", "RUNNER_TEMP": str(runner)})
    report = (runner / "mcpgen" / "pull.md").read_text(encoding="utf-8")
    assert "- acme: pinned locally: openapi/acme.yaml is the spec; nothing was pulled." in report
    assert "Set `url` under `[spec]` in openapi/acme.toml" in report and "pinned locally" in run.out
    assert "mcpgen pull openapi" not in run.out and "MCPGEN_PR_TOKEN" in run.out and "workflow_dispatch" in run.out

    url = "https://vendor.example.com/openapi.yaml"
    pulled = init(
        capsys, monkeypatch, "--spec", str(PETSTORE), "--name", "acme", "--dir", str(repo), "--url", url, "--force"
    )
    assert pulled.code == 0 and "pinned locally" not in pulled.err
    assert load_config(repo / "openapi" / "acme.toml").spec.url == url
    workflow = load(repo / ".github" / "workflows" / "mcpgen-acme.yml")
    assert workflow[True]["schedule"] and any(
        "mcpgen pull" in s.get("run", "") for s in workflow["jobs"]["regenerate"]["steps"]
    )
    assert (
        init(
            capsys, monkeypatch, "--spec", str(PETSTORE), "--name", "acme", "--dir", str(repo), "--url", "ftp://x"
        ).code
        == 2
    )
