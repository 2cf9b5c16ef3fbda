"""The raw baseline: a hand-written Starlette endpoint serving byte for byte the JSON workcred
serves for the benchmark's company page (benchmarks/scale_bench.py PAGE), with the least SQL a
hand-written server needs — the company, its tallies, and the review page joined to its
responses: three statements, no GraphQL, no ORM, no cache. Platform means are summed once at
start-up, as workcred holds them per process.

    uvicorn benchmarks.raw_page:create_app --factory   (DATABASE_URL: sqlite:// or postgres://)

It reuses workcred's pure rules (record, faces, Bayesian average) so the numbers agree; what it
measures is the cost of the stack around them.
"""

from __future__ import annotations

import base64
import json
import sqlite3
from collections import defaultdict
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from domain.anonymity import Face
from domain.company_record import RESPONSE_DAYS, TENURE_MONTHS, RecordTallies, company_record
from domain.dates import start_of_day
from domain.enums import Dimension, EmploymentStatus, JobFunction, ReviewStatus, TenureBucket
from domain.global_ids import permute
from domain.member import keyed_digest
from domain.ratings import ALL_FUNCTIONS, OVERALL, bayesian_average
from infra.settings import Settings

SETTINGS = Settings.from_env()  # the same environment as the workcred server it is compared with
REMOVED_RESPONSE = {"REMOVED_BY_VOTE": "Removed by a community vote", "REMOVED_BY_MODERATION": "Removed by moderators"}

COMPANY = ("SELECT id, name, member_count, verified_member_count, former_member_count, responded_review_count "
           "FROM company WHERE slug = {0}")
TALLIES = (
    f"SELECT 'r', rating_key, count, total, score_1, score_2, score_3, score_4, score_5 FROM rating_aggregate "
    f"WHERE company_id = {{0}} AND scope = '{ALL_FUNCTIONS}' "
    "UNION ALL SELECT 't', CAST(year AS TEXT) || '-Q' || CAST(quarter AS TEXT), count, total, 0, 0, 0, 0, 0 "
    "FROM rating_trend WHERE company_id = {0} AND count > 0 "
    "UNION ALL SELECT measure, NULL, value, count, 0, 0, 0, 0, 0 FROM record_bucket WHERE company_id = {0} AND count > 0 "
    "UNION ALL SELECT 'u', NULL, completed_months, 0, 0, 0, 0, 0, 0 FROM company_member "
    "WHERE company_id = {0} AND claimed_at > {1} AND NOT current AND NOT representative"
)
REVIEWS = (
    "SELECT r.id, r.overall, r.title, r.pros, r.cons, r.helpful_count, r.created_at, r.employment_status, r.tenure, "
    "r.tenure_widened, r.job_function, r.location, r.last_year, p.body, p.status, p.created_at "
    "FROM review r LEFT JOIN company_response p ON p.review_id = r.id "
    f"WHERE r.company_id = {{0}} AND r.status = '{ReviewStatus.PUBLISHED.value}' "
    "ORDER BY r.created_at DESC, r.day_rank DESC, r.id DESC LIMIT 20"
)
MEANS = (f"SELECT rating_key, SUM(total), SUM(count) FROM rating_aggregate WHERE scope = '{ALL_FUNCTIONS}' "
         "GROUP BY rating_key")


def _instant(value: Any) -> datetime:
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    return moment.astimezone(UTC)


SECRET = "SELECT secret FROM deployment_secret WHERE id = 1"


def id_key(stored_secret: str) -> bytes:
    """The key of the deployment's id permutation, as schema/node.py derives it."""
    secret = SETTINGS.secret_key or stored_secret
    return keyed_digest(secret.encode("utf-8"), "global-ids").encode("ascii")


def _global_id(type_name: str, pk: int, key: bytes) -> str:
    return base64.urlsafe_b64encode(f"{type_name}:k{permute(pk, key):08x}".encode()).decode()


def _summary(row: Sequence[Any] | None, mean: float | None) -> dict[str, Any]:
    count, total, *buckets = row if row is not None else (0, 0, 0, 0, 0, 0, 0)
    return {"count": count, "mean": total / count if count else None,
            "bayesianAverage": bayesian_average(total, count, mean, SETTINGS.bayesian_prior_strength), "distribution": list(buckets)}


