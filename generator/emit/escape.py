"""Escaping: the only ways spec text enters emitted code, TOML and Markdown. A spec is untrusted input."""

from __future__ import annotations

import json
import math
import re
from typing import Any

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def pyrepr(value: Any) -> str:
    """A Python literal for JSON-like data; the only way spec text enters code."""
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError("non-finite number in spec data")
    if isinstance(value, dict):
        return "{" + ", ".join(f"{pyrepr(k)}: {pyrepr(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(pyrepr(v) for v in value) + "]"
    if isinstance(value, tuple):
        return "(" + "".join(f"{pyrepr(v)}, " for v in value).rstrip(" ") + ")"
    if value is None or isinstance(value, bool | int | float | str):
        return repr(value)
    raise TypeError(f"cannot emit {type(value).__name__} as a literal")


def pyrepr_toml(value: str) -> str:
    """A TOML basic string."""
    return json.dumps(str(value), ensure_ascii=False)


def docstring(text: Any) -> str:
    """Text that is safe inside a triple-quoted docstring: no closing quotes, no escapes, no controls.

    Backslashes are doubled (so nothing is an escape), every run of three quotes is broken up, and a quote at the
    very end is escaped so it cannot merge with the closing quotes. Trailing white space goes (ruff W291).
    """
    clean = _CONTROL.sub(" ", str(text or ""))
    clean = clean.replace("\\", "\\\\").replace('"""', '\\"\\"\\"')
    clean = "\n".join(line.rstrip() for line in clean.split("\n"))
    return clean[:-1] + '\\"' if clean.endswith('"') and not clean.endswith('\\"') else clean


def md(text: Any) -> str:
    """Text that cannot break a Markdown table cell or open raw HTML."""
    return str(text or "").replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;")


def jsonstr(value: Any) -> str:
    """A JSON string literal, which is also a safe YAML scalar and a Dockerfile exec-form word."""
    return json.dumps(str(value), ensure_ascii=False)
