"""The face rule, played by the adversary: the company that knows every claimed job."""

from __future__ import annotations

from datetime import date, timedelta
from itertools import combinations

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from domain.anonymity import Attribute, ClaimedJob, Face, full_face, generalisations, safe_face, withholding
from domain.enums import EmploymentStatus, JobFunction, TenureBucket
from domain.review import current_start_window, tenure_bucket

AS_OF = date(2025, 6, 1)
FUNCTIONS = [JobFunction.ENGINEERING, JobFunction.DATA, JobFunction.SALES]
CITIES = ["Shanghai", "Hefei"]


def job(member_id: int, start: date, end: date | None = None, function=JobFunction.ENGINEERING,
        city="Shanghai") -> ClaimedJob:
    return ClaimedJob(member_id, start, end, function, city)


@st.composite
def populations(draw) -> list[ClaimedJob]:
    jobs = []
    for member_id in range(draw(st.integers(1, 14))):
        for _ in range(draw(st.integers(1, 2))):
            start = AS_OF - timedelta(days=draw(st.integers(0, 5000)))
            end = draw(st.none() | st.just(start + timedelta(days=draw(st.integers(0, 4000)))))
            jobs.append(job(member_id, start, end, draw(st.sampled_from(FUNCTIONS)), draw(st.sampled_from(CITIES))))
    return jobs


def could_be_behind(face: Face, candidate: ClaimedJob, population: list[ClaimedJob], k: int) -> bool:
    """The adversary's replay: had this job's owner written the review, would it show `face`?"""
    return safe_face(candidate, population, AS_OF, k) == face


@settings(max_examples=300, deadline=None)
@given(populations(), st.integers(1, 5), st.data())
def test_a_face_never_narrows_the_author_below_k_colleagues_even_replaying_the_rule(population, k, data):
    # given an established author among the population
    author = data.draw(st.sampled_from(population))
    # when the review's face is chosen
    face = safe_face(author, population, AS_OF, k)
    if face is None:
        # then refusing is right only when fewer than k members would be refused: k members
        # refused alike could all have stood behind the empty face together
        refused = {j.member_id for j in population if safe_face(j, population, AS_OF, k) is None}
        assert author.member_id in refused
        assert len(refused) < k, (k, refused)
        return
    # a face is shown only where at least k members have a job there at all
    assert len({j.member_id for j in population if j.start <= AS_OF}) >= k
    # then at least k distinct members stay plausible authors to an adversary who knows every
    # claimed job and replays the rule for each of them
    plausible = {j.member_id for j in population if could_be_behind(face, j, population, k)}
    assert author.member_id in plausible
    assert len(plausible) >= k, (face, plausible)


@settings(max_examples=200, deadline=None)
@given(populations(), st.data())
def test_with_k_of_one_the_whole_truth_is_shown(population, data):
    author = data.draw(st.sampled_from(population))
    assert safe_face(author, population, AS_OF, 1) == full_face(author, AS_OF)


def test_a_lone_data_scientist_among_engineers_is_not_singled_out_by_replaying_the_rule():
    # given five engineers and one data scientist, all in Shanghai since 2020
    start = date(2020, 1, 1)
    population = [job(n, start) for n in range(5)] + [job(5, start, function=JobFunction.DATA)]
    # when the engineers and the data scientist review
    engineers = {safe_face(engineer, population, AS_OF, 5) for engineer in population[:5]}
    face = safe_face(population[5], population, AS_OF, 5)
    # then the engineers' reviews show ENGINEERING (five of them share that face) ...
    assert [shown.job_function if shown else None for shown in engineers] == [JobFunction.ENGINEERING]
    # ... so any face without the function would point at the data scientist, whose review
    # therefore cannot be shown with any face at all
    assert face is None


def test_generalisation_follows_the_documented_order():
    face = full_face(job(1, date(2015, 1, 1), end=date(2024, 3, 31)), AS_OF)
    withheld = [f.withheld for f in generalisations(face)]
    assert withheld == [
        [],
        [Attribute.LAST_YEAR],
        [Attribute.LAST_YEAR, Attribute.LOCATION],
        [Attribute.LAST_YEAR, Attribute.LOCATION, Attribute.JOB_FUNCTION],
        [Attribute.LAST_YEAR, Attribute.LOCATION, Attribute.JOB_FUNCTION, Attribute.TENURE],
        [Attribute.LAST_YEAR, Attribute.LOCATION, Attribute.JOB_FUNCTION, Attribute.TENURE, Attribute.EMPLOYMENT_STATUS],
        [Attribute.LAST_YEAR, Attribute.LOCATION, Attribute.JOB_FUNCTION, Attribute.TENURE, Attribute.EMPLOYMENT_STATUS],
    ]
    widened = list(generalisations(face))[4]
    assert (widened.tenure, widened.tenure_widened) == (TenureBucket.MORE_THAN_1_YEAR, True)
    assert face.employment_status is EmploymentStatus.FORMER and face.last_year == 2024


def test_jobs_that_started_after_the_review_do_not_count():
    late = [job(n, AS_OF + timedelta(days=1)) for n in range(10)]
    author = job(99, date(2020, 1, 1))
    assert safe_face(author, [author, *late], AS_OF, 2) is None


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2030, 12, 31)),
       st.dates(min_value=date(1980, 1, 1), max_value=date(2030, 12, 31)))
def test_the_start_window_of_a_tenure_holds_every_current_job_with_it(as_of, start):
    assume(start <= as_of)
    bucket = tenure_bucket(start, None, as_of)
    earliest, latest = current_start_window(bucket, as_of)
    assert (earliest is None or earliest <= start) and start <= latest


def test_withholding_only_ever_takes_out():
    face = Face(EmploymentStatus.FORMER, TenureBucket.MORE_THAN_3_YEARS, False, JobFunction.DATA, "Hefei", 2024)
    for size in range(len(Attribute) + 1):
        for chosen in combinations(Attribute, size):
            shown = withholding(face, chosen)
            assert set(chosen) <= set(shown.withheld)  # each chosen attribute is held back
            for field in ("employment_status", "tenure", "job_function", "location", "last_year"):
                assert getattr(shown, field) in (None, getattr(face, field))  # and nothing else changes but to None
