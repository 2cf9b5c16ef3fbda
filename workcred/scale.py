"""Scale data on demand: `workcred seed-scale --companies N --reviews M [--seed S]`.

A deterministic, realistic data set for benchmarks and for checking a design against real
volumes: review counts per company follow a Zipf law (the largest company holds over a tenth of
all reviews, then a long tail), members have two or three stints with promotions, about 1.3 jobs
per review, a third of reviews answered by the company, helpful votes skewed towards a few
reviews, accounts of varied age. Rows are generated with numpy, a chunk of members at a time
(whole columns per draw, not one Python call per value), already as the text the database
stores, by a thread a few chunks ahead of the writer; they are bulk-inserted (a hundred rows
per INSERT in one transaction on SQLite, CSV COPY on PostgreSQL), bypassing the per-review
write path, and the aggregates are then rebuilt set-wise by the same code as
`repair-aggregates`, so `repair-aggregates --check` reports no drift. Faces are fixed and
coarse (status, tenure bucket, job function; no city or year): the anonymity rule is not run
per review here.
"""

from __future__ import annotations

import contextlib
import csv
import io
import queue
import sys
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from domain.company import company_slug
from domain.dates import Days, whole_months_between_days
from domain.enums import (
    CompanyRoleKind,
    CompanySizeBand,
    Dimension,
    EmploymentStatus,
    JobFunction,
    ResponseStatus,
    ReviewStatus,
    VerificationState,
)
from domain.review import LONGEST_TENURE_THRESHOLD_MONTHS, tenure_bucket_of_months
from infra import company_search
from infra.data_version import BUMP, POSTGRES_BUMP, sqlite_trigger_names, sqlite_triggers
from resolvers.aggregate_repair import COMPANY_TALLIES, SQLITE_ROOM_TO_SORT
from workcred.demo import ADVICE_OBJECTS, ADVICE_VERBS, COMPLAINTS, DEMO_AS_OF, PRAISE

ZIPF_EXPONENT = 1.07  # with 10,000 companies the largest holds about 11 % of the reviews
JOBS_PER_REVIEW = 1.3
STINTS_PER_MEMBER = 3
MEMBERS_PER_CHUNK = 20_000  # about 60,000 jobs and what hangs off them
INDUSTRIES = ["Internet", "Chips", "New-energy vehicles", "Biomedicine", "Artificial intelligence",
              "Carbon-neutral technology", "Finance", "Retail", "Logistics", "Education"]
CITIES = ["Beijing", "Shanghai", "Shenzhen", "Hangzhou", "Guangzhou", "Chengdu", "Suzhou", "Wuhan", "Xi'an", "Hefei"]
DIMENSIONS = list(Dimension)
FUNCTIONS = list(JobFunction)
RESPONSE_BODY = "Thank you for the feedback; we have shared it with the team."
MAX_LEVEL = 10
MAX_VOTES = 200
# Calendar facts as numpy days.
AS_OF = np.datetime64(DEMO_AS_OF, "D")
LATEST_START = AS_OF - np.timedelta64(90, "D")
EPOCH_OF_REVIEWS = np.datetime64("2021-01-01", "D")
CAREERS_BEGIN = np.datetime64("2008-01-01", "D")
ACCOUNTS_OPENED = np.datetime64("2019-01-01T00:00:00", "s")  # UTC
# What a draw picks from.
STINT_MONTHS = np.array([8, 14, 20, 30, 42, 60])
GAP_DAYS = np.array([1, 20, 60, 180])
MOODS = np.array([-2, -1, -1, 0, 0, 0, 0, 1, 1, 2])
NOISE = np.array([-1, 0, 0, 1])
RESPONSE_HOURS = np.array([2, 5, 20, 48, 120, 300])
# Stored text, looked up by index: a whole column of strings is one fancy-indexing step.
FUNCTION_TEXT = np.array([function.value for function in FUNCTIONS], dtype=object)
CITY_TEXT = np.array(CITIES, dtype=object)
INDUSTRY_TEXT = np.array(INDUSTRIES, dtype=object)
VERIFICATION_TEXT = np.array([VerificationState.UNVERIFIED.value, VerificationState.VERIFIED.value], dtype=object)
STATUS_TEXT = np.array([EmploymentStatus.CURRENT.value, EmploymentStatus.FORMER.value], dtype=object)
LEVEL_TEXT = np.array([f"Level {level}" for level in range(MAX_LEVEL + 1)], dtype=object)
# Bucket by whole months (any longer tenure is in the last one).
TENURE_TEXT = np.array([tenure_bucket_of_months(months).value for months in range(LONGEST_TENURE_THRESHOLD_MONTHS + 1)],
                       dtype=object)
