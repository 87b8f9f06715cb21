"""The kitchen-sink package, compared byte for byte with the golden record (``make golden`` refreshes it)."""

from __future__ import annotations

import difflib

from tests.golden import committed, emitted


def test_emitted_package_matches_the_golden_record() -> None:
    now, golden = emitted(), committed()
    assert sorted(now) == sorted(golden), "files differ from tests/golden/sink_mcp; run `make golden` and review"
    for path, text in now.items():
        if text != golden[path]:
            diff = difflib.unified_diff(golden[path].splitlines(), text.splitlines(), "golden", "now", lineterm="", n=1)
            snippet = "\n".join(list(diff)[:40])
            raise AssertionError(f"{path} differs from the golden record (run `make golden` and review):\n{snippet}")
