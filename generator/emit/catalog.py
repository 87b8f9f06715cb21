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
    """One tool's ``tools.json`` entry; see ``generator.emit.listing`` for what the listing leaves out.

    ``meta`` is left out when the tool has no listed facts, so its listing has no ``_meta`` at all.
    """
    found = {
        "description": listed_description(tool, server.env_prefix, server.scope_prose),
        "input_schema": listing.listing_schema(input_schema(tool, listed=True)),
        "annotations": listing.tool_annotations(tool.hints, listing.unpath(tool.hints.title, tool.path)),
    }
    facts = listed_facts(tool)
    return {**found, "meta": {META_OPERATION: facts}} if facts else found


def listed_facts(tool: Tool) -> dict[str, Any]:
    """What the listing's ``_meta`` tells a client that it cannot see elsewhere; never an empty value.

    Agents pay for every listed byte, on every listing. The operation's method, path and tag are not listed:
    they are the tool's ``Operation`` in ``operations.py``, where the server reads them (the dynamic toolset's
    search and ``describe_tool``), and in the package's README.
    """
    facts: dict[str, Any] = {}
    if tool.scopes:
        facts["scopes"] = list(tool.scopes)
    if tool.conditional_scopes:
        facts["conditional_scopes"] = list(tool.conditional_scopes)
    if tool.credits:
        facts["consumes_credits"] = True
    if tool.deprecated:
        facts["deprecated"] = True
    facts.update(workflow_views.meta(tool))
    return facts
