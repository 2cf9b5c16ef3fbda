"""What a review may show about its author, against an adversary who knows the company's staff.

The adversary is the reviewed company. It knows its own staff from its HR records (who does what,
where, since when) and may learn of every job claimed there. A review's *face* — the author
attributes it shows — is chosen so that, as a combination, it fits at least k distinct *counted*
colleagues: members the company could not have fabricated just before the review (and who are
not its representatives). A face never carries anything the company controls: whether a job is
verified is the company's decision, so it is never shown (it would let the company split a
crowd by verifying some of it).

A face starts with everything and is generalised in a fixed order until it fits k colleagues:
drop the last year, the city, the job function, then widen the tenure to "more than a year",
drop current/former, and at last the tenure. If even the empty face fits fewer than k, the review
cannot be published yet without pointing at its author.

The face is computed when the author publishes or edits, and stored: nothing anyone does later
(verifying, disputing, other reviews) changes what a review shows.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum

from domain.enums import EmploymentStatus, JobFunction, TenureBucket
from domain.review import tenure_snapshot


class Attribute(StrEnum):
    """Author attributes a face may show (the API's FaceAttribute), in the order withheld."""

    LAST_YEAR = "LAST_YEAR"
    LOCATION = "LOCATION"
    JOB_FUNCTION = "JOB_FUNCTION"
    TENURE = "TENURE"
    EMPLOYMENT_STATUS = "EMPLOYMENT_STATUS"


@dataclass(frozen=True)
class ClaimedJob:
    """One job claimed at the company, as the company may know it."""

    member_id: int
    start: date
    end: date | None
    job_function: JobFunction
    location: str


@dataclass(frozen=True)
class Face:
    """What a review shows of its author; None means withheld. A `tenure` of MORE_THAN_1_YEAR
    with `tenure_widened` means "more than a year" (any longer bucket)."""

    employment_status: EmploymentStatus | None
    tenure: TenureBucket | None
    tenure_widened: bool
    job_function: JobFunction | None
    location: str | None
    last_year: int | None

    @property
    def withheld(self) -> list[Attribute]:
        """What this face holds back, in the order it was generalised."""
        hidden = {
            Attribute.LAST_YEAR: self.last_year is None and self.employment_status is not EmploymentStatus.CURRENT,
            Attribute.LOCATION: self.location is None,
            Attribute.JOB_FUNCTION: self.job_function is None,
            Attribute.TENURE: self.tenure is None or self.tenure_widened,
            Attribute.EMPLOYMENT_STATUS: self.employment_status is None,
        }
        return [attribute for attribute, is_hidden in hidden.items() if is_hidden]


def full_face(job: ClaimedJob, as_of: date) -> Face:
    """Everything about the job as of `as_of`: the face before any generalisation."""
    snapshot = tenure_snapshot(job.start, job.end, as_of)
    return Face(
        employment_status=snapshot.employment_status,
        tenure=snapshot.tenure,
        tenure_widened=False,
        job_function=job.job_function,
        location=job.location,
        last_year=snapshot.last_year,
    )


def _widened(tenure: TenureBucket | None) -> TenureBucket | None:
    if tenure is None or tenure is TenureBucket.LESS_THAN_1_YEAR:
        return tenure
    return TenureBucket.MORE_THAN_1_YEAR


def withholding(face: Face, attributes: Iterable[Attribute]) -> Face:
    """The face with what its author chose not to show taken out as well (never anything put
    back). Still safe: whoever could be behind the face could be behind any coarser one."""
    hidden = set(attributes)
    return replace(
        face,
        last_year=None if Attribute.LAST_YEAR in hidden else face.last_year,
        location=None if Attribute.LOCATION in hidden else face.location,
        job_function=None if Attribute.JOB_FUNCTION in hidden else face.job_function,
        tenure=None if Attribute.TENURE in hidden else face.tenure,
        tenure_widened=face.tenure_widened and Attribute.TENURE not in hidden,
        employment_status=None if Attribute.EMPLOYMENT_STATUS in hidden else face.employment_status,
    )


def generalisations(face: Face) -> Iterator[Face]:
    """The face, then each coarser one in the fixed order, ending with the empty face."""
    yield face
    face = replace(face, last_year=None)
    yield face
    face = replace(face, location=None)
    yield face
    face = replace(face, job_function=None)
    yield face
    face = replace(face, tenure=_widened(face.tenure), tenure_widened=face.tenure is not TenureBucket.LESS_THAN_1_YEAR)
    yield face
    face = replace(face, employment_status=None)
    yield face
    yield replace(face, tenure=None, tenure_widened=False)


def releasable(face: Face, level: int, jobs: Iterable[ClaimedJob], as_of: date, k: int) -> bool:
    """May a review show `face`, the author's face generalised `level` steps? Yes when at least
    k distinct established colleagues could be behind it — counting only those the company
    cannot rule out by replaying this very rule: a colleague whose own job would have been
    released with a more specific face is not behind this one.

    `jobs` are established colleagues' jobs that may be behind the face (any superset will do:
    only jobs whose own generalisation is `face` count). Every job sharing a colleague's more
    specific face is among them, since everyone who shares a finer face shares the coarser."""
    jobs = [job for job in jobs if job.start <= as_of]
    if level == 0:
        # No finer face to rule anyone out: k members with the author's full face suffice.
        return _members_with_face(face, jobs, as_of, k) >= k
    faces = [list(generalisations(full_face(job, as_of))) for job in jobs]
    sharing: list[dict[Face, list[int]]] = [{} for _ in range(level + 1)]
    for index, job_faces in enumerate(faces):
        if job_faces[level] == face:
            for finer in range(level + 1):
                sharing[finer].setdefault(job_faces[finer], []).append(index)
    decided: dict[tuple[int, Face], bool] = {}

    def released(at: int, shown: Face) -> bool:
        if (at, shown) not in decided:
            plausible = {
                jobs[index].member_id
                for index in sharing[at].get(shown, [])
                if not any(released(finer, faces[index][finer]) for finer in range(at))
            }
            decided[(at, shown)] = len(plausible) >= k
        return decided[(at, shown)]

    return released(level, face)


def safe_face(author_job: ClaimedJob, population: Iterable[ClaimedJob], as_of: date, k: int) -> Face | None:
    """The face a review from `author_job` shows: its first releasable generalisation among the
    established colleagues' jobs in `population`; None when not even the empty face is."""
    jobs = list(population)
    for level, face in enumerate(generalisations(full_face(author_job, as_of))):
        if releasable(face, level, jobs, as_of, k):
            return face
    return None


def _members_with_face(face: Face, jobs: Iterable[ClaimedJob], as_of: date, enough: int) -> int:
    """Distinct members with a job whose full face is `face`, counting no further than `enough`."""
    members: set[int] = set()
    for job in jobs:
        if job.member_id not in members and full_face(job, as_of) == face:
            members.add(job.member_id)
            if len(members) >= enough:
                break
    return len(members)


EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def signal_release_at(written_at: datetime, period_seconds: int) -> datetime:
    """When a live signal about a new review may reach its company: the end of the fixed window
    (aligned to the epoch) it was written in. Pages show a review's day, never its instant; with
    a period of one day the signal says no more, and every review of one window arrives at once,
    so a company cannot match the moment a review arrived against who was at a keyboard."""
    period = timedelta(seconds=period_seconds)
    return EPOCH + ((written_at - EPOCH) // period + 1) * period
