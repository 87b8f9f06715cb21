"""Tool names follow the Truto convention exactly; every name is valid, unique and within 64 characters."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.errors import Report
from generator.model import acts, name_clashes, naming
from generator.model.ir import Server

ROOT = Path(__file__).resolve().parents[1]
EXPECTED = {
    "gong": {
        ("GET", "/v2/calls"): "list_all_gong_calls",
        ("GET", "/v2/calls/{id}"): "get_single_gong_call_by_id",
        ("GET", "/v2/flows"): "list_all_gong_flows",
        ("POST", "/v2/flows/prospects/bulk-assignments"): "create_a_gong_prospects_bulk_assignment",
        ("POST", "/v2/tasks"): "create_a_gong_task",
        ("GET", "/v2/entities/ask-entity"): "list_all_gong_entities_ask_entities",
        ("GET", "/v2/crm/request-status"): "list_all_gong_crm_request_status",
    },
    "gumloop": {
        ("POST", "/start_pipeline"): "create_a_gumloop_flow_run",
        ("GET", "/list_saved_items"): "list_all_gumloop_flows",
        ("GET", "/get_inputs"): "get_single_gumloop_automation_by_id",
        ("POST", "/agents/{agent_id}/sessions"): "create_a_gumloop_session",
        ("GET", "/sessions/{session_id}"): "get_single_gumloop_session_by_id",
        ("POST", "/sessions/{session_id}/cancel"): "delete_a_gumloop_session_by_id",
        ("GET", "/agents/{agent_id}/artifacts"): "list_all_gumloop_artifacts",
        ("GET", "/artifacts/{artifact_id}/download"): "get_single_gumloop_artifact_by_id",
        ("POST", "/skills"): "create_a_gumloop_skill",
        ("GET", "/get_audit_logs"): "list_all_gumloop_audit_logs",
        ("POST", "/chat/completions"): "create_a_gumloop_chat_completion",
    },
}


@pytest.mark.parametrize("vendor", sorted(EXPECTED))
def test_public_names_come_out_exactly(vendor: str, vendor_ir: Callable[[str], tuple[Server, Report]]) -> None:
    server, _ = vendor_ir(vendor)
    names = {(t.method, t.path): t.name for t in server.tools}
    assert {key: names[key] for key in EXPECTED[vendor]} == EXPECTED[vendor]


@pytest.mark.parametrize(("vendor", "count"), [("gong", 67), ("gumloop", 49)])
def test_every_operation_is_a_tool_with_a_valid_unique_name(
    vendor: str, count: int, vendor_ir: Callable[[str], tuple[Server, Report]]
) -> None:
    server, report = vendor_ir(vendor)
    names = [t.name for t in server.tools]
    assert len(names) == count
    assert len(set(names)) == count
    assert all(naming.TOOL_NAME.match(name) for name in names)
    assert not report.errors


def test_clashes_are_settled_by_path_words_and_reported(vendor_ir: Callable[[str], tuple[Server, Report]]) -> None:
    server, report = vendor_ir("gumloop")
    names = {(t.method, t.path): t.name for t in server.tools}
    assert names[("GET", "/agents/{agent_id}/mcp-servers")] == "list_all_gumloop_agents_mcp_servers"
    assert names[("GET", "/mcp/servers")] == "list_all_gumloop_mcp_servers"
    assert names[("POST", "/download_files")] == "create_a_gumloop_download_files"
    assert any("listAgentMcpServers" in line and "renamed" in line for line in report.renames)


def test_long_names_are_capped_with_a_stable_hash_inside_64() -> None:
    request = naming.NameRequest("op", "GET", "/" + "/".join(["averyveryverylongsegmentname"] * 6), "vendor")
    first = naming.tool_name(request, limit=0)
    assert len(first) == 64
    assert first == naming.tool_name(request, limit=0)
    assert naming.TOOL_NAME.match(first)


def test_shortening_and_hash_settled_clashes_are_reported_and_keep_the_cap() -> None:
    long_path = "/" + "x" * 80
    requests = [
        naming.NameRequest("long", "POST", long_path, "v"),
        naming.NameRequest("a", "GET", "/things", "v"),
        naming.NameRequest("b", "GET", "/things/", "v"),
    ]
    names, decisions = name_clashes.settle_tool_names(requests)
    assert len(set(names.values())) == 3
    assert all(len(n) <= 64 and naming.TOOL_NAME.match(n) for n in names.values())
    assert any(line.startswith("long: ") and "shortened" in line for line in decisions)
    assert any(line.startswith(("a: ", "b: ")) and "renamed" in line for line in decisions)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("fromDateTime", "from_date_time"), ("from", "from_"), ("class", "class_"), ("workspace-id", "workspace_id"),
     ("3d", "n_3d"), ("match", "match_"), ("X-Request-Id", "x_request_id"), ("ünïcode name", "unicode_name")],
)  # fmt: skip
def test_python_identifiers_are_safe(text: str, expected: str) -> None:
    assert naming.identifier(text) == expected


def test_identifier_collisions_get_numbered() -> None:
    assert naming.identifier("a-b", taken={"a_b"}) == "a_b_2"


@pytest.mark.parametrize("schema", ["Field", "Enum", "Model", "BaseModel", "None", "True", "Any"])
def test_schema_names_that_models_py_imports_or_reserves_get_a_class_name_of_their_own(schema: str) -> None:
    """datamodel-code-generator renames such a class; found by the corpus sweep (yodlee.com, servicemanagement)."""
    from generator.emit.models import models_text

    name = naming.class_name(schema)
    assert name == f"{schema}Schema"
    _text, problems = models_text({name: {"type": "object", "properties": {"a": {"type": "string"}}}})
    assert problems == []


@pytest.mark.parametrize(("tag", "module"), [("list", "tag_list"), ("Type", "tag_type"), ("cards", "cards")])
def test_tool_modules_never_shadow_a_builtin(tag: str, module: str) -> None:
    """trello.com and medium.com (corpus): ``from . import list`` broke ``list[...]`` in ``tools/__init__.py``."""
    assert naming.module_name(tag) == module


def test_a_clash_is_never_settled_onto_a_name_another_operation_holds() -> None:
    """``/a/things`` and ``/b/things`` clash; their longer names must skip ``list_all_v_a_things``, already taken."""
    requests = [
        naming.NameRequest("taken", "GET", "/x", "v", name="list_all_v_a_things"),
        naming.NameRequest("a", "GET", "/a/{id}/things", "v"),
        naming.NameRequest("b", "GET", "/b/{id}/things", "v"),
    ]
    names, _ = name_clashes.settle_tool_names(requests)
    assert names["taken"] == "list_all_v_a_things"
    assert len(set(names.values())) == 3 and names["a"] != "list_all_v_a_things"


def test_thousands_of_clashes_settle_in_linear_time() -> None:
    """Microsoft Graph beta: 22,000 operations, thousands of clashing groups; each clash once looked at every name."""
    paths = [f"/{'pq'[n % 2]}{n // 2}/{{id}}/items{n // 2}" for n in range(12_000)]  # 6,000 clashing pairs
    requests = [naming.NameRequest(f"op{n}", "GET", path, "v") for n, path in enumerate(paths)]
    started = time.process_time()  # CPU time: a loaded machine slows it less than the clock
    names, _ = name_clashes.settle_tool_names(requests)
    assert len(set(names.values())) == len(requests)
    assert time.process_time() - started < 3  # about 0.7 s; a scan of every name per clash took 6.5 s


def _settled(*operations: tuple[str, str, str]) -> dict[str, str]:
    """``(key, METHOD, path)`` each → its settled name, for a vendor ``v``."""
    requests = [naming.NameRequest(key, method, path, "v") for key, method, path in operations]
    return name_clashes.settle_tool_names(requests)[0]


def test_file_suffixes_and_version_segments_are_no_part_of_a_name() -> None:
    """Issue 32 #4, #13: ``/2010-04-01/Accounts/{Sid}/Messages/{Sid}.json``, ``/rest/api/3/issue``, ``/v1/…``."""
    names = _settled(
        ("list", "GET", "/2010-04-01/Accounts/{AccountSid}/Messages.json"),
        ("fetch", "GET", "/2010-04-01/Accounts/{AccountSid}/Messages/{Sid}.json"),
        ("issue", "POST", "/rest/api/3/issue"),
        ("old", "GET", "/api/v1.2/things/{id}.xml"),
    )
    assert names == {
        "list": "list_all_v_messages",
        "fetch": "get_single_v_message_by_id",
        "issue": "create_a_v_issue",
        "old": "get_single_v_thing_by_id",
    }


