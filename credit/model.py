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
    reason_codes: tuple[str, ...]
    positives: tuple[str, ...]  # the strongest factors
    experience_years: float
    levels_per_year: float
