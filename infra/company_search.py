"""The index behind `companies(search:)`: every company's case-folded name (`Company.folded_name`,
Python's `str.casefold`, set when the company is created — a name never changes), found by
prefix through an ordinary index on (folded_name, id) and by substring through a trigram index
(resolvers/company_search.py):
SQLite's FTS5 with the trigram tokenizer (an external-content table over `company`, kept by the
triggers below in the writing transaction), PostgreSQL's pg_trgm (a GIN index PostgreSQL keeps
itself). A trigram index finds substrings of three characters or more; shorter searches match
by prefix only ("青云" finds "青云电机", "电机" does not — "青云电" and "云电机" do).
"""

from __future__ import annotations

import enum

from pypika_tortoise.terms import BasicCriterion, Criterion, Term
from tortoise.expressions import RawSQL

MIN_SUBSTRING = 3
# Past every character: a prefix's matches are the names from it up to it followed by this.
AFTER_EVERY_CHARACTER = "\U0010ffff"

SQLITE_TABLE = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS company_search USING fts5("
    "folded_name, content='company', content_rowid='id', tokenize='trigram')"
)
SQLITE_REBUILD = "INSERT INTO company_search (company_search) VALUES ('rebuild')"
_SQLITE_TRIGGERS = {
    "company_search_insert": "AFTER INSERT ON company BEGIN "
    "INSERT INTO company_search (rowid, folded_name) VALUES (NEW.id, NEW.folded_name); END;",
    "company_search_delete": "AFTER DELETE ON company BEGIN "
    "INSERT INTO company_search (company_search, rowid, folded_name) VALUES ('delete', OLD.id, OLD.folded_name); END;",
    "company_search_update": "AFTER UPDATE OF folded_name ON company BEGIN "
    "INSERT INTO company_search (company_search, rowid, folded_name) VALUES ('delete', OLD.id, OLD.folded_name); "
    "INSERT INTO company_search (rowid, folded_name) VALUES (NEW.id, NEW.folded_name); END;",
}
POSTGRES = [
    'ALTER TABLE company ALTER COLUMN folded_name TYPE VARCHAR(360) COLLATE "C"',  # prefixes are ranges
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS company_folded_name_trigrams ON company USING gin (folded_name gin_trgm_ops)",
]


def sqlite_triggers() -> str:
    """One statement per line; idempotent (re-created after a table rebuild)."""
    return "\n".join(f"CREATE TRIGGER IF NOT EXISTS {name} {body}" for name, body in _SQLITE_TRIGGERS.items())


def sqlite_trigger_names() -> list[str]:
    return list(_SQLITE_TRIGGERS)


def fts_phrase(folded: str) -> str:
    """`folded` as an FTS5 phrase (a trigram phrase matches it anywhere in a name), as an SQL
    literal: FTS5 doubles quotes inside a phrase, SQL inside a string."""
    phrase = '"' + folded.replace('"', '""') + '"'
    return "'" + phrase.replace("'", "''") + "'"


class _Membership(enum.Enum):
    IN = " IN "


def found_by_trigrams(field: Term, value: str) -> Criterion:
    """SQLite's `id__search` on companies: those whose names the FTS5 trigram index finds
    containing `value` (infra/sqlite_engine.py puts it in force; a list of ids, in order, that
    the planner starts from)."""
    matches = f"(SELECT rowid FROM company_search WHERE company_search MATCH {fts_phrase(value)})"
    return BasicCriterion(_Membership.IN, field, RawSQL(matches))
