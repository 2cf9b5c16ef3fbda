"""The inflow allowance (domain/colleagues.py), exhaustively: no window ever lets in more than the
allowance, nobody is let in before they are eligible or out of turn, and everyone gets in."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from domain.colleagues import INFLOW_WINDOW, Inflow, eligible_at, schedule

START = datetime(2026, 1, 1, tzinfo=UTC)
instants = st.integers(0, 400 * 24).map(lambda hours: START + timedelta(hours=hours))
inflows = st.builds(Inflow, st.sampled_from([0.0, 0.1, 0.25, 1.0]), st.integers(1, 4))
# (colleagues counted before, when those of them counted in the last window came in, the waiting)
histories = st.tuples(
    st.integers(0, 60),
    st.lists(st.integers(1, 29 * 24).map(lambda hours: START - timedelta(hours=hours)), max_size=6),
    st.lists(instants, max_size=40),
)


Arranged = tuple[int, list[datetime], list[tuple[int, datetime]], dict[int, datetime]]


def arrange(history: tuple[int, list[datetime], list[datetime]], inflow: Inflow) -> Arranged:
    """(counted before, recent, waiting, their admissions) for a generated history."""
    counted_before, recent, eligible = history
    recent = recent[:max(0, inflow.allowance(counted_before))]  # a past within the allowance
    counted_before = max(counted_before, len(recent))
    waiting = [(member, at) for member, at in enumerate(eligible, start=1)]
    return counted_before, recent, waiting, schedule(counted_before, recent, waiting, inflow)


@given(histories, inflows)
def test_no_window_lets_in_more_than_the_allowance(history, inflow):
    counted_before, recent, _, admitted = arrange(history, inflow)
    moments = sorted(admitted.values())
    for index, moment in enumerate(moments):
        # those let in within the window ending at this admission (itself included), against the
        # allowance for the colleagues counted as that window began
        began = moment - INFLOW_WINDOW
        in_window = sum(began < at <= moment for at in [*recent, *moments[:index + 1]])
        counted_then = counted_before - sum(at > began for at in recent) + sum(at <= began for at in moments)
        assert in_window <= inflow.allowance(counted_then)


@given(histories, inflows)
def test_everyone_is_let_in_once_in_turn_and_never_early(history, inflow):
    _, _, waiting, admitted = arrange(history, inflow)
    assert admitted.keys() == {member for member, _ in waiting}
    eligible = dict(waiting)
    assert all(admitted[member] >= eligible[member] for member in admitted)
    in_turn = sorted(admitted, key=lambda member: (eligible[member], member))
    assert [admitted[member] for member in in_turn] == sorted(admitted.values())


@given(histories, inflows)
def test_nobody_waits_longer_than_the_queue_ahead_needs(history, inflow):
    # each window lets in at least the minimum, so the n-th in line waits at most n // minimum
    # windows past their eligibility
    _, _, waiting, admitted = arrange(history, inflow)
    eligible = dict(waiting)
    for position, member in enumerate(sorted(admitted, key=lambda member: (eligible[member], member))):
        assert admitted[member] - eligible[member] <= INFLOW_WINDOW * (position // inflow.minimum + 1)


def test_a_planting_campaign_moves_at_the_allowance():
    # four clones claimed at once at a company of six counted colleagues: two a month
    clones = [(member, START) for member in range(4)]
    admitted = schedule(6, [], clones, Inflow(0.1, 2))
    assert sorted(admitted.values()) == [START] * 2 + [START + INFLOW_WINDOW] * 2
    # at a company of a hundred, ten a month — then eleven, as the first ten count
    admitted = schedule(100, [], [(member, START) for member in range(25)], Inflow(0.1, 2))
    assert [sum(at == START + INFLOW_WINDOW * month for at in admitted.values()) for month in range(4)] == [10, 11, 4, 0]


def test_a_member_is_eligible_once_both_the_claim_is_old_enough_and_the_address_proven():
    month = timedelta(days=30)
    assert eligible_at(START, START + month * 2, month) == START + month * 2
    assert eligible_at(START, START, month) == START + month
