"""Reads cost what they return: no statement of the company page, its filters and orderings, the
inbox or the fit ranking scans a table that grows with reviews, jobs, responses or votes.
Each statement the real API sent is EXPLAINed on the real database (PostgreSQL with sequential
scans discouraged, so a small table does not hide a missing index)."""

from __future__ import annotations

import json

import pytest

import models
from tests.reviewing import counting_statements

# Tables whose size follows the platform's activity, not its number of companies.
GROWING = {"review", "employment", "position", "company_response", "helpful_vote", "member", "auth_token",
           "audit_entry", "removal_vote", "removal_poll", "career_break", "review_slot", "stored_credit",
           "company_member"}
PAGE = """query ($filter: ReviewFilter, $order: ReviewOrder) { company(slug: "qingyun-electric-motors") {
  name unansweredReviewCount ratings { overall { count bayesianAverage distribution } dimensions { dimension count } }
  record { membersWhoWorkedThere medianCompletedTenureMonths earlyAttrition reviewCount responseRate
           medianResponseTimeDays ratingTrend { label count mean } }
  ratingTrend { label count mean }
  reviews(first: 20, filter: $filter, orderBy: $order) { totalCount edges { node { id title overall helpfulCount
    tenure { employmentStatus tenure verified jobFunction location lastYear withheld }
    response { body createdAt } removalPoll { status } history { action } } } } } }"""
RANKING = """{ companies(first: 20, orderBy: {field: FIT}, filter: {minReviewCount: 5, industry: "Internet"},
  priorities: {weights: [{dimension: COMPENSATION, weight: 5}, {dimension: MEANING, weight: 3}]}) {
  totalCount edges { node { slug fit { score confidence } } } } }"""
PAGE_VARIANTS = [
    {},
    {"order": "OLDEST", "filter": {"answered": False}},
    {"order": "MOST_HELPFUL"},
    {"order": "HIGHEST", "filter": {"employmentStatus": "FORMER", "minOverall": 3}},
    {"order": "LOWEST", "filter": {"jobFunction": "ENGINEERING", "verified": True}},
    {"filter": {"tenure": "MORE_THAN_1_YEAR", "writtenFrom": "2022-01-01", "writtenTo": "2025-12-31"}},
    {"filter": {"status": "WITHDRAWN"}},
]


def scanned_table(name: str) -> str:
    """tortoise aliases a joined table by its relation path ("company_response__review")."""
    return name.strip('"').rsplit("__", 1)[-1]


async def sqlite_scans(connection, sql: str, values: list) -> list[str]:
    """Full scans of a table or of a whole index alike ("SCAN x USING COVERING INDEX …")."""
    _, rows = await connection.execute_query(f"EXPLAIN QUERY PLAN {sql}", values)
    details = [row["detail"] for row in rows]
    return [d for d in details if d.startswith("SCAN ") and scanned_table(d.split()[1]) in GROWING]


def _seq_scans(plan: dict) -> list[str]:
    whole = plan.get("Node Type") == "Seq Scan" or (
        plan.get("Node Type") in ("Index Scan", "Index Only Scan") and "Index Cond" not in plan
    )
    found = [plan["Relation Name"]] if whole else []
    for child in plan.get("Plans", []):
        found += _seq_scans(child)
    return found


async def postgres_plan(connection, sql: str, values: list) -> dict:
    """The statement's plan tree, sequential scans discouraged."""
    async with connection.acquire_connection() as raw, raw.transaction():
        await raw.execute("SET LOCAL enable_seqscan = off")
        plan = await raw.fetchval(f"EXPLAIN (FORMAT JSON) {sql}", *values)
    return json.loads(plan)[0]["Plan"]


async def postgres_scans(connection, sql: str, values: list) -> list[str]:
    return [table for table in _seq_scans(await postgres_plan(connection, sql, values)) if table in GROWING]


async def full_scans(executed: list[tuple[str, list]]) -> list[tuple[str, list[str]]]:
    connection = models.Review._meta.db  # the app's own connection
    explain = sqlite_scans if connection.capabilities.dialect == "sqlite" else postgres_scans
    found = []
    for sql, values in executed:
        if sql.lstrip().upper().startswith("SELECT") and (scans := await explain(connection, sql, values)):
            found.append((sql[:160], scans))
    return found


