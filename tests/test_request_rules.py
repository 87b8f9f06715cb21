"""The request checker of the corpus sweep (``tests.request_rules``), on a hand-made spec and hand-made requests."""

from __future__ import annotations

import json

from tests.request_rules import Sent, Spec, check

DOCUMENT = {
    "openapi": "3.0.3",
    "paths": {
        "/items/{id}": {
            "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
            "post": {
                "parameters": [
                    {"$ref": "#/components/parameters/Version"},
                    {"name": "q", "in": "query", "required": True, "schema": {"type": "string"}},
                    {"name": "filter", "in": "query", "required": True, "style": "deepObject", "schema": {}},
                    {"name": "X-Key", "in": "header", "required": True, "schema": {"type": "string"}},
                ],
                "requestBody": {"$ref": "#/components/requestBodies/Item"},
            },
        },
        "/forms": {
            "post": {
                "requestBody": {
                    "content": {
                        "application/x-www-form-urlencoded": {
                            "schema": {"type": "object", "required": ["name", "tags"], "properties": {}}
                        }
                    }
                }
            }
        },
    },
    "components": {
        "parameters": {"Version": {"name": "Api-Version", "in": "header", "required": True, "schema": {}}},
        "requestBodies": {
            "Item": {
                "required": True,
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Item"}}},
            }
        },
        "schemas": {
            "Item": {
                "type": "object",
                "required": ["name", "id"],
                "properties": {
                    "id": {"type": "string", "readOnly": True},
                    "name": {"type": "string", "nullable": True},
                    "size": {"type": "integer", "minimum": 1},
                },
            }
        },
    },
}
BASE = "/v1"
GOOD_URL = "http://up.test/v1/items/7?q=a&filter[a][b]=1"
HEADERS = {"X-Key": "k", "api-version": "2024", "Content-Type": "application/json"}


def _post(url: str, body: object, headers: dict[str, str] = HEADERS) -> list[str]:
    sent = Sent("POST", url, headers, json.dumps(body).encode())
    return check(Spec(DOCUMENT), "POST", "/items/{id}", sent, BASE).breaches


def test_a_request_by_the_rules_breaks_none() -> None:
    assert _post(GOOD_URL, {"name": None}) == []  # nullable (3.0) takes null; the readOnly id is not asked for


def test_the_method_and_the_path_are_checked() -> None:
    sent = Sent("PUT", "http://up.test/v1/items/%7Bid%7D?q=a&filter[a]=1", HEADERS, b'{"name": "a"}')
    breaches = check(Spec(DOCUMENT), "POST", "/items/{id}", sent, BASE).breaches
    assert breaches == ["method PUT where the spec says POST", "path parameter {id} left unfilled"]
    assert _post("http://up.test/v1/items/?q=a&filter[a]=1", {"name": "a"}) == [
        "path /v1/items/ does not match the template /items/{id}"
    ]


def test_required_parameters_are_present_unless_the_server_fills_them() -> None:
    breaches = _post("http://up.test/v1/items/7", {"name": "a"}, {"Content-Type": "application/json"})
    assert breaches == [
        "required header Api-Version missing",
        "required query parameter q missing",
        "required query parameter filter missing",
        "required header X-Key missing",
    ]
    sent = Sent("POST", GOOD_URL, {"api-version": "1", "Content-Type": "application/json"}, b'{"name": "a"}')
    assert check(Spec(DOCUMENT), "POST", "/items/{id}", sent, BASE, frozenset({"header:X-Key"})).breaches == []


def test_a_json_body_is_validated_against_its_schema_with_refs_resolved() -> None:
    assert _post(GOOD_URL, {"size": 0}) == [
        "JSON body at (body): 'name' is a required property",
        "JSON body at size: 0 is less than the minimum of 1",
    ]
    assert _post(GOOD_URL, None) == ["JSON body at (body): None is not of type 'object'"]
    sent = Sent("POST", GOOD_URL, {**HEADERS, "Content-Type": "text/plain"}, b"x")
    assert check(Spec(DOCUMENT), "POST", "/items/{id}", sent, BASE).breaches == [
        "body sent as text/plain; the spec takes application/json"
    ]
    no_body = Sent("POST", GOOD_URL, HEADERS)
    assert check(Spec(DOCUMENT), "POST", "/items/{id}", no_body, BASE).breaches == ["required request body missing"]


