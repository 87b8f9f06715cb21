"""``generator.emit.jsontext.indented`` writes exactly what ``json.dumps(indent=1, sort_keys=True)`` writes."""

from __future__ import annotations

import json
import math
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from generator.emit.jsontext import indented


def _dumps(value: Any) -> str:
    return json.dumps(value, indent=1, sort_keys=True, ensure_ascii=False)


scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text()
values = st.recursive(
    scalars,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=6), children, max_size=4),
    max_leaves=40,
)


@settings(max_examples=300, deadline=None)
@given(values)
def test_the_same_text_as_json_dumps(value: Any) -> None:
    assert indented(value) == _dumps(value)


def test_what_a_catalog_holds() -> None:
    value = {
        "b": {"x": [], "y": {}, "z": [1, 2.5, -0.0, math.inf, None, True, 'é\n"\\\u2028']},
        "a": ("tuple", ["nested", {"k": [{}]}]),
        "": "empty key",
    }
    assert indented(value) == _dumps(value)
    for keys in ({2: "b", 1: "a"}, {2.5: "b", -1.5: "c"}, {True: 1, False: 2}, {None: 1}):
        assert indented(keys) == _dumps(keys)


def test_keys_json_cannot_write_are_refused_as_json_refuses_them() -> None:
    for bad in ({(1, 2): 1}, {b"x": 1}):
        for dump in (indented, _dumps):
            try:
                dump(bad)
            except TypeError:
                continue
            raise AssertionError(f"{dump.__name__} wrote {bad!r}")
