"""A tool's description, composed in one place: what the full text says, and what ``tools/list`` serves.

The listed description is the summary, the description's first lines without the sentences that only state
scopes, then one short line per fact an agent must know before calling: scopes, credits, deprecation, and
what a workflow does (jobs, uploads, flow inputs, downloads). The full text goes to the README and docstrings.
"""

from __future__ import annotations

from generator.emit.listing import unpath
from generator.model.ir import Tool
from generator.model.prose import brief, shorten
from generator.model.scopes import strip_scope_prose

SUMMARY_LIMIT = 120
DESCRIPTION_LIMIT = 320
DOWNLOAD_NOTE = "The file is fetched and saved under the server's output folder; the result gives its path."
SKILL_NOTE = (
    "Give the skill's markdown (with name and description frontmatter) as a file or text, or a "
    ".skill/.zip package; markdown is checked and packaged as a .skill archive."
)


def summary(tool: Tool) -> str:
    """The one-line summary (docstring first line, listing first line)."""
    return shorten(tool.summary, SUMMARY_LIMIT)


def full_text(tool: Tool) -> str:
    """The full plain text, for the README and docstrings: the description, else the summary."""
    return tool.text or tool.summary


def listed_description(tool: Tool, env_prefix: str, scope_prose: tuple[str, ...]) -> str:
    """What ``tools/list`` says about the tool: ``describe`` without the ``(/path)`` the summaries repeat."""
    return unpath(describe(tool, env_prefix, scope_prose), tool.path)


def describe(tool: Tool, env_prefix: str, scope_prose: tuple[str, ...]) -> str:
    """The lean description: what it does, then scopes, warnings and workflow notes, one short line each."""
    return "\n".join([_about(tool, scope_prose), *_workflow_notes(tool, env_prefix)])


def described(tool: Tool, env_prefix: str, scope_prose: tuple[str, ...]) -> str:
    """What ``describe_tool`` says: the listed description with the summary and the description uncut."""
    full = _about(tool, scope_prose, summary_limit=None, body_limit=None)
    return unpath("\n".join([full, *_workflow_notes(tool, env_prefix)]), tool.path)


def _about(
    tool: Tool,
    scope_prose: tuple[str, ...],
    summary_limit: int | None = SUMMARY_LIMIT,
    body_limit: int | None = DESCRIPTION_LIMIT,
) -> str:
    first = shorten(tool.summary, summary_limit) if summary_limit else tool.summary
    stated = strip_scope_prose(tool.text, scope_prose)
    body = brief(stated, body_limit) if body_limit else stated.strip()
    parts = [first] if first else []
    if body and body.rstrip(".") != unpath(first, tool.path).rstrip("."):  # the summary's ``(/path)`` aside
        parts.append(body)
    if tool.scopes:
        parts.append("Scopes: " + ", ".join(tool.scopes) + ".")
    if tool.conditional_scopes:
        parts.append("Sometimes also: " + ", ".join(tool.conditional_scopes) + ".")
    if tool.credits:
        parts.append("Consumes paid vendor credits on every call.")
    if tool.deprecated:
        parts.append("Deprecated.")
    return "\n".join(parts)


def _workflow_notes(tool: Tool, env_prefix: str) -> list[str]:
    notes = []
    if tool.job:
        notes.append(
            f"Starts a job that finishes later; wait=true follows it with {tool.job.status_tool} until it ends."
        )
    if tool.upload and tool.upload.max_bytes:
        notes.append(f"Uploads up to {_size(tool.upload.max_bytes)}.")
    if tool.upload and tool.upload.skill:
        notes.append(SKILL_NOTE)
    if tool.flow_inputs:
        inputs = tool.flow_inputs
        notes.append(
            f"The flow's inputs go in {inputs.values_arg}; they are checked against {inputs.schema_tool} "
            "before the run starts."
        )
    if tool.download:
        notes.append(DOWNLOAD_NOTE)
    if tool.credits:
        notes.append(f"At most {env_prefix}_CREDIT_CALL_BUDGET such calls (default 3) per UTC day.")
    return notes


def _size(count: int) -> str:
    for unit, factor in (("GB", 10**9), ("MB", 10**6), ("KB", 10**3)):
        if count >= factor:
            return f"{count / factor:g} {unit}"
    return f"{count} bytes"
