"""Bad input gets one line: the one list parser, settings that do not parse, unknown filter names, audit text."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.runtime.contract import Operation, Vendor, parse_list, parse_words, printable, unknown_names
from generator.runtime.failures import SettingError
from generator.runtime.serve.cli import parse_args
from generator.runtime.settings import Settings, unknown_filter
from generator.runtime.team import audit, manage
from generator.runtime.team.store import Store

OPERATIONS = {
    "list_calls": Operation("list_calls", "GET", "/calls", tag="Calls", read_only=True),
    "erase_email": Operation("erase_email", "POST", "/data-privacy/erase", tag="Data Privacy", destructive=True),
}


def test_the_list_parser_keeps_items_as_written() -> None:
    assert parse_list(" Data Privacy ,Calls,, Data Privacy") == ("Data Privacy", "Calls")
    assert parse_list(None) == () and parse_list(" , ") == ()
    assert parse_words("a:read  b:write,c\td") == ("a:read", "b:write", "c", "d")


def test_tags_with_spaces_reach_the_settings_whole(vendor: Vendor) -> None:
    settings = Settings.from_env(vendor, {"ACME_TAGS": "Data Privacy, Calls", "ACME_SCOPES": "a:read b:write"})
    assert settings.tags == {"Data Privacy", "Calls"} and settings.scopes == frozenset({"a:read", "b:write"})
    flagged = settings.with_args(parse_args("acme-mcp", ["--tags", "Data Privacy"]))
    assert flagged.tags == {"Data Privacy"}


@pytest.mark.parametrize(
    ("variable", "value", "said"),
    [
        ("MAX_RETRIES", "abc", "'abc' is not a whole number"),
        ("MAX_RETRIES", "2.5", "'2.5' is not a whole number"),
        ("READ_TIMEOUT", "soon", "'soon' is not a number"),
        ("MAX_RPS", "nan", "'nan' is not a number"),
        ("CONNECT_TIMEOUT", "inf", "'inf' is not a number"),
        ("TOOLSET", "everything", "'everything' is not one of full, dynamic"),
        ("LOG_FORMAT", "xml", "'xml' is not one of off, json"),
        ("SERVER_URL_OVERRIDES", "https://a.test", "is not a list of FROM=TO pairs"),
    ],
)
def test_a_setting_that_does_not_parse_names_its_variable(vendor: Vendor, variable: str, value: str, said: str) -> None:
    with pytest.raises(SettingError) as caught:
        Settings.from_env(vendor, {f"ACME_{variable}": value})
    assert str(caught.value).startswith(f"ACME_{variable}: ") and said in str(caught.value)


def test_blank_settings_take_their_defaults(vendor: Vendor) -> None:
    settings = Settings.from_env(vendor, {"ACME_MAX_RETRIES": " ", "ACME_TOOLSET": "", "ACME_READ_TIMEOUT": ""})
    assert (settings.max_retries, settings.toolset, settings.read_timeout) == (2, "full", 60.0)


def test_a_bad_variable_or_flag_is_one_line_and_exit_2(
    vendor: Vendor, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    with pytest.raises(SystemExit) as flag:
        parse_args("acme-mcp", ["--max-retries", "abc"], vendor)
    line = capsys.readouterr().err
    assert flag.value.code == 2 and line.count("\n") == 1
    assert line.startswith("acme-mcp: error: argument --max-retries: 'abc' is not a whole number")
    monkeypatch.setenv("ACME_MAX_RETRIES", "abc")
    with pytest.raises(SystemExit) as variable:
        parse_args("acme-mcp", [], vendor)
    line = capsys.readouterr().err
    assert variable.value.code == 2 and line.count("\n") == 1
    assert line.startswith("acme-mcp: error: ACME_MAX_RETRIES: 'abc' is not a whole number")


def test_unknown_filter_names_its_flag_or_variable_and_the_known_ones(vendor: Vendor) -> None:
    from_env = Settings.from_env(vendor, {"ACME_TAGS": "nope"})
    assert unknown_filter(from_env, OPERATIONS, parse_args("acme-mcp", []), "ACME") == (
        "ACME_TAGS: unknown tag 'nope'; known: Calls, Data Privacy"
    )
    args = parse_args("acme-mcp", ["--methods", "read,delete"])
    flagged = from_env.with_args(args)
    assert unknown_filter(flagged, OPERATIONS, args, "ACME") == (
        "--methods: unknown method 'delete'; known: custom, read, write"
    )
    tools = Settings.from_env(vendor, {"ACME_EXCLUDE_TOOLS": "list_calls,drop_all"})
    assert unknown_filter(tools, OPERATIONS, None, "ACME") == (
        "ACME_EXCLUDE_TOOLS: unknown tool 'drop_all'; known: erase_email, list_calls"
    )
    fine = Settings.from_env(vendor, {"ACME_TAGS": "Data Privacy", "ACME_INCLUDE_TOOLS": "erase_email"})
    assert unknown_filter(fine, OPERATIONS, None, "ACME") is None
    assert unknown_names("--tags", "tag", (), ()) is None


def test_connections_create_refuses_unknown_names_with_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = str(tmp_path / "team.db")
    for flag, value, line in (
        ("--tags", "Data Privacy,nope", "error: --tags: unknown tag 'nope'; known: Calls, Data Privacy\n"),
        ("--include", "erase", "error: --include: unknown tool 'erase'; known: erase_email, list_calls\n"),
        ("--methods", "delete", "error: --methods: unknown method 'delete'; known: custom, read, write\n"),
        ("--expires-at", "tomorrow", "error: --expires-at: 'tomorrow' is not an ISO time like 2026-12-31T23:59Z\n"),
    ):
        args = parse_args("acme-mcp", ["connections", "create", "--name", "eve", flag, value, "--store", store])
        assert manage.run(args, store, "", OPERATIONS) == 2
        assert capsys.readouterr().err == line
    args = parse_args("acme-mcp", ["connections", "create", "--name", "dpo", "--tags", "Data Privacy"])
    assert manage.run(args, store, "", OPERATIONS) == 0
    listed = parse_args("acme-mcp", ["connections", "list"])
    capsys.readouterr()
    assert manage.run(listed, store, "", OPERATIONS) == 0
    assert "tags=Data Privacy " in capsys.readouterr().out


FORGED = "oauth:eve\n2026-01-01T00:00:00Z\toauth:boss\tdelete_everything\twrite\tok"


def test_a_subject_with_a_newline_cannot_forge_an_audit_row(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = Store.open(str(tmp_path / "team.db"))
    audit.record(store, audit.Entry("2026-01-02T00:00:00.000000Z", FORGED, "list_calls", "read", "ok\r", 5, "r\x1b1"))
    [entry] = audit.read(store)
    assert entry.who == printable(FORGED) and "\n" not in entry.who and "\\x0a" in entry.who
    assert (entry.outcome, entry.request_id) == ("ok\\x0d", "r\\x1b1")
    # a row written before the fix, straight into the table, is shown escaped too
    store.query("INSERT INTO audit (at, who, tool, kind, outcome, duration_ms) VALUES (?, ?, ?, ?, ?, ?)",
                ("2026-01-03T00:00:00.000000Z", FORGED, "list_calls", "read", "ok", 1))  # fmt: skip
    args = parse_args("acme-mcp", ["audit"])
    assert manage.run(args, store.url, "", OPERATIONS) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2 and all(line.split("\t")[1] == printable(FORGED) for line in lines)
