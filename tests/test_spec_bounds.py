"""Bounded loading: hostile YAML and JSON are refused in one line naming the limit, quickly."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from generator.errors import FatalError
from generator.model.config import default_config
from generator.pipeline import generate
from generator.spec.bounds import SpecLimits, check_operations, check_yaml
from generator.spec.load import decode

HEAD = 'openapi: 3.0.3\ninfo: {title: t, version: "1"}\npaths: {}\n'


def laughs(levels: int) -> str:
    """A "billion laughs": each level is nine aliases of the one before."""
    lines = [HEAD, 'x-0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"x-{n}: &l{n} [{', '.join([f'*l{n - 1}'] * 9)}]" for n in range(1, levels)]
    return "\n".join(lines) + "\n"


def refusal(text: str, name: str = "spec.yaml") -> str:
    with pytest.raises(FatalError) as caught:
        decode(name, text.encode())
    return caught.value.problem.line()


def test_a_billion_laughs_is_refused_before_it_expands() -> None:
    started = time.monotonic()
    line = refusal(laughs(10))  # under 1 KB; 9**10 nodes expanded
    assert line == "error: spec.yaml: refused: the document expands to more than 5,000,000 nodes (YAML aliases)"
    assert time.monotonic() - started < 10


def test_a_few_aliases_are_fine() -> None:
    document = decode("spec.yaml", laughs(3).encode())
    assert len(document["x-2"]) == 9


def test_alias_count_depth_and_time_limits_name_themselves() -> None:
    many = HEAD + "x-a: &a 1\nx-b: [" + ", ".join(["*a"] * 50) + "]\n"
    with pytest.raises(FatalError, match="more than 10 YAML aliases"):
        check_yaml("spec.yaml", many, SpecLimits(max_aliases=10))
    with pytest.raises(FatalError, match="reading took longer than 0 s"):
        check_yaml("spec.yaml", HEAD + "x: [" + ", ".join(["1"] * 10_000) + "]\n", SpecLimits(max_seconds=0))
    assert "nesting deeper than 128 levels" in refusal(HEAD + "x: " + "[" * 200 + "]" * 200 + "\n")


@pytest.mark.parametrize("depth", [200, 5000])
def test_deep_json_is_refused_in_one_line(depth: int) -> None:
    text = '{"openapi": "3.0.3", "x": ' + "[" * depth + "]" * depth + "}"
    assert refusal(text, "spec.json") == "error: spec.json: refused: nesting deeper than 128 levels"


def test_a_spec_of_more_operations_than_one_server_carries_is_refused_before_the_work(tmp_path: Path) -> None:
    """Microsoft Graph beta (22,361 operations) ran past 180 s; it is now one line, before any walk of the spec."""
    paths = {f"/things{n}": {"get": {"responses": {"200": {"description": "ok"}}}} for n in range(5_001)}
    spec = tmp_path / "big.json"
    spec.write_text(json.dumps({"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": paths}), "utf-8")
    with pytest.raises(FatalError) as caught:
        generate(default_config("big", str(spec)))
    assert caught.value.problem.line() == (
        "error: #/paths: refused: 5,001 operations, over the limit of 5,000 for one server; "
        "split the spec or keep a part of it (its paths or tags) in a copy"
    )
    check_operations(5_000)  # at the limit: fine
