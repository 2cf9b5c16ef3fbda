"""Migrations leave every declared index, unique constraint and trigger in place — including on
SQLite, whose table rebuilds drop them (infra/sqlite_schema.py puts them back)."""

from __future__ import annotations

import ast
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from infra.sqlite_schema import declared_indexes
from tests.cli import ROOT, workcred
from tests.databases import fetch, sqlite_path


async def test_every_declared_index_survives_the_migrations(api, settings, database_kind):
    from tortoise import Tortoise

    if database_kind != "sqlite":
        return  # PostgreSQL alters tables in place; its constraints are exercised by the API tests
    with sqlite3.connect(sqlite_path(settings.database_url)) as connection:
        existing = set()
        for table, name, unique in connection.execute(
            "SELECT m.tbl_name, i.name, i.\"unique\" FROM sqlite_master m, pragma_index_list(m.tbl_name) i "
            "WHERE m.type = 'table'"
        ):
            columns = tuple(c[2] for c in connection.execute(f'PRAGMA index_info("{name}")'))
            existing.add((table, bool(unique), columns))
        triggers = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
    missing = [
        (model._meta.db_table, unique, columns)
        for model in Tortoise.apps["models"].values()
        for unique, columns in declared_indexes(model)
        if (model._meta.db_table, unique, columns) not in existing
        and not (not unique and (model._meta.db_table, True, columns) in existing)
    ]
    assert missing == []
    assert {"audit_entry_no_update", "audit_entry_no_delete"} <= triggers


def _migrate_to(database_url: str, migration: str) -> None:
    result = subprocess.run(
        [str(Path(sys.executable).parent / "tortoise"), "migrate", "models", migration],
        cwd=ROOT, env={**os.environ, "DATABASE_URL": database_url}, capture_output=True, text=True, timeout=120, check=False,
    )
    assert result.returncode == 0, result.stderr


def test_a_populated_database_upgrades_with_its_running_counts_filled_in(empty_database_url):
    # given a database from before the inbox and the record's tallies, with a company, a member
    # who worked there 18 months, a published review (its tallies left out) and the company's
    # answer six hours later
    url = empty_database_url
    _migrate_to(url, "0007_removal_polls")
    then = "'2020-01-01 00:00:00+00:00'"
    for sql in [
        f"INSERT INTO company (id, slug, name, created_at) VALUES (1, 'acme', 'Acme', {then})",
        "INSERT INTO member (id, email, display_name, password_hash, created_at) "
        f"VALUES (1, 'a@example.com', 'A', 'x', {then})",
        "INSERT INTO employment (id, member_id, company_id, job_function, location, start_date, end_date, "
        f"verification, created_at, updated_at) VALUES (1, 1, 1, 'ENGINEERING', 'Shanghai', '2018-01-01', "
        f"'2019-07-01', 'UNVERIFIED', {then}, {then})",
        "INSERT INTO review (id, company_id, author_id, employment_id, overall, growth, title, job_function, "
        "status, helpful_count, created_at, tenure_widened) VALUES (1, 1, 1, 1, 4, 5, 'Fine', 'ENGINEERING', "
        "'PUBLISHED', 0, '2019-08-01 10:00:00+00:00', FALSE)",
        "INSERT INTO company_response (id, review_id, company_id, author_id, body, created_at, status) "
        "VALUES (1, 1, 1, 1, 'Thanks', '2019-08-01 16:00:00+00:00', 'PUBLISHED')",
    ]:
        fetch(url, sql)
    # when it is migrated
    assert workcred(url, "migrate").returncode == 0
    # then the new counts hold what the rows say, and the repair finds nothing to mend
    assert fetch(url, "SELECT member_count, former_member_count, unanswered_review_count, responded_review_count "
                      "FROM company") == [(1, 1, 0, 1)]
    assert fetch(url, "SELECT completed_months FROM company_member") == [(18,)]
    assert sorted(fetch(url, "SELECT scope, rating_key, count, total FROM rating_aggregate")) == [
        ("ALL", "GROWTH", 1, 5), ("ALL", "OVERALL", 1, 4), ("ENGINEERING", "GROWTH", 1, 5), ("ENGINEERING", "OVERALL", 1, 4)]
    assert fetch(url, "SELECT year, quarter, count, total FROM rating_trend") == [(2019, 3, 1, 4)]
    assert fetch(url, "SELECT measure, value, count FROM record_bucket ORDER BY measure") == [
        ("response_days", 0, 1), ("tenure_months", 18, 1)]  # answered six hours on, the same day
    assert fetch(url, "SELECT company_id FROM company_version") == [(1,)]
    # and no migration lost a row on the way (SQLite rebuilds tables to change them)
    assert [fetch(url, f"SELECT COUNT(*) FROM {table}")[0][0] for table in ("member", "employment", "review",
                                                                          "company_response")] == [1, 1, 1, 1]
    check = workcred(url, "repair-aggregates", "--check")
    assert check.returncode == 0, check.stdout + check.stderr


LIVE_CODE = ("resolvers", "schema", "infra", "workcred", "app")


def test_no_migration_imports_live_code():
    # a migration runs what it held when it was made: importing the code that evolves would let
    # a later refactor change what an old migration does to a database that has not run it yet
    importing = []
    for path in sorted((ROOT / "migrations").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [node.module or ""] if isinstance(node, ast.ImportFrom) else (
                [alias.name for alias in node.names] if isinstance(node, ast.Import) else [])
            importing += [f"{path.name}: {name}" for name in names if name.split(".")[0] in LIVE_CODE]
    assert importing == []