def page_json(company: Sequence[Any], tallies: list[Sequence[Any]], reviews: list[Sequence[Any]],
              means: dict[str, float], key: bytes) -> bytes:
    """The GraphQL response workcred gives for PAGE, built from plain rows (`key`: id_key's)."""
    _, name, members, verified, former, responded = company
    ratings = {row[1]: row[2:] for row in tallies if row[0] == "r"}
    histograms: dict[str, dict[int, int]] = defaultdict(dict)
    for kind, _, value, count, *_ in tallies:
        if kind in (TENURE_MONTHS, RESPONSE_DAYS):
            histograms[kind][value] = count
    trend = sorted((row for row in tallies if row[0] == "t"), key=lambda row: tuple(map(int, row[1].split("-Q"))))
    review_count = ratings[OVERALL][0] if OVERALL in ratings else 0
    record = company_record(RecordTallies(
        members, verified, former, histograms[TENURE_MONTHS], [row[2] for row in tallies if row[0] == "u"],
        responded, histograms[RESPONSE_DAYS]), review_count, SETTINGS.k_anonymity)
    overall = _summary(ratings.get(OVERALL), means.get(OVERALL))
    dimensions = []
    for dimension in Dimension:
        summary = _summary(ratings.get(dimension.value), means.get(dimension.value))
        dimensions.append({"dimension": dimension.value, "count": summary["count"], "mean": summary["mean"],
                           "bayesianAverage": summary["bayesianAverage"]})
    edges = []
    for (review_id, overall_score, title, pros, cons, helpful, written, status, tenure, widened,
         function, location, last_year, body, response_status, responded_at) in reviews:
        face = Face(
            employment_status=EmploymentStatus(status) if status else None,
            tenure=TenureBucket(tenure) if tenure else None, tenure_widened=bool(widened),
            job_function=JobFunction(function) if function else None, location=location, last_year=last_year,
        )
        response = None if body is None else {
            "body": body if response_status == "PUBLISHED" else REMOVED_RESPONSE[response_status],
            "createdAt": _instant(responded_at).isoformat(),
        }
        edges.append({"node": {
            "id": _global_id("Review", review_id, key), "overall": overall_score, "title": title, "pros": pros,
            "cons": cons, "helpfulCount": helpful, "createdAt": start_of_day(_instant(written)).isoformat(),
            "tenure": {"employmentStatus": face.employment_status, "tenure": face.tenure, "verified": None,
                       "jobFunction": face.job_function, "location": face.location, "lastYear": face.last_year,
                       "withheld": [attribute.value for attribute in face.withheld]},
            "response": response,
        }})
    data = {"company": {
        "name": name,
        "ratings": {"overall": overall, "dimensions": dimensions},
        "record": {
            "membersWhoWorkedThere": record.members_who_worked_there, "verifiedMembers": record.verified_members,
            "formerMembers": record.former_members,
            "medianCompletedTenureMonths": record.median_completed_tenure_months,
            "earlyAttrition": record.early_attrition, "reviewCount": record.review_count,
            "responseRate": record.response_rate, "medianResponseTimeDays": record.median_response_time_days,
        },
        "ratingTrend": [{"label": row[1], "count": row[2], "mean": row[3] / row[2]} for row in trend],
        "reviews": {"totalCount": review_count, "edges": edges},
    }}
    return json.dumps({"data": data}, separators=(",", ":")).encode()


def _established_before() -> datetime:
    return datetime.now(UTC) - timedelta(days=SETTINGS.colleague_min_age_days)


def create_app() -> Starlette:
    database_url = SETTINGS.database_url
    if database_url.startswith("sqlite"):
        return _sqlite_app(database_url.split("://", 1)[1].split("?", 1)[0])
    return _postgres_app(database_url)


def _sqlite_app(path: str) -> Starlette:
    connection = sqlite3.connect(path, check_same_thread=False)
    means = {key: total / count for key, total, count in connection.execute(MEANS) if count}
    key = id_key(connection.execute(SECRET).fetchone()[0])

    async def page(request: Request) -> Response:
        company = connection.execute(COMPANY.format("?"), [request.query_params["slug"]]).fetchone()
        cutoff = _established_before().isoformat(" ")
        # "?" binds in order: the company four times, then the cutoff
        tallies = connection.execute(TALLIES.format("?", "?"), [company[0]] * 4 + [cutoff]).fetchall()
        reviews = connection.execute(REVIEWS.format("?"), [company[0]]).fetchall()
        return Response(page_json(company, tallies, reviews, means, key), media_type="application/json")

    return Starlette(routes=[Route("/page", page), Route("/ping", _ping)])


def _postgres_app(database_url: str) -> Starlette:
    import asyncpg

    state: dict[str, Any] = {}

    @asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        async with asyncpg.create_pool(database_url, min_size=1, max_size=2) as pool:
            state["pool"] = pool
            async with pool.acquire() as connection:
                state["means"] = {key: total / count for key, total, count in await connection.fetch(MEANS) if count}
                state["key"] = id_key(await connection.fetchval(SECRET))
            yield

    async def page(request: Request) -> Response:
        async with state["pool"].acquire() as connection:
            company = await connection.fetchrow(COMPANY.format("$1"), request.query_params["slug"])
            tallies = await connection.fetch(TALLIES.format("$1", "$2"), company[0], _established_before())
            reviews = await connection.fetch(REVIEWS.format("$1"), company[0])
        return Response(page_json(company, tallies, reviews, state["means"], state["key"]), media_type="application/json")

    return Starlette(routes=[Route("/page", page), Route("/ping", _ping)], lifespan=lifespan)


async def _ping(_: Request) -> Response:
    return Response(b'{"data":{"__typename":"Query"}}', media_type="application/json")
