"""What ``tools/list`` serves for each tool (``tools.json``), computed once at generation instead of at start-up."""

from __future__ import annotations

from typing import Any

from generator.emit import listing, workflow_views
from generator.emit.arguments import input_schema
from generator.emit.describe import listed_description
from generator.model.ir import Server, Tool
from generator.runtime.contract import META_OPERATION


def catalog(server: Server) -> dict[str, Any]:
    """Each tool's listed description, trimmed input schema, annotations and ``_meta``, by tool name."""
    return {tool.name: entry(tool, server) for tool in server.tools}


def entry(tool: Tool, server: Server) -> dict[str, Any]:
    """One tool's ``tools.json`` entry; see ``generator.emit.listing`` for what the listing leaves out."""
    return {
        "description": listed_description(tool, server.env_prefix, server.scope_prose),
        "input_schema": listing.listing_schema(input_schema(tool)),
        "annotations": listing.tool_annotations(tool.hints, listing.unpath(tool.hints.title, tool.path)),
        "meta": meta(tool),
    }


def meta(tool: Tool) -> dict[str, Any]:
    """The tool's ``_meta``: facts under one namespaced key."""
    facts: dict[str, Any] = {"method": tool.method, "path": tool.path, "tag": tool.tag, "scopes": list(tool.scopes)}
    if tool.conditional_scopes:
        facts["conditional_scopes"] = list(tool.conditional_scopes)
    if tool.credits:
        facts["consumes_credits"] = True
    if tool.deprecated:
        facts["deprecated"] = True
    facts.update(workflow_views.meta(tool))
    return {META_OPERATION: facts}
