"""`workcred seed-scale`: deterministic, skewed scale data, bulk-loaded, with aggregates that
`repair-aggregates --check` finds exact, on both databases."""

from __future__ import annotations

import pytest

from app import create_app
from tests.api import Api
from tests.cli import workcred
from tests.databases import fetch
from tests.suite import suite_settings
from workcred.scale import ScalePlan, build

COMPANIES, REVIEWS = 40, 3_000


def test_review_counts_are_exact_and_skewed_like_life():
    counts = ScalePlan(10_000, 1_000_000, 1).review_counts()
    assert sum(counts) == 1_000_000 and len(counts) == 10_000
    assert max(counts) >= 100_000  # the largest company holds over a tenth
    assert sorted(counts, reverse=True) == counts and counts[-1] < 20  # then a long tail


def first_reviews(seed: int) -> list[list]:
    return next(build(ScalePlan(COMPANIES, REVIEWS, seed), "hash").chunks())["review"][:50].tolist()


def test_the_data_is_deterministic_under_its_seed():
    assert first_reviews(3) == first_reviews(3) != first_reviews(4)


async def test_seed_scale_builds_exact_consistent_data(empty_database_url):
    result = workcred(empty_database_url, "seed-scale", "--companies", str(COMPANIES), "--reviews", str(REVIEWS))
    assert result.returncode == 0, result.stderr
    assert f"{COMPANIES} company" in result.stdout and f"{REVIEWS:,} review" in result.stdout
    url = empty_database_url

    def one(sql: str):
        return fetch(url, sql)[0][0]

    assert one("SELECT COUNT(*) FROM company") == COMPANIES
    assert one("SELECT COUNT(*) FROM review WHERE status = 'PUBLISHED'") == REVIEWS
    assert one("SELECT MAX(n) FROM (SELECT COUNT(*) AS n FROM review GROUP BY company_id) AS per") >= REVIEWS // 10
    # every review comes from its author's job at that company; votes and counts agree
    assert one("SELECT COUNT(*) FROM review r JOIN employment e ON e.id = r.employment_id "
               "WHERE e.company_id = r.company_id AND e.member_id = r.author_id") == REVIEWS
    assert one("SELECT SUM(helpful_count) FROM review") == one("SELECT COUNT(*) FROM helpful_vote") > 0
    assert 0 < one("SELECT COUNT(*) FROM company_response") < REVIEWS
    if url.startswith("sqlite"):  # the data-version triggers dropped for the load are back
        from infra.data_version import sqlite_trigger_names

        names = {row[0] for row in fetch(url, "SELECT name FROM sqlite_master WHERE type = 'trigger'")}
        assert set(sqlite_trigger_names()) <= names
    else:  # vacuumed and analyzed after the load, the aggregates included: ready for index-only scans
        unsettled = fetch(url, "SELECT relname FROM pg_stat_user_tables WHERE relname IN "
                               "('employment', 'review', 'rating_aggregate', 'company_member') "
                               "AND (last_vacuum IS NULL OR last_analyze IS NULL)")
        assert unsettled == []
    check = workcred(url, "repair-aggregates", "--check")
    assert check.returncode == 0 and check.stdout.startswith("drift found: 0"), check.stdout
    # and the API serves it
    slug = fetch(url, "SELECT slug FROM company ORDER BY id LIMIT 1")[0][0]
    async with Api.running(create_app(suite_settings(url))) as api:
        page = await api.query('query ($slug: String!) { company(slug: $slug) { unansweredReviewCount '
                               'ratings { overall { count } } reviews(first: 5) { totalCount } } }', {"slug": slug})
    company = page.data["company"]
    assert company["ratings"]["overall"]["count"] == company["reviews"]["totalCount"] >= REVIEWS // 10


def test_seed_scale_refuses_a_database_with_data_and_bad_sizes(empty_database_url):
    assert workcred(empty_database_url, "seed-scale", "--companies", "3", "--reviews", "30").returncode == 0
    again = workcred(empty_database_url, "seed-scale", "--companies", "3", "--reviews", "30")
    assert (again.returncode, again.stdout) == (2, "")
    assert again.stderr.strip().splitlines() == ["error: seed-scale needs an empty database; this one already has companies"]
    bad = workcred(empty_database_url, "seed-scale", "--companies", "0")
    assert bad.returncode == 2 and bad.stderr.strip().splitlines() == [
        "error: --companies must be 1–1,000,000 and --reviews 0–50,000,000"
    ]



RANK_ALL = """query ($after: String) { companies(first: 100, after: $after, orderBy: {field: FIT},
  priorities: {weights: [{dimension: GROWTH, weight: 5}, {dimension: COMPENSATION, weight: 2}]}) {
  totalCount pageInfo { endCursor } edges { node { slug fit { score confidence } } } } }"""


# On SQLite only: the ranking reads the same tallies through the same code on both databases, and
# both bound a statement's parameters near 32k; the other half would prove nothing new.
@pytest.mark.parametrize("database_kind", ["sqlite"], indirect=True)
async def test_a_ranking_over_fifty_thousand_companies_works(empty_database_url):
    # given 50,000 companies (past the ~32k bound parameters: nothing lists them all in SQL)
    seeded = workcred(empty_database_url, "seed-scale", "--companies", "50000", "--reviews", "60000")
    assert seeded.returncode == 0, seeded.stderr
    async with Api.running(create_app(suite_settings(empty_database_url))) as api:
        # when every company is ranked, and the ranking is paged past its first page
        first = (await api.query(RANK_ALL)).data["companies"]
        second = (await api.query(RANK_ALL, {"after": first["pageInfo"]["endCursor"]})).data["companies"]
    # then all of them count, best first, and the pages continue one another
    assert first["totalCount"] == second["totalCount"] == 50_000
    scores = [(e["node"]["fit"]["score"], e["node"]["fit"]["confidence"]) for e in first["edges"] + second["edges"]]
    assert scores == sorted(scores, reverse=True)
    assert len({e["node"]["slug"] for e in first["edges"] + second["edges"]}) == 200
