"""Run a GitHub Actions workflow's ``run:`` steps locally, in order, read from the workflow file itself.

What GitHub provides is stood in for: ``GITHUB_OUTPUT`` (one file per step, read back as step outputs),
``GITHUB_STEP_SUMMARY`` and ``RUNNER_TEMP``; each script runs as GitHub runs it on Linux
(``bash --noprofile --norc -eo pipefail``). ``uses:`` steps (actions that need GitHub: checkout, artifacts,
pull requests) are skipped and listed, so a test can do their part itself and say so. The only ``if:``
forms understood are ``steps.<id>.outputs.<name> == '<value>'`` and the same over ``needs.<job>``;
anything else fails loudly rather than being guessed.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

CONDITION = re.compile(r"^(steps|needs)\.([\w-]+)\.outputs\.([\w-]+) == '([^']*)'$")
OUTPUT_REF = re.compile(r"^\$\{\{ steps\.([\w-]+)\.outputs\.([\w-]+) \}\}$")
STEP_TIMEOUT_S = 120


@dataclass
class JobRun:
    """What running one job's steps did."""

    outputs: dict[str, str] = field(default_factory=dict)
    ran: list[str] = field(default_factory=list)
    skipped_uses: list[str] = field(default_factory=list)
    summary: str = ""


def load(path: Path) -> dict[str, Any]:
    """The workflow as data."""
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(document, dict)
    return document


def holds(condition: str, scope: dict[str, dict[str, str]]) -> bool:
    """Evaluate one ``if:`` of the supported form against ``scope`` (step or job outputs by id)."""
    match = CONDITION.match(condition.strip())
    assert match, f"unsupported condition: {condition!r}"
    _, owner, name, value = match.groups()
    return scope.get(owner, {}).get(name) == value


def run_job(workflow: dict[str, Any], job_id: str, workdir: Path, env: dict[str, str]) -> JobRun:
    """Run ``job_id``'s ``run:`` steps in ``workdir``; a failing step fails with its output."""
    job = workflow["jobs"][job_id]
    base = {**env, **_plain(workflow.get("env")), **_plain(job.get("env"))}
    defaults = ((job.get("defaults") or {}).get("run") or {}).get("working-directory", ".")
    summary = Path(env["RUNNER_TEMP"]) / f"summary-{job_id}.md"
    steps: dict[str, dict[str, str]] = {}
    result = JobRun()
    for index, step in enumerate(job["steps"]):
        name = step.get("name") or step.get("uses") or f"step {index}"
        if "if" in step and not holds(step["if"], steps):
            continue
        if "uses" in step:
            result.skipped_uses.append(step["uses"].split("@")[0])
            continue
        output = Path(env["RUNNER_TEMP"]) / f"output-{job_id}-{index}"
        output.write_text("", encoding="utf-8")
        step_env = {
            **base,
            **_plain(step.get("env")),
            "GITHUB_OUTPUT": str(output),
            "GITHUB_STEP_SUMMARY": str(summary),
        }
        cwd = workdir / step.get("working-directory", defaults)
        _run(name, step["run"], cwd, step_env)
        result.ran.append(name)
        if "id" in step:
            steps[step["id"]] = dict(line.split("=", 1) for line in output.read_text(encoding="utf-8").splitlines())
    result.outputs = {key: _output(ref, steps) for key, ref in (job.get("outputs") or {}).items()}
    result.summary = summary.read_text(encoding="utf-8") if summary.exists() else ""
    return result


def _plain(env: dict[str, Any] | None) -> dict[str, str]:
    values = {key: str(value) for key, value in (env or {}).items()}
    assert not any("${{" in value for value in values.values()), f"expressions in env: {values}"
    return values


def _output(ref: str, steps: dict[str, dict[str, str]]) -> str:
    match = OUTPUT_REF.match(ref.strip())
    assert match, f"unsupported job output: {ref!r}"
    return steps.get(match.group(1), {}).get(match.group(2), "")


def _run(name: str, script: str, cwd: Path, env: dict[str, str]) -> None:
    assert "${{" not in script, f"{name}: an expression inside run: would be injected as shell text"
    command = ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script]
    done = subprocess.run(
        command, cwd=cwd, env=env, capture_output=True, text=True, timeout=STEP_TIMEOUT_S, check=False
    )
    assert done.returncode == 0, (
        f"step {name!r} exited {done.returncode}:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    )


def child_environment(python: Path, folder: Path) -> Path:
    """A venv at ``folder`` that also sees ``python``'s packages (so installs into it leave the parent alone)."""
    subprocess.run([str(python), "-m", "venv", "--without-pip", str(folder)], check=True, timeout=60)
    purelib = "import sysconfig; print(sysconfig.get_paths()['purelib'])"
    parent = subprocess.run([str(python), "-c", purelib], capture_output=True, text=True, check=True).stdout.strip()
    child = subprocess.run([str(folder / "bin" / "python"), "-c", purelib], capture_output=True, text=True, check=True)
    Path(child.stdout.strip(), "parent.pth").write_text(parent + "\n", encoding="utf-8")
    return folder / "bin"
