"""Run the real ``mcpgen`` entry point in-process and capture what a user would see."""

from __future__ import annotations

import sys
from dataclasses import dataclass

import pytest

from generator.cli.main import main


@dataclass
class Run:
    """Exit code and output of one ``mcpgen`` run."""

    code: int
    out: str
    err: str

    @property
    def lines(self) -> list[str]:
        """Every non-empty line, stdout then stderr."""
        return [line for line in (self.out + self.err).splitlines() if line.strip()]


def mcpgen(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, *args: str) -> Run:
    """Call ``mcpgen ARGS`` as the console script would."""
    monkeypatch.setattr(sys, "argv", ["mcpgen", *args])
    code = 0
    try:
        main()
    except SystemExit as exc:
        code = int(exc.code or 0)
    captured = capsys.readouterr()
    return Run(code, captured.out, captured.err)
