"""Load as users make it (`python -m benchmarks.mixed_load`): many readers, a few writers.

One `workcred serve` (1 worker, then 2) on scale data, production settings (the response cache
on), driven for `--seconds` by `--concurrency` clients at once, each request drawn as users make
them: company pages of companies chosen by a Zipf law (a few companies draw most readers), fit
rankings, searches and sign-ins; beside them a writer marking reviews helpful at `--writes`
per second at companies chosen by the same law, and a probe of `/healthz` every 50 ms.
Reported per worker count: throughput, p50/p99 per kind of request, and the response cache's hit
rate on company pages — over every read, and over re-reads of pages nobody wrote to during the
run (what the cache can serve). Results go to benchmarks/results/mixed-<database>-….json and .md.

`--heavy N` measures something else: N clients sending, without pause, a query just under the
cost limit, and `/healthz` beside them (one worker, the response cache off; no per-client limit
on requests in flight, all clients being one address here). Results: benchmarks/results/heavy-<database>-….md.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from typing import Any

import httpx
import numpy as np

from benchmarks.scale_bench import (
    DEFAULTS,
    PRODUCTION,
    RANKING,
    RESULTS,
    SEARCH,
    SEARCHES,
    Report,
    cpu_reference,
    seeded,
)
from tests.cluster import ROOT, free_port, server_env
from workcred.demo import DEMO_PASSWORD

PAGE = """query ($slug: String!) { company(slug: $slug) { name
  ratings { overall { count mean bayesianAverage } dimensions { dimension bayesianAverage } }
  record { membersWhoWorkedThere reviewCount responseRate }
  reviews(first: 10) { totalCount edges { node { id overall title helpfulCount } } } } }"""
# A query just under the cost limit: `heavy` clients send it again and again (--heavy).
HEAVY = """query ($reviews: Int!) { companies(first: 20) { edges { node { name
  ratings { overall { count mean bayesianAverage distribution } dimensions { dimension count mean } }
  record { membersWhoWorkedThere reviewCount responseRate }
  reviews(first: $reviews) { totalCount edges { node { id overall title pros cons helpfulCount createdAt
    tenure { employmentStatus tenure jobFunction location lastYear } response { body createdAt } } } } } } } }"""
SIGN_IN = """mutation ($input: SignInInput!) { signIn(input: $input) { token userErrors { code } } }"""
HELPFUL = """mutation ($input: ReviewIdInput!) { markReviewHelpful(input: $input) { userErrors { code } } }"""
# What a reader does next, by share of requests.
MIX = {"page": 0.86, "ranking": 0.04, "search": 0.06, "sign in": 0.04}
ZIPF_EXPONENT = 1.1
VOTERS = 40


@dataclass
class Run:
    workers: int
    seconds: float
    requests: int = 0
    per_second: float = 0.0
    latencies_ms: dict[str, dict[str, float]] = field(default_factory=dict)
    page_hit_rate: float = 0.0
    unwritten_reread_hit_rate: float = 0.0
    writes: int = 0
    errors: int = 0


class Load:
    def __init__(self, url: str, slugs: list[str], seconds: float, writes_per_second: float, seed: int) -> None:
        self.url = url
        self.slugs = slugs
        self.seconds = seconds
        self.writes_per_second = writes_per_second
        self.random = random.Random(seed)
        weights = 1 / np.arange(1, len(slugs) + 1) ** ZIPF_EXPONENT
        self.cumulative = np.cumsum(weights / weights.sum())
        self.latencies: dict[str, list[float]] = {}
        self.page_reads: list[tuple[float, str, str]] = []  # (when, slug, X-Cache)
        self.written: dict[str, float] = {}  # slug → when first written
        self.errors = 0
        self.writes = 0

    def company(self) -> str:
        return self.slugs[int(np.searchsorted(self.cumulative, self.random.random()))]

    async def timed(self, kind: str, client: httpx.AsyncClient, method: str, path: str, **options: Any) -> httpx.Response:
        started = time.perf_counter()
        response = await client.request(method, f"{self.url}{path}", **options)
        self.latencies.setdefault(kind, []).append(1000 * (time.perf_counter() - started))
        if response.status_code >= 400 or (path == "/graphql" and response.json().get("errors")):
            self.errors += 1
        return response

    async def reader(self, client: httpx.AsyncClient, deadline: float, members: list[str]) -> None:
        kinds, shares = list(MIX), list(MIX.values())
        while time.monotonic() < deadline:
            kind = self.random.choices(kinds, shares)[0]
            if kind == "page":
                slug = self.company()
                response = await self.timed("page", client, "GET", "/graphql", params={
                    "query": PAGE, "variables": json.dumps({"slug": slug})})
                self.page_reads.append((time.monotonic(), slug, response.headers.get("x-cache", "")))
            elif kind == "ranking":
                await self.timed("ranking", client, "POST", "/graphql", json={"query": RANKING})
            elif kind == "search":
                term = self.random.choice(SEARCHES)
                await self.timed("search", client, "POST", "/graphql", json={"query": SEARCH, "variables": {"search": term}})
            else:
                await self.timed("sign in", client, "POST", "/graphql", json={"query": SIGN_IN, "variables": {"input": {
                    "email": self.random.choice(members), "password": DEMO_PASSWORD}}})

    async def writer(self, client: httpx.AsyncClient, deadline: float, tokens: list[str]) -> None:
        """Helpful marks at Zipf-chosen companies, paced to `writes_per_second`."""
        pause = 1 / self.writes_per_second
        while (now := time.monotonic()) < deadline:
            slug = self.company()
            token = self.random.choice(tokens)
            auth = {"Authorization": f"Bearer {token}"}
            page = await client.post(f"{self.url}/graphql", json={"query": PAGE, "variables": {"slug": slug}}, headers=auth)
            reviews = page.json()["data"]["company"]["reviews"]["edges"]
            if reviews:
                review = self.random.choice(reviews)["node"]["id"]
                response = await self.timed("write", client, "POST", "/graphql", headers=auth, json={
                    "query": HELPFUL, "variables": {"input": {"reviewId": review}}})
                codes = [e["code"] for e in response.json()["data"]["markReviewHelpful"]["userErrors"]]
                if not codes:
                    self.writes += 1
                    self.written.setdefault(slug, time.monotonic())
            await asyncio.sleep(max(0.0, now + pause - time.monotonic()))

    async def probe(self, client: httpx.AsyncClient, deadline: float) -> None:
        while time.monotonic() < deadline:
            await self.timed("healthz", client, "GET", "/healthz")
            await asyncio.sleep(0.05)

    async def heavy(self, client: httpx.AsyncClient, deadline: float, reviews: int) -> None:
        while time.monotonic() < deadline:
            await self.timed("heavy query", client, "POST", "/graphql", json={"query": HEAVY, "variables": {"reviews": reviews}})

    async def run_heavy(self, clients: int) -> int:
        """`clients` clients, each on a connection of its own, sending the heaviest allowed HEAVY
        without pause, while the probe reads /healthz; returns the query's cost."""
        async with httpx.AsyncClient(timeout=60) as probing:
            reviews, cost = 100, 0
            while reviews > 1:  # the most reviews per company the cost limit allows
                answer = (await probing.post(f"{self.url}/graphql", json={"query": HEAVY, "variables": {"reviews": reviews}})).json()
                if not answer.get("errors"):
                    cost = answer["extensions"]["cost"]["requested"]
                    break
                reviews -= 1
            deadline = time.monotonic() + self.seconds
            senders = [httpx.AsyncClient(timeout=60) for _ in range(clients)]
            try:
                await asyncio.gather(*(self.heavy(sender, deadline, reviews) for sender in senders),
                                     self.probe(probing, deadline))
            finally:
                for sender in senders:
                    await sender.aclose()
            return cost

    async def run(self, concurrency: int, members: list[str]) -> None:
        limits = httpx.Limits(max_connections=concurrency + 4, max_keepalive_connections=concurrency + 4)
        async with httpx.AsyncClient(timeout=60, limits=limits) as client:
            tokens = []
            for email in members[:VOTERS]:
                response = await client.post(f"{self.url}/graphql", json={"query": SIGN_IN, "variables": {"input": {
                    "email": email, "password": DEMO_PASSWORD}}})
                tokens.append(response.json()["data"]["signIn"]["token"])
            deadline = time.monotonic() + self.seconds
            async with httpx.AsyncClient(timeout=60, limits=limits) as probe_client:
                await asyncio.gather(
                    *(self.reader(client, deadline, members) for _ in range(concurrency)),
                    self.writer(client, deadline, tokens), self.probe(probe_client, deadline),
                )

    def hit_rates(self) -> tuple[float, float]:
        """Over every page read; over re-reads of pages nobody had written to by then."""
        hits = [outcome == "hit" for _, _, outcome in self.page_reads]
        seen: set[str] = set()
        rereads = []
        for when, slug, outcome in self.page_reads:
            if slug in seen and (slug not in self.written or when < self.written[slug]):
                rereads.append(outcome == "hit")
            seen.add(slug)
        return (statistics.mean(hits) if hits else 0.0), (statistics.mean(rereads) if rereads else 0.0)


