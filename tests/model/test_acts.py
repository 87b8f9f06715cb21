"""What a tool does, in its own words (issue 23.4, 23.5): the verb that names it and the hints it gets."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from generator.errors import Report
from generator.model.acts import act_of, lemma, named_by_act, rpc
from generator.model.ir import Server, Tool


@pytest.mark.parametrize(
    ("word", "verb"),
    [("Updates", "update"), ("Retrieves", "retrieve"), ("searches", "search"), ("list", "list"), ("Voids", "void"),
     ("news", None), ("status", None), ("Access", None)],
)  # fmt: skip
def test_lemma_reads_a_verb_as_written(word: str, verb: str | None) -> None:
    assert lemma(word) == verb


def test_rpc_paths_split_into_resource_and_method_words() -> None:
    call = rpc("/admin.apps.approve")
    assert call is not None and (call.resource, call.words) == (("admin", "apps"), ("approve",))
    message = rpc("/api/chat.postMessage")
    assert message is not None and (message.resource, message.words) == (("api", "chat"), ("post", "message"))
    assert rpc("/reports/summary.json") is None  # a file suffix is no method
    assert rpc("/v1/customers/{customer}") is None


def test_the_act_is_read_from_path_operation_id_summary_then_description() -> None:
    assert act_of("/auth.revoke", {"operationId": "auth_revoke"}) == act_of("/auth.revoke", {})
    assert (act_of("/auth.revoke", {}) or ...).source == "path"  # type: ignore[union-attr]
    stripe = act_of("/v1/customers/{c}", {"operationId": "PostCustomersCustomer", "description": "<p>Updates it</p>"})
    assert stripe is not None and (stripe.verb, stripe.family, stripe.source) == ("update", "update", "description")
    voided = act_of("/v1/invoices/{i}/void", {"operationId": "PostInvoicesInvoiceVoid"})
    assert voided is not None and (voided.verb, voided.source) == ("void", "operationId")
    assert act_of("/things", {"summary": "Integration settings"}) is None


@pytest.mark.parametrize(
    ("method", "path", "operation", "named"),
    [
        ("POST", "/chat.delete", {}, ("delete_a", "/chat")),
        ("POST", "/chat.postMessage", {}, ("create_a", "/chat/message")),
        ("GET", "/users.list", {}, ("list_all", "/users")),
        ("GET", "/users.info", {}, ("get_single", "/users")),
        ("GET", "/auth.revoke", {}, ("revoke_a", "/auth")),
        ("GET", "/conversations.history", {}, None),  # no verb: the method's name over every word
        ("POST", "/v1/customers/{id}", {"summary": "Updates a customer"}, ("update_a", "/v1/customers/{id}")),
        ("POST", "/v1/invoices/{invoice}/void", {}, ("void_a", "/v1/invoices/{invoice}")),
        # issue 32 #13: a POST to an item that names no act updates it (Stripe's ``PostQuotesQuote``)
        ("POST", "/v1/quotes/{quote}", {"operationId": "PostQuotesQuote"}, ("update_a", "/v1/quotes/{quote}")),
        ("POST", "/roles/{id}", {"summary": "Add actors to a role"}, None),  # a create stays one
        ("POST", "/v2/tasks", {"operationId": "listTasks"}, None),  # a read by POST keeps the method's name
        ("PUT", "/v2/calls/{id}/media", {"operationId": "addCallRecording"}, None),  # only POST is read again
        # the path already names the write (Gong's erase-data operations keep their names)
        ("POST", "/v2/data-privacy/erase-data-for-email-address", {"summary": "Delete the email address"}, None),
        # a call selected by the path key's fragment (AWS), whatever the method: its verb, then its noun
        ("POST", "/#X-Amz-Target=DynamoDB_20120810.CreateTable", {}, ("create_a", "/table")),
        ("GET", "/#Action=DescribeStacks", {}, ("describe_all", "/stacks")),
        ("POST", "/#Action=ListStacks", {}, ("list_all", "/stacks")),
        ("GET", "/#Action=GetIdentityPolicies", {}, ("get_single", "/identity_policies")),
        ("POST", "/#X-Amz-Target=DynamoDB_20120810.BatchGetItem", {}, ("get_single", "/batch_item")),
        ("GET", "/#Action=AcceptAddressTransfer", {}, ("accept_a", "/address_transfer")),
    ],
)
def test_the_verb_decides_the_name_only_where_the_method_hides_it(
    method: str, path: str, operation: dict[str, Any], named: tuple[str, str] | None
) -> None:
    assert named_by_act(method, path, operation) == named


def test_a_get_that_revokes_is_not_read_only_and_says_so(build_inline: Callable[..., tuple[Server, Report]]) -> None:
    document = _spec({"/auth.revoke": {"get": {"operationId": "auth_revoke", "summary": "Revokes a token."}}})
    server, report = build_inline(document)
    (tool,) = server.tools
    assert tool.name == "revoke_a_acme_auth"
    assert (tool.hints.read_only, tool.hints.destructive, tool.hints.idempotent) == (False, True, False)
    lines = [p.line() for p in report.warnings]
    assert "warning: GET /auth.revoke: not read-only although GET: its path says 'revoke'" in lines[0]
    assert "[operations.auth_revoke]" in lines[0]


def test_the_config_overrides_a_decision_and_silences_it(build_inline: Callable[..., tuple[Server, Report]]) -> None:
    document = _spec({"/auth.revoke": {"get": {"operationId": "auth_revoke"}}})
    server, report = build_inline(document, operations={"auth_revoke": {"read_only": True, "destructive": False}})
    (tool,) = server.tools
    assert (tool.hints.read_only, tool.hints.destructive) == (True, False)
    assert not report.warnings


def test_cannot_be_undone_is_destructive(one_tool: Callable[..., Tool]) -> None:
    tool = one_tool({"description": "Mark a finalized invoice as final. This cannot be undone."})
    assert tool.hints.destructive and not tool.hints.read_only
    plain = one_tool({"description": "Mark a finalized invoice as paid."})
    assert not plain.hints.destructive


@pytest.mark.parametrize(
    "operation",
    [{"operationId": "UpdateMessage", "description": "Update a Message (used to redact its `body` text)"},
     {"operationId": "post_users_terminate_sessions", "summary": "Create jobs to end user sessions"},
     {"operationId": "UpdateCall", "summary": "Cancel a call that is in progress"}],
)  # fmt: skip
def test_words_that_redact_terminate_or_cancel_are_destructive(
    one_tool: Callable[..., Tool], operation: dict[str, Any]
) -> None:
    """Issue 32 #13: Twilio's message redaction, Box's session termination."""
    assert one_tool(operation).hints.destructive


