"""The pure fit module: hand-computed cases and the properties a reader relies on."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from domain.enums import Dimension
from domain.fit import DimensionTally, FitResult, Priorities, check_priorities, fit
from domain.fit_ranking import TallyColumns, fit_columns, ranked_slice

C = 10.0
MEANS = {d: 3.0 for d in Dimension}
PAY, BALANCE, MEANING, GROWTH = (
    Dimension.COMPENSATION, Dimension.WORK_LIFE_BALANCE, Dimension.MEANING, Dimension.GROWTH,
)


def tallies(**counts_and_means):
    """tallies(COMPENSATION=(10, 4.5)) → 10 ratings averaging 4.5."""
    return {Dimension[name]: DimensionTally(n, round(n * mean)) for name, (n, mean) in counts_and_means.items()}


def test_hand_computed_fit():
    # pay: 10 ratings summing to 45 → b = (10·3 + 45) / 20 = 3.75 → s = 0.6875
    # balance: 30 ratings summing to 60 → b = (30 + 60) / 40 = 2.25 → s = 0.3125
    company = tallies(COMPENSATION=(10, 4.5), WORK_LIFE_BALANCE=(30, 2.0))
    result = fit(Priorities({PAY: 3, BALANCE: 1}, {}), company, MEANS, C)
    assert result.score == pytest.approx(100 * (3 * 0.6875 + 1 * 0.3125) / 4)
    assert [c.dimension for c in result.contributions] == [PAY, BALANCE]
    assert result.contributions[0].points == pytest.approx(100 * 3 * 0.6875 / 4)
    assert sum(c.points for c in result.contributions) == pytest.approx(result.score)
    # confidence: (3 · 10/20 + 1 · 30/40) / 4
    assert result.confidence == pytest.approx((3 * 0.5 + 0.75) / 4)


def test_unweighted_dimensions_do_not_count():
    company = tallies(COMPENSATION=(50, 5.0), MEANING=(50, 1.0))
    only_pay = fit(Priorities({PAY: 10, MEANING: 0}, {}), company, MEANS, C)
    assert [c.dimension for c in only_pay.contributions] == [PAY]


def test_a_dimension_without_reviews_scores_the_platform_mean_with_no_confidence():
    result = fit(Priorities({GROWTH: 5}, {}), {}, {GROWTH: 4.0}, C)
    assert result.score == pytest.approx(75.0)
    assert result.confidence == 0


def test_minimums_compare_the_average_used_for_the_score():
    company = tallies(COMPENSATION=(90, 5.0), WORK_LIFE_BALANCE=(90, 1.0))
    result = fit(Priorities({PAY: 1}, {PAY: 4.5, BALANCE: 2.0}), company, MEANS, C)
    # pay b = (30 + 450) / 100 = 4.8 ≥ 4.5; balance b = (30 + 90) / 100 = 1.2 < 2
    assert result.unmet_minimums == [BALANCE]
    assert not result.meets_minimums


def test_a_perspective_shrinks_toward_the_company_average():
    company = tallies(GROWTH=(100, 2.0))  # b = (30 + 200) / 110
    engineers = tallies(GROWTH=(10, 5.0))
    company_average = (30 + 200) / 110
    result = fit(Priorities({GROWTH: 1}, {}), company, MEANS, C, perspective=engineers, perspective_reviews=10, k=5)
    expected = (C * company_average + 50) / (C + 10)
    assert result.perspective_applied
    assert result.contributions[0].average == pytest.approx(expected)
    assert result.contributions[0].review_count == 10


def test_a_perspective_below_k_falls_back_to_the_company():
    company = tallies(GROWTH=(100, 2.0))
    engineers = tallies(GROWTH=(4, 5.0))
    with_few = fit(Priorities({GROWTH: 1}, {}), company, MEANS, C, perspective=engineers, perspective_reviews=4, k=5)
    without = fit(Priorities({GROWTH: 1}, {}), company, MEANS, C)
    assert not with_few.perspective_applied
    assert with_few.score == without.score


@pytest.mark.parametrize(
    "weights, minimums, codes",
    [
        ([(PAY, 0.0)], [], ["ALL_WEIGHTS_ZERO"]),
        ([], [], ["ALL_WEIGHTS_ZERO"]),
        ([(PAY, 11.0)], [], ["WEIGHT_OUT_OF_RANGE"]),
        ([(PAY, -1.0), (GROWTH, 2.0)], [], ["WEIGHT_OUT_OF_RANGE"]),
        ([(PAY, 1.0), (PAY, 2.0)], [], ["DUPLICATE_DIMENSION"]),
        ([(PAY, 1.0)], [(PAY, 0.5)], ["MINIMUM_OUT_OF_RANGE"]),
        ([(PAY, 1.0)], [(PAY, 5.5)], ["MINIMUM_OUT_OF_RANGE"]),
    ],
)
def test_invalid_priorities(weights, minimums, codes):
    assert [v.code for v in check_priorities(weights, minimums)] == codes


tally = st.builds(
    lambda n, mean: DimensionTally(n, round(n * mean)), st.integers(0, 500), st.floats(1, 5)
)
company_tallies = st.dictionaries(st.sampled_from(list(Dimension)), tally)
# Weights as a reader sets them: 0 (ignored) or at least 0.01.
weight_values = st.one_of(st.just(0.0), st.floats(0.01, 10))
weights = st.dictionaries(st.sampled_from(list(Dimension)), weight_values, min_size=1).filter(
    lambda w: any(v > 0 for v in w.values())
)


@given(company_tallies, weights)
def test_fit_is_within_0_and_100_and_confidence_within_0_and_1(company, chosen):
    result = fit(Priorities(chosen, {}), company, MEANS, C)
    assert 0 <= result.score <= 100 + 1e-9
    assert 0 <= result.confidence < 1


@given(company_tallies, weights, st.sampled_from(list(Dimension)), st.integers(1, 50))
def test_raising_a_weighted_average_never_lowers_fit(company, chosen, dimension, extra):
    assume(chosen.get(dimension, 0) > 0)
    before = company.get(dimension, DimensionTally(0, 0))
    # the same number of ratings, each higher: the average rises
    raised = {**company, dimension: DimensionTally(before.count + extra, before.total + 5 * extra)}
    lowered = {**company, dimension: DimensionTally(before.count + extra, before.total + 1 * extra)}
    high = fit(Priorities(chosen, {}), raised, MEANS, C).score
    low = fit(Priorities(chosen, {}), lowered, MEANS, C).score
    assert high >= low - 1e-9


@given(company_tallies, weights, st.floats(0.01, 1.0))
def test_scaling_all_weights_gives_the_same_fit(company, chosen, factor):
    scaled = {d: w * factor for d, w in chosen.items()}
    original = fit(Priorities(chosen, {}), company, MEANS, C)
    rescaled = fit(Priorities(scaled, {}), company, MEANS, C)
    assert rescaled.score == pytest.approx(original.score, abs=1e-9)
    assert rescaled.confidence == pytest.approx(original.confidence, abs=1e-9)


@given(weights, st.integers(0, 300), st.integers(1, 300))
def test_confidence_grows_with_review_count(chosen, fewer, more):
    def confidence(n):
        company = {d: DimensionTally(n, 4 * n) for d in Dimension}
        return fit(Priorities(chosen, {}), company, MEANS, C).confidence

    assert confidence(fewer + more) > confidence(fewer)


@given(st.integers(5, 300), st.floats(1, 5), st.floats(1, 5))
def test_a_perspective_lies_between_the_company_and_the_function(n, company_mean, function_mean):
    company = {GROWTH: DimensionTally(200, round(200 * company_mean))}
    function = {GROWTH: DimensionTally(n, round(n * function_mean))}
    result = fit(Priorities({GROWTH: 1}, {}), company, MEANS, C, perspective=function, perspective_reviews=n, k=5)
    base = fit(Priorities({GROWTH: 1}, {}), company, MEANS, C).contributions[0].average
    average = result.contributions[0].average
    low, high = sorted((base, function[GROWTH].total / n))
    assert low - 1e-9 <= average <= high + 1e-9


minimums = st.dictionaries(st.sampled_from(list(Dimension)), st.floats(1, 5))


def ranking_key(name: str, company_id: int, result: FitResult) -> tuple[float, float, str, int]:
    """The ranking as specified: best fit first; ties by confidence, then name, then id."""
    return (-result.score, -result.confidence, name.casefold(), company_id)


@given(
    st.lists(st.tuples(company_tallies, company_tallies, st.integers(0, 8)), min_size=1, max_size=8),
    weights, minimums, st.booleans(), st.sampled_from([0.0, 1.0, 10.0]),
)
def test_the_columns_rank_by_exactly_the_fit_each_company_gets_alone(companies, chosen, floor, with_view, strength):
    # given companies' tallies (and their tallies from one job function's reviews)
    priorities = Priorities(chosen, floor)

    def columns(which: int) -> TallyColumns:
        return TallyColumns(
            {d: np.array([c[which].get(d, DimensionTally(0, 0)).count for c in companies]) for d in Dimension},
            {d: np.array([c[which].get(d, DimensionTally(0, 0)).total for c in companies]) for d in Dimension},
        )

    means = {d: 2.5 + 0.25 * i for i, d in enumerate(Dimension)}
    together = fit_columns(
        priorities, columns(0), means, strength, len(companies),
        perspective=columns(1) if with_view else None,
        perspective_reviews=np.array([c[2] for c in companies]) if with_view else None, k=3,
    )
    # then each company's column values are bit-for-bit those of fit() alone
    for index, (company, function, reviews) in enumerate(companies):
        alone = fit(priorities, company, means, strength, perspective=function if with_view else None,
                    perspective_reviews=reviews, k=3)
        assert together.score[index] == alone.score
        assert together.confidence[index] == alone.confidence
        assert together.meets_minimums[index] == alone.meets_minimums
    # and the order is fit()'s ranking key
    names = [f"company {i % 3}" for i in range(len(companies))]
    name_rank = np.argsort(np.array(sorted(range(len(companies)), key=lambda i: (names[i], i))))
    alone_order = sorted(range(len(companies)), key=lambda i: ranking_key(
        names[i], i, fit(priorities, companies[i][0], means, strength,
                         perspective=companies[i][1] if with_view else None, perspective_reviews=companies[i][2], k=3)))
    assert list(ranked_slice(together, name_rank, 0, len(companies))) == alone_order
    # and any window of it, either way round, is that window of the whole order
    for start, end in ((0, 1), (1, 3), (2, 8)):
        assert list(ranked_slice(together, name_rank, start, end)) == alone_order[start:end]
        assert list(ranked_slice(together, name_rank, start, end, reverse=True)) == alone_order[::-1][start:end]
