"""The scale benchmark (`python -m benchmarks`): workcred against a raw baseline on scale data.

Seeds `workcred seed-scale` data once per size and database (cached: a SQLite file under
benchmarks/.cache/, a PostgreSQL database named after its size), then starts, each as one
uvicorn process: workcred with its response cache off (cold reads), workcred with it on (cached
reads), and the raw baseline (benchmarks/raw_page.py), which serves byte for byte the same
company-page JSON. Requests go one at a time over one keep-alive connection per server (the
standard library's client, light enough not to hide the server's time), in alternating rounds,
and each figure is:

    server time = p50 round trip − p50 round trip of a trivial request to the same server

Reported: the company page of a small company (~100 reviews) and of the largest (≥ 10 % of all
reviews), cold and cached, with their ratio to raw (req/s ÷ raw req/s); the fit ranking over
every company at both sizes; `companies(search:)` for typeahead terms (each, and p50 over all);
review submission at the giant company ÷ at the small one;
sign-in; the cold server's RSS after 1,000 pages over 1,000 companies and the three largest;
seconds from start to a ranking answered, loading the snapshot in full and (a restart) from
its copy on disk; and a CPU reference (a fixed Python loop), to scale figures taken on another machine.
Results go to benchmarks/results/<database>-<companies>-<reviews>.json and .md.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from infra.db import apply_migrations
from infra.persisted_queries import document_hash
from infra.settings import Settings
from tests.cluster import ROOT, Server, free_port
from tests.databases import _admin, execute, fetch, run_sync

CACHE = ROOT / "benchmarks" / ".cache"
RESULTS = ROOT / "benchmarks" / "results"
PAGE = """query ($slug: String!) { company(slug: $slug) { name
  ratings { overall { count mean bayesianAverage distribution } dimensions { dimension count mean bayesianAverage } }
  record { membersWhoWorkedThere verifiedMembers formerMembers medianCompletedTenureMonths earlyAttrition
           reviewCount responseRate medianResponseTimeDays }
  ratingTrend { label count mean }
  reviews(first: 20) { totalCount edges { node { id overall title pros cons helpfulCount createdAt
    tenure { employmentStatus tenure verified jobFunction location lastYear withheld }
    response { body createdAt } } } } } }"""
RANKING = """{ companies(first: 20, orderBy: {field: FIT}, priorities: {weights: [
  {dimension: MEANING, weight: 10}, {dimension: GROWTH, weight: 8}, {dimension: COMPENSATION, weight: 3}]}) {
  totalCount edges { node { slug name fit { score confidence } } } } }"""
SEARCH = """query ($search: String!) { companies(first: 10, search: $search) { edges { node { slug name } } } }"""
# What a typeahead sends as a name is typed (the scale data's names: workcred/scale.py), short to
# long, Latin and Chinese, prefixes and inner parts.
SEARCHES = ("ka", "kal", "kalo", "labs", "otor", "ka motors", "青云", "云电机", "天成银行", "no such name")
TYPENAME = "{ __typename }"
SIGN_UP = """mutation ($input: SignUpInput!) { signUp(input: $input) { token userErrors { code } } }"""
SIGN_IN = """mutation ($input: SignInInput!) { signIn(input: $input) { token userErrors { code } } }"""
ADD_JOB = """mutation ($input: AddEmploymentInput!) { addEmployment(input: $input) { employment { id }
  userErrors { code } } }"""
SUBMIT = """mutation ($input: SubmitReviewInput!) { submitReview(input: $input) { review { id } userErrors { code } } }"""
PASSWORD = "correct horse battery staple"
# The servers run with production's anonymity settings (tests/cluster.py relaxes them for tests),
# no response cache for cold reads, and the cache for cached ones — and a points budget no one
# client would need: the benchmark is one client asking far more than any user.
DEFAULTS = Settings(database_url="sqlite://:memory:")
PRODUCTION = {"WORKCRED_K_ANONYMITY": str(DEFAULTS.k_anonymity),
              "WORKCRED_COLLEAGUE_MIN_AGE_DAYS": str(DEFAULTS.colleague_min_age_days),
              "WORKCRED_RATE_LIMIT_COST": "1000000000/minute"}
COLD = {**PRODUCTION, "WORKCRED_RESPONSE_CACHE_SECONDS": "0"}


@dataclass
class Timing:
    p50_ms: float
    p95_ms: float
    per_second: float
    server_ms: float = 0.0

    @classmethod
    def of(cls, latencies: list[float], floor_ms: float = 0.0) -> Timing:
        ordered = sorted(latencies)
        p50 = 1000 * statistics.median(ordered)
        p95 = 1000 * ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
        return cls(round(p50, 2), round(p95, 2), round(len(ordered) / sum(ordered), 1), round(max(p50 - floor_ms, 0), 2))


@dataclass
class Report:
    database: str
    companies: int
    reviews: int
    machine_load: list[float]
    cpu_reference_ms: float  # see cpu_reference(): to compare figures taken on different machines
    timings: dict[str, Timing] = field(default_factory=dict)
    ratios: dict[str, float] = field(default_factory=dict)
    rss_mb: float = 0.0
    seconds: dict[str, float] = field(default_factory=dict)


def cpu_reference() -> float:
    """Milliseconds for a fixed pure-Python loop (best of five). Absolute figures scale with it:
    the same code on a machine where it is twice as long takes about twice as long."""
    best = float("inf")
    for _ in range(5):
        started = time.perf_counter()
        sum(range(10_000_000))
        best = min(best, time.perf_counter() - started)
    return round(1000 * best, 1)


def database_url(kind: str, companies: int, reviews: int) -> str:
    name = f"scale_{companies}_{reviews}"
    if kind == "sqlite":
        CACHE.mkdir(parents=True, exist_ok=True)
        return f"sqlite://{CACHE / name}.sqlite3"
    return f"postgres://postgres@127.0.0.1:5432/workcred_bench_{name}"


def seeded(kind: str, companies: int, reviews: int, report: Report) -> str:
    """The cached scale database, seeded on first use (its time recorded), with every migration
    since applied (the servers run the suite's settings, which do not migrate)."""
    url = database_url(kind, companies, reviews)
    _seed_once(kind, companies, reviews, report, url)
    run_sync(apply_migrations(url))
    return url


def _seed_once(kind: str, companies: int, reviews: int, report: Report, url: str) -> None:
    if kind == "postgres":
        exists = fetch("postgres://postgres@127.0.0.1:5432/postgres",
                       f"SELECT 1 FROM pg_database WHERE datname = '{url.rsplit('/', 1)[1]}'")
        if not exists:
            run_sync(_admin(f'CREATE DATABASE "{url.rsplit("/", 1)[1]}"'))
    elif Path(url.split("://", 1)[1]).exists():
        return
    if kind == "postgres" and fetch(url, "SELECT to_regclass('company') IS NOT NULL")[0][0] and \
            fetch(url, "SELECT COUNT(*) FROM company")[0][0]:
        return
    started = time.monotonic()
    subprocess.run([sys.executable, "-m", "workcred.cli", "seed-scale", "--companies", str(companies),
                    "--reviews", str(reviews)], cwd=ROOT, env={**os.environ, "DATABASE_URL": url}, check=True)
    report.seconds[f"seed {reviews:,}"] = round(time.monotonic() - started, 1)


@contextmanager
def working_copy(url: str) -> Iterator[str]:
    """A copy of the cached data to run on: the benchmark's writes never change the cache."""
    if url.startswith("sqlite"):
        source = Path(url.split("://", 1)[1])
        copy = source.with_name(f"{source.stem}-run.sqlite3")
        files = [copy, *(copy.with_name(copy.name + suffix) for suffix in ("-wal", "-shm"))]
        for stale in files:  # a WAL left by an earlier run would be replayed onto the new copy
            stale.unlink(missing_ok=True)
        shutil.copyfile(source, copy)
        try:
            yield f"sqlite://{copy}"
        finally:
            for made in files:
                made.unlink(missing_ok=True)
        return
    name = url.rsplit("/", 1)[1]
    run_sync(_admin(f'CREATE DATABASE "{name}_run" TEMPLATE "{name}"'))
    try:
        yield f"{url}_run"
    finally:
        run_sync(_admin(f'DROP DATABASE "{name}_run"'))


def rss_mb(server: Server) -> float:
    assert server.process is not None
    for line in Path(f"/proc/{server.process.pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


class Client:
    """One keep-alive HTTP/1.1 connection per server, from the standard library: a round trip
    costs the client ~0.1 ms here, where httpx's costs several times the server work measured."""

    def __init__(self) -> None:
        self._connections: dict[str, http.client.HTTPConnection] = {}

    def timed(self, url: str, body: dict[str, Any] | None = None, params: dict[str, str] | None = None,
              headers: dict[str, str] | None = None) -> tuple[float, bytes]:
        parts = urllib.parse.urlsplit(url)
        connection = self._connections.get(parts.netloc)
        if connection is None:
            connection = self._connections[parts.netloc] = http.client.HTTPConnection(parts.netloc, timeout=120)
        path = parts.path + (f"?{urllib.parse.urlencode(params)}" if params else "")
        payload = None if body is None else json.dumps(body)
        sent = {**(headers or {}), **({"Content-Type": "application/json"} if body is not None else {})}
        started = time.perf_counter()
        connection.request("GET" if body is None else "POST", path, payload, sent)
        response = connection.getresponse()
        content = response.read()
        elapsed = time.perf_counter() - started
        assert response.status == 200 and b'"errors"' not in content, content[:300]
        return elapsed, content

    def close(self) -> None:
        for connection in self._connections.values():
            connection.close()


def run(url: str, report: Report, rounds: int, per_round: int, ranking_urls: dict[str, str]) -> None:
    small, giant = [row[0] for row in fetch(url, (
        "SELECT c.slug FROM company c JOIN rating_aggregate r ON r.company_id = c.id AND r.scope = 'ALL' "
        "AND r.rating_key = 'OVERALL' WHERE r.count BETWEEN 90 AND 120 ORDER BY c.id LIMIT 1"))] + [row[0] for row in fetch(url, (
        "SELECT c.slug FROM company c JOIN rating_aggregate r ON r.company_id = c.id AND r.scope = 'ALL' "
        "AND r.rating_key = 'OVERALL' ORDER BY r.count DESC LIMIT 1"))]
    cold = Server(free_port(), url, COLD)
    cached = Server(free_port(), url, PRODUCTION)
    raw = raw_server(url)
    # The other sizes' servers, for the ranking's flatness: measured in the same rounds.
    other_sizes = {label: Server(free_port(), other, COLD) for label, other in ranking_urls.items()}
    servers = [cold, cached, raw, *other_sizes.values()]
    try:
        for name, server in (("raw", raw), ("cold", cold), ("cached", cached), *other_sizes.items()):
            started = time.perf_counter()
            server.start()
            if server is not raw:
                report.seconds[f"start to ranking ready, {name} server"] = ready(server, started)
        # A restart reads the snapshot's copy its shut-down wrote, then only what changed since.
        cold.stop()
        started = time.perf_counter()
        cold.start()
        report.seconds["restart to ranking ready, cold server (from its snapshot copy)"] = ready(cold, started)
        client = Client()
        try:
            page = {slug: {"query": PAGE, "variables": {"slug": slug}} for slug in (small, giant)}
            # Cached reads as a production client makes them: GET with the persisted query's hash
            # (registered by one POST), which shared HTTP caches may also keep.
            persisted = json.dumps({"persistedQuery": {"version": 1, "sha256Hash": document_hash(PAGE)}})
            client.timed(f"{cached.url}/graphql", {**page[small], "extensions": json.loads(persisted)})
            by_hash = {slug: {"extensions": persisted, "variables": json.dumps({"slug": slug})} for slug in page}
            for slug in (small, giant):  # the baseline is only a baseline if it serves the same bytes
                _, ours = client.timed(f"{cold.url}/graphql", page[slug])
                _, theirs = client.timed(f"{raw.url}/page", params={"slug": slug})
                # (workcred adds its query-cost extension after the data)
                ours = ours.split(b',"extensions":', 1)[0] + b"}"
                assert ours == theirs, f"raw baseline differs for {slug}:\n{ours[:400]!r}\n{theirs[:400]!r}"
            samples: dict[str, list[float]] = {}

            def sample(name: str, *request: object, **options: object) -> None:
                elapsed, _ = client.timed(*request, **options)  # type: ignore[arg-type]
                samples.setdefault(name, []).append(elapsed)

            scenarios: list[tuple[str, tuple[object, ...], dict[str, object]]] = [
                ("workcred {__typename}", (f"{cold.url}/graphql", {"query": TYPENAME}), {}),
                ("cached {__typename}", (f"{cached.url}/graphql",), {"params": {"query": TYPENAME}}),
                ("raw ping", (f"{raw.url}/ping",), {"params": {}}),
                *((f"page {label} {kind}", *request)
                  for label, slug in (("small", small), ("giant", giant))
                  for kind, request in (
                      ("cold", ((f"{cold.url}/graphql", page[slug]), {})),
                      ("cached", ((f"{cached.url}/graphql",), {"params": by_hash[slug]})),
                      ("raw", ((f"{raw.url}/page",), {"params": {"slug": slug}})),
                  )),
            ]
            scenarios += [(f"search {term!r}", (f"{cold.url}/graphql", {"query": SEARCH, "variables": {"search": term}}), {})
                          for term in SEARCHES]
            rankings: list[tuple[str, tuple[object, ...], dict[str, object]]] = [
                ("fit ranking", (f"{cold.url}/graphql", {"query": RANKING}), {}),
                *((f"fit ranking at {label}", (f"{server.url}/graphql", {"query": RANKING}), {})
                  for label, server in other_sizes.items()),
            ]
            for number in range(rounds):  # rounds alternate, so drift in machine load hits every figure alike
                # The rankings' order turns each round: the first after another server's requests
                # ran 5-10 % slower than the next (measured both ways round), which is no
                # property of the data size the ratio compares.
                turn = number % len(rankings)
                for name, request, options in [*scenarios, *rankings[turn:], *rankings[:turn]]:
                    for _ in range(per_round):
                        sample(name, *request, **options)
            floors = {"cold": "workcred {__typename}", "cached": "cached {__typename}", "raw": "raw ping"}
            for name, latencies in samples.items():
                floor = next((floors[k] for k in floors if name.endswith(k)), "workcred {__typename}")
                report.timings[name] = Timing.of(latencies, 1000 * statistics.median(samples[floor]))
            searches = [latency for term in SEARCHES for latency in samples[f"search {term!r}"]]
            report.timings["search (every term)"] = Timing.of(searches, 1000 * statistics.median(samples[floors["cold"]]))
            for label in ("small", "giant"):
                raw_rate = report.timings[f"page {label} raw"].per_second
                for kind in ("cold", "cached"):
                    report.ratios[f"page {label} {kind} ÷ raw"] = round(
                        report.timings[f"page {label} {kind}"].per_second / raw_rate, 3)
            report.rss_mb = rss_after_pages(client, cold, url)  # reads only, so far
            writes(client, cold, (small, giant), report, per_round * rounds, url)
        finally:
            client.close()
    finally:
        for server in servers:
            server.stop()


def ready(server: Server, started: float) -> float:
    """Seconds from `started` (the launch) until a fit ranking answers: the server answers once
    it is up and loads its ranking snapshot in the background; until then a ranking waits for it
    (and may run out of time)."""
    while True:
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=120)
        connection.request("POST", "/graphql", json.dumps({"query": RANKING}), {"Content-Type": "application/json"})
        answer = json.loads(connection.getresponse().read())
        connection.close()
        if answer.get("data"):
            return round(time.perf_counter() - started, 1)


def writes(client: Client, server: Server, companies: tuple[str, str], report: Report, n: int, url: str) -> None:
    """Submit ratio (giant ÷ small company) and sign-in, through fresh members whose addresses
    are marked proven in the database (`url`), as a member's mailed code would."""
    small, giant = companies
    graphql = f"{server.url}/graphql"
    stamp = int(time.time())
    latencies: dict[str, list[float]] = {small: [], giant: []}
    for index in range(n):
        for slug in (small, giant):
            email = f"bench-{stamp}-{index}-{slug}@example.com"
            _, body = client.timed(graphql, {"query": SIGN_UP, "variables": {"input": {
                "email": email, "password": PASSWORD, "displayName": "Bench"}}})
            signed_up = json.loads(body)["data"]["signUp"]
            assert signed_up["token"], signed_up["userErrors"]
            token = signed_up["token"]
            execute(url, "UPDATE member SET verified_email = email, email_verified_at = CURRENT_TIMESTAMP "
                         f"WHERE email = '{email}'")
            auth = {"Authorization": f"Bearer {token}"}
            _, body = client.timed(graphql, {"query": ADD_JOB, "variables": {"input": {
                "companySlug": slug, "jobFunction": "ENGINEERING", "location": "Shanghai", "startDate": "2020-01-01",
                "positions": [{"title": "Engineer", "level": 3, "startDate": "2020-01-01"}]}}}, headers=auth)
            job = json.loads(body)["data"]["addEmployment"]["employment"]["id"]
            elapsed, body = client.timed(graphql, {"query": SUBMIT, "variables": {"input": {
                "employmentId": job, "overall": 4, "title": "Benchmark", "ratings": [{"dimension": "GROWTH", "score": 4}]}}},
                headers=auth)
            assert json.loads(body)["data"]["submitReview"]["userErrors"] == [], body
            latencies[slug].append(elapsed)
    report.timings["submit review, small company"] = Timing.of(latencies[small])
    report.timings["submit review, giant company"] = Timing.of(latencies[giant])
    report.ratios["submit giant ÷ small (p50)"] = round(
        report.timings["submit review, giant company"].p50_ms / report.timings["submit review, small company"].p50_ms, 3)
    sign_ins = []
    for _ in range(min(n, 50)):
        elapsed, _ = client.timed(graphql, {"query": SIGN_IN, "variables": {"input": {
            "email": f"bench-{stamp}-0-{small}@example.com", "password": PASSWORD}}})
        sign_ins.append(elapsed)
    report.timings["sign in"] = Timing.of(sign_ins)


def rss_after_pages(client: Client, server: Server, url: str) -> float:
    slugs = [row[0] for row in fetch(url, "SELECT slug FROM company ORDER BY id LIMIT 1000")]
    for slug in slugs[:3] + slugs:  # the three largest (seed-scale's first) and 1,000 companies
        client.timed(f"{server.url}/graphql", {"query": PAGE, "variables": {"slug": slug}})
    return round(rss_mb(server), 1)


def raw_server(database_url: str) -> Server:
    """The raw baseline, run like workcred: one uvicorn process, the same settings."""
    return Server(free_port(), database_url, PRODUCTION, app="benchmarks.raw_page:create_app", health_path="/ping")


def markdown(report: Report) -> str:
    lines = [
        f"## {report.database}: {report.companies:,} companies, {report.reviews:,} reviews",
        "",
        f"Machine load (1/5/15 min) at start: {', '.join(f'{x:.2f}' for x in report.machine_load)}; "
        f"CPU reference (sum of range(10⁷) in Python): {report.cpu_reference_ms} ms; "
        f"cold server RSS after 1,000 pages and the three largest: {report.rss_mb} MB.",
        "",
        "| request | server ms | p50 ms | p95 ms | req/s |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    lines += [f"| {name} | {t.server_ms} | {t.p50_ms} | {t.p95_ms} | {t.per_second} |" for name, t in report.timings.items()]
    lines += ["", "| ratio | value |", "| --- | ---: |"]
    lines += [f"| {name} | {value} |" for name, value in report.ratios.items()]
    lines += [f"| {name} | {value} s |" for name, value in report.seconds.items()]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--databases", default="sqlite,postgres", help="comma-separated: sqlite, postgres")
    parser.add_argument("--companies", type=int, default=10_000)
    parser.add_argument("--reviews", type=int, default=1_000_000)
    parser.add_argument("--small-reviews", type=int, default=100_000, help="the second size, for ranking flatness")
    parser.add_argument("--rounds", type=int, default=6)  # even: each ranking goes first equally often
    parser.add_argument("--per-round", type=int, default=10)
    args = parser.parse_args()
    RESULTS.mkdir(parents=True, exist_ok=True)
    for kind in args.databases.split(","):
        report = Report(kind, args.companies, args.reviews, list(os.getloadavg()), cpu_reference())
        url = seeded(kind, args.companies, args.reviews, report)
        other = {f"{args.small_reviews:,} reviews": seeded(kind, args.companies, args.small_reviews, report)}
        with working_copy(url) as copy:
            run(copy, report, args.rounds, args.per_round, other)
        report.ratios[f"fit ranking {args.reviews:,} ÷ {args.small_reviews:,} reviews (server time)"] = round(
            report.timings["fit ranking"].server_ms / max(report.timings[f"fit ranking at {args.small_reviews:,} reviews"].server_ms, 0.01), 3)
        name = f"{kind}-{args.companies}-{args.reviews}"
        (RESULTS / f"{name}.json").write_text(json.dumps(asdict(report), indent=2) + "\n")
        (RESULTS / f"{name}.md").write_text(markdown(report))
        print(markdown(report))


if __name__ == "__main__":
    main()
