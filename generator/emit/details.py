"""What ``describe_tool`` adds to the listing (``details.json``): the full text the listing cut, and the answer's shape.

The listing keeps each description short (``generator.emit.listing``); ``describe_tool`` promises the full story.
So for each tool this file holds only what the listing does not: its description when the listing's is shorter,
its input schema when the listing cut an argument's description, and the shape of its
answer (``generator.emit.shapes``). The server reads it on the first ``describe_tool`` or ``search_tools``, never at
start-up and never into ``tools/list``.
"""

from __future__ import annotations

import json
from typing import Any

from generator.emit import listing
from generator.emit.arguments import input_schema
from generator.emit.describe import described, listed_description
from generator.emit.shapes import UNPROMISED, AnswerShape, answer_shape
from generator.model.ir import Server, Tool
from generator.runtime.contract import ANSWER_AS, ANSWER_KEYS


def details(server: Server) -> dict[str, Any]:
    """Each tool's details, by tool name; a tool the listing already tells in full has none.

    Many tools answer alike (GitHub's 865 answers are 438 distinct ones): a tool whose answer rows equal an earlier
    tool's has ``returns_as`` naming that tool instead of a copy.
    """
    shapes: dict[int, AnswerShape] = {}  # the IR shares a schema among tools that answer alike (GitHub: 926 in 465)
    found = {tool.name: entry(tool, server, shapes) for tool in server.tools}
    first: dict[str, str] = {}  # an answer's rows, as text → the first tool that answers them
    for name, value in found.items():
        answer = {key: value.pop(key) for key in ANSWER_KEYS if key in value}
        if answer:
            same = first.setdefault(json.dumps(answer, sort_keys=True), name)
            value.update({ANSWER_AS: same} if same != name else answer)
    return {name: value for name, value in found.items() if value}


def entry(tool: Tool, server: Server, shapes: dict[int, AnswerShape]) -> dict[str, Any]:
    """One tool's details: ``description``; ``descriptions`` (the listed input schema's cut ones, whole, by JSON
    pointer) or, when whole descriptions shaped the schema otherwise, the whole ``input_schema``; ``returns_type``,
    ``returns`` and ``returns_defs``. ``shapes`` holds the answer shapes worked out so far, by schema object."""
    out: dict[str, Any] = {}
    full = described(tool, server.env_prefix, server.scope_prose)
    if full != listed_description(tool, server.env_prefix, server.scope_prose):
        out["description"] = full
    arguments = input_schema(tool)
    if listing.cuts(arguments):  # else the listed schema is the whole one
        whole, listed = listing.listing_schema(arguments, limit=None), listing.listing_schema(arguments)
        uncut = descriptions(listed, whole, "")
        out.update({"descriptions": uncut} if uncut is not None else {"input_schema": whole})
    if tool.response_schema:
        key = id(tool.response_schema)  # the tools (and so their schemas) outlive ``shapes``
        shape = shapes.get(key) or shapes.setdefault(key, answer_shape(tool.response_schema))
        out["returns_type"] = shape.kind
        if shape.rows:
            out["returns"] = shape.rows
        if shape.defs:
            out["returns_defs"] = shape.defs
        if shape.rows and not shape.promised:
            out["returns_note"] = UNPROMISED
    return out


def descriptions(listed: Any, whole: Any, at: str) -> dict[str, str] | None:
    """Each description that differs between two schemas, by JSON pointer; None when anything else differs."""
    if isinstance(listed, list) and isinstance(whole, list) and len(listed) == len(whole):
        pairs: list[tuple[str, Any, Any]] = [(str(i), a, b) for i, (a, b) in enumerate(zip(listed, whole, strict=True))]
    elif isinstance(listed, dict) and isinstance(whole, dict) and listed.keys() == whole.keys():
        pairs = [(str(key).replace("~", "~0").replace("/", "~1"), listed[key], whole[key]) for key in listed]
    else:
        return None if listed != whole else {}
    found: dict[str, str] = {}
    for key, short, full in pairs:
        if key == "description" and isinstance(short, str) and isinstance(full, str) and isinstance(listed, dict):
            if short != full:
                found[f"{at}/{key}"] = full
            continue
        inner = descriptions(short, full, f"{at}/{key}")
        if inner is None:
            return None
        found.update(inner)
    return found
