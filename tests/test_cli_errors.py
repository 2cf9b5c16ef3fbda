"""Operator mistakes end in one line on stderr, exit code 2, nothing on stdout, no traceback and
no file left behind — from every command, `serve` included (its `main()` in-process; a real
process for the entry point itself)."""

from __future__ import annotations

import argparse
import os
import socket
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from infra.database_check import known_migrations
from tests.cli import Ran, run_main
from tests.databases import (
    create_postgres_database,
    fetch,
    new_database_name,
    postgres_url,
    run_sync,
    sqlite_url,
)

DATABASE_COMMANDS = [
    ("serve",),
    ("migrate",),
    ("seed-demo",),
    ("repair-aggregates", "--check"),
    ("settle-polls",),
    ("grant-moderator", "--email", "someone@example.com"),
    ("grant-role", "--company", "acme", "--email", "someone@example.com", "--role", "CEO"),
]


def run_in(directory: Path, environment: dict[str, str], *args: str) -> Ran:
    """The CLI's `main()` in `directory` (where the default database would be created), settings
    from `environment` only."""
    return run_main(list(args), environment, directory)


def assert_one_line_refusal(result: Ran | subprocess.CompletedProcess[str], *fragments: str) -> None:
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    assert "Traceback" not in result.stderr
    for fragment in fragments:
        assert fragment in lines[0]


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    directory = tmp_path / "work"
    directory.mkdir()
    return directory


def leftovers(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir())


@pytest.mark.parametrize("command", DATABASE_COMMANDS, ids=lambda c: c[0])
def test_an_unsupported_scheme(workdir, command):
    result = run_in(workdir, {"DATABASE_URL": "mysql://root@127.0.0.1/x"}, *command)
    assert_one_line_refusal(result, "DATABASE_URL must start with sqlite:// or postgres://", "'mysql'")
    assert leftovers(workdir) == []


@pytest.mark.parametrize("command", [("serve",), ("migrate",)], ids=lambda c: c[0])
def test_a_real_process_refuses_in_one_line_too(workdir, command):
    # the same refusal from the installed entry point, as an operator meets it
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL" and not k.startswith("WORKCRED_")}
    result = subprocess.run(
        [sys.executable, "-m", "workcred.cli", *command], cwd=workdir,
        env={**env, "DATABASE_URL": "mysql://root@127.0.0.1/x"}, capture_output=True, text=True, timeout=120, check=False,
    )
    assert_one_line_refusal(result, "DATABASE_URL must start with sqlite:// or postgres://", "'mysql'")
    assert leftovers(workdir) == []


@pytest.mark.parametrize("command", DATABASE_COMMANDS, ids=lambda c: c[0])
def test_an_unreachable_postgresql_host(workdir, command):
    result = run_in(workdir, {"DATABASE_URL": "postgres://postgres@nosuchhost.invalid/x"}, *command)
    assert_one_line_refusal(result, "cannot reach PostgreSQL at nosuchhost.invalid:5432")


@pytest.mark.parametrize("command", DATABASE_COMMANDS, ids=lambda c: c[0])
def test_a_missing_postgresql_database_is_an_error_and_is_never_created(workdir, postgres_server, command):
    name = new_database_name("missing")
    result = run_in(workdir, {"DATABASE_URL": postgres_url(name)}, *command)
    assert_one_line_refusal(result, f"PostgreSQL database '{name}'", "does not exist", f"createdb {name}")
    assert fetch(postgres_url("postgres"), f"SELECT 1 FROM pg_database WHERE datname = '{name}'") == []


@pytest.mark.parametrize("command", DATABASE_COMMANDS, ids=lambda c: c[0])
def test_a_sqlite_path_in_a_missing_directory(workdir, command):
    url = sqlite_url(workdir / "no-such-dir" / "x.db")
    result = run_in(workdir, {"DATABASE_URL": url}, *command)
    expected = "directory" if command[0] in ("serve", "migrate", "seed-demo") else "no database at"
    assert_one_line_refusal(result, expected)
    assert leftovers(workdir) == []


def test_a_sqlite_path_under_a_file(workdir):
    (workdir / "plain-file").write_text("x")
    result = run_in(workdir, {"DATABASE_URL": sqlite_url(workdir / "plain-file" / "x.db")}, "migrate")
    assert_one_line_refusal(result, "is a file, not a directory")
    assert leftovers(workdir) == ["plain-file"]


@pytest.mark.parametrize("command", [c for c in DATABASE_COMMANDS if c[0] not in ("serve", "migrate", "seed-demo")],
                         ids=lambda c: c[0])
def test_commands_that_do_not_migrate_never_create_the_default_database(workdir, command):
    result = run_in(workdir, {}, *command)
    assert_one_line_refusal(result, "no database at", "workcred.sqlite3", "run `workcred migrate` first")
    assert leftovers(workdir) == []


def test_an_unmigrated_sqlite_database_is_named_as_such(workdir):
    path = workdir / "other.sqlite3"
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE unrelated (x INTEGER)")
    connection.close()
    result = run_in(workdir, {"DATABASE_URL": sqlite_url(path)}, "repair-aggregates")
    assert_one_line_refusal(result, f"is not migrated (0 of {len(known_migrations())} migrations applied)")
    assert leftovers(workdir) == ["other.sqlite3"]


