"""Inputs and outputs of the career-credit engine: plain data, nothing about the person.

There is deliberately no field for age, gender, name, school or anything else about who the
person is: only what they did (jobs, levels, dates), what employers confirmed, how employers are
rated, and breaks they chose to declare.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum


class Factor(StrEnum):
    STABILITY = "STABILITY"
    PROGRESSION = "PROGRESSION"
    EXPERIENCE = "EXPERIENCE"
    VERIFICATION = "VERIFICATION"
    EMPLOYER_REPUTATION = "EMPLOYER_REPUTATION"


class Band(StrEnum):
    POOR = "POOR"
    FAIR = "FAIR"
    GOOD = "GOOD"
    VERY_GOOD = "VERY_GOOD"
    EXCEPTIONAL = "EXCEPTIONAL"


class ReasonCode(StrEnum):
    # Flags: claims not rewarded.
    IMPLAUSIBLE_PROGRESSION = "IMPLAUSIBLE_PROGRESSION"
    OVERLAPPING_STINTS = "OVERLAPPING_STINTS"
    # What costs points.
    SHORT_TENURE = "SHORT_TENURE"
    FREQUENT_JOB_CHANGES = "FREQUENT_JOB_CHANGES"
    UNEXPLAINED_GAPS = "UNEXPLAINED_GAPS"
    SLOW_PROGRESSION = "SLOW_PROGRESSION"
    LIMITED_HISTORY = "LIMITED_HISTORY"
    UNVERIFIED_HISTORY = "UNVERIFIED_HISTORY"
    LOW_RATED_EMPLOYERS = "LOW_RATED_EMPLOYERS"
    # Strengths.
    STABLE_HISTORY = "STABLE_HISTORY"
    STRONG_PROGRESSION = "STRONG_PROGRESSION"
    EXTENSIVE_EXPERIENCE = "EXTENSIVE_EXPERIENCE"
    VERIFIED_HISTORY = "VERIFIED_HISTORY"
    WELL_RATED_EMPLOYERS = "WELL_RATED_EMPLOYERS"


REASON_MEANINGS: Mapping[ReasonCode, str] = {
    ReasonCode.IMPLAUSIBLE_PROGRESSION: "Flag: more than two level-ups in some 12 months; a level counts at most "
    "two above the level held twelve months earlier.",
    ReasonCode.OVERLAPPING_STINTS: "Flag: two full-time jobs overlap by more than a 60-day handover; the later "
    "one is left out.",
    ReasonCode.SHORT_TENURE: "Cost: jobs held for less than 36 months on average.",
    ReasonCode.FREQUENT_JOB_CHANGES: "Cost: more than one change of employer per 5 years.",
    ReasonCode.UNEXPLAINED_GAPS: "Cost: gaps over 6 months between jobs that no declared break explains.",
    ReasonCode.SLOW_PROGRESSION: "Cost: levels gained more slowly than one every two years (or than peers).",
    ReasonCode.LIMITED_HISTORY: "Cost: fewer than 15 years of work history.",
    ReasonCode.UNVERIFIED_HISTORY: "Cost: time no employer verified, which also counts for 70 % in the "
    "stability, progression and experience factors.",
    ReasonCode.LOW_RATED_EMPLOYERS: "Cost: employers rated below the neutral 3 of 5.",
    ReasonCode.STABLE_HISTORY: "Strength: the stability factor is at 70 or above.",
    ReasonCode.STRONG_PROGRESSION: "Strength: the progression factor is at 70 or above.",
    ReasonCode.EXTENSIVE_EXPERIENCE: "Strength: the experience factor is at 70 or above.",
    ReasonCode.VERIFIED_HISTORY: "Strength: the verification factor is at 70 or above.",
    ReasonCode.WELL_RATED_EMPLOYERS: "Strength: the employer-reputation factor is at 70 or above.",
}


class Status(StrEnum):
    SCORED = "SCORED"
    INSUFFICIENT_HISTORY = "INSUFFICIENT_HISTORY"


@dataclass(frozen=True)
class Level:
    """A position inside a stint: the level (1–10) held from `start`."""

    level: int
    start: date


@dataclass(frozen=True)
class Stint:
    employer: str  # an opaque employer key, used only to look up its rating
    start: date
    end: date | None  # None while current
    levels: Sequence[Level]
    verified: bool = False
    full_time: bool = True  # a side job or part-time stint may overlap another job


@dataclass(frozen=True)
class Break:
    """A declared career break (education, parental leave, caregiving, health, ...)."""

    start: date
    end: date | None  # None while it goes on


@dataclass(frozen=True)
class Peer:
    """Another member's progression, for the PROGRESSION percentile."""

    experience_years: float
    levels_per_year: float


@dataclass(frozen=True)
class CreditInput:
    stints: Sequence[Stint]
    as_of: date  # the day the profile describes; the engine has no clock
    breaks: Sequence[Break] = ()
    employer_ratings: Mapping[str, float] = field(default_factory=dict)  # overall, 1–5
    peers: Sequence[Peer] | None = None


@dataclass(frozen=True)
class FactorScore:
    factor: Factor
    value: float  # 0–100
    weight: float  # share of the score, 0–1
    explanation: str


@dataclass(frozen=True)
class CreditProfile:
    status: Status
    score: int | None
    band: Band | None
    factors: tuple[FactorScore, ...]
    # Claims flagged as implausible first (IMPLAUSIBLE_PROGRESSION, OVERLAPPING_STINTS: not
    # rewarded), then what costs the most points, most first; at most four in all.
    reason_codes: tuple[ReasonCode, ...]
    positives: tuple[ReasonCode, ...]  # the strongest factors
    experience_years: float
    levels_per_year: float
