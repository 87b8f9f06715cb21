"""The golden record: the package emitted for ``tests/specs/kitchen_sink.json``, committed under ``tests/golden/``.

A reviewer reads what a change does to emitted code in the diff of ``tests/golden/sink_mcp/``. The runtime
folder is left out: it is ``generator/runtime/`` copied verbatim, so its golden copy is its source.
Refresh after an intended change with ``make golden`` (``python -m tests.golden``).
"""

from __future__ import annotations

import shutil
from pathlib import Path

from generator.model.config import default_config
from generator.pipeline import generate

ROOT = Path(__file__).resolve().parents[1]
SPEC = ROOT / "tests" / "specs" / "kitchen_sink.json"
GOLDEN = ROOT / "tests" / "golden" / "sink_mcp"
RUNTIME = "src/sink_mcp/runtime/"


def emitted() -> dict[str, str]:
    """Every file mcpgen emits for the kitchen-sink spec, except the verbatim runtime copy."""
    result = generate(default_config("sink", str(SPEC)))
    problems = [p.line() for p in result.report.errors]
    if problems:
        raise RuntimeError("the kitchen-sink spec no longer generates: " + "; ".join(problems))
    return {path: text for path, text in result.files.items() if not path.startswith(RUNTIME)}


def committed() -> dict[str, str]:
    """The golden files as committed."""
    return {
        str(path.relative_to(GOLDEN)): path.read_text(encoding="utf-8")
        for path in sorted(GOLDEN.rglob("*"))
        if path.is_file() and "__pycache__" not in path.parts
    }


def refresh() -> None:
    """Replace the golden folder with what the generator emits now."""
    shutil.rmtree(GOLDEN, ignore_errors=True)
    for path, text in emitted().items():
        target = GOLDEN / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8", newline="\n")
    print(f"refreshed {GOLDEN.relative_to(ROOT)}")


if __name__ == "__main__":
    refresh()
