"""Asking a person to connect their vendor account: a URL-mode elicitation where the client can show one.

A call whose caller has no account (or a dead one) comes back from the dispatcher as a tool error carrying
``connect_url``. On protocol versions with URL-mode elicitation (2025-11-25, and its successor 2026-07-28)
and a client that declared it, the call is answered instead with the protocol's ``URLElicitationRequired``
error (-32042): the client shows the link to the person, who connects out of band and calls again. Every other
client gets the tool error as it is, whose text carries the same link.
"""

from __future__ import annotations

import hashlib

from mcp import UrlElicitationRequiredError
from mcp.server.mcpserver import Context
from mcp.types import CallToolResult, ClientCapabilities, ElicitationCapability, UrlElicitationCapability
from mcp_types import ElicitRequestURLParams

URL_ELICITATION_VERSIONS = frozenset({"2025-11-25", "2026-07-28"})
WANTED = ClientCapabilities(elicitation=ElicitationCapability(url=UrlElicitationCapability()))


def connect_url(result: CallToolResult) -> str | None:
    """The connect link a tool error carries, if any."""
    link = (result.structured_content or {}).get("connect_url") if result.is_error else None
    return link if isinstance(link, str) and link else None


def can_elicit_url(ctx: Context) -> bool:
    """Whether this request's client may be sent a URL-mode elicitation."""
    if ctx.protocol_version not in URL_ELICITATION_VERSIONS:
        return False
    try:
        return bool(ctx.session.check_client_capability(WANTED))
    except (AttributeError, ValueError):  # outside a request, or no capabilities told
        return False


def ask_to_connect(ctx: Context, result: CallToolResult) -> CallToolResult:
    """``result`` as it is, unless it asks for a connect and the client can show a link: then raise
    ``UrlElicitationRequiredError`` naming it (the SDK answers the call with that protocol error)."""
    link = connect_url(result)
    if link is None or not can_elicit_url(ctx):
        return result
    message = str((result.structured_content or {}).get("error") or "connect your account to use this tool")
    elicitation = ElicitRequestURLParams(
        message=f"{message}. Open the link to connect, then call again.",
        url=link,
        elicitation_id=hashlib.sha256(link.encode("utf-8")).hexdigest()[:32],
    )
    raise UrlElicitationRequiredError([elicitation])