def test_a_form_body_has_its_required_fields_and_an_unknown_operation_is_a_note() -> None:
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    good = Sent("POST", "http://up.test/v1/forms", form, b"name=a&tags[0]=x")
    assert check(Spec(DOCUMENT), "POST", "/forms", good, BASE).breaches == []
    bad = Sent("POST", "http://up.test/v1/forms", form, b"name=a")
    assert check(Spec(DOCUMENT), "POST", "/forms", bad, BASE).breaches == ["required form field tags missing"]
    unknown = check(Spec(DOCUMENT), "GET", "/nope", good, BASE)
    assert unknown.breaches == [] and unknown.notes == ["GET /nope: not an operation of the document"]


def test_a_path_key_that_pins_a_query_or_a_fragment_is_matched_by_its_path() -> None:
    document = {
        "openapi": "3.0.0",
        "paths": {
            "/#X-Amz-Target=Svc.Get": {"post": {}},
            "/?Action=List": {"get": {}},
            "/upload": {"post": {"requestBody": {"required": True, "content": {"multipart/form-data": {}}}}},
        },
    }
    amz = Sent("POST", "http://up.test/v1/", {"X-Amz-Target": "Svc.Get"})
    assert check(Spec(document), "POST", "/#X-Amz-Target=Svc.Get", amz, BASE).breaches == []
    listed = Sent("GET", "http://up.test/v1/?Action=List", {})
    assert check(Spec(document), "GET", "/?Action=List", listed, BASE).breaches == []
    unpinned = Sent("GET", "http://up.test/v1/", {})
    assert check(Spec(document), "GET", "/?Action=List", unpinned, BASE).breaches == [
        "query Action=List of the path key missing"
    ]
    empty = Sent("POST", "http://up.test/v1/upload", {})
    assert check(Spec(document), "POST", "/upload", empty, BASE).breaches == []  # a form with no fields is empty


def test_closed_objects_beside_all_of_take_the_branches_properties() -> None:
    closed = {"type": "object", "additionalProperties": False, "allOf": [{"$ref": "#/components/schemas/Named"}]}
    document = {
        "openapi": "3.1.0",
        "paths": {"/things": {"post": {"requestBody": {"content": {"application/json": {"schema": closed}}}}}},
        "components": {"schemas": {"Named": {"type": "object", "properties": {"name": {"type": "string"}}}}},
    }
    sent = Sent("POST", "http://up.test/v1/things", {"content-type": "application/json"}, b'{"name": "a"}')
    assert check(Spec(document), "POST", "/things", sent, BASE).breaches == []
    wrong = Sent("POST", "http://up.test/v1/things", {"content-type": "application/json"}, b'{"name": 1}')
    assert check(Spec(document), "POST", "/things", wrong, BASE).breaches == [
        "JSON body at name: 1 is not of type 'string'"
    ]


def test_a_query_written_after_the_path_keys_fragment_is_not_sent() -> None:
    name = {"name": "Name", "in": "query", "required": True, "schema": {"type": "string"}}
    document = {"openapi": "3.0.0", "paths": {"/#Action=Get": {"get": {"parameters": [name]}}}}
    lost = Sent("GET", "http://up.test/v1/#Action=Get?Name=a", {})  # everything after '#' stays on this machine
    assert check(Spec(document), "GET", "/#Action=Get", lost, BASE).breaches == [
        "required query parameter Name missing"
    ]
    sent = Sent("GET", "http://up.test/v1/?Name=a", {})
    assert check(Spec(document), "GET", "/#Action=Get", sent, BASE).breaches == []


def test_a_read_only_property_is_not_required_in_a_request_even_behind_a_ref() -> None:
    """apideck: ``required: [id, name]`` with ``id: {$ref: Id}`` and ``Id`` read-only; a request leaves ``id`` out."""
    group = {"type": "object", "required": ["id", "name"],
             "properties": {"id": {"$ref": "#/components/schemas/Id"}, "name": {"type": "string"}}}  # fmt: skip
    document = {
        "openapi": "3.0.3",
        "paths": {"/groups": {"post": {"requestBody": {"content": {"application/json": {"schema": group}}}}}},
        "components": {"schemas": {"Id": {"type": "string", "readOnly": True}}},
    }
    sent = Sent("POST", "http://up.test/v1/groups", {"content-type": "application/json"}, b'{"name": "a"}')
    assert check(Spec(document), "POST", "/groups", sent, BASE).breaches == []
    nameless = Sent("POST", "http://up.test/v1/groups", {"content-type": "application/json"}, b"{}")
    assert check(Spec(document), "POST", "/groups", nameless, BASE).breaches == [
        "JSON body at (body): 'name' is a required property"
    ]