@pytest.mark.parametrize("variant", PAGE_VARIANTS, ids=lambda v: json.dumps(v, sort_keys=True))
async def test_no_company_page_statement_scans_a_growing_table(demo, variant):
    with counting_statements() as log:
        assert not (await demo.query(PAGE, variant)).body.get("errors")
    assert log.executed
    assert await full_scans(log.executed) == []


async def test_no_ranking_statement_scans_a_growing_table(demo):
    with counting_statements() as log:
        assert not (await demo.query(RANKING)).body.get("errors")
    assert await full_scans(log.executed) == []


async def index_conditions(connection, sql: str, values: list) -> list[str]:
    """What each index search of the statement's plan is bounded by."""
    if connection.capabilities.dialect == "sqlite":
        _, rows = await connection.execute_query(f"EXPLAIN QUERY PLAN {sql}", values)
        return [row["detail"] for row in rows if " USING INDEX " in row["detail"]]

    def conditions(node: dict) -> list[str]:
        return [node.get("Index Cond", "")] + [c for child in node.get("Plans", []) for c in conditions(child)]

    return [condition for condition in conditions(await postgres_plan(connection, sql, values)) if condition]


async def test_an_anonymity_check_reads_colleagues_along_the_company_and_function_index(demo):
    """The colleagues a current face may hide among are read by company, job function and start
    date — not every job the company has in the face's tenure window, then filtered (at a
    company of 170,000 jobs that cost 45 ms per submitted review)."""
    from datetime import UTC, datetime

    from domain.anonymity import Face
    from domain.enums import EmploymentStatus, JobFunction, TenureBucket
    from infra.settings import Settings, put_in_force
    from resolvers.anonymity import established_colleagues

    put_in_force(Settings(database_url="sqlite://:memory:"))  # the check runs outside a request here
    company = await models.Company.get(slug="qingyun-electric-motors")
    face = Face(EmploymentStatus.CURRENT, TenureBucket.MORE_THAN_3_YEARS, False, JobFunction.ENGINEERING, None, None)
    with counting_statements() as log:
        await established_colleagues(company.id, datetime.now(UTC), [], face, slice(0, 20))
    [(sql, values)] = [(sql, values) for sql, values in log.executed if '"employment"' in sql]
    searches = await index_conditions(models.Employment._meta.db, sql, values)
    assert any("company_id" in search and "job_function" in search and "start_date" in search
               for search in searches), searches


SEARCH = """query ($search: String!, $order: CompanyOrder, $priorities: PrioritiesInput) {
  companies(first: 10, search: $search, orderBy: $order, priorities: $priorities) { totalCount edges { node { slug } } } }"""


@pytest.mark.parametrize("search", ["qi", "qingyun", "electric", "青云"])
@pytest.mark.parametrize("order", [None, {"field": "FIT"}])
async def test_a_search_reads_its_matches_through_its_index(demo, search, order):
    """Typeahead over a million companies: no statement of a search scans the companies."""
    priorities = {"weights": [{"dimension": "GROWTH", "weight": 1}]}
    with counting_statements() as log:
        assert not (await demo.query(SEARCH, {"search": search, "order": order, "priorities": priorities})).body.get("errors")
    connection = models.Company._meta.db
    searching = [(sql, values) for sql, values in log.executed if "folded_name" in sql or "company_search" in sql]
    assert searching
    for sql, values in searching:
        assert await company_scans(connection, sql, values) == [], sql


async def company_scans(connection, sql: str, values: list) -> list[str]:
    if connection.capabilities.dialect == "sqlite":
        _, rows = await connection.execute_query(f"EXPLAIN QUERY PLAN {sql}", values)
        return [row["detail"] for row in rows if row["detail"].startswith("SCAN company") and "VIRTUAL" not in row["detail"]]
    return [table for table in _seq_scans(await postgres_plan(connection, sql, values)) if table == "company"]
