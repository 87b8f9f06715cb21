"""Stage 1, load: a path or http(s) URL → bytes → a plain dict, with the sha256 checked against its pin."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from generator.errors import FatalError
from generator.spec.bounds import LIMITS, SAFE_LOADER, check_depth, check_yaml
from generator.spec.download import MAX_SPEC_BYTES, download


class SpecLoader(SAFE_LOADER):  # type: ignore[misc]  # PyYAML's loaders are untyped
    """The safe loader, with timestamps kept as the text written: OpenAPI documents are JSON data, and a
    ``datetime.date`` default would reach emitted code as a call to a module nobody imported."""


SpecLoader.add_constructor("tag:yaml.org,2002:timestamp", yaml.SafeLoader.construct_yaml_str)


@dataclass(frozen=True)
class LoadedSpec:
    """A spec document as read, before any normalization."""

    location: str
    sha256: str
    document: dict[str, Any]


def read_bytes(location: str) -> bytes:
    """Read a spec from a local path or an http(s) URL (within a deadline and a size cap: ``download``)."""
    if location.startswith(("http://", "https://")):
        return download(location).body
    if "://" in location:
        raise FatalError(location, "only local paths and http(s) URLs are supported")
    try:
        return Path(location).read_bytes()
    except FileNotFoundError:
        raise FatalError(location, "no such spec file") from None
    except OSError as exc:
        raise FatalError(location, f"cannot read spec: {exc.strerror}") from None


def decode(location: str, raw: bytes) -> dict[str, Any]:
    """Decode JSON or YAML text into a dict; a syntax error names its line and column."""
    if len(raw) > MAX_SPEC_BYTES:
        raise FatalError(location, f"spec is larger than {MAX_SPEC_BYTES} bytes")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FatalError(location, f"spec is not UTF-8 text (byte {exc.start})") from None
    if text.lstrip().startswith(("{", "[")):
        try:
            document = json.loads(text)
        except json.JSONDecodeError as exc:
            raise FatalError(f"{location}:{exc.lineno}:{exc.colno}", f"invalid JSON: {exc.msg}") from None
        except RecursionError:
            raise FatalError(location, f"refused: nesting deeper than {LIMITS.max_depth} levels") from None
        check_depth(location, document)
    else:
        try:
            check_yaml(location, text)  # aliases, expansion, depth and time, before anything is built
            document = yaml.load(text, Loader=SpecLoader)  # safe: a SafeLoader with one constructor changed
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f"{location}:{mark.line + 1}:{mark.column + 1}" if mark else location
            reason = getattr(exc, "problem", None) or "not valid YAML"
            raise FatalError(where, f"invalid YAML: {reason}") from None
    if not isinstance(document, dict):
        raise FatalError(location, "a spec must be a JSON or YAML object at the top level")
    return document


def load_spec(location: str, pinned_sha256: str | None = None) -> LoadedSpec:
    """Load a spec and check it against its pin, if the config has one."""
    raw = read_bytes(location)
    digest = hashlib.sha256(raw).hexdigest()
    if pinned_sha256 and digest != pinned_sha256.lower():
        raise FatalError(
            location,
            f"sha256 {digest} does not match the pin {pinned_sha256}; review the new spec, "
            "then set spec.sha256 in the vendor config to the new value",
        )
    return LoadedSpec(location=location, sha256=digest, document=decode(location, raw))