ADVICE_TEXT = np.array([f"{verb} {thing}." for verb in ADVICE_VERBS for thing in ADVICE_OBJECTS], dtype=object)


def _capitalised(phrase: str) -> str:
    return phrase[0].upper() + phrase[1:]


@dataclass(frozen=True)
class PhraseBank:
    """One phrase bank (praise or complaints) flattened: a dimension's phrases are
    `text[first[d] : first[d] + size[d]]`."""

    text: list[str]
    first: npt.NDArray[np.int64]
    size: npt.NDArray[np.int64]

    @staticmethod
    def of(bank: dict[Dimension, list[str]]) -> PhraseBank:
        sizes = np.array([len(bank[d]) for d in DIMENSIONS])
        return PhraseBank([phrase for d in DIMENSIONS for phrase in bank[d]], np.cumsum(sizes) - sizes, sizes)

    def picks(self, dimension: npt.NDArray[np.int64], draw: npt.NDArray[np.float64]) -> npt.NDArray[np.int64]:
        return self.first[dimension] + (draw * self.size[dimension]).astype(np.int64)


PRAISES, COMPLAINT_BANK = PhraseBank.of(PRAISE), PhraseBank.of(COMPLAINTS)
TITLE_TEXT = np.array([[f"{_capitalised(praise)}, but {complaint}"[:120] for complaint in COMPLAINT_BANK.text]
                       for praise in PRAISES.text], dtype=object)
PROS_TEXT = np.array([f"{_capitalised(praise)}." for praise in PRAISES.text], dtype=object)
CONS_TEXT = np.array([f"{_capitalised(complaint)}." for complaint in COMPLAINT_BANK.text], dtype=object)


@dataclass(frozen=True)
class ScalePlan:
    companies: int
    reviews: int
    seed: int

    def review_counts(self) -> list[int]:
        """Published reviews per company, Zipf-distributed, summing to exactly `reviews`."""
        weights = [1 / (rank + 1) ** ZIPF_EXPONENT for rank in range(self.companies)]
        scale = self.reviews / sum(weights)
        counts = [int(w * scale) for w in weights]
        for rank in range(self.reviews - sum(counts)):
            counts[rank % self.companies] += 1
        return counts

    def draws(self, stream: int) -> np.random.Generator:
        """An independent random stream per purpose, so each is the same whatever is drawn first."""
        return np.random.default_rng([self.seed, stream])


# One row per record, one column per stored column; values as the databases store them.
Batch = npt.NDArray[np.object_]
# Tables filled after each chunk of members, in foreign-key order.
CAREER_TABLES = ("employment", "position", "review", "company_response", "helpful_vote")


@dataclass
class ScaleData:
    """Rows per table, ids assigned, produced lazily in foreign-key order."""

    columns: dict[str, tuple[str, ...]]
    upfront: dict[str, Callable[[], Batch]]  # companies, members, roles: inserted first
    chunks: Callable[[], Iterator[dict[str, Batch]]]  # then jobs and what hangs off them


# Left at zero here; the rebuild after the bulk insert sets them.
RUNNING_COUNTS_UNSET = (0,) * len(COMPANY_TALLIES)
# Company names as varied as a search meets: three syllables and a kind of business, or (one in
# ten) two Chinese words; the id keeps each unique.
SYLLABLES = ("ka", "lo", "mi", "zen", "tor", "vin", "qua", "rex", "sol", "nu", "bri", "dar", "el", "fo", "gri",
             "hal", "ix", "jo", "kel", "lum", "mor", "nex", "or", "pra", "ryn", "sta", "tek", "ul", "vo", "wyn",
             "xa", "yor")
BUSINESSES = ("Labs", "Systems", "Group", "Holdings", "Motors", "Foods", "Bank", "Health", "Energy", "Robotics",
              "Logistics", "Media")
