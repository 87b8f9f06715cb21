"""The name checker of the corpus sweep (``tests.name_rules``): it finds each defect issue 32 #4 and #13 named, in the
names mcpgen gave before, and none in the names it gives now."""

from __future__ import annotations

from tests.name_rules import Named, breaches
from tests.request_rules import Spec

MESSAGES = "/2010-04-01/Accounts/{AccountSid}/Messages.json"
MESSAGE = "/2010-04-01/Accounts/{AccountSid}/Messages/{Sid}.json"
DOCUMENT = {
    "openapi": "3.0.1",
    "paths": {
        MESSAGES: {"get": {"operationId": "ListMessage"}},
        MESSAGE: {
            "get": {"operationId": "FetchMessage"},
            "post": {"operationId": "UpdateMessage", "description": "Update a Message (used to redact its body)"},
        },
        "/v3/schedules/{id}": {"get": {"operationId": "getScheduleV3"}},
        "/schedules/{id}": {"get": {"operationId": "getSchedule"}},
        "/users/terminate_sessions": {"post": {"operationId": "post_users_terminate_sessions"}},
    },
}
DATES = (("DateSent", "DateSent"),)


def _tools(names: list[str], args: tuple[tuple[str, str], ...], destructive: bool) -> list[Named]:
    where = [("GET", MESSAGES), ("GET", MESSAGE), ("POST", MESSAGE), ("GET", "/v3/schedules/{id}"),
             ("GET", "/schedules/{id}"), ("POST", "/users/terminate_sessions")]  # fmt: skip
    return [
        Named(name, method, path, destructive and method == "POST", args if n == 0 else ())
        for n, (name, (method, path)) in enumerate(zip(names, where, strict=True))
    ]


def test_the_names_given_before_break_each_rule() -> None:
    before = ["list_all_t_2010_04_01_messages_jsons", "list_all_t_messages_sid_jsons", "update_a_t_messages_sid_json",
              "get_single_t_schedule_by_id_1a2b3c", "get_single_t_schedule_by_id",
              "create_a_t_users_terminate_session"]  # fmt: skip
    args = (*DATES, ("DateSent_", "DateSent<"), ("DateSent__query", "DateSent>"))
    found = breaches(Spec(DOCUMENT), _tools(before, args, destructive=False))
    listed = f"GET {MESSAGES}: list_all_t_2010_04_01_messages_jsons"
    assert found == [
        f"{listed}: name holds the file suffix 'json'",
        f"{listed}: name holds the version segment '2010_04_01'",
        f"{listed}: argument 'DateSent_' (sent as 'DateSent<') does not say which comparison",
        f"{listed}: argument 'DateSent__query' (sent as 'DateSent>') does not say which comparison",
        f"GET {MESSAGE}: list_all_t_messages_sid_jsons: name holds the file suffix 'json'",
        f"GET {MESSAGE}: list_all_t_messages_sid_jsons: a GET of one item is not named get_single_…",
        f"POST {MESSAGE}: update_a_t_messages_sid_json: name holds the file suffix 'json'",
        f"POST {MESSAGE}: update_a_t_messages_sid_json: its words say 'redact' but it is not destructive",
        "GET /v3/schedules/{id}: get_single_t_schedule_by_id_1a2b3c: name ends in a hash although its path's own "
        "words tell it apart",
        "POST /users/terminate_sessions: create_a_t_users_terminate_session: its words say 'terminate' but it is "
        "not destructive",
    ]


def test_the_names_given_now_break_none() -> None:
    now = ["list_all_t_messages", "get_single_t_message_by_id", "update_a_t_message_by_id",
           "get_single_t_v3_schedule_by_id", "get_single_t_schedule_by_id",
           "create_a_t_users_terminate_session"]  # fmt: skip
    args = (*DATES, ("DateSent_before", "DateSent<"), ("DateSent_after", "DateSent>"))
    assert breaches(Spec(DOCUMENT), _tools(now, args, destructive=True)) == []


SHIELD = "/shield_information_barrier_segment_restrictions/{shield_information_barrier_segment_restriction_id}"
LONG_AND_PARTICIPLE = {"openapi": "3.0.1", "paths": {SHIELD: {"get": {}}, "/worklog/deleted": {"get": {}}}}