def test_the_title_is_the_summary_else_the_first_sentence(one_tool: Callable[..., Tool]) -> None:
    assert one_tool({"summary": "Update a customer", "description": "Long."}).hints.title == "Update a customer"
    described = one_tool({"description": "<p>Updates the specified customer. Any other field is left.</p>"})
    assert described.hints.title == "Updates the specified customer."


def test_repeated_descriptions_are_reported(build_inline: Callable[..., tuple[Server, Report]]) -> None:
    same = {"summary": "Gets information about a user."}
    document = _spec({"/users.info": {"get": same}, "/users.profile": {"get": {**same}}})
    _server, report = build_inline(document)
    repeated = [p for p in report.warnings if "description repeated" in p.message]
    assert [p.where for p in repeated] == ["GET /users.info", "GET /users.profile"]


def test_gong_keeps_every_name_and_hint(vendor_ir: Callable[[str], tuple[Server, Report]]) -> None:
    server, _report = vendor_ir("gong")
    tools = {t.operation_id: t for t in server.tools}
    assert tools["listTasks"].name == "create_a_gong_task" and tools["listTasks"].hints.read_only
    assert tools["purgeEmailAddress"].name == "create_a_gong_data_privacy_erase_data_for_email_address"
    assert tools["addCallRecording"].name == "update_a_gong_media"