CHINESE_FIRST = ("青云", "蓝天", "华新", "明德", "康宁", "星河", "金石", "紫光", "长江", "东方", "天成", "瑞丰")
CHINESE_SECOND = ("电机", "科技", "生物", "能源", "传媒", "物流", "银行", "制药")


def company_names(ids: npt.NDArray[np.int64]) -> list[str]:
    names = []
    for company in ids.tolist():
        if company % 10 == 0:
            names.append(f"{CHINESE_FIRST[company // 10 % 12]}{CHINESE_SECOND[company // 120 % 8]} {company}")
        else:
            a, b, c = (SYLLABLES[company // 32**n % 32] for n in range(3))
            names.append(f"{(a + b + c).capitalize()} {BUSINESSES[company // 7 % 12]} {company}")
    return names


def _days(days: Days) -> npt.NDArray[np.object_]:
    """ISO dates, as both databases read them. Each day of the span is formatted once and looked
    up (a chunk's columns hold a hundred thousand dates from a few thousand days)."""
    days = days.astype("datetime64[D]")
    if not days.size:
        return days.astype(object)
    first = days.min()
    calendar: npt.NDArray[np.object_] = np.datetime_as_string(np.arange(first, days.max() + 1)).astype(object)
    dates: npt.NDArray[np.object_] = calendar[(days - first).astype(np.int64)]
    return dates


def _timestamps(moments: npt.NDArray[np.datetime64]) -> npt.NDArray[np.object_]:
    """UTC instants written as tortoise stores an aware datetime on SQLite (PostgreSQL reads it
    too): the day's text joined to the time of day's, each distinct one formatted once."""
    seconds = moments.astype("datetime64[s]")
    days = seconds.astype("datetime64[D]")
    times, which = np.unique((seconds - days).astype(np.int64), return_inverse=True)
    clock = np.array([f" {t // 3600:02d}:{t // 60 % 60:02d}:{t % 60:02d}+00:00" for t in times.tolist()], dtype=object)
    text: npt.NDArray[np.object_] = _days(days) + clock[which]
    return text


def _timestamp(moment: np.datetime64) -> str:
    return str(_timestamps(np.array([moment]))[0])


def _rows(*columns: npt.NDArray[Any] | list[Any] | Any) -> Batch:
    """Columns — arrays or lists of one length, or a single value for every row — as a batch of
    rows of plain Python values, laid out row after row (what a multi-row INSERT binds)."""
    count = next(len(column) for column in columns if isinstance(column, np.ndarray | list))
    batch = np.empty((count, len(columns)), dtype=object)
    for index, column in enumerate(columns):
        batch[:, index] = column
    return batch


def _none_where(missing: npt.NDArray[np.bool_], values: npt.NDArray[Any]) -> npt.NDArray[np.object_]:
    """`values` with None (NULL) where `missing`."""
    kept = values.astype(object)
    kept[missing] = None
    return kept


@dataclass(frozen=True)
class Jobs:
    """A chunk's jobs in job order, and the members' careers they come from."""

    id: npt.NDArray[np.int64]  # the employment id
    member: npt.NDArray[np.int64]
    company: npt.NDArray[np.int64]
    reviewed: npt.NDArray[np.bool_]
    function: npt.NDArray[np.int64]
    level: npt.NDArray[np.int64]  # at the first position
    start: Days
    end: Days  # planned; only meaningful where not `current`
    current: npt.NDArray[np.bool_]
    verified: npt.NDArray[np.bool_]

    @property
    def until(self) -> Days:
        return np.where(self.current, AS_OF, self.end)


class Careers:
    """Jobs and what hangs off them (positions, reviews, responses, votes), a chunk of members
    at a time, from one random stream, with ids running on across chunks."""

    def __init__(self, plan: ScalePlan) -> None:
        setup = plan.draws(0)
        counts = np.array(plan.review_counts(), dtype=np.int64)
        jobs = np.round(counts * JOBS_PER_REVIEW).astype(np.int64) + (counts == 0)
        # (company, whether the job is reviewed) per job, shuffled so careers cross companies.
        company = np.repeat(np.arange(1, plan.companies + 1), jobs)
        index_in_company = np.arange(company.size) - np.repeat(np.cumsum(jobs) - jobs, jobs)
        order = setup.permutation(company.size)
        self.company_of_job = company[order]
        self.reviewed_job = (index_in_company < np.repeat(counts, jobs))[order]
        self.members = -(-company.size // STINTS_PER_MEMBER)
        self.profiles = setup.integers(2, 5, size=(plan.companies, len(DIMENSIONS)))
        self.answer_share = setup.random(plan.companies) * 0.62
        self.draw = plan.draws(2)
        self.next_id = {table: 1 for table in CAREER_TABLES}

    def representative_of(self, company: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
        """Each company's representative: the accounts after the members'."""
        return self.members + company

    def _ids(self, table: str, count: int) -> npt.NDArray[np.int64]:
        first = self.next_id[table]
        self.next_id[table] += count
        return np.arange(first, first + count)

    def chunks(self) -> Iterator[dict[str, Batch]]:
        for first in range(0, self.members, MEMBERS_PER_CHUNK):
            jobs = self._jobs(np.arange(first, min(first + MEMBERS_PER_CHUNK, self.members)))
            reviews = self._reviews(jobs)
            yield {"employment": self._employment_rows(jobs), "position": self._positions(jobs), **reviews}

    def _jobs(self, members: npt.NDArray[np.int64]) -> Jobs:
        draw, n = self.draw, members.size
        start = CAREERS_BEGIN + (draw.random(n) * 365 * 12).astype("timedelta64[D]")
        starts, ends = (np.empty((n, STINTS_PER_MEMBER), dtype="datetime64[D]") for _ in range(2))
        current, verified = (np.empty((n, STINTS_PER_MEMBER), dtype=bool) for _ in range(2))
        for stint in range(STINTS_PER_MEMBER):
            # Every planned job exists (its review is counted): a late one starts in time.
            start = np.minimum(start, LATEST_START)
            end = start + (30 * STINT_MONTHS[draw.integers(0, STINT_MONTHS.size, n)]).astype("timedelta64[D]")
            last = stint == STINTS_PER_MEMBER - 1
            current[:, stint] = (end >= AS_OF) | (last & (draw.random(n) < 0.6))
            starts[:, stint], ends[:, stint] = start, end
            verified[:, stint] = draw.random(n) < 0.4
            start = np.where(current[:, stint], AS_OF, end) + GAP_DAYS[draw.integers(0, GAP_DAYS.size, n)].astype(
                "timedelta64[D]")
        per_member = (draw.integers(0, len(FUNCTIONS), n), 1 + draw.integers(0, 3, n))
        job = (members[:, None] * STINTS_PER_MEMBER + np.arange(STINTS_PER_MEMBER)).ravel()
        exists = job < self.company_of_job.size
        job = job[exists]
        function, level = (np.repeat(values, STINTS_PER_MEMBER)[exists] for values in per_member)
        return Jobs(
            id=job + 1, member=job // STINTS_PER_MEMBER + 1, company=self.company_of_job[job],
            reviewed=self.reviewed_job[job], function=function, level=level, start=starts.ravel()[exists],
            end=ends.ravel()[exists], current=current.ravel()[exists], verified=verified.ravel()[exists],
        )

    def _employment_rows(self, jobs: Jobs) -> Batch:
        claimed = _timestamps(jobs.start)  # midnight of the first day
        return _rows(
            jobs.id, jobs.member, jobs.company, FUNCTION_TEXT[jobs.function], CITY_TEXT[jobs.company % len(CITIES)],
            _days(jobs.start), _none_where(jobs.current, _days(jobs.end)), VERIFICATION_TEXT[jobs.verified.astype(int)],
            claimed, claimed,
        )

    def _positions(self, jobs: Jobs) -> Batch:
        """One position per job, then a promotion every 10–30 months with even odds, up to level 10."""
        draw, until = self.draw, jobs.until
        holders: list[npt.NDArray[np.int64]] = []
        starts: list[Days] = []
        levels: list[npt.NDArray[np.int64]] = []
        job, start, level = np.arange(jobs.id.size), jobs.start, jobs.level
        while job.size:
            holders.append(job)
            starts.append(start)
            levels.append(level)
            start = start + (300 + (draw.random(job.size) * 600).astype(np.int64)).astype("timedelta64[D]")
            promoted = (start < until[job]) & (level < MAX_LEVEL) & (draw.random(job.size) <= 0.5)
            job, start, level = job[promoted], start[promoted], level[promoted] + 1
        order = np.argsort(np.concatenate(holders), kind="stable")  # job order, then promotion order
        holder, level = np.concatenate(holders)[order], np.concatenate(levels)[order]
        return _rows(self._ids("position", holder.size), LEVEL_TEXT[level], level,
                     _days(np.concatenate(starts)[order]), jobs.id[holder])

    def _reviews(self, jobs: Jobs) -> dict[str, Batch]:  # one column per local
        draw = self.draw
        reviewed = np.flatnonzero(jobs.reviewed)
        n = reviewed.size
        company, start, current = jobs.company[reviewed], jobs.start[reviewed], jobs.current[reviewed]
        until = jobs.until[reviewed]
        earliest = np.maximum(start + np.timedelta64(30, "D"), EPOCH_OF_REVIEWS)
        span = np.maximum((until - earliest).astype(np.int64), 1)
        day = earliest + (draw.random(n) * span).astype("timedelta64[D]")
        minute = (8 + draw.integers(0, 14, n)) * 60 + draw.integers(0, 60, n)
        written = day.astype("datetime64[m]") + minute.astype("timedelta64[m]")
        # Scores: the company's typical score per dimension, the reviewer's mood, some noise; a
        # dimension is rated seven times in ten, and at least one always is.
        profile = self.profiles[company - 1]
        mood = MOODS[draw.integers(0, MOODS.size, n)]
        scores = np.clip(profile + mood[:, None] + NOISE[draw.integers(0, NOISE.size, profile.shape)], 1, 5)
        rated = draw.random(profile.shape) < 0.7
        unrated = ~rated.any(axis=1)
        rated[unrated, 0] = True
        scores[unrated, 0] = np.clip(profile[unrated, 0] + mood[unrated], 1, 5)
        overall = np.clip(np.round(np.where(rated, scores, 0).sum(axis=1) / rated.sum(axis=1)), 1, 5).astype(np.int64)
        praise = PRAISES.picks(np.argmax(np.where(rated, scores, 0), axis=1), draw.random(n))
        complaint = COMPLAINT_BANK.picks(np.argmin(np.where(rated, scores, 6), axis=1), draw.random(n))
        advice = _none_where(draw.random(n) >= 0.3, ADVICE_TEXT[draw.integers(0, ADVICE_TEXT.size, n)])
        # The face as of the day of writing (domain.review.tenure_snapshot).
        former = ~current & (jobs.end[reviewed] < day)
        months = whole_months_between_days(start, np.minimum(until, day))
        votes = np.minimum(draw.pareto(1.9, n).astype(np.int64), min(MAX_VOTES, self.members - 1))
        answered = draw.random(n) < self.answer_share[company - 1]
        ids = self._ids("review", n)
        author = jobs.member[reviewed]
        rows = _rows(
            ids, company, author, jobs.id[reviewed], overall,
            *(_none_where(~rated[:, d], scores[:, d]) for d in range(len(DIMENSIONS))),
            TITLE_TEXT[praise, complaint], PROS_TEXT[praise], CONS_TEXT[complaint], advice,
            STATUS_TEXT[former.astype(int)], TENURE_TEXT[np.minimum(months, TENURE_TEXT.size - 1)],
            FUNCTION_TEXT[jobs.function[reviewed]], None, None, ReviewStatus.PUBLISHED.value, None, votes,
            # the day only, as the app keeps it, and a place in the day that is not the order written
            _timestamps(day.astype("datetime64[m]")), None, 0, answered.astype(int), (ids * 2654435761) % 2**31,
        )
        return {
            "review": rows,
            "company_response": self._responses(ids[answered], company[answered], written[answered]),
            "helpful_vote": self._votes(ids, author, written, votes),
        }

    def _responses(self, reviews: npt.NDArray[np.int64], company: npt.NDArray[np.int64],
                   written: npt.NDArray[np.datetime64]) -> Batch:
        hours = RESPONSE_HOURS[self.draw.integers(0, RESPONSE_HOURS.size, reviews.size)]
        return _rows(
            self._ids("company_response", reviews.size), reviews, company, self.representative_of(company),
            RESPONSE_BODY, _timestamps(written + (hours * 60).astype("timedelta64[m]")), None,
            ResponseStatus.PUBLISHED.value, None,
        )

    def _votes(self, reviews: npt.NDArray[np.int64], author: npt.NDArray[np.int64],
               written: npt.NDArray[np.datetime64], votes: npt.NDArray[np.int64]) -> Batch:
        """Distinct voters, never the author: consecutive members from a point each review picks,
        a day apart."""
        candidates = np.where(votes > 0, votes + 1, 0)  # one spare, in case the author is among them
        owner = np.repeat(np.arange(reviews.size), candidates)
        first_candidate = np.cumsum(candidates) - candidates
        voter = (reviews[owner] * 7919 + np.arange(owner.size) - first_candidate[owner]) % self.members + 1
        eligible = voter != author[owner]
        counted = np.cumsum(eligible)
        rank = counted - np.concatenate([[0], counted])[first_candidate][owner] - 1  # among the eligible
        keep = eligible & (rank < votes[owner])
        owner, voter, rank = owner[keep], voter[keep], rank[keep]
        cast = written[owner] + ((1 + rank) * 1440).astype("timedelta64[m]")
        return _rows(self._ids("helpful_vote", owner.size), _timestamps(cast), voter, reviews[owner])


def build(plan: ScalePlan, password_hash: str) -> ScaleData:
    careers = Careers(plan)

    opened = _timestamp(ACCOUNTS_OPENED)

    def companies() -> Batch:
        ids = np.arange(1, plan.companies + 1)
        names = company_names(ids)
        bands = np.array([band.value for band in CompanySizeBand], dtype=object)
        return _rows(ids, [company_slug(name) for name in names], names, [name.casefold() for name in names],
                     INDUSTRY_TEXT[ids % INDUSTRY_TEXT.size], bands[ids % bands.size], CITY_TEXT[ids % CITY_TEXT.size],
                     None, opened, None, *RUNNING_COUNTS_UNSET)

    def member_rows() -> Batch:
        accounts = careers.members + plan.companies
        ids = np.arange(1, accounts + 1)
        joined = ACCOUNTS_OPENED + (plan.draws(1).random(accounts) * 730 * 86_400).astype("timedelta64[s]")
        emails = [f"scale{i}@scale.workcred.test" for i in range(1, accounts + 1)]
        # the generated accounts' addresses count as proven, as the demo's do
        return _rows(ids, emails, emails, _timestamps(joined), [f"Scale Member {i}" for i in range(1, accounts + 1)],
                     password_hash, _timestamps(joined))

    def roles() -> Batch:
        company = np.arange(1, plan.companies + 1)
        return _rows(company, CompanyRoleKind.REPRESENTATIVE.value, opened, company, careers.representative_of(company))

    return ScaleData(
        columns={
            "company": ("id", "slug", "name", "folded_name", "industry", "size_band", "headquarters_city",
                        "description", "created_at", "website", *COMPANY_TALLIES),
            "member": ("id", "email", "verified_email", "email_verified_at", "display_name", "password_hash",
                       "created_at"),
            "company_role": ("id", "kind", "granted_at", "company_id", "member_id"),
            "employment": ("id", "member_id", "company_id", "job_function", "location", "start_date", "end_date",
                           "verification", "created_at", "updated_at"),
            "position": ("id", "title", "level", "start_date", "employment_id"),
            "review": ("id", "company_id", "author_id", "employment_id", "overall",
                       *(d.value.lower() for d in DIMENSIONS), "title", "pros", "cons", "advice_to_management",
                       "employment_status", "tenure", "job_function", "location", "last_year", "status",
                       "status_reason", "helpful_count", "created_at", "updated_at", "tenure_widened", "answered",
                       "day_rank"),
            "company_response": ("id", "review_id", "company_id", "author_id", "body", "created_at", "updated_at",
                                 "status", "status_reason"),
            "helpful_vote": ("id", "created_at", "member_id", "review_id"),
        },
        upfront={"company": companies, "member": member_rows, "company_role": roles},
        chunks=careers.chunks,
    )


def progress(table: str, written: int) -> None:
    print(f"\r  {table:<17} {written:>12,} rows", end="", file=sys.stderr, flush=True)


def batches(data: ScaleData) -> Iterator[tuple[str, Batch]]:
    """(table, rows) in the order the rows can be inserted: foreign keys point backwards."""
    for table, rows in data.upfront.items():
        yield table, rows()
    for chunk in data.chunks():
        for table in CAREER_TABLES:
            yield table, chunk[table]


def generated_ahead(data: ScaleData) -> Iterator[tuple[str, Batch]]:
    """`batches(data)`, generated by a thread a few batches ahead of the writer: numpy and the
    database drivers let go of the interpreter while they work, so the two overlap."""
    ahead: queue.Queue[tuple[str, Batch] | BaseException | None] = queue.Queue(maxsize=4)
    stop = threading.Event()

    def produce() -> None:
        try:
            for batch in batches(data):
                if stop.is_set():
                    return
                ahead.put(batch)
            ahead.put(None)
        except BaseException as failure:  # noqa: BLE001 - handed to the writer, which raises it
            ahead.put(failure)

    producer = threading.Thread(target=produce, name="scale-data", daemon=True)
    producer.start()
    try:
        while (batch := ahead.get()) is not None:
            if isinstance(batch, BaseException):
                raise RuntimeError("generating the scale data failed") from batch
            yield batch
    finally:
        stop.set()
        while producer.is_alive():  # unblock a producer waiting on a full queue
            with contextlib.suppress(queue.Empty):
                ahead.get(timeout=0.1)


# Rows per INSERT on SQLite (within its limit of bound values): the per-statement work — and
# the interpreter handed back and forth with the generating thread on every step — is paid once
# per hundred rows, not per row (the load took two thirds of the time of one row per statement).
ROWS_PER_STATEMENT = 100
# The sqlite3 module binds None ten times slower than an integer (it looks for an adapter every
# time), so a column holding NULLs binds this number instead, which the statement turns into NULL.
NULL_STAND_IN = -(2**63)


def _insert_sql(table: str, columns: tuple[str, ...], rows: int, nullable: Iterable[bool]) -> str:
    quoted = ", ".join(f'"{c}"' for c in columns)
    row = f'({", ".join(f"NULLIF(?, {NULL_STAND_IN})" if null else "?" for null in nullable)})'
    return f'INSERT INTO "{table}" ({quoted}) VALUES {", ".join([row] * rows)}'


def write_sqlite(path: str, data: ScaleData) -> dict[str, int]:
    """One transaction for the whole load, foreign-key checks off (the rows are consistent by
    construction), pages written straight into the file; the WAL is back on at the end."""
    import sqlite3

    written: dict[str, int] = {}
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("PRAGMA foreign_keys = OFF")
    connection.execute("PRAGMA synchronous = OFF")
    # Pages go straight into the file (no WAL to copy back afterwards); WAL again at the end.
    connection.execute("PRAGMA journal_mode = DELETE")
    connection.execute("PRAGMA cache_size = -262144")

    bound_values = connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)

    def insert(table: str, rows: Batch) -> None:
        columns = data.columns[table]
        nulls = rows == None  # element-wise (numpy), so not `is None`
        rows[nulls] = NULL_STAND_IN  # the batch is the writer's alone
        nullable = nulls.any(axis=0).tolist()
        per_statement = max(1, min(ROWS_PER_STATEMENT, bound_values // len(columns)))
        whole = len(rows) - len(rows) % per_statement
        values, width = rows[:whole].ravel().tolist(), per_statement * len(columns)
        connection.executemany(_insert_sql(table, columns, per_statement, nullable),
                               (values[start : start + width] for start in range(0, len(values), width)))
        connection.executemany(_insert_sql(table, columns, 1, nullable), rows[whole:].tolist())
        written[table] = written.get(table, 0) + len(rows)
        progress(table, written[table])

    try:
        connection.execute("BEGIN")
        # Indexes are built once at the end, in bulk, instead of row by row.
        names = ", ".join(f"'{table}'" for table in data.columns)
        indexes = connection.execute(
            f"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ({names})"
        ).fetchall()
        for name, _ in indexes:
            connection.execute(f'DROP INDEX "{name}"')
        # Likewise the data version moves once for the whole load, not once per row, and the
        # search index is built once, from the loaded names.
        for trigger in (*sqlite_trigger_names(), *company_search.sqlite_trigger_names()):
            connection.execute(f'DROP TRIGGER IF EXISTS "{trigger}"')
        for table, rows in generated_ahead(data):
            insert(table, rows)
        # Indexes sort like the aggregates' rebuild: in small runs and two threads, twice as fast
        # here as one sort in the large cache the inserts use.
        for name, value in SQLITE_ROOM_TO_SORT.items():
            connection.execute(f"PRAGMA {name} = {value}")
        for _, sql in indexes:
            connection.execute(sql)
        for statement in (*sqlite_triggers().splitlines(), *company_search.sqlite_triggers().splitlines(),
                          company_search.SQLITE_REBUILD, BUMP):
            connection.execute(statement)
        connection.execute("COMMIT")
        connection.execute("PRAGMA journal_mode = WAL")
    finally:
        connection.close()
    print(file=sys.stderr)
    return written


async def write_postgres(database_url: str, data: ScaleData) -> dict[str, int]:
    """COPY (CSV) per table batch, then the id sequences moved past the ids used."""
    from infra.db import raw_postgres_connection

    connection = await raw_postgres_connection(database_url)
    written: dict[str, int] = {}

    async def insert(table: str, rows: Batch) -> None:
        await connection.copy_to_table(table, source=_csv(rows), columns=list(data.columns[table]), format="csv")
        written[table] = written.get(table, 0) + len(rows)
        progress(table, written[table])

    try:
        async with connection.transaction():
            # The data version moves once for the whole load, not once per row: the triggers are
            # off for this session (and with them the foreign-key checks: the rows are consistent
            # by construction), and the version is bumped at the end.
            await connection.execute("SET LOCAL session_replication_role = replica")
            # Indexes (other than keys and unique constraints) are built once at the end.
            indexes = await connection.fetch(
                "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() "
                "AND tablename = ANY($1::text[]) AND indexname NOT IN (SELECT conname FROM pg_constraint)",
                list(data.columns),
            )
            for index in indexes:
                await connection.execute(f'DROP INDEX "{index["indexname"]}"')
            for table, rows in generated_ahead(data):
                await insert(table, rows)
            for index in indexes:
                await connection.execute(index["indexdef"])
            for table in data.columns:
                await connection.execute(
                    f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
                    f"GREATEST((SELECT MAX(id) FROM \"{table}\"), 1))"
                )
            await connection.execute(POSTGRES_BUMP)
    finally:
        await connection.close()
    print(file=sys.stderr)
    return written


def _csv(rows: Batch) -> io.BytesIO:
    """Rows as CSV for COPY: None is an empty field, which COPY reads as NULL (no generated text
    is empty)."""
    text = io.StringIO()
    csv.writer(text).writerows(rows.tolist())
    return io.BytesIO(text.getvalue().encode())


async def settle_for_reads(database_url: str) -> None:
    """On PostgreSQL, after the bulk load and the aggregates: VACUUM ANALYZE now, not whenever
    autovacuum gets to millions of new rows. Without statistics PostgreSQL guesses a company's
    jobs are a few dozen and plans accordingly; without the visibility map there is no
    index-only scan (a review at the largest company took 90–200 ms instead of 30 ms, in its
    anonymity check and the platform mean). SQLite needs neither."""
    from infra.db import is_sqlite, raw_postgres_connection

    if is_sqlite(database_url):
        return
    connection = await raw_postgres_connection(database_url)
    try:
        await connection.execute("VACUUM (ANALYZE)")
    finally:
        await connection.close()


async def fill(database_url: str, plan: ScalePlan, password_hash: str) -> dict[str, int]:
    """Bulk-insert the plan's rows into a migrated, empty database nobody else has open; the
    aggregates are left to `repair-aggregates`' rebuild. Rows written per table."""
    from infra.db import is_sqlite, sqlite_file

    data = build(plan, password_hash)
    if not is_sqlite(database_url):
        return await write_postgres(database_url, data)
    path = sqlite_file(database_url)
    if path is None:
        raise ValueError("seed-scale needs a database file, not an in-memory database")
    return write_sqlite(str(path), data)
