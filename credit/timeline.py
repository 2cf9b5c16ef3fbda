"""Date intervals: merging overlaps, measuring months, finding gaps."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from itertools import pairwise

DAYS_PER_MONTH = 365.25 / 12
DAYS_PER_YEAR = 365.25

Span = tuple[date, date]  # inclusive days


def months(days: float) -> float:
    return days / DAYS_PER_MONTH


def span_days(span: Span) -> int:
    return (span[1] - span[0]).days + 1


def clip(start: date, end: date | None, as_of: date) -> Span | None:
    """The part of [start, end] up to as_of (an open end runs to as_of); None if none."""
    last = min(end or as_of, as_of)
    return (start, last) if start <= last else None


def merge(spans: Iterable[Span]) -> list[Span]:
    """Union of inclusive spans, as sorted disjoint spans (adjacent days join)."""
    merged: list[Span] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1] + timedelta(days=1):
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def total_days(spans: Iterable[Span]) -> int:
    return sum(span_days(s) for s in merge(spans))


def overlap_days(span: Span, others: Iterable[Span]) -> int:
    """Days of `span` covered by the union of `others`."""
    covered = 0
    for start, end in merge(others):
        first, last = max(start, span[0]), min(end, span[1])
        if first <= last:
            covered += (last - first).days + 1
    return covered


def gaps(worked: list[Span], as_of: date) -> list[Span]:
    """Time between jobs, and since the last job ended (the time before the first job is not a gap)."""
    found = [
        (earlier[1] + timedelta(days=1), later[0] - timedelta(days=1))
        for earlier, later in pairwise(worked)
    ]
    if worked and worked[-1][1] < as_of:
        found.append((worked[-1][1] + timedelta(days=1), as_of))
    return [g for g in found if g[0] <= g[1]]
