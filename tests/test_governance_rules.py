"""Governance rules, exhaustively: the weight curve, the CEO's bound, settling and the veto."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.governance import (
    CEO_MULTIPLIER_MAX,
    Contribution,
    PollDecision,
    Tally,
    contribution_weight,
    decide,
    may_veto,
    vote_weight,
)
from infra.settings import Settings, SettingsError

counts = st.integers(0, 10_000)


@given(counts, counts, counts, st.integers(0, 50), st.integers(0, 50), st.integers(0, 50))
def test_weight_is_monotone_and_between_1_and_10(reviews, helpful, verified, more_reviews, more_helpful, more_verified):
    low = contribution_weight(Contribution(reviews, helpful, verified))
    high = contribution_weight(Contribution(reviews + more_reviews, helpful + more_helpful, verified + more_verified))
    assert 1 <= low <= high <= 10


def test_the_readme_examples_of_the_curve():
    assert contribution_weight(Contribution(0, 0, 0)) == 1
    assert contribution_weight(Contribution(2, 20, 0)) >= 2
    assert contribution_weight(Contribution(2, 20, 0)) == pytest.approx(4.32, abs=0.01)
    assert contribution_weight(Contribution(1000, 100_000, 50)) == 10


@given(counts, counts, st.floats(-100, 100, allow_nan=False))
def test_no_configuration_gives_the_ceo_more_than_three_times_their_weight(reviews, helpful, multiplier):
    contribution = Contribution(reviews, helpful, 0)
    assert vote_weight(contribution, True, multiplier) <= CEO_MULTIPLIER_MAX * contribution_weight(contribution)
    assert vote_weight(contribution, False, multiplier) == contribution_weight(contribution)


@pytest.mark.parametrize("multiplier", [0.5, 3.01, 10])
def test_start_up_refuses_a_multiplier_outside_1_to_3(multiplier):
    with pytest.raises(SettingsError, match="WORKCRED_CEO_VOTE_MULTIPLIER"):
        Settings(database_url="sqlite://:memory:", ceo_vote_multiplier=multiplier)


@pytest.mark.parametrize("threshold", [0.5, 0.3, 1.2])
def test_start_up_refuses_a_threshold_of_a_simple_majority_or_less(threshold):
    with pytest.raises(SettingsError, match="WORKCRED_POLL_THRESHOLD"):
        Settings(database_url="sqlite://:memory:", poll_threshold=threshold)


@given(st.floats(0.0001, 0.0999))
def test_fifty_percent_and_a_bit_never_removes_at_the_default(epsilon):
    tally = Tally(remove_voters=50, keep_voters=50, remove_weight=50 + epsilon, keep_weight=50 - epsilon)
    assert decide(tally, quorum=10, threshold=0.6) is PollDecision.KEPT


@given(st.integers(0, 30), st.integers(0, 30), st.floats(0, 100), st.floats(0, 100))
def test_removal_needs_quorum_and_threshold(remove_voters, keep_voters, remove_weight, keep_weight):
    tally = Tally(remove_voters, keep_voters, remove_weight, keep_weight)
    removed = decide(tally, quorum=10, threshold=0.6) is PollDecision.REMOVED
    assert removed == (remove_voters + keep_voters >= 10 and tally.remove_share >= 0.6)


def test_one_veto_per_rolling_period():
    now = datetime(2026, 6, 1, tzinfo=UTC)
    week = timedelta(days=7)
    assert may_veto(None, now, week)
    assert not may_veto(now - timedelta(days=6, hours=23), now, week)
    assert may_veto(now - week, now, week)