def test_a_clash_is_settled_by_the_paths_own_words_before_any_hash() -> None:
    """The fewest trailing words that tell them apart; the version only when nothing else does; no hash."""
    names = _settled(
        ("calls", "GET", "/Domains/{d}/Calls/{c}/CredentialListMappings/{Sid}.json"),
        ("plain", "GET", "/Domains/{d}/CredentialListMappings/{Sid}.json"),
        ("v3", "GET", "/v3/schedules/{id}"),
        ("v2", "GET", "/schedules/{id}"),
        ("fullyUpdateRole", "PUT", "/role/{id}"),
        ("partialUpdateRole", "PATCH", "/role/{id}"),
    )
    assert names["calls"] == "get_single_v_calls_credential_list_mapping_by_id"
    assert names["plain"] == "get_single_v_domains_credential_list_mapping_by_id"
    assert {names["v3"], names["v2"]} == {"get_single_v_v3_schedule_by_id", "get_single_v_schedule_by_id"}
    assert names["fullyUpdateRole"] == "update_a_v_fully_update_role"
    assert names["partialUpdateRole"] == "update_a_v_partial_update_role"
    assert not any(re.search(r"_[0-9a-f]{6}$", name) for name in names.values()), names


@pytest.mark.parametrize(
    ("method", "path", "expected"),
    [("GET", "/users/me", "get_single_v_users_me"), ("GET", "/rest/api/3/myself", "get_single_v_myself"),
     ("POST", "/users/{id}/email_aliases", "create_a_v_email_alias"), ("GET", "/biases", "list_all_v_biases"),
     ("GET", "/canvas/{id}", "get_single_v_canvas_by_id")],
)  # fmt: skip
def test_pronouns_and_singular_words_are_not_inflected(method: str, path: str, expected: str) -> None:
    assert naming.tool_name(naming.NameRequest("k", method, path, "v")) == expected


