"""A JSON answer over the size cap, cut between records, never inside one.

The answer's record list is found by following its largest part from the top (``calls``; a one-item wrapper is
stepped through: ``callTranscripts[0].transcript``); the records that fit are kept, whole and in order, with
everything beside the list. Where the list is and how long it was travel with the cut, so the answer can say how
many records it shows, of how many, and how to get the rest.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
LONGEST_NAME = 40  # a longer field name is shown quoted and cut short


@dataclass(frozen=True)
class Fit:
    """What is shown of an answer: the answer with its record list cut (``data``), the list's place as JMESPath
    (``where``: ``calls``, ``@`` for the answer itself; empty: no list to cut), and how many records it shows."""

    data: Any
    where: str = ""
    shown: int = 0
    total: int = 0
    fields: tuple[str, ...] = ()  # the first record's fields, for a ``select`` that keeps only some


def size(data: Any) -> int:
    """Bytes of the answer's compact JSON, as a result's text carries it."""
    return len(json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))


def fit(data: Any, budget: int) -> Fit:
    """``data`` with as many whole records of its record list as fit in ``budget`` bytes of JSON.

    Without a record list, or when what surrounds it is over the budget alone, nothing is shown (``data`` None).
    """
    steps = _record_list(data)
    records = _at(data, steps)
    if steps is None or not isinstance(records, list):
        return Fit(None)
    used = size(_replaced(data, steps, []))
    kept = 0
    for record in records:
        used += size(record) + (1 if kept else 0)
        if used > budget:
            break
        kept += 1
    if size(_replaced(data, steps, [])) > budget:
        return Fit(None)
    first = records[0] if records else None
    fields = tuple(str(key) for key in first) if isinstance(first, dict) else ()
    return Fit(_replaced(data, steps, records[:kept]), _jmespath(steps), kept, len(records), fields)


def _record_list(data: Any) -> list[str | int] | None:
    """The steps to the answer's record list: down its largest part, through one-item wrappers; None: none."""
    steps: list[str | int] = []
    node = data
    while True:
        if isinstance(node, dict) and node:
            key = max(node, key=lambda k: size(node[k]))
            steps.append(key)
            node = node[key]
        elif isinstance(node, list) and len(node) == 1 and isinstance(node[0], dict | list):
            steps.append(0)
            node = node[0]
        elif isinstance(node, list):
            return steps
        else:
            return _last_list(data, steps)


def _last_list(data: Any, steps: list[str | int]) -> list[str | int] | None:
    """The deepest list on the way (a one-record list whose record is too big), else None."""
    for end in range(len(steps) - 1, -1, -1):
        if isinstance(steps[end], int):
            return steps[:end]
    return None if not isinstance(data, list) else []


def _at(data: Any, steps: list[str | int] | None) -> Any:
    for step in steps or ():
        data = data[step]
    return data


def _replaced(data: Any, steps: list[str | int], value: Any) -> Any:
    """A copy of ``data`` with the value at ``steps`` replaced (only the containers on the way are copied)."""
    if not steps:
        return value
    head, *rest = steps
    copy: Any = list(data) if isinstance(data, list) else dict(data)
    copy[head] = _replaced(data[head], rest, value)
    return copy


def plain_name(name: str) -> bool:
    """Whether a field's name is a bare JMESPath identifier of a readable length (others are quoted)."""
    return len(name) <= LONGEST_NAME and _NAME.fullmatch(name) is not None


def full_lists(data: Any, most: int, depth: int = 4) -> list[str]:
    """Where ``data`` holds a list of ``most`` items or more, as JMESPath (``"flow-3"``, ``runs``), in order."""
    found: list[str] = []

    def walk(node: Any, steps: list[str | int], left: int) -> None:
        if isinstance(node, list) and len(node) >= most:
            found.append(_jmespath(steps))
        if left == 0:
            return
        items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
        for key, value in items:
            if isinstance(value, dict | list):
                walk(value, [*steps, key], left - 1)

    walk(data, [], depth)
    return found


def _jmespath(steps: list[str | int]) -> str:
    out = ""
    for step in steps:
        if isinstance(step, int):
            out += f"[{step}]"
        else:
            name = step if plain_name(step) else json.dumps(step)
            out += f".{name}" if out else name
    return out or "@"