def test_a_hash_where_whole_words_would_fit_and_a_plural_participle_are_breaches() -> None:
    """Box's restriction tools were cut and hashed though dropping a word fits; Jira's ``/worklog/deleted`` listed as
    ``…_deleteds``."""
    before = [Named("get_single_box_shield_information_barrier_segment_restric_9be523", "GET", SHIELD, False, ()),
              Named("list_all_jira_worklog_deleteds", "GET", "/worklog/deleted", False, ())]  # fmt: skip
    assert breaches(Spec(LONG_AND_PARTICIPLE), before) == [
        f"GET {SHIELD}: {before[0].name}: name ends in a hash although its path's own words tell it apart",
        "GET /worklog/deleted: list_all_jira_worklog_deleteds: name makes a plural of 'deleted'",
    ]
    now = [Named("get_single_box_shield_barrier_segment_restriction_by_id", "GET", SHIELD, False, ()),
           Named("list_all_jira_worklog_deleted", "GET", "/worklog/deleted", False, ())]  # fmt: skip
    assert breaches(Spec(LONG_AND_PARTICIPLE), now) == []


REPOSITORIES = "/v2/registry/{registry_name}/repositories"
REVOKE = "/oauth2/1/revoke"
SEGMENT_WORDS = {
    "openapi": "3.0.1",
    "paths": {
        f"{REPOSITORIES}V2": {"get": {}},
        REPOSITORIES: {"get": {}},
        "/v1/things/{id}": {"get": {}},
        REVOKE: {"post": {"operationId": "get token revocation id", "description": "Client applications can."}},
    },
}


def test_a_version_word_of_a_literal_segment_is_the_segments_and_a_path_that_revokes_destroys() -> None:
    """DigitalOcean's ``repositoriesV2`` says ``v2`` itself (its ``/v2/`` segment is another matter); DigiLocker's
    ``POST /oauth2/1/revoke`` says revoke by its path alone."""
    named = [Named("list_all_d_repositories_v2", "GET", f"{REPOSITORIES}V2", False, ()),
             Named("list_all_d_v2_repositories", "GET", REPOSITORIES, False, ()),
             Named("get_single_d_v1_thing_by_id", "GET", "/v1/things/{id}", False, ()),
             Named("create_a_d_oauth2_revoke", "POST", REVOKE, False, ())]  # fmt: skip
    assert breaches(Spec(SEGMENT_WORDS), named) == [
        f"GET {REPOSITORIES}: list_all_d_v2_repositories: name holds the version segment 'v2'",
        "GET /v1/things/{id}: get_single_d_v1_thing_by_id: name holds the version segment 'v1'",
        f"POST {REVOKE}: create_a_d_oauth2_revoke: its words say 'revoke' but it is not destructive",
    ]
    fixed = [*named[:1], Named("list_all_d_repositories", "GET", REPOSITORIES, False, ()),
             Named("get_single_d_thing_by_id", "GET", "/v1/things/{id}", False, ()),
             Named("revoke_a_d_oauth2", "POST", REVOKE, True, ())]  # fmt: skip
    assert breaches(Spec(SEGMENT_WORDS), fixed) == []


def test_the_first_sentence_of_an_html_description_ends_at_its_full_stop() -> None:
    """AWS TNB: ``<p>Instantiates a network instance.</p> <p>… (like terminate, update, and delete) …</p>`` says
    instantiate, not terminate."""
    said = "<p>Instantiates a network instance.</p> <p>Life-cycle operations (like terminate) can be performed.</p>"
    path = "/ns_instances/{id}/instantiate"
    document = {"openapi": "3.0.1", "paths": {path: {"post": {"operationId": "Instantiate", "description": said}}}}
    assert breaches(Spec(document), [Named("create_a_v_instantiate", "POST", path, False, ())]) == []
    ended = {"openapi": "3.0.1", "paths": {path: {"post": {"description": "<p>Terminates it.</p>"}}}}
    assert breaches(Spec(ended), [Named("create_a_v_instantiate", "POST", path, False, ())]) == [
        f"POST {path}: create_a_v_instantiate: its words say 'terminate' but it is not destructive"
    ]


def test_a_file_suffix_the_operation_id_says_is_a_word_of_the_name() -> None:
    """openapi.space: ``/swagger.json`` and ``/swagger.yaml`` clash and are told apart by their operationIds."""
    path = "/apis/{api}/swagger.json"
    document = {"openapi": "3.0.1", "paths": {path: {"get": {"operationId": "getJsonDefinition"}}}}
    assert breaches(Spec(document), [Named("list_all_v_json_definition", "GET", path, False, ())]) == []