def test_long_names_drop_whole_words_and_random_keys_before_any_hash() -> None:
    """Box: a 47-character resource and a template key (``securityClassification-6VMVochwUWo``) left 10 hashed."""
    shield = "/shield_information_barrier_segment_restrictions/{shield_information_barrier_segment_restriction_id}"
    keyed = "/{kind}/{id}/metadata/enterprise/securityClassification-6VMVochwUWo"
    requests = [
        naming.NameRequest("get", "GET", shield, "box"),
        naming.NameRequest("delete", "DELETE", shield, "box"),
        naming.NameRequest("files", "PUT", keyed.format(kind="files", id="{file_id}"), "box"),
        naming.NameRequest("folders", "PUT", keyed.format(kind="folders", id="{folder_id}"), "box"),
        naming.NameRequest(
            "schema", "GET", "/metadata_templates/enterprise/securityClassification-6VMVochwUWo/schema", "box"
        ),
    ]
    names, decisions = name_clashes.settle_tool_names(requests)
    assert names == {
        "get": "get_single_box_shield_barrier_segment_restriction_by_id",
        "delete": "delete_a_box_shield_barrier_segment_restriction_by_id",
        "files": "update_a_box_files_metadata_enterprise_security_classification",
        "folders": "update_a_box_folders_metadata_enterprise_security_classification",
        "schema": "list_all_box_security_classification_schemas",
    }
    assert any(line.startswith("get: ") and "shortened to" in line for line in decisions)


@pytest.mark.parametrize(
    ("path", "expected"),
    [("/worklog/deleted", "list_all_v_worklog_deleted"), ("/gists/starred", "list_all_v_gists_starred"),
     ("/feed", "list_all_v_feeds"), ("/seed", "list_all_v_seeds"), ("/embed", "list_all_v_embeds")],
)  # fmt: skip
def test_a_participle_is_no_noun_to_make_plural(path: str, expected: str) -> None:
    assert naming.tool_name(naming.NameRequest("k", "GET", path, "v")) == expected


def test_what_only_the_method_or_a_parameter_tells_apart_is_named_so_not_hashed() -> None:
    """Corpus: ``PUT``/``PATCH /bin/{id}`` (extendsclass), ``POST``/``PATCH /users/{userId}`` (openchannel), both
    without operationIds, and Just Eat's driver location with and without ``{orderId}`` ended in hashes."""
    driver = "/orders/deliverystate/driverlocation"
    operations = [("PUT", "/bin/{id}", None), ("PATCH", "/bin/{id}", None), ("POST", "/users/{userId}", "update_a"),
                  ("PATCH", "/users/{userId}", None), ("PUT", driver, None),
                  ("PUT", driver.replace("/orders", "/orders/{orderId}"), None)]  # fmt: skip
    requests = [naming.NameRequest(f"{m} {p}", m, p, "v", verb=verb) for m, p, verb in operations]  # POST: its act's
    names, _ = name_clashes.settle_tool_names(requests)
    assert list(names.values()) == [
        "replace_a_v_bin_by_id", "update_a_v_bin_by_id", "create_a_v_user_by_id", "update_a_v_user_by_id",
        "update_a_v_deliverystate_driverlocation", "update_a_v_orders_order_id_deliverystate_driverlocation",
    ]  # fmt: skip


