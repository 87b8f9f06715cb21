"""Offline search over the served tools: BM25 over each tool's name, tag, title and description."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

from mcp.types import Tool as MCPTool

from ..contract import META_OPERATION, Operation

_WORD = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+")
_STOP = frozenset("a an and all by for from in is it of on or the this to with".split())
_FIELDS = (("name", 3.0), ("tag", 2.0), ("title", 2.0), ("description", 1.0))


def tokens(text: str) -> list[str]:
    """Lower-case word stems of a name, a tag or prose: ``listAllGongCalls`` → ``list gong call``."""
    return [_stem(word) for word in (w.lower() for w in _WORD.findall(text or "")) if word not in _STOP]


def _stem(word: str) -> str:
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


class SearchIndex:
    """BM25 over each tool's weighted fields; built once per server, on the first search.

    The tag is the tool's ``Operation``'s (``operations``): the listing does not carry it.
    """

    def __init__(
        self, tools: Iterable[MCPTool], operations: Mapping[str, Operation], k1: float = 1.2, b: float = 0.75
    ) -> None:
        self.tools = {tool.name: tool for tool in tools}
        self.k1, self.b = k1, b
        self.docs = {name: self._document(tool, _tag(operations.get(name))) for name, tool in self.tools.items()}
        self.lengths = {name: sum(doc.values()) for name, doc in self.docs.items()}
        self.average = sum(self.lengths.values()) / max(len(self.docs), 1)
        counts = Counter(term for doc in self.docs.values() for term in doc)
        n = len(self.docs)
        self.idf = {term: math.log(1 + (n - df + 0.5) / (df + 0.5)) for term, df in counts.items()}

    @staticmethod
    def _document(tool: MCPTool, tag: str) -> dict[str, float]:
        fields = {"name": tool.name, "tag": tag, "title": _extra_title(tool)}
        fields["description"] = tool.description or ""
        doc: dict[str, float] = {}
        for field, weight in _FIELDS:
            for term in tokens(fields[field]):
                doc[term] = doc.get(term, 0.0) + weight
        return doc

    def search(self, query: str, limit: int) -> list[tuple[str, float]]:
        """The best ``limit`` tools for the query, best first, ties by name; tools matching nothing are left out."""
        terms = set(tokens(query))
        scored: list[tuple[str, float]] = []
        for name, doc in self.docs.items():
            norm = self.k1 * (1 - self.b + self.b * self.lengths[name] / (self.average or 1))
            score = sum(self.idf[t] * doc[t] * (self.k1 + 1) / (doc[t] + norm) for t in terms if t in doc)
            if score > 0:
                scored.append((name, round(score, 3)))
        return sorted(scored, key=lambda item: (-item[1], item[0]))[: max(1, limit)]


def _tag(op: Operation | None) -> str:
    return op.tag if op else ""


def title(tool: MCPTool) -> str:
    return tool.title or (tool.annotations.title if tool.annotations else None) or ""


def _extra_title(tool: MCPTool) -> str:
    """The title, unless it only repeats the description's first line (that would count those words twice)."""
    shown = title(tool)
    return "" if shown.rstrip(".…") == summary(tool).rstrip(".…") else shown


def facts(tool: MCPTool) -> dict[str, Any]:
    """The facts the listing carries in the tool's ``_meta`` (none: ``{}``)."""
    return dict((tool.meta or {}).get(META_OPERATION) or {})


def summary(tool: MCPTool) -> str:
    return (tool.description or "").split("\n", 1)[0]