def _spec(paths: dict[str, Any]) -> dict[str, Any]:
    for item in paths.values():
        for operation in item.values():
            operation.setdefault("responses", {"200": {"description": "ok"}})
    return {"openapi": "3.0.3", "info": {"title": "Acme", "version": "1"}, "paths": paths}


def test_a_plural_noun_in_an_identifier_is_no_verb() -> None:
    assert act_of("/posts", {"operationId": "posts_list"}) is None  # "posts" names the resource
    posted = act_of("/messages", {"summary": "Posts a message"})
    assert posted is not None and (posted.verb, posted.source) == ("post", "summary")


def test_a_method_prefixed_operation_id_names_an_act_only_in_its_last_path_segment() -> None:
    assert act_of("/v1/refunds/{refund}", {"operationId": "GetRefundsRefund"}) is None  # a refund is a thing here
    refunded = act_of("/v1/charges/{charge}/refund", {"operationId": "PostChargesChargeRefund"})
    assert refunded is not None and (refunded.verb, refunded.source) == ("refund", "operationId")


GITHUB_CHECKS = {
    "/repos/{owner}/{repo}/check-runs": ("checks/create", "Create a check run"),
    "/repos/{owner}/{repo}/check-suites": ("checks/create-suite", "Create a check suite"),
    "/repos/{owner}/{repo}/check-runs/{check_run_id}/rerequest": ("checks/rerequest-run", "Rerequest a check run"),
    "/repos/{owner}/{repo}/check-suites/{check_suite_id}/rerequest": ("checks/rerequest-suite", "Rerequest a suite"),
    "/search/checks": ("checks/search", "Search check runs"),
    "/repos/{owner}/{repo}/labels": ("listThenSetLabels", "Set labels"),
}


def test_an_operation_id_that_creates_or_changes_overrides_reads(
    build_inline: Callable[..., tuple[Server, Report]],
) -> None:
    """Issue 32 #7: ``checks/create`` leads with ``checks`` (a resource, not ``check``): its write verb wins."""
    paths = {p: {"post": {"operationId": op_id, "summary": s}} for p, (op_id, s) in GITHUB_CHECKS.items()}
    server, report = build_inline(_spec(paths))
    read_only = {t.operation_id: t.hints.read_only for t in server.tools}
    assert read_only == {
        "checks/create": False, "checks/create-suite": False, "checks/rerequest-run": False,
        "checks/rerequest-suite": False, "checks/search": True, "listThenSetLabels": False,
    }  # fmt: skip
    reads = [p.line() for p in report.warnings if "says it reads" in p.message]
    assert len(reads) == 1 and "'checks/search'" in reads[0], reads


def test_a_post_read_by_its_operation_id_that_revokes_is_destructive(
    build_inline: Callable[..., tuple[Server, Report]],
) -> None:
    """DigiLocker's ``POST /oauth2/1/revoke`` is ``get token revocation id``: its path's last word (or its summary's
    first) saying revoke beats the operationId's read; a read whose other words name a purge stays a read."""
    paths = {
        "/oauth2/1/revoke": {"post": {"operationId": "get token revocation id", "description": "Revoke a token."}},
        "/sessions/end": {"post": {"operationId": "getSessionEnd", "summary": "Terminates the session."}},
        "/tokens/invalidate": {"post": {"operationId": "getTokenInvalidation", "summary": "Revokes a token."}},
        "/purge-jobs/list": {"post": {"operationId": "listJobs", "summary": "List purge jobs"}},
    }
    server, _report = build_inline(_spec(paths))
    hints = {t.operation_id: (t.hints.read_only, t.hints.destructive) for t in server.tools}
    assert hints == {
        "get token revocation id": (False, True), "getSessionEnd": (False, True),
        "getTokenInvalidation": (False, True), "listJobs": (True, False),
    }  # fmt: skip
