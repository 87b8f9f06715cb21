"""Limits the vendor states on what one answer holds: "Returns the 10 most recent runs" → at most 10, the rest older.

The vendor config states one plainly (``returns_at_most``); otherwise the operation's words are read, and its
success responses' descriptions. Only two shapes of sentence count, so a number in passing is never a limit: "the N
most recent THINGS" and "up to N THINGS per ONE".
"""

from __future__ import annotations

import re
from typing import Any

from generator.model.config import OperationOverride
from generator.model.prose import plain

_RECENT = re.compile(r"(?i)\b(?:the|up to|at most)\s+(\d{1,6})\s+most\s+recent\s+([a-z][a-z ]{0,30}?)\b(?=[.,;:)]|$)")
_PER = re.compile(r"(?i)\bup to\s+(\d{1,6})\s+([a-z]+)\s+per\s+[a-z ]{1,30}?(?=[.,;:)]|$)")
_SENTENCE = re.compile(r"[^.!?]*[.!?]?")


def stated(operation: dict[str, Any], override: OperationOverride) -> tuple[int, str] | None:
    """The most items a list in the operation's answer holds, and the vendor's words; None when it says none."""
    texts = [plain(operation.get("description")), plain(operation.get("summary")), *_success_texts(operation)]
    if override.returns_at_most is not None:
        return override.returns_at_most, override.returns_at_most_words or ""
    for text in texts:
        for pattern in (_RECENT, _PER):
            found = pattern.search(text)
            if found:
                return int(found.group(1)), _sentence(text, found.start())
    return None


def _success_texts(operation: dict[str, Any]) -> list[str]:
    found: list[str] = []
    responses = operation.get("responses")
    for code, response in responses.items() if isinstance(responses, dict) else ():
        if str(code).startswith("2") and isinstance(response, dict):
            found.append(plain(response.get("description")))
            for media in (response.get("content") or {}).values():
                schema = media.get("schema") if isinstance(media, dict) else None
                if isinstance(schema, dict) and isinstance(schema.get("description"), str):
                    found.append(plain(schema["description"]))
    return found


def _sentence(text: str, at: int) -> str:
    """The sentence of ``text`` that holds position ``at``."""
    for match in _SENTENCE.finditer(text):
        if match.start() <= at < match.end():
            return match.group().strip()
    return text.strip()
