"""Latency and throughput of typical requests against a real server (not part of the tests).

    python -m benchmarks.http_bench [--database-url URL] [--companies N --reviews-per-company M]
                                    [--requests 300] [--concurrency 8]

Seeds the demo data (plus N synthetic companies with M reviews each, written through the same
code path as the API) into a fresh database, starts one uvicorn process, and times: a company
page (company, ratings, record, 20 reviews with tenure and response), a fit ranking of every
company, a review submission and a sign-in. Prints p50/p95 latency and requests per second.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx

from tests.cluster import Server, free_port
from tests.databases import run_sync, sqlite_url

COMPANY_PAGE = """{ company(slug: "qingyun-electric-motors") { name
  ratings { overall { count mean bayesianAverage distribution } dimensions { dimension bayesianAverage } }
  record { membersWhoWorkedThere medianCompletedTenureMonths earlyAttrition responseRate ratingTrend { label mean } }
  reviews(first: 20) { totalCount edges { node { id overall title pros cons helpfulCount createdAt
    ratings { dimension score } tenure { employmentStatus tenure verified jobFunction location lastYear withheld }
    response { body createdAt } } } } } }"""
RANKING = """{ companies(first: 20, orderBy: {field: FIT}, priorities: {weights: [
  {dimension: MEANING, weight: 10}, {dimension: GROWTH, weight: 8}, {dimension: COMPENSATION, weight: 3}]}) {
  totalCount edges { node { slug fit { score confidence } } } } }"""
SIGN_IN = """mutation { signIn(input: {email: "member1@demo.workcred.test", password: "workcred-demo-password"})
  { token userErrors { code } } }"""


async def seed(database_url: str, companies: int, reviews_per_company: int) -> None:
    from tortoise import Tortoise

    import models
    from domain.enums import Dimension, JobFunction
    from domain.member import Passwords
    from domain.review import ReviewContent
    from infra.db import apply_migrations, tortoise_config
    from infra.settings import Settings, put_in_force
    from resolvers.review import submit_review
    from workcred.demo import seed_demo

    await apply_migrations(database_url)
    await Tortoise.init(config=tortoise_config(database_url))
    try:
        put_in_force(Settings(database_url=database_url))
        await seed_demo(Passwords(2, 19_456, 1))
        member = await models.Member.create(email="bench@example.com", display_name="Bench", password_hash="x")
        for number in range(companies):
            company = await models.Company.create(slug=f"bench-{number}", name=f"Bench {number:05d}")
            for index in range(reviews_per_company):
                day = date(1990, 1, 1) + timedelta(days=2 * index)
                employment = await models.Employment.create(
                    member=member, company=company, job_function=JobFunction.ENGINEERING,
                    location="Shanghai", start_date=day, end_date=day,
                )
                score = 1 + (number + index) % 5
                content = ReviewContent(score, [(d, 1 + (index + i) % 5) for i, d in enumerate(Dimension)],
                                        "Synthetic", None, None, None)
                await submit_review(member, employment.id, content)
    finally:
        await Tortoise.close_connections()


async def measure(
    client: httpx.AsyncClient, url: str, name: str, bodies: Callable[[int], dict[str, Any]], requests: int, concurrency: int,
    *, token: str | None = None, refused_with: str | None = None,
) -> str:
    latencies: list[float] = []
    limit = asyncio.Semaphore(concurrency)

    async def one(index: int) -> None:
        async with limit:
            started = time.perf_counter()
            headers = {"Authorization": f"Bearer {token}"} if token else {}
            response = await client.post(f"{url}/graphql", json=bodies(index), headers=headers)
            latencies.append(time.perf_counter() - started)
            errors = response.json().get("errors")
            if refused_with:
                assert errors and errors[0]["extensions"]["code"] == refused_with, response.text[:300]
            else:
                assert response.status_code == 200 and not errors, response.text[:300]

    started = time.perf_counter()
    await asyncio.gather(*(one(i) for i in range(requests)))
    elapsed = time.perf_counter() - started
    quantiles = statistics.quantiles(latencies, n=100)
    return (f"{name:<16} {requests:>5} requests  p50 {1000 * quantiles[49]:7.1f} ms  "
            f"p95 {1000 * quantiles[94]:7.1f} ms  {requests / elapsed:7.1f} req/s")


async def run(url: str, requests: int, concurrency: int) -> list[str]:
    async with httpx.AsyncClient(timeout=60) as client:
        token = (await client.post(f"{url}/graphql", json={"query": SIGN_IN})).json()["data"]["signIn"]["token"]
        jobs = [(await client.post(f"{url}/graphql", json={"query": """mutation ($i: AddEmploymentInput!) {
            addEmployment(input: $i) { employment { id } } }""", "variables": {"i": {
            "companyName": f"Submit Target {n}", "jobFunction": "DATA", "location": "Xi'an",
            "startDate": "2020-01-01", "positions": [{"title": "Analyst", "level": 2, "startDate": "2020-01-01"}]}}},
            headers={"Authorization": f"Bearer {token}"})).json()["data"]["addEmployment"]["employment"]["id"]
            for n in range(requests)]
        submit = """mutation ($i: SubmitReviewInput!) { submitReview(input: $i) { review { id } userErrors { code } } }"""
        return [
            await measure(client, url, "company page", lambda i: {"query": COMPANY_PAGE}, requests, concurrency),
            await measure(client, url, "fit ranking", lambda i: {"query": RANKING}, requests, concurrency),
            await measure(client, url, "submit review", lambda i: {"query": submit, "variables": {"i": {
                "employmentId": jobs[i], "overall": 4, "title": "Benchmark",
                "ratings": [{"dimension": "GROWTH", "score": 4}]}}}, requests, concurrency, token=token),
            await measure(client, url, "sign in", lambda i: {"query": SIGN_IN}, min(requests, 100), concurrency),
            # ~1.2 KB of fragments expanding to 2**30 copies: must be refused at once
            await measure(client, url, "fragment bomb", lambda i: {"query": FRAGMENT_BOMB}, min(requests, 100),
                          concurrency, refused_with="QUERY_TOO_COSTLY"),
        ]


FRAGMENT_BOMB = "query { ...F0 }\n" + "\n".join(
    [f"fragment F{i} on Query {{ ...F{i + 1} ...F{i + 1} }}" for i in range(30)]
    + ['fragment F30 on Query { company(slug: "x") { name } }']
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", help="an empty database (default: a new SQLite file)")
    parser.add_argument("--companies", type=int, default=0)
    parser.add_argument("--reviews-per-company", type=int, default=0)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args()
    directory = tempfile.mkdtemp(prefix="workcred-bench-")
    url = args.database_url or sqlite_url(Path(directory) / "bench.sqlite3")
    run_sync(seed(url, args.companies, args.reviews_per_company))
    # The load of many users, sent from one address: no per-client share (infra/client_limits.py).
    server = Server(free_port(), url, {"WORKCRED_MAX_REQUESTS_IN_FLIGHT_PER_CLIENT": "0"})
    server.start()
    try:
        for line in asyncio.run(run(server.url, args.requests, args.concurrency)):
            print(line)
    finally:
        server.stop()


if __name__ == "__main__":
    main()
