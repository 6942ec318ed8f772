"""Configuration from the environment: every bad value stops start-up with one Chinese line."""

import os
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest

from baozheng import config

ROOT = Path(__file__).resolve().parents[2]


def run_cli(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("BAOZHENG_", "DATABASE_URL"))}
    return subprocess.run(
        [sys.executable, "-m", "baozheng.cli", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**clean, **env},
        timeout=60,
    )


def test_env_bool_rejects_a_value_that_is_neither_true_nor_false(monkeypatch):
    monkeypatch.setenv("BAOZHENG_X", "perhaps")
    with pytest.raises(config.ConfigError, match="BAOZHENG_X"):
        config.env_bool("BAOZHENG_X", False)


def test_sqlite_is_tuned_for_a_web_server(tmp_path, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    db = config.database(False, tmp_path)
    assert db["ENGINE"] == "baozheng.lib.sqlite"
    assert "journal_mode=WAL" in db["OPTIONS"]["init_command"]
    assert "busy_timeout" in db["OPTIONS"]["init_command"]
    assert "foreign_keys=ON" in db["OPTIONS"]["init_command"]


def test_a_postgres_url_selects_postgresql(tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://u:p@db.local:5433/baozheng")
    db = config.database(True, tmp_path)
    assert db["ENGINE"] == "django.db.backends.postgresql"
    assert (db["HOST"], db["PORT"], db["NAME"]) == ("db.local", 5433, "baozheng")


@pytest.mark.parametrize(
    "url", ["", "mysql://u:p@h/db", "postgres//oops", "postgres://u:p@host:port/db"]
)
def test_a_malformed_database_url_is_refused_with_a_message(tmp_path, monkeypatch, url):
    monkeypatch.setenv("DATABASE_URL", url)
    with pytest.raises(config.ConfigError, match="DATABASE_URL"):
        config.database(False, tmp_path)


def test_production_needs_a_database_url(tmp_path, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    with pytest.raises(config.ConfigError, match="DATABASE_URL"):
        config.database(True, tmp_path)


def test_production_needs_an_explicit_long_secret_key(tmp_path, monkeypatch):
    monkeypatch.delenv("BAOZHENG_SECRET_KEY", raising=False)
    with pytest.raises(config.ConfigError, match="SECRET_KEY"):
        config.secret_key(True, tmp_path)
    monkeypatch.setenv("BAOZHENG_SECRET_KEY", "short")
    with pytest.raises(config.ConfigError, match="32"):
        config.secret_key(True, tmp_path)


def test_a_development_secret_key_is_generated_once_and_kept(tmp_path, monkeypatch):
    monkeypatch.delenv("BAOZHENG_SECRET_KEY", raising=False)
    first = config.secret_key(False, tmp_path)
    assert len(first) > 40
    assert config.secret_key(False, tmp_path) == first


def test_the_cli_prints_one_line_for_a_malformed_database_url(tmp_path):
    result = run_cli("migrate", BAOZHENG_DATA_DIR=str(tmp_path), DATABASE_URL="postgres//nohost")
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0
    assert "DATABASE_URL" in result.stderr and "Traceback" not in result.stderr


def test_the_cli_refuses_production_with_debug_on(tmp_path):
    result = run_cli(
        "serve", BAOZHENG_DATA_DIR=str(tmp_path), BAOZHENG_PRODUCTION="true", BAOZHENG_DEBUG="true"
    )
    assert result.returncode == 2
    assert "调试" in result.stderr and result.stderr.strip().count("\n") == 0


def test_the_cli_refuses_production_without_allowed_hosts(tmp_path):
    result = run_cli(
        "serve",
        BAOZHENG_DATA_DIR=str(tmp_path),
        BAOZHENG_PRODUCTION="true",
        BAOZHENG_SECRET_KEY="x" * 40,
        DATABASE_URL="postgres://u:p@127.0.0.1/db",
    )
    assert result.returncode == 2
    assert "BAOZHENG_ALLOWED_HOSTS" in result.stderr


def test_help_lists_the_subcommands(tmp_path):
    result = run_cli("--help", BAOZHENG_DATA_DIR=str(tmp_path))
    assert result.returncode == 0
    for command in ("demo", "serve", "migrate", "createuser"):
        assert f"  {command} " in result.stdout


def test_help_reads_each_commands_help_without_loading_the_command(monkeypatch):
    """`baozheng --help` reads the help strings from the commands' source: loading every
    command class would import the analysis engine and the office libraries."""
    from django.core.management import get_commands, load_command_class

    from baozheng import cli

    expected = {
        name: load_command_class(app, name).help
        for name, app in get_commands().items()
        if app.startswith("baozheng.")
    }
    assert len(expected) >= 10
    assert {
        name: cli.command_help(app, name)
        for name, app in get_commands().items()
        if app.startswith("baozheng.")
    } == expected

    def refuse(app, name):
        raise AssertionError(f"{app}.{name} loaded")

    monkeypatch.setattr("django.core.management.load_command_class", refuse)
    assert cli._commands()["demo"] == expected["demo"].splitlines()[0]


@pytest.mark.parametrize(
    ("command", "checks_urls"),
    [
        ("remind", False),
        ("worker", False),
        ("import", False),
        ("serve", True),
        ("demo", True),
        ("check", True),
        ("migrate", True),
    ],
)
def test_only_the_commands_that_serve_pages_check_the_url_configuration(command, checks_urls):
    """The URL checks import every view (0.4 s of a cron command's start); every other check
    runs for every command: the home unit's, the security checks, the task backends'."""
    from django.core.checks import Tags
    from django.core.checks.registry import registry
    from django_tasks.checks import check_tasks

    from baozheng import cli
    from baozheng.org.checks import home_unit_exists

    everything = set(registry.registered_checks)
    with mock.patch.object(registry, "registered_checks", set(everything)):
        cli.narrow_checks(command)
        kept = registry.registered_checks
    assert {check for check in everything if Tags.urls not in check.tags} <= kept
    assert {home_unit_exists, check_tasks} <= kept
    assert any(Tags.security in check.tags for check in kept)
    assert any(Tags.urls in check.tags for check in kept) == checks_urls