def serve(database_url: str, port: int, workers: int, cache: bool = True) -> subprocess.Popen[str]:
    env = {**server_env(database_url), **PRODUCTION, "WORKCRED_RATE_LIMIT_WRITES": "100000/minute"}
    env.pop("WORKCRED_RESPONSE_CACHE_SECONDS", None)  # the production default
    if not cache:
        env["WORKCRED_RESPONSE_CACHE_SECONDS"] = "0"
    process = subprocess.Popen(
        [sys.executable, "-m", "workcred.cli", "serve", "--port", str(port), "--workers", str(workers)],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, text=True,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return process
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    process.kill()
    raise RuntimeError("workcred serve did not become healthy")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(share * len(ordered)))], 2)


def measure(database_url: str, workers: int, args: argparse.Namespace) -> Run:
    from tests.databases import fetch

    slugs = [row[0] for row in fetch(database_url, f"SELECT slug FROM company ORDER BY id LIMIT {args.pages}")]
    members = [row[0] for row in fetch(database_url, "SELECT email FROM member ORDER BY id LIMIT 200")]
    port = free_port()
    process = serve(database_url, port, workers)
    try:
        load = Load(f"http://127.0.0.1:{port}", slugs, args.seconds, args.writes, args.seed)
        started = time.perf_counter()
        asyncio.run(load.run(args.concurrency, members))
        elapsed = time.perf_counter() - started
    finally:
        process.terminate()
        process.wait(30)
    requests = sum(len(v) for k, v in load.latencies.items() if k not in ("healthz",))
    every, rereads = load.hit_rates()
    return Run(
        workers=workers, seconds=round(elapsed, 1), requests=requests, per_second=round(requests / elapsed, 1),
        latencies_ms={kind: {"count": len(values), "p50": percentile(values, 0.5), "p99": percentile(values, 0.99)}
                      for kind, values in sorted(load.latencies.items())},
        page_hit_rate=round(every, 3), unwritten_reread_hit_rate=round(rereads, 3), writes=load.writes,
        errors=load.errors,
    )


