"""Pure rules behind reviews: tallies, Bayesian average, tenure buckets, k-anonymity."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, timedelta

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.dates import add_months, whole_months_between, whole_months_between_days
from domain.enums import EmploymentStatus, TenureBucket
from domain.ratings import (
    OVERALL,
    RATING_KEYS,
    CountedReview,
    K,
    Tally,
    aggregate_scores,
    bayesian_average,
    contribution_delta,
    trend_scores,
)
from domain.review import tenure_bucket, tenure_snapshot

scores = st.dictionaries(st.sampled_from(RATING_KEYS[1:]), st.integers(1, 5), min_size=1).map(
    lambda d: {OVERALL: 3, **d}
)
counted_reviews = st.builds(
    CountedReview,
    job_function=st.sampled_from(["ENGINEERING", "SALES"]),
    written_on=st.dates(min_value=date(2019, 1, 1), max_value=date(2026, 12, 31)),
    scores=scores,
)


@given(st.lists(st.tuples(st.one_of(st.none(), counted_reviews), st.one_of(st.none(), counted_reviews)), max_size=30))
def test_applying_every_delta_equals_tallying_the_final_states(changes):
    """Each review moves from a first to a final state; the deltas sum to a fresh tally."""
    running: dict = {}
    for before, after in changes:
        for delta_source in (
            contribution_delta(None, aggregate_scores(before) if before else None),
            contribution_delta(
                aggregate_scores(before) if before else None, aggregate_scores(after) if after else None
            ),
        ):
            for key, tally in delta_source.items():
                running.setdefault(key, Tally()).merge(tally)
    expected = tally_all(aggregate_scores(after) for _, after in changes if after)
    nonzero = {k: v for k, v in running.items() if not v.is_zero}
    assert {k: (v.count, v.total, v.buckets) for k, v in nonzero.items()} == {
        k: (v.count, v.total, v.buckets) for k, v in expected.items()
    }



def tally_all(contributions: Iterable[Mapping[K, int]]) -> dict[K, Tally]:
    """The oracle: aggregates recomputed from scratch, the sum of every counted contribution."""
    totals: dict[K, Tally] = {}
    for scores in contributions:
        for key, score in scores.items():
            totals.setdefault(key, Tally()).add(score)
    return totals

def test_an_unchanged_review_moves_nothing():
    review = CountedReview("DATA", date(2024, 5, 1), {OVERALL: 4, "GROWTH": 5})
    assert contribution_delta(aggregate_scores(review), aggregate_scores(review)) == {}


def test_a_review_counts_company_wide_and_for_its_function():
    review = CountedReview("DATA", date(2024, 5, 1), {OVERALL: 4, "GROWTH": 5})
    assert aggregate_scores(review) == {
        ("ALL", OVERALL): 4, ("DATA", OVERALL): 4, ("ALL", "GROWTH"): 5, ("DATA", "GROWTH"): 5,
    }
    assert trend_scores(review) == {(2024, 2): 4}


def test_bayesian_average_by_hand():
    assert bayesian_average(total=11, count=3, prior_mean=3.0, prior_strength=10) == pytest.approx(41 / 13)
    assert bayesian_average(total=0, count=0, prior_mean=3.0, prior_strength=10) is None
    assert bayesian_average(total=8, count=2, prior_mean=None, prior_strength=10) == 4
    assert bayesian_average(total=8, count=2, prior_mean=1.0, prior_strength=0) == 4


@given(st.integers(1, 1000), st.floats(1, 5), st.floats(0, 100))
def test_bayesian_average_lies_between_the_prior_and_the_mean(count, mean, strength):
    total = round(mean * count)
    prior = 3.0
    value = bayesian_average(total, count, prior, strength)
    low, high = sorted((prior, total / count))
    assert low - 1e-9 <= value <= high + 1e-9


@pytest.mark.parametrize(
    "start, end, bucket",
    [
        (date(2024, 1, 1), date(2024, 12, 31), TenureBucket.LESS_THAN_1_YEAR),
        (date(2024, 1, 1), date(2025, 1, 1), TenureBucket.MORE_THAN_1_YEAR),
        (date(2020, 1, 1), date(2023, 1, 1), TenureBucket.MORE_THAN_3_YEARS),
        (date(2018, 1, 1), date(2023, 1, 1), TenureBucket.MORE_THAN_5_YEARS),
        (date(2015, 1, 1), date(2023, 1, 1), TenureBucket.MORE_THAN_8_YEARS),
        (date(2010, 1, 1), date(2020, 1, 1), TenureBucket.MORE_THAN_10_YEARS),
    ],
)
def test_tenure_buckets(start, end, bucket):
    assert tenure_bucket(start, end, as_of=date(2026, 1, 1)) == bucket


def test_a_current_job_is_measured_to_today_and_has_no_last_year():
    snapshot = tenure_snapshot(date(2020, 1, 1), None, as_of=date(2026, 1, 1))
    assert snapshot.employment_status is EmploymentStatus.CURRENT
    assert snapshot.tenure is TenureBucket.MORE_THAN_5_YEARS
    assert snapshot.last_year is None
    former = tenure_snapshot(date(2020, 1, 1), date(2022, 3, 1), as_of=date(2026, 1, 1))
    assert (former.employment_status, former.last_year) == (EmploymentStatus.FORMER, 2022)


@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2030, 1, 1)), st.integers(0, 400))
def test_whole_months_inverts_add_months(start, months):
    assert whole_months_between(start, add_months(start, months)) == months


def test_whole_months_over_arrays_agree_with_the_scalar_rule_on_every_pair_of_days():
    """Every (start, end) pair from two leap-year-spanning windows, month ends included."""
    starts = [date(2019, 11, 1) + timedelta(days=n) for n in range(0, 500, 3)]
    ends = [date(2019, 10, 1) + timedelta(days=n) for n in range(900)]
    pairs = [(start, end) for start in starts for end in ends]
    start_days = np.array([start for start, _ in pairs], dtype="datetime64[D]")
    end_days = np.array([end for _, end in pairs], dtype="datetime64[D]")
    assert whole_months_between_days(start_days, end_days).tolist() == [whole_months_between(start, end) for start, end in pairs]
