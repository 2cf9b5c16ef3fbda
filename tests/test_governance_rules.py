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
    VoterKind,
    contribution_weight,
    decide,
    may_veto,
    vote_weight,
)
from infra.settings import Settings, SettingsError

counts = st.integers(0, 10_000)


@given(counts, st.integers(0, 50))
def test_weight_is_monotone_and_between_1_and_10(acknowledgments, more):
    low = contribution_weight(Contribution(acknowledgments))
    high = contribution_weight(Contribution(acknowledgments + more))
    assert 1 <= low <= high <= 10


def test_the_readme_examples_of_the_curve():
    assert contribution_weight(Contribution(0)) == 1
    assert contribution_weight(Contribution(20)) == pytest.approx(4.46, abs=0.01)
    assert contribution_weight(Contribution(100_000)) == 10


@given(counts, st.floats(-100, 100, allow_nan=False))
def test_the_companys_own_accounts_weigh_1_and_its_ceo_at_most_3(acknowledgments, multiplier):
    contribution = Contribution(acknowledgments)
    assert vote_weight(VoterKind.REPRESENTATIVE, contribution, multiplier) == 1
    assert 1 <= vote_weight(VoterKind.CEO, contribution, multiplier) <= CEO_MULTIPLIER_MAX
    assert vote_weight(VoterKind.COLLEAGUE, contribution, multiplier) == contribution_weight(contribution)


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


@given(st.integers(0, 30), st.integers(0, 30), st.floats(0, 100), st.floats(0, 100), st.floats(0, 1))
def test_removal_needs_quorum_and_threshold_and_goes_to_a_moderator_when_newcomers_carry_it(
    remove_voters, keep_voters, remove_weight, keep_weight, recent_share
):
    tally = Tally(remove_voters, keep_voters, remove_weight, keep_weight, recent_share * remove_weight)
    decided = decide(tally, quorum=10, threshold=0.6)
    carried = remove_voters + keep_voters >= 10 and tally.remove_share >= 0.6
    assert (decided is not PollDecision.KEPT) == carried
    if carried:
        assert (decided is PollDecision.REFERRED) == (recent_share * remove_weight * 2 > remove_weight)


def test_one_veto_per_rolling_period():
    now = datetime(2026, 6, 1, tzinfo=UTC)
    week = timedelta(days=7)
    assert may_veto(None, now, week)
    assert not may_veto(now - timedelta(days=6, hours=23), now, week)
    assert may_veto(now - week, now, week)