def test_a_file_that_is_not_a_database(workdir):
    path = workdir / "notes.sqlite3"
    path.write_text("not a database, just some text " * 100)
    for command in ("migrate", "repair-aggregates"):
        assert_one_line_refusal(run_in(workdir, {"DATABASE_URL": sqlite_url(path)}, command), "not a usable SQLite")


def test_an_unmigrated_postgresql_database_is_named_as_such(workdir, postgres_server):
    url = run_sync(create_postgres_database(new_database_name("empty")))
    result = run_in(workdir, {"DATABASE_URL": url}, "settle-polls")
    assert_one_line_refusal(result, "is not migrated (0 of")


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("WORKCRED_PORT", "70000", "WORKCRED_PORT must be between 1 and 65535"),
        ("WORKCRED_MAX_QUERY_COST", "-5", "WORKCRED_MAX_QUERY_COST must be between"),
        ("WORKCRED_MAX_BODY_BYTES", "0", "WORKCRED_MAX_BODY_BYTES must be between"),
        ("WORKCRED_PORT", "eighty", "WORKCRED_PORT='eighty' is not a valid int"),
    ],
)
def test_settings_are_checked_before_anything_is_touched(workdir, variable, value, message):
    result = run_in(workdir, {variable: value}, "serve")
    assert_one_line_refusal(result, message)
    assert leftovers(workdir) == []


def test_migrate_says_what_it_did(workdir):
    first = run_in(workdir, {}, "migrate")
    latest = known_migrations()[-1]
    assert first.returncode == 0, first.stderr
    assert first.stdout.strip() == f"migrations: applied {len(known_migrations())}, now at {latest}"
    again = run_in(workdir, {}, "migrate")
    assert again.stdout.strip() == f"migrations: up to date ({latest})"
    # the migration lock lives outside the working directory
    assert [n for n in leftovers(workdir) if "lock" in n] == []


def test_a_port_in_use_is_found_before_anything_is_migrated(workdir):
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        result = run_in(workdir, {"DATABASE_URL": sqlite_url(workdir / "x.db"), "WORKCRED_PORT": str(port)}, "serve")
    assert_one_line_refusal(result, f"cannot listen on 127.0.0.1:{port}", "another process listens there", "--port")
    assert leftovers(workdir) == []  # nothing created, nothing migrated


@pytest.mark.parametrize("slashes", ["///", "////"], ids=["tortoise-form", "sqlalchemy-form"])
def test_both_absolute_sqlite_forms_name_the_same_file_for_every_command(workdir, slashes):
    url = f"sqlite:{slashes[:2]}{slashes[2:]}{str(workdir / 'x.db').lstrip('/')}"
    assert url.startswith(f"sqlite:{slashes}") and url.endswith("/work/x.db")
    assert run_in(workdir, {"DATABASE_URL": url}, "migrate").returncode == 0
    granted = run_in(workdir, {"DATABASE_URL": url}, "grant-moderator", "--email", "nobody@example.com")
    checked = run_in(workdir, {"DATABASE_URL": url}, "repair-aggregates", "--check")
    assert (granted.returncode, granted.stdout) == (1, "") and "nobody@example.com" in granted.stderr
    assert checked.returncode == 0 and "drift found: 0" in checked.stdout
    assert leftovers(workdir) == ["x.db", "x.db-shm", "x.db-wal"] or leftovers(workdir) == ["x.db"]


def test_a_misspelt_setting_is_named_with_the_nearest_real_one(workdir):
    environment = {"DATABASE_URL": sqlite_url(workdir / "x.db"), "WORKCRED_K_ANONIMITY": "3", "WORKCRED_ZZZ": "1"}
    result = run_in(workdir, environment, "migrate")
    assert result.returncode == 0
    assert result.stderr.splitlines() == [
        "warning: WORKCRED_K_ANONIMITY is not a workcred setting and is ignored; did you mean WORKCRED_K_ANONYMITY?",
        "warning: WORKCRED_ZZZ is not a workcred setting and is ignored (see docs/settings.md)",
    ]


def test_every_command_explains_itself_and_what_it_reads():
    from workcred.cli import build_parser

    parser = build_parser()
    [commands] = [action for action in parser._actions if isinstance(action, argparse._SubParsersAction)]
    for name, command in commands.choices.items():
        text = command.format_help()
        assert command.description and command.description.endswith("."), name
        assert "DATABASE_URL" in text and "REDIS_URL" in text, name


def test_serve_keeps_no_access_log_unless_asked():
    from workcred.cli import build_parser, uvicorn_options

    quiet = build_parser().parse_args(["serve"])
    logging = build_parser().parse_args(["serve", "--access-log", "--workers", "2"])
    assert uvicorn_options("127.0.0.1", 8000, quiet)["access_log"] is False
    assert uvicorn_options("127.0.0.1", 8000, logging) == {
        "host": "127.0.0.1", "port": 8000, "workers": 2, "log_level": "info", "access_log": True}
