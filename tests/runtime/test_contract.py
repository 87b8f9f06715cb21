"""The contract's settings table: it drives ``Settings.from_env``, the flags and the README rows."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.runtime.contract import Vendor
from generator.runtime.serve.cli import parse_args
from generator.runtime.setting_table import SETTINGS, setting_rows
from generator.runtime.settings import Settings


def test_every_setting_is_a_field_with_the_tables_default() -> None:
    fields = {f.name: f for f in dataclasses.fields(Settings)}
    plain = Settings(base_url="x")
    for setting in SETTINGS:
        assert setting.name in fields
        if setting.type not in ("url", "pairs", "path"):
            assert getattr(plain, setting.name) == setting.default, setting.name
    assert plain.output_dir == Path("mcp-output") and plain.upload_dir is None


def test_names_and_flags_are_unique() -> None:
    assert len({s.env for s in SETTINGS}) == len(SETTINGS)
    flags = [s.flag for s in SETTINGS if s.flag]
    assert len(set(flags)) == len(flags)


def test_from_env_reads_each_kind(vendor: Vendor) -> None:
    env = {
        "ACME_BASE_URL": "http://127.0.0.1:9/",
        "ACME_SCOPES": "a:read b:write",
        "ACME_METHODS": "read,custom",
        "ACME_MAX_RETRIES": " 4 ",
        "ACME_READ_TIMEOUT": "",
        "ACME_JOB_POLL_INTERVAL": "0",
        "ACME_TOOLSET": " Dynamic ",
        "ACME_SERVER_URL_OVERRIDES": "https://a.test/=http://b.test/ https://c.test=http://d.test",
        "ACME_OUTPUT_DIR": "",
    }
    settings = Settings.from_env(vendor, env)
    assert settings.base_url == "http://127.0.0.1:9"
    assert settings.scopes == frozenset({"a:read", "b:write"}) and settings.methods == {"read", "custom"}
    assert settings.max_retries == 4 and settings.read_timeout == 60.0 and settings.job_poll_interval == 0.01
    assert settings.toolset == "dynamic"
    assert settings.server_urls == {"https://a.test": "http://b.test", "https://c.test": "http://d.test"}
    assert settings.output_dir == Path("mcp-output")


def test_the_vendors_limits_are_defaults_that_settings_override(vendor: Vendor) -> None:
    limited = dataclasses.replace(vendor, max_rps=3.0, daily_quota=10_000)
    assert (Settings.from_env(vendor, {}).max_rps, Settings.from_env(vendor, {}).daily_quota) == (0.0, 0)
    assert (Settings.from_env(limited, {}).max_rps, Settings.from_env(limited, {}).daily_quota) == (3.0, 10_000)
    told = Settings.from_env(limited, {"ACME_MAX_RPS": "0", "ACME_DAILY_QUOTA": "5"})
    assert (told.max_rps, told.daily_quota) == (0.0, 5)
    flagged = told.with_args(parse_args("acme-mcp", ["--daily-quota", "7", "--max-rps", "1.5"]))
    assert (flagged.max_rps, flagged.daily_quota) == (1.5, 7)


def test_unset_scopes_mean_not_told_and_base_url_is_the_vendors(vendor: Vendor) -> None:
    settings = Settings.from_env(vendor, {})
    assert settings.scopes is None and settings.base_url == vendor.base_url
    assert Settings.from_env(vendor, {"ACME_SCOPES": ""}).scopes == frozenset()


def test_flags_override_the_environment(make_settings: Callable[..., Settings]) -> None:
    args = parse_args("acme-mcp", ["--max-rps", "2.5", "--tags", "Calls", "--output-dir", "o", "--toolset", "dynamic"])
    settings = make_settings(max_retries="5", tags="Users").with_args(args)
    assert settings.max_rps == 2.5 and settings.tags == {"Calls"} and settings.output_dir == Path("o")
    assert settings.toolset == "dynamic" and settings.max_retries == 5


def test_help_shows_each_flag_with_its_default(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, vendor: Vendor
) -> None:
    monkeypatch.setenv("COLUMNS", "200")  # no wrapping inside words like mcp-output
    with pytest.raises(SystemExit):
        parse_args("acme-mcp", ["--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "seconds to connect (default 10)" in text and "(default mcp-output)" in text
    with pytest.raises(SystemExit):
        parse_args("acme-mcp", ["--help"], dataclasses.replace(vendor, daily_quota=10_000))
    assert "(0: no cap) (default 10000)" in " ".join(capsys.readouterr().out.split())


def test_readme_rows_name_every_variable_and_flag(vendor: Vendor) -> None:
    rows = dict(setting_rows("ACME", dataclasses.replace(vendor, max_rps=3.0, daily_quota=10_000)))
    assert len(rows) == len(SETTINGS)
    assert rows["ACME_BASE_URL"].endswith("(default `https://api.acme.test`)")
    assert rows["ACME_MAX_RPS"].endswith("(default 3); flag `--max-rps`")
    assert rows["ACME_DAILY_QUOTA"].endswith("(default 10000); flag `--daily-quota`")
    assert dict(setting_rows("ACME", vendor))["ACME_DAILY_QUOTA"].endswith("(default 0); flag `--daily-quota`")
    assert rows["ACME_MAX_DOWNLOAD_BYTES"].endswith("(default 2000000000)")
    assert rows["ACME_CONNECT_TIMEOUT"] == "seconds to connect (default 10); flag `--connect-timeout`"
