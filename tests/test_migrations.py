"""Migrations leave every declared index, unique constraint and trigger in place — including on
SQLite, whose table rebuilds drop them (infra/sqlite_schema.py puts them back)."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from infra.sqlite_schema import declared_indexes
from tests.databases import fetch, sqlite_path
from tests.test_cli import ROOT, workcred


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
        cwd=ROOT, env={**os.environ, "DATABASE_URL": database_url}, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr


def test_a_populated_database_upgrades_with_its_running_counts_filled_in(empty_database_url):
    # given a database from before the inbox and the record's tallies, with a company, a member
    # who worked there 18 months, and a published review
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
    ]:
        fetch(url, sql)
    # when it is migrated
    assert workcred(url, "migrate").returncode == 0
    # then the new counts hold what the rows say, and the repair finds nothing to mend
    assert fetch(url, "SELECT member_count, former_member_count, unanswered_review_count FROM company") == [(1, 1, 0)]
    assert fetch(url, "SELECT completed_months FROM company_member") == [(18,)]
    check = workcred(url, "repair-aggregates", "--check")
    assert check.returncode == 0, check.stdout + check.stderr
