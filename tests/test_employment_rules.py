"""Pure rules of employment history, tested without a database."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from domain.company import company_slug
from domain.employment import Interval

dates = st.dates(min_value=date(1990, 1, 1), max_value=date(2030, 1, 1))


@st.composite
def intervals(draw):
    start = draw(dates)
    length = draw(st.one_of(st.none(), st.integers(min_value=0, max_value=5000)))
    return Interval(start, None if length is None else start + timedelta(days=length))


@given(intervals(), intervals())
def test_overlap_is_symmetric(a, b):
    assert a.overlaps(b) == b.overlaps(a)


@given(intervals(), intervals())
def test_overlap_means_a_shared_day(a, b):
    latest_start = max(a.start, b.start)
    ends = [e for e in (a.end, b.end) if e is not None]
    shares_a_day = not ends or latest_start <= min(ends)
    assert a.overlaps(b) == shares_a_day


def test_an_ongoing_interval_overlaps_everything_after_it():
    assert Interval(date(2020, 1, 1), None).overlaps(Interval(date(2029, 1, 1), date(2029, 2, 1)))
    assert not Interval(date(2020, 1, 1), None).overlaps(Interval(date(2019, 1, 1), date(2019, 12, 31)))


def test_company_slugs_fold_case_spacing_and_punctuation():
    assert company_slug("  ACME   Inc. ") == "acme-inc"
    assert company_slug("Acme, Inc") == company_slug("acme inc")
    assert company_slug("比亚迪 汽车") == "比亚迪-汽车"
    assert company_slug("snake_case_co") == "snake-case-co"
    assert company_slug("!!!") == ""


@given(st.text(max_size=60))
def test_slugs_are_stable_and_case_insensitive(name):
    assert company_slug(name) == company_slug(company_slug(name))
    assert company_slug(name.upper()) == company_slug(name.casefold().upper())
