"""The company record's running tallies (domain/company_record.py) against the record computed
the plain way, from every stint at once (the oracle below)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from statistics import median

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.company_record import (
    MemberStanding,
    RecordTallies,
    Stint,
    company_record,
    histogram_median,
    member_standing,
    response_time_bucket,
    standing_delta,
)
from domain.dates import add_months, whole_months_between
from domain.enums import CompanyRoleKind

CUTOFF = datetime(2026, 1, 1, tzinfo=UTC)  # claims after it are not established yet
OLD, NEW = CUTOFF - timedelta(days=400), CUTOFF + timedelta(days=3)


@dataclass(frozen=True)
class MemberHistory:
    stints: tuple[Stint, ...]
    joined_at: datetime
    representative: bool = False


def oracle(histories: dict[int, MemberHistory], review_count: int, delays: list[int]):
    """The record as specified: members fold their stints; tenure figures over established,
    non-representative former members; response figures over every counted response."""
    months = [
        sum(whole_months_between(s.start, s.end) for s in h.stints if s.end is not None)
        for h in histories.values()
        if all(s.end is not None for s in h.stints)
        and not h.representative
        and max(h.joined_at, *(s.claimed_at for s in h.stints)) <= CUTOFF
    ]
    return {  # (a count under k, here 1, is not shown)
        "members": len(histories) or None,
        "verified": sum(any(s.verified for s in h.stints) for h in histories.values()) or None,
        "former": sum(all(s.end is not None for s in h.stints) for h in histories.values()) or None,
        "median_tenure": float(median(months)) if months else None,
        "early_attrition": sum(m < 12 for m in months) / len(months) if months else None,
        "response_rate": len(delays) / review_count if review_count else None,
    }


class RunningRecord:
    """What the database holds: company counters, histograms and the member standings, moved
    only by standing deltas, as resolvers/company_record.py moves them."""

    def __init__(self) -> None:
        self.counts = Counter[str]()
        self.tenure = Counter[int]()
        self.standings: dict[int, MemberStanding] = {}
        self.histories: dict[int, MemberHistory] = {}

    def write(self, member: int, history: MemberHistory | None) -> None:
        after = member_standing(history.stints, history.joined_at, history.representative) if history else None
        delta = standing_delta(self.standings.get(member), after)
        self.counts.update(members=delta.members, verified=delta.verified_members, former=delta.former_members)
        self.tenure.update(delta.tenure_months)
        if after is None or history is None:
            self.standings.pop(member, None)
            self.histories.pop(member, None)
        else:
            self.standings[member] = after
            self.histories[member] = history

    def record(self, review_count: int, delays: list[int]):
        unestablished = [
            s.completed_months for s in self.standings.values()
            if s.counts_for_tenure and s.claimed_at > CUTOFF
        ]
        stats = company_record(
            RecordTallies(
                self.counts["members"], self.counts["verified"], self.counts["former"],
                self.tenure, unestablished, len(delays), Counter(delays),
            ),
            review_count,
            k=1,  # the figures themselves; the k rule has its own test
        )
        return {
            "members": stats.members_who_worked_there,
            "verified": stats.verified_members,
            "former": stats.former_members,
            "median_tenure": stats.median_completed_tenure_months,
            "early_attrition": stats.early_attrition,
            "response_rate": stats.response_rate,
        }


def _stints(lengths: list[int], verified: bool, current: bool, claimed_at: datetime) -> tuple[Stint, ...]:
    stints, start = [], date(2010, 1, 1)
    for index, length in enumerate(lengths):
        end = None if current and index == len(lengths) - 1 else add_months(start, length)
        stints.append(Stint(start, end, verified, claimed_at))
        start = add_months(start, length + 1)
    return tuple(stints)


histories = st.builds(
    lambda lengths, verified, current, claimed, joined, representative: MemberHistory(
        _stints(lengths, verified, current, claimed), joined, representative
    ),
    st.lists(st.integers(0, 60), min_size=1, max_size=3),
    st.booleans(),
    st.booleans(),
    st.sampled_from([OLD, NEW]),
    st.sampled_from([OLD - timedelta(days=30), NEW]),
    st.booleans(),
)


@settings(max_examples=300)
@given(st.lists(st.tuples(st.integers(0, 8), st.none() | histories), max_size=40))
def test_running_tallies_always_equal_the_record_computed_from_every_stint(writes):
    # given any sequence of writes (a member's stints replaced, or the member leaving the record)
    running = RunningRecord()
    for member, history in writes:
        running.write(member, history)
        # then after every write the record read from the tallies is the record recomputed
        assert running.record(0, []) == oracle(running.histories, 0, [])


def test_company_record_by_hand():
    running = RunningRecord()
    running.write(1, MemberHistory((Stint(date(2020, 1, 1), date(2020, 7, 1), False, OLD),), OLD))  # 6 months
    running.write(2, MemberHistory((  # 18 months, then back
        Stint(date(2019, 1, 1), date(2020, 7, 1), True, OLD), Stint(date(2021, 1, 1), None, True, OLD)), OLD))
    running.write(3, MemberHistory((  # 12 + 18 months
        Stint(date(2018, 1, 1), date(2019, 1, 1), False, OLD), Stint(date(2019, 7, 1), date(2021, 1, 1), False, OLD)),
        OLD))
    running.write(4, MemberHistory((Stint(date(2024, 1, 1), date(2024, 2, 1), False, NEW),), OLD))  # too recent
    running.write(5, MemberHistory((Stint(date(2015, 1, 1), date(2015, 3, 1), False, OLD),), OLD, True))  # speaks
    record = running.record(review_count=4, delays=[1, 5, 9])
    assert record == {
        "members": 5, "verified": 1, "former": 4,
        "median_tenure": 18, "early_attrition": pytest.approx(1 / 2), "response_rate": 0.75,
    }


@settings(max_examples=200)
@given(
    st.lists(st.lists(st.integers(1, 60), min_size=1, max_size=3), min_size=1, max_size=12),
    st.lists(st.integers(1, 60), min_size=1, max_size=10),
)
def test_one_account_moves_the_record_no_more_than_one_real_member_could(others, fake_stints):
    # given a company's real members, and one account with many short stints
    def record_with(sock: tuple[Stint, ...]):
        running = RunningRecord()
        for member, lengths in enumerate(others):
            running.write(member, MemberHistory(_stints(lengths, False, False, OLD), OLD))
        running.write(999, MemberHistory(sock, OLD))
        return running.record(0, [])

    # then every figure is what one real member with the same total time there would give
    assert record_with(_stints(fake_stints, False, False, OLD)) == record_with(
        _stints([sum(fake_stints)], False, False, OLD)
    )


@given(st.lists(st.integers(0, 500), max_size=50))
def test_the_histogram_median_is_the_median(values):
    expected = float(median(values)) if values else None
    assert histogram_median(Counter(values)) == expected


@given(st.integers(0, 3 * 365 * 24 * 3600), st.integers(0, 24 * 3600 - 1))
def test_response_times_are_whole_days_from_the_reviews_day(seconds, time_of_day):
    reviewed = datetime(2025, 1, 1, tzinfo=UTC) + timedelta(seconds=time_of_day)
    responded = reviewed + timedelta(seconds=seconds)
    bucket = response_time_bucket(reviewed, responded)
    days = (responded.date() - reviewed.date()).days
    assert bucket == min(days, 365)
    # whatever the hour the review was written, an answer on a given day counts the same
    assert response_time_bucket(datetime(2025, 1, 1, tzinfo=UTC), responded) == bucket


# --- through the API: every write moves the stored tallies exactly as a rebuild would ---

UPDATE = """mutation ($input: UpdateEmploymentInput!) { updateEmployment(input: $input) { userErrors { code } } }"""
REMOVE = """mutation ($input: RemoveEmploymentInput!) { removeEmployment(input: $input) { userErrors { code } } }"""
VERIFY = """mutation ($input: VerifyEmploymentInput!) { verifyEmployment(input: $input) { userErrors { code } } }"""
RECORD = """{ company(slug: "acme-robotics") { record { membersWhoWorkedThere verifiedMembers formerMembers
  medianCompletedTenureMonths earlyAttrition reviewCount responseRate medianResponseTimeDays } } }"""


async def test_every_write_moves_the_record_tallies_as_a_rebuild_would(api):
    from resolvers.aggregate_repair import recompute_aggregates
    from tests.reviewing import (
        RESPOND,
        WITHDRAW,
        age_accounts,
        ask_to_verify,
        representative,
        reviewer,
        submit,
    )
    from tests.test_moderation import MODERATE, REASON, moderator
    from workcred.roles import grant_role, revoke_role

    reader = await api.member()

    async def in_step() -> dict:
        drift = await recompute_aggregates(fix=False)
        assert drift.total == 0, drift
        # signed in: the record as it stands, never a cached page (whose record is refreshed
        # with the entry: jobs do not stamp the company, infra/data_version.py)
        return (await api.query(RECORD, token=reader)).data["company"]["record"]

    # given three former colleagues (6, 18 and 30 months) and one current, all established
    tokens, jobs = [], []
    for start, end in [("2020-01-01", "2020-07-01"), ("2019-01-01", "2020-07-01"), ("2018-01-01", "2020-07-01"),
                       ("2021-01-01", None)]:
        token, job = await reviewer(api, start=start, end=end)
        tokens.append(token)
        jobs.append(job)
    await age_accounts()
    assert (await in_step())["medianCompletedTenureMonths"] == 18
    # when the current one leaves after 24 months, one job is verified and one removed
    assert (await api.mutate("updateEmployment", UPDATE, {"employmentId": jobs[3], "endDate": "2023-01-01"},
                             tokens[3]))["userErrors"] == []
    rep = await representative(api, "acme-robotics")
    await ask_to_verify(api, jobs[1], tokens[1])
    assert (await api.mutate("verifyEmployment", VERIFY, {"employmentId": jobs[1], "decision": "VERIFIED"},
                             rep))["userErrors"] == []
    assert (await api.mutate("removeEmployment", REMOVE, {"employmentId": jobs[0]}, tokens[0]))["userErrors"] == []
    record = await in_step()
    # then the member whose only job went leaves the record, and the leaver's 24 months count
    assert (record["membersWhoWorkedThere"], record["verifiedMembers"], record["formerMembers"]) == (3, 1, 3)
    assert record["medianCompletedTenureMonths"] == 24 and record["earlyAttrition"] == 0
    # and a former member who comes to speak for the company leaves its tenure figures, then returns
    email = (await api.query("{ viewer { member { email } } }", token=tokens[2])).data["viewer"]["member"]["email"]
    await grant_role("acme-robotics", email, CompanyRoleKind.REPRESENTATIVE)
    assert (await in_step())["medianCompletedTenureMonths"] == 21
    await revoke_role("acme-robotics", email)
    assert (await in_step())["medianCompletedTenureMonths"] == 24
    # and responses count while both they and their review are published
    review = await submit(api, tokens[1], jobs[1])
    response = (await api.mutate("respondToReview", RESPOND, {"reviewId": review["review"]["id"], "body": "Thanks"},
                                 rep))["response"]
    assert (await in_step())["responseRate"] == 1
    mod = await moderator(api)
    await api.mutate("moderateContent", MODERATE, {"responseId": response["id"], "action": "REMOVE", "reason": REASON},
                     mod)
    assert (await in_step())["medianResponseTimeDays"] is None
    await api.mutate("moderateContent", MODERATE,
                     {"responseId": response["id"], "action": "RESTORE", "reason": "Removed in error."}, mod)
    assert (await in_step())["medianResponseTimeDays"] == 0  # answered the day it was written
    await api.mutate("withdrawReview", WITHDRAW, {"reviewId": review["review"]["id"]}, tokens[1])
    record = await in_step()
    assert (record["reviewCount"], record["responseRate"], record["medianResponseTimeDays"]) == (0, None, None)


@pytest.mark.parametrize("k", [1, 3, 5])
def test_member_figures_are_shown_only_from_k_members(k):
    tallies = RecordTallies(members=4, verified_members=2, former_members=3, tenure_months={6: 1, 20: 2},
                            unestablished_tenure_months=[], responded_reviews=1, response_days={5: 1})
    stats = company_record(tallies, review_count=2, k=k)
    shown = (stats.members_who_worked_there, stats.verified_members, stats.former_members)
    assert shown == tuple(n // k * k if n >= k else None for n in (4, 2, 3))  # in steps of k
    assert (stats.median_completed_tenure_months is None) == (stats.early_attrition is None) == (k > 3)
    assert stats.response_rate == 0.5  # responses are the company's own acts, not members'
