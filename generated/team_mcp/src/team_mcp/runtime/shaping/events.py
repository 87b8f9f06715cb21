"""Server-Sent Events answers (``text/event-stream``), e.g. a chat completion asked for with ``stream: true``.

A tool result is not streamed, so the events are collected and shown as data rather than as raw
``data:`` lines. Each event's data is parsed as JSON when it is JSON. When the events are
OpenAI-style ``chat.completion.chunk`` objects, which OpenAI-compatible APIs such as Gumloop's send,
their deltas are joined into the finished message.
"""

from __future__ import annotations

import json
from typing import Any

MEDIA = "text/event-stream"
CHUNK = "chat.completion.chunk"


def parse(text: str) -> list[dict[str, Any]]:
    """The events in an event stream: ``data`` (JSON when it parses) plus ``event``/``id`` when given."""
    events: list[dict[str, Any]] = []
    fields: dict[str, Any] = {}
    data: list[str] = []
    for line in [*text.splitlines(), ""]:
        if not line:
            if data:
                events.append({**fields, "data": _value("\n".join(data))})
            fields, data = {}, []
            continue
        if line.startswith(":"):
            continue  # a comment (often a keep-alive)
        name, _, value = line.partition(":")
        value = value[1:] if value.startswith(" ") else value
        if name == "data":
            data.append(value)
        elif name in ("event", "id"):
            fields[name] = value
    return events


def collected(text: str) -> dict[str, Any]:
    """What an agent should see of a whole stream: the finished message for chat chunks, else every event."""
    events = parse(text)
    chunks = [e["data"] for e in events if isinstance(e["data"], dict) and e["data"].get("object") == CHUNK]
    rest = [e for e in events if e["data"] != "[DONE]"]
    if not chunks or len(chunks) != len(rest):
        return {"events": rest, "event_count": len(rest)}
    content: list[str] = []
    reasons: list[Any] = []
    tool_calls: list[Any] = []
    for chunk in chunks:
        for choice in chunk.get("choices") or []:
            delta = choice.get("delta") or {}
            if isinstance(delta.get("content"), str):
                content.append(delta["content"])
            tool_calls.extend(delta.get("tool_calls") or [])
            if choice.get("finish_reason"):
                reasons.append(choice["finish_reason"])
    last = chunks[-1]
    message = {
        "object": "chat.completion (joined from stream chunks)",
        "id": last.get("id"),
        "model": last.get("model"),
        "content": "".join(content),
        "finish_reason": reasons[-1] if reasons else None,
        "chunk_count": len(chunks),
    }
    if tool_calls:
        message["tool_call_deltas"] = tool_calls
    usage = next((c["usage"] for c in reversed(chunks) if c.get("usage")), None)
    if usage:
        message["usage"] = usage
    return message


def _value(data: str) -> Any:
    try:
        return json.loads(data)
    except (ValueError, RecursionError):
        return data
