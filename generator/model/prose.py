"""Descriptions as an agent should read them: no HTML, no runs of white space, bounded length."""

from __future__ import annotations

import html
import re
from functools import lru_cache

_TAG = re.compile(r"<[^>]{0,2000}>")
_BREAK = re.compile(r"<\s*(br|/p|/li|/h\d|/div)\s*/?>", re.IGNORECASE)
_SPACE = re.compile(r"[ \t\r\f\v]+")
_LINES = re.compile(r"\n\s*\n+")
_MD_LINK = re.compile(r"\[([^\]]{1,200})\]\([^)]{1,500}\)")
_ABBREVIATION = re.compile(r"(?i)\b(e\.g|i\.e|vs|approx|incl)\.$")


WHOLE = 4000  # a spec's description is kept whole up to this many characters (a bound on what a spec makes us hold)
_CACHED = 1 << 16  # distinct texts remembered: a large spec repeats each component's descriptions per tool


def plain(text: str | None) -> str:
    """Strip HTML tags and entities, keep paragraph breaks, fold other white space."""
    if not text:
        return ""
    return _plain(text if isinstance(text, str) else str(text))


@lru_cache(maxsize=_CACHED)
def _plain(text: str) -> str:
    text = _BREAK.sub("\n", text)
    text = html.unescape(_TAG.sub(" ", text))
    text = _MD_LINK.sub(r"\1", text)
    lines = [_SPACE.sub(" ", line).strip() for line in text.split("\n")]
    return _LINES.sub("\n\n", "\n".join(lines)).strip()


def brief(text: str | None, limit: int = 300) -> str:
    """One paragraph of at most ``limit`` characters, cut at a sentence or word boundary."""
    if not text:
        return ""
    return _brief(text if isinstance(text, str) else str(text), limit)


@lru_cache(maxsize=_CACHED)
def _brief(text: str, limit: int) -> str:
    return shorten(_plain(text), limit)


def shorten(text: str, limit: int) -> str:
    """Plain text as one paragraph of at most ``limit`` characters, cut at a sentence or word boundary."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    cut = flat[:limit]
    end = _sentence_end(cut)
    if end >= limit // 2:
        return cut[: end + 1]
    return cut[: cut.rfind(" ")].rstrip(",;:(") + "…"


def _sentence_end(text: str) -> int:
    """Index of the last full stop that ends a sentence (not ``e.g.`` or ``i.e.``), or -1."""
    end = text.rfind(". ")
    while end != -1 and _ABBREVIATION.search(text[: end + 1]):
        end = text.rfind(". ", 0, end)
    return end
