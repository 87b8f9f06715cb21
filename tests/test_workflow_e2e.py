"""The scaffolded regeneration workflow, proven end to end without GitHub.

From an empty git repository whose branch is ``trunk``: ``mcpgen init`` against a spec served on 127.0.0.1
(pinning this release, as an installed mcpgen does by itself), then the README section's commands, then a commit.
The upstream spec changes (an operation is removed: a breaking change), and the workflow's own ``run:`` steps, read
from the scaffolded file, run in order (``tests.workflow_runner``). The ``uses:`` steps need GitHub and are
skipped: checkout is a ``git clone``, the artifact is the shared ``RUNNER_TEMP`` folder, and the pull request is a
commit on a branch whose changed files are checked against the action's ``add-paths``. A second run on the merged
result must find nothing to propose.
"""

from __future__ import annotations

import fnmatch
import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import generator
from tests.spec_host import SpecHost
from tests.workflow_runner import child_environment, holds, load, run_job

ROOT = Path(__file__).resolve().parents[1]
PETSTORE = (ROOT / "tests" / "specs" / "petstore.yaml").read_bytes()
DELETE_OP = PETSTORE[PETSTORE.index(b"    delete:") :]
CHANGED = PETSTORE.replace(DELETE_OP, b"")  # deletePet is gone upstream
WORKFLOW = ".github/workflows/mcpgen-acme.yml"
BRANCH = "trunk"  # not main: the workflow must build the repository's own default branch
RELEASE = f"mcpgen=={generator.__version__}"


def git(repo: Path, *args: str) -> str:
    """Run git in ``repo`` and return its output."""
    done = subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, timeout=30, check=True)
    return done.stdout


def shell(command: str, cwd: Path, env: dict[str, str]) -> None:
    """One shell command as a person would type it; it must succeed."""
    done = subprocess.run(
        command, shell=True, cwd=cwd, env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, f"{command}: {done.stdout[-2000:]}{done.stderr[-2000:]}"


def readme_commands(section: str) -> list[str]:
    """The commands of the README section's ``sh`` block, without their comments."""
    block = section.split("```sh\n", 1)[1].split("```", 1)[0]
    return [line.split("  #", 1)[0].strip() for line in block.splitlines() if line.strip()]


def environment(tmp_path: Path, name: str) -> dict[str, str]:
    """The runner's environment: a scratch venv first on PATH, its own RUNNER_TEMP, a git identity."""
    venv = tmp_path / "venv"
    bin_dir = venv / "bin" if venv.exists() else child_environment(Path(sys.executable), venv)
    runner = tmp_path / f"runner-{name}"
    runner.mkdir()
    identity = {
        f"GIT_{who}_{what}": value
        for who in ("AUTHOR", "COMMITTER")
        for what, value in (("NAME", "mcpgen test"), ("EMAIL", "test@example.invalid"))
    }
    path = os.pathsep.join([str(bin_dir), str(Path(sys.executable).parent), os.environ["PATH"]])
    return {**os.environ, **identity, "PATH": path, "RUNNER_TEMP": str(runner), "PIP_DISABLE_PIP_VERSION_CHECK": "1"}


def scaffold(tmp_path: Path, url: str) -> Path:
    """An empty repository after `mcpgen init`, the README's commands and a first commit."""
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", BRANCH)
    env = environment(tmp_path, "init")
    shell(f'mcpgen init --spec {url} --name acme --requirement "{RELEASE}" --readme ../section.md', repo, env)
    for command in readme_commands((tmp_path / "section.md").read_text(encoding="utf-8")):
        shell(command, repo, env)
    git(repo, "add", "-A")
    git(repo, "-c", "user.name=t", "-c", "user.email=t@example.invalid", "commit", "-q", "-m", "acme: scaffolded")
    return repo


def propose(tmp_path: Path, repo: Path, workflow: dict[str, object], env: dict[str, str]) -> set[str]:
    """The propose job in a clean clone; the pull request's branch, and the files it carries."""
    clone = tmp_path / "propose"
    git(tmp_path, "clone", "-q", str(repo), str(clone))  # stands in for actions/checkout
    done = run_job(workflow, "propose", clone, env)  # type: ignore[arg-type]
    assert done.skipped_uses == ["actions/checkout", "actions/download-artifact", "peter-evans/create-pull-request"]
    [step] = [s for s in workflow["jobs"]["propose"]["steps"] if "create-pull-request" in s.get("uses", "")]  # type: ignore[index]
    patterns = step["with"]["add-paths"].split()
    git(clone, "checkout", "-q", "-b", step["with"]["branch"])
    git(clone, "add", "--all", "--", *patterns)  # what the action commits
    git(clone, "-c", "user.name=t", "-c", "user.email=t@example.invalid", "commit", "-q", "-m", "regenerate")
    assert not git(clone, "status", "--porcelain"), "the clone holds changes the pull request would not carry"
    carried = set(git(clone, "diff", "--name-only", BRANCH, "HEAD").split())
    assert all(any(fnmatch.fnmatch(name, p) for p in patterns) for name in carried), carried
    return carried


def test_scaffolded_workflow_regenerates_and_proposes_a_changed_spec(tmp_path: Path) -> None:
    with SpecHost() as host:
        repo = scaffold(tmp_path, host.serve("/petstore.yaml", PETSTORE))
        workflow = load(repo / WORKFLOW)
        assert workflow[True]["push"]["branches"] == [BRANCH] and workflow[True]["schedule"]  # `on` reads as True
        assert workflow["jobs"]["regenerate"]["env"]["MCPGEN_REQUIREMENT"] == RELEASE
        host.serve("/petstore.yaml", CHANGED)
        env = environment(tmp_path, "first")
        first = run_job(workflow, "regenerate", repo, env)
        assert first.skipped_uses == ["actions/checkout", "actions/setup-python", "actions/upload-artifact"]
        assert first.outputs == {"changed": "true"}
        digest = hashlib.sha256(CHANGED).hexdigest()
        assert f'sha256 = "{digest}"' in (repo / "openapi" / "acme.toml").read_text(encoding="utf-8")
        assert (repo / "openapi" / "acme.yaml").read_bytes() == CHANGED
        lock = json.loads((repo / "openapi" / "acme.lock.json").read_text(encoding="utf-8"))
        assert lock["spec"]["sha256"] == digest and "delete_pet" not in json.dumps(lock)
        report = (Path(env["RUNNER_TEMP"]) / "mcpgen" / "report.md").read_text(encoding="utf-8")
        assert "1 breaking" in report and "acme: changed:" in report and report in first.summary
        staged = set(git(repo, "diff", "--cached", "--name-only").split())
        assert holds(workflow["jobs"]["propose"]["if"], {"regenerate": first.outputs})
        carried = propose(tmp_path, repo, workflow, env)
        assert carried == staged and {"openapi/acme.toml", "openapi/acme.yaml", "openapi/acme.lock.json"} < carried
        assert all(name.startswith(("openapi/acme.", "generated/acme_mcp/")) for name in carried), carried

        merged = tmp_path / "merged"
        git(tmp_path, "clone", "-q", "-b", "mcpgen/acme", str(tmp_path / "propose"), str(merged))
        second = run_job(workflow, "regenerate", merged, environment(tmp_path, "second"))
    assert second.outputs == {"changed": "false"}
    assert not holds(workflow["jobs"]["propose"]["if"], {"regenerate": second.outputs})
    assert not git(merged, "status", "--porcelain", "--untracked-files=no"), "a run with no change changed files"
