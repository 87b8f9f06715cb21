"""Offline search over the served tools: BM25F over what each tool is called, does, takes and answers.

A person types what they mean ("close an issue", "list open pull requests", "talk time of each speaker"), so a
tool's document has fields, each weighted and normalized by its own length (BM25F): the name and the operation's
own summary count most, then the tag, title and the rest of the description, then the arguments (names and
allowed values: ``state: open, closed``), and least the answer (its fields' names and descriptions, from the
package's ``details.json``). Words are cut to a stem (``issues``, ``closed`` → ``issu``, ``clos``), so singular
and plural, present and past meet; a query's verb says what kind of tool is meant (``list`` reads, ``close``
changes, ``delete`` removes), and tools of that kind rank higher.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

from mcp.types import Tool as MCPTool

from ..contract import ANSWER_AS, ANSWER_KEYS, META_OPERATION, Operation

_WORD = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+")
_STOP = frozenset("a an and all any by each every for from i in is it its me my of on or the this to with".split())
_WEIGHTS = {"name": 3.0, "summary": 3.0, "tag": 1.5, "title": 2.0, "description": 1.0, "arguments": 0.5, "answer": 0.4}
_SATURATION, _LENGTH = 1.2, 0.75  # BM25's k1 and b
_READ, _CHANGE, _CREATE, _REMOVE = "read", "change", "create", "remove"
_INTENT = {  # what a person's verb asks for; the tool's kind comes from its hints and method (``_kind``)
    **dict.fromkeys("list get show find search fetch retrieve read view see count look".split(), _READ),
    **dict.fromkeys("update edit change modify set rename close reopen move mark assign lock".split(), _CHANGE),
    **dict.fromkeys("create add new make post upload send submit register".split(), _CREATE),
    **dict.fromkeys("delete remove erase unassign cancel drop".split(), _REMOVE),
}
_ALSO = {"move": ("transition", "status"), "remove": ("delete",), "delete": ("remove",), "edit": ("update",)}
_INTENT_BOOST, _ALSO_WEIGHT = 1.3, 0.5


def tokens(text: str) -> list[str]:
    """Lower-case word stems of a name, a tag or prose: ``listAllGongCalls`` → ``list gong call``."""
    return [_stem(word) for word in (w.lower() for w in _WORD.findall(text or "")) if word not in _STOP]


def _stem(word: str) -> str:
    """A light stem: plurals, ``-ed`` and ``-ing`` off, and a final ``e`` (``issues``, ``issue`` → ``issu``)."""
    if len(word) > 4 and word.endswith("ies"):
        word = word[:-3] + "y"
    elif len(word) > 4 and word.endswith(("sses", "ses", "xes", "ches", "shes")):
        word = word[:-2]
    elif len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    if len(word) > 5 and word.endswith("ing"):
        word = word[:-3]
    elif len(word) > 4 and word.endswith("ed"):
        word = word[:-2]
    return word[:-1] if len(word) > 3 and word.endswith("e") else word


class SearchIndex:
    """BM25F over each tool's weighted fields; built once per server, on the first search.

    The tag is the tool's ``Operation``'s (``operations``): the listing does not carry it. ``details`` is the
    package's ``details.json`` (each tool's answer rows); without it the answer field is empty.
    """

    def __init__(
        self,
        tools: Iterable[MCPTool],
        operations: Mapping[str, Operation],
        details: Mapping[str, Any] | None = None,
    ) -> None:
        self.tools = {tool.name: tool for tool in tools}
        self.kinds = {name: _kind(operations.get(name)) for name in self.tools}
        known = details or {}
        self.fields = {
            name: _fields(tool, operations.get(name), answer_of(known, name)) for name, tool in self.tools.items()
        }
        n = max(len(self.fields), 1)
        self.average = {
            field: sum(sum(doc[field].values()) for doc in self.fields.values()) / n or 1.0 for field in _WEIGHTS
        }
        counts = Counter(term for doc in self.fields.values() for term in set().union(*doc.values()))
        self.idf = {term: math.log(1 + (n - df + 0.5) / (df + 0.5)) for term, df in counts.items()}

    def search(self, query: str, limit: int) -> list[tuple[str, float]]:
        """The best ``limit`` tools for the query, best first, ties by name; tools matching nothing are left out."""
        words = [w.lower() for w in _WORD.findall(query or "")]
        terms = {term: 1.0 for term in tokens(query)}
        for word in words:
            for also in _ALSO.get(word, ()):
                terms.setdefault(_stem(also), _ALSO_WEIGHT)
        intents = {_INTENT[w] for w in words if w in _INTENT}
        scored: list[tuple[str, float]] = []
        for name, doc in self.fields.items():
            score = sum(weight * self._term(term, doc) for term, weight in terms.items())
            if score > 0:
                boost = _INTENT_BOOST if self.kinds[name] in intents else 1.0
                scored.append((name, round(score * boost, 3)))
        return sorted(scored, key=lambda item: (-item[1], item[0]))[: max(1, limit)]

    def _term(self, term: str, doc: dict[str, Counter[str]]) -> float:
        """One term's score in one tool: BM25 in each field, saturated there, weighted and summed, so that a word
        repeated across a long answer never outweighs the same word once in the summary."""
        if term not in self.idf:
            return 0.0
        score = 0.0
        for field, weight in _WEIGHTS.items():
            count = doc[field].get(term)
            if count:
                length = sum(doc[field].values()) / self.average[field]
                score += weight * count * (_SATURATION + 1) / (count + _SATURATION * (1 - _LENGTH + _LENGTH * length))
        return self.idf[term] * score


def _fields(tool: MCPTool, op: Operation | None, answer: Mapping[str, Any]) -> dict[str, Counter[str]]:
    head, _, rest = (tool.description or "").partition("\n")
    texts = {
        "name": tool.name,
        "summary": head,
        "tag": " ".join(op.tags) if op else "",
        "title": _extra_title(tool),
        "description": rest,
        "arguments": " ".join(_argument_words(tool.input_schema)),
        "answer": " ".join(_answer_words(answer.get("returns") or {})),
    }
    return {field: Counter(tokens(text)) for field, text in texts.items()}


def _argument_words(schema: Any) -> list[str]:
    """The arguments' names and allowed values, one level into objects and lists (``filter.fromDateTime``)."""
    words: list[str] = []
    properties = schema.get("properties") if isinstance(schema, dict) else None
    for name, sub in (properties or {}).items():
        words.append(str(name))
        for inner in (sub, sub.get("items") if isinstance(sub, dict) else None):
            if isinstance(inner, dict):
                words += [str(value) for value in inner.get("enum") or [] if isinstance(value, str)]
                words += [str(key) for key in inner.get("properties") or {}]
    return words


def _answer_words(rows: Mapping[str, str]) -> list[str]:
    """Each answer field's own name and its description (the row's text after the type: ``int (int64): …``)."""
    words: list[str] = []
    for path, row in rows.items():
        words.append(path.rsplit(".", 1)[-1].replace("[]", ""))
        words.append(row.partition(": ")[2])
    return words


def answer_of(details: Mapping[str, Any], name: str) -> dict[str, Any]:
    """A tool's answer keys in ``details.json`` (``ANSWER_KEYS``), followed through ``returns_as``; {}: none."""
    own = details.get(name) or {}
    shared = (details.get(own[ANSWER_AS]) or {}) if ANSWER_AS in own else own
    return {key: shared[key] for key in ANSWER_KEYS if key in shared}


def _kind(op: Operation | None) -> str:
    """What a tool does, in the query verbs' terms: reads, creates, changes or removes."""
    if op is None:
        return ""
    if op.read_only:
        return _READ
    if op.destructive or op.method == "DELETE":
        return _REMOVE
    return _CREATE if op.method == "POST" else _CHANGE


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