def test_a_read_sent_by_post_beside_its_get_says_so_and_a_query_in_a_path_key_is_no_word() -> None:
    """Corpus: EPA's ``GET`` and ``POST /air_rest_services.get_download`` (an RPC read both ways) ended in hashes;
    ClickSend's path keys carry their query (``/fax/history?date_from={date_from}`` → ``…_order_bies``)."""
    rpc = "/air_rest_services.get_download"
    requests = [
        naming.NameRequest(f"GET {rpc}", "GET", rpc, "v", verb="get_single", resource="air_rest_services_download"),
        naming.NameRequest(f"POST {rpc}", "POST", rpc, "v", verb="get_single", resource="air_rest_services_download"),
        naming.NameRequest("history", "GET", "/fax/history?date_from={date_from}&order_by={order_by}", "v"),
        naming.NameRequest("search", "GET", "/numbers/search/{country}?{search}=1&{search_type}=2", "v"),
    ]
    assert name_clashes.settle_tool_names(requests)[0] == {
        f"GET {rpc}": "get_single_v_air_rest_services_download",
        f"POST {rpc}": "get_single_v_air_rest_services_download_via_post",
        "history": "list_all_v_fax_histories",
        "search": "get_single_v_numbers_search_by_id",
    }


def test_aws_calls_sent_by_get_and_by_post_keep_one_plain_name() -> None:
    """AWS's query protocol serves each call by GET and by POST: a read keeps its name on GET, a write on POST."""
    paths = ["/#Action=DescribeStacks", "/#Action=ListStacks", "/#Action=CreateVpc", "/#Action=AcceptAddressTransfer"]
    requests = []
    for path in paths:
        verb, named = acts.named_by_act("GET", path, {}) or ("", path)
        requests += [naming.NameRequest(f"{m}_{path[9:]}", m, named, "ec2", verb=verb) for m in ("GET", "POST")]
    assert list(name_clashes.settle_tool_names(requests)[0].values()) == [
        "describe_all_ec2_stacks", "describe_all_ec2_stacks_via_post", "list_all_ec2_stacks",
        "list_all_ec2_stacks_via_post", "create_a_ec2_vpc_via_get", "create_a_ec2_vpc",
        "accept_a_ec2_address_transfer_via_get", "accept_a_ec2_address_transfer",
    ]  # fmt: skip


def test_a_token_in_a_path_is_no_word_and_a_fragment_value_is_no_call() -> None:
    """Meilisearch's example key in a path literal ended in a hash; Azure's ``#export=true`` named ``true_a_…_true``."""
    key = "/keys/kN2aK9EO8a7b627e425717d9196c8081552ca004e513545ed178f8a56981dbd3080d4a5b"
    assert naming.tool_name(naming.NameRequest("k", "DELETE", key, "v")) == "delete_a_v_key"
    assert acts.selector_words("/apis/{apiId}#export=true") == ()
    assert acts.selector_words("/#Action=DescribeStacks") == ("describe", "stacks")


def test_what_the_method_and_the_path_both_tell_apart_takes_both() -> None:
    """probely: PUT and PATCH of ``/webhooks/{id}/`` and of ``/targets/{target_id}/webhooks/{id}/`` ended in hashes."""
    paths = ["/targets/{target_id}/webhooks/{id}/", "/webhooks/{id}/"]
    requests = [naming.NameRequest(f"{m} {p}", m, p, "v") for p in paths for m in ("PUT", "PATCH")]
    assert list(name_clashes.settle_tool_names(requests)[0].values()) == [
        "replace_a_v_targets_webhook_by_id", "update_a_v_targets_webhook_by_id",
        "replace_a_v_webhook_by_id", "update_a_v_webhook_by_id",
    ]  # fmt: skip


def test_words_every_member_of_a_clash_has_go_first_and_api_tells_apart_where_only_it_does() -> None:
    """autotask: hundreds of ``/V1.0/{Entity}/entityInformation/fields`` kept the shared words and lost the entity's
    (157 hashed); rbaskets: ``/baskets`` and ``/api/baskets`` (18 of 20 hashed)."""
    entities = ["ArticleConfigurationItemCategoryAssociations", "ArticleConfigurationItemRelatedArticles"]
    requests = [naming.NameRequest(e, "GET", f"/V1.0/{e}/entityInformation/fields", "v") for e in entities]
    requests += [naming.NameRequest(f"GET {p}", "GET", p, "v") for p in ("/baskets", "/api/baskets")]
    names = name_clashes.settle_tool_names(requests)[0]
    assert not any(re.search(r"_[0-9a-f]{6}$", name) for name in names.values()), names
    assert (
        names["ArticleConfigurationItemCategoryAssociations"]
        == "list_all_v_category_associations_entity_information_fields"
    )
    assert {names["GET /baskets"], names["GET /api/baskets"]} == {"list_all_v_baskets", "list_all_v_api_baskets"}