def measure_heavy(database_url: str, args: argparse.Namespace) -> str:
    """`--heavy N`: N clients sending queries just under the cost limit, and /healthz beside them."""
    port = free_port()
    process = serve(database_url, port, 1, cache=False)  # every heavy query executes
    try:
        load = Load(f"http://127.0.0.1:{port}", [], args.seconds, args.writes, args.seed)
        cost = asyncio.run(load.run_heavy(args.heavy))
    finally:
        process.terminate()
        process.wait(30)
    rows = [f"| {kind} | {len(values)} | {percentile(values, 0.5)} | {percentile(values, 0.99)} |"
            for kind, values in sorted(load.latencies.items())]
    return "\n".join([
        f"## {args.heavy} heavy clients, {args.database}: {args.companies:,} companies, {args.reviews:,} reviews",
        "", f"Each sends, without pause for {args.seconds:.0f} s, a query of cost {cost} (the limit: "
        f"{DEFAULTS.max_query_cost}; the response cache off, so each executes); one worker; `/healthz` "
        "read every 50 ms beside them.", "",
        "| request | count | p50 ms | p99 ms |", "| --- | ---: | ---: | ---: |", *rows,
    ]) + "\n"


def markdown(report: Report, runs: list[Run], args: argparse.Namespace) -> str:
    lines = [
        f"## Mixed load, {report.database}: {report.companies:,} companies, {report.reviews:,} reviews",
        "",
        f"Concurrency {args.concurrency}, {args.seconds:.0f} s per run, helpful marks at {args.writes}/s, pages "
        f"of the {args.pages:,} largest companies by a Zipf law (s = {ZIPF_EXPONENT}); machine load at start "
        f"{', '.join(f'{x:.2f}' for x in report.machine_load)}; CPU reference {report.cpu_reference_ms} ms.",
        "",
        "| workers | requests/s | page hit rate | re-reads of unwritten pages: hit rate | writes | errors | "
        + " | ".join(f"{kind} p50 / p99 ms" for kind in ("page", "ranking", "search", "sign in", "write", "healthz"))
        + " |",
        "| --- " * 12 + "|",
    ]
    for run in runs:
        cells = [f"{run.latencies_ms.get(kind, {}).get('p50', '–')} / {run.latencies_ms.get(kind, {}).get('p99', '–')}"
                 for kind in ("page", "ranking", "search", "sign in", "write", "healthz")]
        lines.append(f"| {run.workers} | {run.per_second} | {run.page_hit_rate:.1%} | {run.unwritten_reread_hit_rate:.1%} "
                     f"| {run.writes} | {run.errors} | " + " | ".join(cells) + " |")
    if len(runs) == 2:
        lines += ["", f"2 workers ÷ 1: {runs[1].per_second / runs[0].per_second:.2f}× the requests per second."]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--companies", type=int, default=10_000)
    parser.add_argument("--reviews", type=int, default=100_000)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--writes", type=float, default=2.0, help="helpful marks per second")
    parser.add_argument("--pages", type=int, default=2_000, help="companies whose pages are read")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--heavy", type=int, default=0, help="instead: this many clients of queries near the cost limit")
    args = parser.parse_args()
    report = Report(args.database, args.companies, args.reviews, list(os.getloadavg()), cpu_reference())
    url = seeded(args.database, args.companies, args.reviews, report)
    if args.heavy:
        text = measure_heavy(url, args)
        (RESULTS / f"heavy-{args.database}-{args.companies}-{args.reviews}.md").write_text(text)
        print(text)
        return
    runs = [measure(url, workers, args) for workers in args.workers]
    RESULTS.mkdir(parents=True, exist_ok=True)
    stem = RESULTS / f"mixed-{args.database}-{args.companies}-{args.reviews}"
    stem.with_suffix(".json").write_text(json.dumps([asdict(run) for run in runs], indent=2) + "\n")
    text = markdown(report, runs, args)
    stem.with_suffix(".md").write_text(text)
    print(text)


if __name__ == "__main__":
    main()
