"""The models stage in its worker process: the same text as in-process, and a safe fallback when it fails."""

from __future__ import annotations

import contextlib
import datetime
import os
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

import pytest

from generator.emit import models_worker
from generator.emit.models import models_text
from generator.errors import Report
from generator.model.config import default_config, load_config
from generator.pipeline import build_ir
from generator.spec.load import decode

ROOT = Path(__file__).resolve().parents[1]
MCPGEN = str(Path(sys.executable).with_name("mcpgen"))


@pytest.fixture(scope="module")
def vendor_models() -> dict[str, dict[str, Any]]:
    """Each vendor's request-side component schemas, as the pipeline hands them to the models stage."""
    configs = {
        "gong": load_config(ROOT / "openapi" / "gong.toml"),
        "kitchen": default_config("kitchen", str(ROOT / "tests" / "specs" / "kitchen_sink.json")),
    }
    return {name: build_ir(config, Report())[0].models for name, config in configs.items()}


def refuse_in_process(*_: object) -> models_worker.Answer:
    raise AssertionError("the main process generated the models itself")


def test_the_worker_writes_what_the_main_process_would(
    vendor_models: dict[str, dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = {vendor: models_text(models) for vendor, models in vendor_models.items()}
    assert expected["gong"][0].count("\nclass ") >= 50 and expected["kitchen"][0].count("\nclass ") >= 2
    assert not expected["gong"][1] and not expected["kitchen"][1]
    # From here on only the worker process can produce the text: the main process refuses to.
    monkeypatch.setattr(models_worker, "models_here", refuse_in_process)
    with models_worker.ModelsWorker() as worker:
        answers = {vendor: worker.submit(models) for vendor, models in vendor_models.items()}
        got = {vendor: answer() for vendor, answer in answers.items()}
    assert got == expected


def test_problems_come_back_with_their_place(monkeypatch: pytest.MonkeyPatch) -> None:
    # The IR never sends such a name; here it makes the library rename a class, which is a problem.
    renamed = {"my-thing": {"type": "object", "properties": {"x": {"type": "string"}}}}
    expected = models_text(renamed)
    assert expected[1] == [("#/components/schemas/my-thing", "datamodel-code-generator emitted no class of this name")]
    monkeypatch.setattr(models_worker, "models_here", refuse_in_process)
    with models_worker.ModelsWorker() as worker:
        assert worker.submit(renamed)() == expected


def test_a_server_without_models_stops_the_worker_and_the_next_with_models_starts_one(
    vendor_models: dict[str, dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Gumloop has no models: the worker's warm-up should not hold a core while the rest of its run goes on."""
    expected = models_text(vendor_models["gong"])
    monkeypatch.setattr(models_worker, "models_here", refuse_in_process)
    with models_worker.ModelsWorker() as worker:
        first = worker._process
        assert first is not None
        owed = worker.submit(vendor_models["gong"])
        worker.submit({})  # an answer is owed: the worker keeps running
        assert worker._process is first
        assert owed() == expected
        worker.submit({})  # nothing owed: it stops
        assert worker._process is None and first.poll() is not None
        assert worker.submit(vendor_models["gong"])() == expected  # a new worker, not this process
        assert worker._process is not None and worker._process is not first
    assert worker._process is None


def test_a_dead_worker_falls_back_to_the_main_process(vendor_models: dict[str, dict[str, Any]]) -> None:
    with models_worker.ModelsWorker() as worker:
        assert worker._process is not None
        worker._process.kill()
        worker._process.wait()
        assert worker.submit(vendor_models["gong"])() == models_text(vendor_models["gong"])


def test_values_json_cannot_carry_stay_in_process() -> None:
    # Loading keeps YAML dates as text; a value that still is not JSON never reaches the pipe, and the emitted
    # code it makes (a call to an unimported module) is caught by the import check where it is written.
    schemas = {
        "Event": {"type": "object", "properties": {"on": {"type": "string", "default": datetime.date(2026, 1, 2)}}}
    }
    with models_worker.ModelsWorker() as worker:
        text, problems = worker.submit(schemas)()
    assert "class Event" in text
    assert problems == [("models.py", "does not import: NameError: name 'datetime' is not defined")]


def test_yaml_dates_load_as_the_text_written() -> None:
    document = decode("spec.yaml", b"openapi: 3.0.3\nx-default: 2026-01-02\nx-when: 2026-01-02T03:04:05Z\n")
    assert (document["x-default"], document["x-when"]) == ("2026-01-02", "2026-01-02T03:04:05Z")


def test_no_worker_outlives_the_command(tmp_path: Path) -> None:
    """Nothing the command started is alive after it: looked for by a marker only its own processes inherit.

    (A machine-wide ``pgrep`` also saw the workers of other runs going on at the same time.)
    """
    env, marker = _marked_env()
    done = subprocess.run(
        [MCPGEN, "generate", "openapi/gong.toml", "--out", str(tmp_path)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "gong_mcp" / "src" / "gong_mcp" / "models.py").read_text().count("\nclass ") >= 50
    assert _processes_with(marker) == []


def _marked_env() -> tuple[dict[str, str], str]:
    """This process's environment plus a variable unique to one run, and that variable as ``NAME=value``."""
    value = uuid.uuid4().hex
    return {**os.environ, "MCPGEN_TEST_RUN": value}, f"MCPGEN_TEST_RUN={value}"


def _processes_with(marker: str) -> list[int]:
    """The live processes whose environment holds ``marker`` (``NAME=value``)."""
    found = []
    for entry in Path("/proc").iterdir():
        with contextlib.suppress(OSError):  # gone meanwhile, or not ours to read
            if entry.name.isdigit() and marker.encode() in (entry / "environ").read_bytes().split(b"\0"):
                found.append(int(entry.name))
    return found


def test_the_marker_finds_a_live_process_of_its_own() -> None:
    """The check above can see a leftover: a child started with the marker is found until it ends."""
    env, marker = _marked_env()
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"], env=env)
    try:
        assert _processes_with(marker) == [child.pid]
    finally:
        child.kill()
        child.wait()
    assert _processes_with(marker) == []


@pytest.mark.parametrize(
    ("args", "code", "line"),
    [
        (["generate", "tests/specs/no-such.yaml"], 2, "error: "),
        (["generate", "--spec", "tests/specs/petstore.yaml"], 2, "--spec needs --name"),
        (["generate", "--methods", "delete", "--all"], 2, "--methods: unknown method 'delete'"),
    ],
)
def test_the_console_script_exits_with_the_right_code(args: list[str], code: int, line: str) -> None:
    done = subprocess.run([MCPGEN, *args], cwd=ROOT, capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == code
    assert line in done.stderr and "Traceback" not in done.stderr
