"""Counted colleagues: who may stand behind a review's face, vote on what is said about a
company, and count in its figures — members the company cannot conjure up cheaply.

A member counts at a company once
- their address is proven (a verified email: one voice costs a real identity),
- their account and their claim to a job there are both older than the minimum age (the company
  cannot plant a colleague just before a review),
- they are not one of the company's representatives or its CEO, and
- the company's *inflow allowance* has let them in: in any 30 days at most
  max(minimum, share × the colleagues counted before those days) new members become counted at
  one company; the rest wait their turn in the order they became eligible. A planting campaign therefore moves no
  faster than the company's organic growth: P planted accounts at a company of C counted
  colleagues need about P / max(minimum, share × C) months.

The schedule is a pure function of when each member became eligible; once a member is counted
they stay counted (nothing a company does later uncounts them to reshape a face).
"""

from __future__ import annotations

from bisect import bisect_right, insort
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

INFLOW_WINDOW = timedelta(days=30)


@dataclass(frozen=True)
class Inflow:
    share: float  # of counted colleagues, per window
    minimum: int  # new colleagues per window whatever the company's size

    def allowance(self, counted: int) -> int:
        return max(self.minimum, int(self.share * counted))


def eligible_at(claimed_at: datetime, email_verified_at: datetime, min_age: timedelta) -> datetime:
    """When a member who proved their address and does not speak for the company could first
    count there: `claimed_at` is the latest of their joining and their claims there."""
    return max(claimed_at + min_age, email_verified_at)


def schedule(counted_before: int, recent: Sequence[datetime], waiting: Sequence[tuple[int, datetime]],
             inflow: Inflow, window: timedelta = INFLOW_WINDOW) -> dict[int, datetime]:
    """When each waiting member becomes counted. `counted_before`: colleagues counted already;
    `recent`: when those of them counted within the last window were let in; `waiting`:
    (member, eligible from) of the rest, let in by eligibility (then member id), each as soon as
    the window ending then has room: fewer admissions in it than the allowance for the colleagues
    counted before it began (so a window's own admissions never widen it)."""
    admitted = sorted(recent)  # every admission that may share a window with a new one
    new: list[datetime] = []
    admissions: dict[int, datetime] = {}
    for member, eligible in sorted(waiting, key=lambda entry: (entry[1], entry[0])):
        moment = eligible
        while True:
            # The window's admissions by their bounds, not copied out: a company of a million
            # members has tens of thousands in a window.
            first = bisect_right(admitted, moment - window)
            in_window = bisect_right(admitted, moment) - first
            counted_as_it_began = counted_before + bisect_right(new, moment) - in_window
            if in_window < inflow.allowance(counted_as_it_began):
                break
            moment = admitted[first] + window  # when the oldest in the window leaves it
        insort(admitted, moment)
        insort(new, moment)
        admissions[member] = moment
    return admissions
