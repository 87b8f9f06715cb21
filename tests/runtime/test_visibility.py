"""The one visibility rule: what a caller may see and call, the same for generation, the server and every way in."""

from __future__ import annotations

from generator.runtime.contract import Operation
from generator.runtime.settings import unknown_filter
from generator.runtime.team.caller import Caller
from generator.runtime.team.connections import Connection
from generator.runtime.visibility import Filters, Sight

READ_BY_POST = Operation("search", "POST", "/search", tag="Leads", tag_parents=("Sales",), read_only=True)
REVOKE_BY_GET = Operation("revoke", "GET", "/revoke", tag="Keys", scopes=("keys:write",))
ERASE = Operation("erase", "POST", "/erase", tag="Privacy", destructive=True, scopes=("privacy:write",))


def test_methods_follow_the_hints_not_the_http_method() -> None:
    reads = Filters(methods=frozenset({"read"}))
    assert reads.reason(READ_BY_POST) is None  # a read sent by POST is a read
    assert reads.reason(REVOKE_BY_GET) == "kind 'write' not in --methods"  # a GET that is not read-only is not
    assert Filters(methods=frozenset({"custom"})).reason(ERASE) is None


def test_tags_match_as_written_or_by_parent() -> None:
    assert Filters(tags=frozenset({"Sales"})).reason(READ_BY_POST) is None
    assert Filters(tags=frozenset({"Leads"})).reason(READ_BY_POST) is None
    assert Filters(tags=frozenset({"Sales"})).reason(ERASE) == "tag 'Privacy' not in --tags"


def test_every_part_of_a_sight_narrows_and_none_widens() -> None:
    server = Sight((Filters(exclude=frozenset({"erase"})),), vendor="acme")
    assert not server.allows(ERASE) and server.allows(REVOKE_BY_GET)
    assert not Sight(held=frozenset({"other"})).allows(REVOKE_BY_GET)
    assert Sight(held=frozenset({"keys:write"})).allows(REVOKE_BY_GET)
    reader = Caller("oauth:dana", scopes=frozenset({"acme:read"}))
    assert reader.sight(server).allows(READ_BY_POST) and not reader.sight(server).allows(REVOKE_BY_GET)
    writer = Caller("oauth:erin", scopes=frozenset({"acme:write"}))
    assert writer.sight(server).allows(REVOKE_BY_GET) and not writer.sight(server).allows(ERASE)  # server's filter
    alice = Caller("alice", connection=Connection("alice", tags=frozenset({"Sales"})), granted=frozenset())
    assert alice.sight(server).allows(READ_BY_POST)  # needs no scope, so no grant is missing
    assert not alice.sight(Sight()).allows(REVOKE_BY_GET)  # outside her tags, and a scope her account lacks


def test_the_server_knows_parent_tags_as_filter_names() -> None:
    from generator.runtime.settings import Settings

    settings = Settings("http://127.0.0.1:9", tags=frozenset({"Sales"}))
    assert unknown_filter(settings, {"search": READ_BY_POST}, None, "ACME") is None
    wrong = Settings("http://127.0.0.1:9", tags=frozenset({"Nope"}))
    assert unknown_filter(wrong, {"search": READ_BY_POST}, None, "ACME") == (
        "ACME_TAGS: unknown tag 'Nope'; known: Leads, Sales"
    )
