"""The ranking snapshot's copy on disk: a restarted server reads it and catches up with what
changed meanwhile; a copy that is not its database's as that database now stands is passed
over, and the snapshot loads in full."""

from __future__ import annotations

import shutil
import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app import create_app
from resolvers import ranking_snapshot, snapshot_copy
from tests.api import Api
from tests.databases import sqlite_path, sqlite_url
from tests.reviewing import counting_statements
from tests.suite import suite_settings

# The copy is kept beside a SQLite database file by default (PostgreSQL names one explicitly).
on_sqlite = pytest.mark.parametrize("database_kind", ["sqlite"], indirect=True)

LISTING = """{ byName: companies(first: 5, orderBy: {field: NAME}) { edges { node { slug name } } }
  byFit: companies(first: 8, orderBy: {field: FIT}, priorities: {weights: [{dimension: GROWTH, weight: 5},
    {dimension: MEANING, weight: 2}], perspective: ENGINEERING}) {
    totalCount edges { node { slug fit { score confidence } ratings { overall { count mean } } } } } }"""


async def listing(database_url: str, **changes: object) -> tuple[dict[str, object], list[list[str]]]:
    """The listing from a server started anew on the database (a new process: no snapshot in
    memory), and the statements its snapshot ran to be ready."""
    ranking_snapshot._SNAPSHOTS.clear()
    settings = replace(suite_settings(database_url), **changes)  # type: ignore[arg-type]
    with counting_statements() as counter:
        async with Api.running(create_app(settings)) as api:
            data = (await api.query(LISTING)).data
    return data, counter.catch_ups


def read_in_full(catch_ups: list[list[str]]) -> bool:
    """Whether the snapshot read every company's tallies (by id range), not only the changed."""
    return any("BETWEEN" in statement for statements in catch_ups for statement in statements)


def rename(database_url: str, slug: str, name: str) -> None:
    """A change made while no server runs (as another process would make it)."""
    with sqlite3.connect(sqlite_path(database_url)) as connection:
        connection.execute("UPDATE company SET name = ? WHERE slug = ?", (name, slug))


def copy_of(database_url: str) -> Path:
    path = snapshot_copy.copy_path(suite_settings(database_url))
    assert path is not None
    return path


def move_copy(source_url: str, target_url: str) -> None:
    """The copy written beside one database now beside another (as when a database file is
    replaced by another, or restored from a backup, under the same name)."""
    shutil.copyfile(copy_of(source_url), copy_of(target_url))


def first_by_name(data: dict[str, object]) -> str:
    return data["byName"]["edges"][0]["node"]["name"]  # type: ignore[index]


@on_sqlite
async def test_a_restarted_server_reads_its_copy_and_catches_up_with_what_changed_meanwhile(demo_database_url):
    # given a server that ranked and stopped, leaving its copy
    before, catch_ups = await listing(demo_database_url)
    assert read_in_full(catch_ups)
    assert copy_of(demo_database_url).exists()
    # and a company renamed while no server ran
    last = before["byFit"]["edges"][-1]["node"]["slug"]  # type: ignore[index]
    rename(demo_database_url, last, "AAA First By Name")
    # when a server starts again
    after, catch_ups = await listing(demo_database_url)
    # then it read the copy and only the company that changed, and ranks as a full load does
    assert not read_in_full(catch_ups)
    assert first_by_name(after) == "AAA First By Name"
    in_full, _ = await listing(demo_database_url, snapshot_copy="off")
    assert after == in_full


@on_sqlite
async def test_a_copy_is_not_read_by_another_database_at_its_path(demo_database_url, fresh_database):
    # given a copy made after one company was renamed
    renamed, other = "AAA Renamed Here", "AAA Renamed Elsewhere"
    first, _ = await listing(demo_database_url)
    slugs = [edge["node"]["slug"] for edge in first["byFit"]["edges"]]  # type: ignore[index]
    rename(demo_database_url, slugs[0], renamed)
    await listing(demo_database_url)
    # and another database, with as many changes since (a later data version), where it lies
    elsewhere = fresh_database("demo")
    rename(elsewhere, slugs[1], "something")
    rename(elsewhere, slugs[1], other)
    move_copy(demo_database_url, elsewhere)
    # when a server starts on that database
    data, catch_ups = await listing(elsewhere)
    # then the copy (whose renamed company that database never renamed) was passed over
    assert read_in_full(catch_ups)
    names = {edge["node"]["name"] for edge in data["byName"]["edges"]}  # type: ignore[index]
    assert other in names and renamed not in names


@on_sqlite
async def test_a_database_restored_from_before_the_copy_does_not_read_it(demo_database_url, tmp_path: Path):
    # given a backup taken after a first copy, then a change and a newer copy
    await listing(demo_database_url)
    backup = tmp_path / "backup.sqlite3"
    with sqlite3.connect(sqlite_path(demo_database_url)) as source, sqlite3.connect(backup) as copy:
        source.backup(copy)
    first, _ = await listing(demo_database_url)
    rename(demo_database_url, first["byFit"]["edges"][0]["node"]["slug"], "AAA Renamed After The Backup")  # type: ignore[index]
    await listing(demo_database_url)
    # when the backup is restored and a server starts
    restored = sqlite_url(backup)
    move_copy(demo_database_url, restored)
    data, catch_ups = await listing(restored)
    # then it loaded the database as restored
    assert read_in_full(catch_ups)
    assert data == first


@on_sqlite
async def test_an_unreadable_copy_is_passed_over_and_written_anew(demo_database_url):
    copy = copy_of(demo_database_url)
    whole, _ = await listing(demo_database_url, snapshot_copy="off")
    copy.write_bytes(b"PK\x03\x04 not a copy")
    data, catch_ups = await listing(demo_database_url)
    assert read_in_full(catch_ups) and data == whole
    data, catch_ups = await listing(demo_database_url)
    assert not read_in_full(catch_ups) and data == whole


@given(st.lists(st.one_of(st.none(), st.sampled_from(["", "青云", "Zürich", "a\"b\\c", "\x00\n"]), st.text())))
def test_text_columns_come_back_as_they_went(labels):
    vocabulary, codes = snapshot_copy.labels_arrays(labels)
    assert snapshot_copy.labels_of(vocabulary, codes) == labels
    texts = [label or "" for label in labels]
    assert snapshot_copy.texts_of(snapshot_copy.texts_array(texts)) == texts


@on_sqlite
async def test_the_copy_is_readable_by_its_owner_only(demo_database_url):
    # it holds tallies no response shows (a job function's below k)
    await listing(demo_database_url)
    assert copy_of(demo_database_url).stat().st_mode & 0o777 == 0o600


@on_sqlite
async def test_a_copy_that_cannot_be_written_leaves_the_server_answering_and_stopping_cleanly(demo_database_url, tmp_path):
    # given a copy path in a directory that does not exist (an operator's mistake)
    nowhere = tmp_path / "no such directory" / "ranking.npz"
    whole, _ = await listing(demo_database_url, snapshot_copy="off")
    # when a server starts, ranks and stops (writing the copy after its load and at shut-down)
    data, catch_ups = await listing(demo_database_url, snapshot_copy=str(nowhere))
    # then it answered as without a copy, and left none
    assert data == whole and read_in_full(catch_ups)
    assert not nowhere.parent.exists()
