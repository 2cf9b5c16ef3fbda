"""The career-credit engine: a pure function from a work history to an explainable profile.

    score = 300 + 550 · Σ weight_f · factor_f / 100          (300–850)

Each factor is 0–100. Every curve and constant is named below; credit/README.md explains the
method to a member in plain words, with a worked example that tests/test_credit_engine.py checks.

STABILITY (30 %) = 100 · (0.4 · tenure + 0.4 · pace + 0.2 · continuity)
    tenure      median length of completed main jobs ÷ 36 months, at most 1 (with no completed
                main job yet: the current one so far)
    pace        job changes per 5 years of career: 1 or fewer scores 1, falling linearly to 0
                at 4 (a side job that starts while another job goes on is not a change)
    continuity  1 − unexplained gap months ÷ 24, at least 0; a gap between jobs counts only the
                part no declared break covers, and only when that part exceeds 6 months
PROGRESSION (30 %)
    levels gained per year of experience: (highest level reached − first level) ÷ years worked.
    Among ≥ 5 peers with experience within ±2 years: the percentile of that rate. Otherwise
    rate ÷ 0.5 (a level every two years earns full marks), at most 1; under 2 years of
    experience the result is blended with 50 in proportion to the missing time.
EXPERIENCE (15 %)   months worked (overlaps merged) ÷ 15 years, at most 1.
VERIFICATION (15 %) share of worked months in jobs the employer verified.
EMPLOYER_REPUTATION (10 %)
    month-weighted mean of employers' overall Bayesian ratings mapped 1–5 → 0–100; an employer
    with no rating counts as neutral (50).

Evidence. STABILITY, PROGRESSION and EXPERIENCE are counted at
    0.7 + 0.3 · (VERIFICATION ÷ 100)
of their value: history no employer verified counts at 70 %, verified history in full. So a
history nobody verified — however long and however fast it climbs — reaches at most
300 + 550 · (0.7 · 75 + 10) / 100 = 643.75: Fair, never Good.
Implausible claims are flagged and not rewarded:
    IMPLAUSIBLE_PROGRESSION  more than two level-ups in any 12 months: a level counts at most two
                             above the level counted twelve months before.
    OVERLAPPING_STINTS       a full-time job overlapping an earlier full-time job (by more than a
                             handover of 60 days): the later one is left out altogether.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from statistics import median

from credit.model import (
    Band,
    Break,
    CreditInput,
    CreditProfile,
    Factor,
    FactorScore,
    Peer,
    ReasonCode,
    Status,
    Stint,
)
from credit.timeline import (
    DAYS_PER_YEAR,
    Span,
    clip,
    gaps,
    merge,
    months,
    overlap_days,
    span_days,
    total_days,
)

SCORE_MIN, SCORE_RANGE = 300, 550
WEIGHTS = {
    Factor.STABILITY: 0.30,
    Factor.PROGRESSION: 0.30,
    Factor.EXPERIENCE: 0.15,
    Factor.VERIFICATION: 0.15,
    Factor.EMPLOYER_REPUTATION: 0.10,
}
BANDS = ((800, Band.EXCEPTIONAL), (740, Band.VERY_GOOD), (670, Band.GOOD), (580, Band.FAIR))

MIN_HISTORY_MONTHS = 3  # less than this is "insufficient history", not a score
UNVERIFIED_SHARE_COUNTED = 0.7  # what history no employer verified counts for
EVIDENCED_FACTORS = (Factor.STABILITY, Factor.PROGRESSION, Factor.EXPERIENCE)
MAX_LEVEL_UPS_PER_YEAR = 2
TENURE_FULL_MONTHS = 36
CHANGES_FREE_PER_5_YEARS = 1.0
CHANGES_ZERO_PER_5_YEARS = 4.0
SIDE_JOB_HANDOVER_DAYS = 60  # overlap shorter than this when switching is still a change
GAP_COUNTED_AFTER_MONTHS = 6
GAP_ZERO_MONTHS = 24
STABILITY_PARTS = {"tenure": 0.4, "pace": 0.4, "continuity": 0.2}
PROGRESSION_FULL_LEVELS_PER_YEAR = 0.5
PROGRESSION_NEUTRAL = 50.0
PROGRESSION_SETTLED_YEARS = 2.0
PEER_WINDOW_YEARS = 2.0
MIN_PEERS = 5
EXPERIENCE_FULL_YEARS = 15
NEUTRAL_RATING = 3.0
MAX_REASON_CODES = 4
MIN_REASON_POINTS = 5.0  # score points a cause must cost to be named
POSITIVE_AT = 70.0
MAX_POSITIVES = 3

POSITIVE_CODES = {
    Factor.STABILITY: ReasonCode.STABLE_HISTORY,
    Factor.PROGRESSION: ReasonCode.STRONG_PROGRESSION,
    Factor.EXPERIENCE: ReasonCode.EXTENSIVE_EXPERIENCE,
    Factor.VERIFICATION: ReasonCode.VERIFIED_HISTORY,
    Factor.EMPLOYER_REPUTATION: ReasonCode.WELL_RATED_EMPLOYERS,
}


@dataclass(frozen=True)
class _Cost:
    """Score points a cause costs: weight within the score × what it falls short of 1."""

    code: ReasonCode
    points: float


def _score_points(weight: float, shortfall: float) -> float:
    return SCORE_RANGE * weight * shortfall


def _ordered(stints: Sequence[Stint]) -> list[Stint]:
    """A canonical order, so the result never depends on the order of the input. Verification
    comes last (a verified twin of a claim first): which of two overlapping claims is left out
    must not turn on which one the employer verified, or verifying could lower a score."""
    return sorted(
        stints,
        key=lambda s: (s.start, s.end or s.start.max, s.employer,
                       tuple(sorted((p.start, p.level) for p in s.levels)), not s.verified),
    )


def _is_change(stint: Stint, earlier: Sequence[Stint], as_of: date) -> bool:
    """Not the first job, and every earlier job has ended (or ends within the handover)."""
    if not earlier:
        return False
    for other in earlier:
        other_end = min(other.end or as_of, as_of)
        if (other_end - stint.start).days >= SIDE_JOB_HANDOVER_DAYS:
            return False
    return True


def _stability(
    stints: list[Stint], breaks: Sequence[Break], worked: list[Span], as_of: date
) -> tuple[float, list[_Cost], str]:
    main = [s for i, s in enumerate(stints) if i == 0 or _is_change(s, stints[:i], as_of)]
    changes = len(main) - 1
    completed = [months(span_days((s.start, s.end))) for s in main if s.end is not None and s.end <= as_of]
    ongoing = [months(span_days((s.start, as_of))) for s in main if s.end is None or s.end > as_of]
    typical_months = median(completed) if completed else max(ongoing, default=0.0)
    tenure = min(1.0, typical_months / TENURE_FULL_MONTHS)

    career_years = max(1.0, span_days((stints[0].start, as_of)) / DAYS_PER_YEAR)
    changes_per_5_years = changes / career_years * 5
    pace = 1.0 - (changes_per_5_years - CHANGES_FREE_PER_5_YEARS) / (
        CHANGES_ZERO_PER_5_YEARS - CHANGES_FREE_PER_5_YEARS
    )
    pace = max(0.0, min(1.0, pace))

    break_spans = [span for b in breaks if (span := clip(b.start, b.end, as_of))]
    unexplained = 0.0
    for gap in gaps(worked, as_of):
        uncovered = months(span_days(gap) - overlap_days(gap, break_spans))
        if uncovered > GAP_COUNTED_AFTER_MONTHS:
            unexplained += uncovered
    continuity = 1.0 - min(1.0, unexplained / GAP_ZERO_MONTHS)

    parts = {"tenure": tenure, "pace": pace, "continuity": continuity}
    value = 100 * sum(STABILITY_PARTS[name] * part for name, part in parts.items())
    weight = WEIGHTS[Factor.STABILITY]
    costs = [
        _Cost(ReasonCode.SHORT_TENURE, _score_points(weight * STABILITY_PARTS["tenure"], 1 - tenure)),
        _Cost(ReasonCode.FREQUENT_JOB_CHANGES, _score_points(weight * STABILITY_PARTS["pace"], 1 - pace)),
        _Cost(ReasonCode.UNEXPLAINED_GAPS, _score_points(weight * STABILITY_PARTS["continuity"], 1 - continuity)),
    ]
    gap_text = (
        f"{unexplained:.0f} months of unexplained gaps over 6 months"
        if unexplained else "no unexplained gap over 6 months"
    )
    tenure_text = "completed jobs" if completed else "your current job so far"
    explanation = (
        f"Your {tenure_text} lasted {typical_months:.0f} months at the median, with "
        f"{changes_per_5_years:.1f} job changes per 5 years and {gap_text}."
    )
    return value, costs, explanation


def counted_levels(stints: Sequence[Stint]) -> tuple[list[tuple[date, int]], bool]:
    """Every position's level as counted, in time order: at most MAX_LEVEL_UPS_PER_YEAR above
    the level counted twelve months before (the first level before the first position); and
    whether any claim was cut back so (IMPLAUSIBLE_PROGRESSION). A promotion added never lowers
    a counted level: each is the smaller of the claim and an allowance that only grows with the
    levels counted before it."""
    positions = sorted((p.start, p.level) for s in stints for p in s.levels)
    counted: list[tuple[date, int]] = []
    cut = False
    for start, level in positions:
        year_before = start - timedelta(days=365)
        earlier = [held for since, held in counted if since <= year_before]
        base = earlier[-1] if earlier else (counted[0][1] if counted else level)
        allowed = min(level, base + MAX_LEVEL_UPS_PER_YEAR)
        cut |= allowed < level
        counted.append((start, allowed))
    return counted, cut


def levels_gained(stints: Sequence[Stint]) -> int:
    """Highest level counted minus the first level held (drops do not erase progress)."""
    counted, _ = counted_levels(stints)
    if not counted:
        return 0
    return max(level for _, level in counted) - counted[0][1]


def _percentile(rate: float, similar: Sequence[Peer]) -> float:
    below = sum(p.levels_per_year < rate for p in similar)
    equal = sum(p.levels_per_year == rate for p in similar)
    return (below + 0.5 * equal) / len(similar)


def _progression(stints: list[Stint], years: float, peers: Sequence[Peer] | None) -> tuple[float, str]:
    gained = levels_gained(stints)
    levels = f"{gained} level" if gained == 1 else f"{gained} levels"
    rate = gained / max(years, 1.0)
    similar = [p for p in peers or () if abs(p.experience_years - years) <= PEER_WINDOW_YEARS]
    if len(similar) >= MIN_PEERS:
        share = _percentile(rate, similar)
        return 100 * share, (
            f"You gained {levels} in {years:.1f} years ({rate:.2f} a year), faster than "
            f"{100 * share:.0f}% of {len(similar)} members with similar experience."
        )
    absolute = 100 * min(1.0, rate / PROGRESSION_FULL_LEVELS_PER_YEAR)
    settled = min(1.0, years / PROGRESSION_SETTLED_YEARS)
    value = settled * absolute + (1 - settled) * PROGRESSION_NEUTRAL
    return value, (
        f"You gained {levels} in {years:.1f} years of experience ({rate:.2f} a year; "
        f"one level every two years earns full marks)."
    )


def _employer_reputation(
    stints: list[Stint], ratings: Mapping[str, float], as_of: date
) -> tuple[float, str]:
    weighted, total_weight, rated = 0.0, 0.0, 0
    for stint in stints:
        span = clip(stint.start, stint.end, as_of)
        if span is None:
            continue
        rating = ratings.get(stint.employer)
        rated += rating is not None
        weight = span_days(span)
        weighted += weight * ((rating if rating is not None else NEUTRAL_RATING) - 1) / 4
        total_weight += weight
    value = 100 * weighted / total_weight if total_weight else 50.0
    if not rated:
        return value, "None of your employers has enough reviews yet, so this factor is neutral."
    return value, (
        f"Your employers' reviews, weighted by the time you spent at each, average "
        f"{1 + 4 * value / 100:.1f} out of 5."
    )


def band_of(score: int) -> Band:
    for floor, band in BANDS:
        if score >= floor:
            return band
    return Band.POOR


def _plausible(stints: list[Stint], as_of: date) -> tuple[list[Stint], bool]:
    """The stints counted: a full-time job overlapping an earlier full-time one by more than a
    handover is left out (whoever verified it: leaving out depends on dates alone, so verifying
    never changes what is counted); and whether any was (OVERLAPPING_STINTS)."""
    kept: list[Stint] = []
    for stint in stints:
        span = clip(stint.start, stint.end, as_of)
        overlapping = span is not None and stint.full_time and any(
            other.full_time and (other_span := clip(other.start, other.end, as_of)) is not None
            and overlap_days(span, [other_span]) > SIDE_JOB_HANDOVER_DAYS
            for other in kept
        )
        if not overlapping:
            kept.append(stint)
    return kept, len(kept) < len(stints)


def _worked_spans(data: CreditInput) -> tuple[list[Stint], list[Span], bool]:
    """Jobs started by `as_of` and counted, in canonical order, the time worked in each up to it,
    and whether an overlapping one was left out."""
    stints, overlapped = _plausible([s for s in _ordered(data.stints) if s.start <= data.as_of], data.as_of)
    return stints, [span for s in stints if (span := clip(s.start, s.end, data.as_of))], overlapped


def experience_years(data: CreditInput) -> float:
    """Years worked up to `as_of`, overlapping jobs counted once (the EXPERIENCE measure)."""
    return total_days(_worked_spans(data)[1]) / DAYS_PER_YEAR


def compute_profile(data: CreditInput) -> CreditProfile:
    """The member's career credit as of `data.as_of`. Pure: same input, same profile."""
    as_of = data.as_of
    stints, spans, overlapped = _worked_spans(data)
    worked = merge(spans)
    worked_days = total_days(spans)
    years = worked_days / DAYS_PER_YEAR
    if months(worked_days) < MIN_HISTORY_MONTHS:
        return CreditProfile(Status.INSUFFICIENT_HISTORY, None, None, (), (ReasonCode.LIMITED_HISTORY,), (), years, 0.0)

    stability, stability_costs, stability_text = _stability(stints, data.breaks, worked, as_of)
    progression, progression_text = _progression(stints, years, data.peers)
    experience = 100 * min(1.0, years / EXPERIENCE_FULL_YEARS)
    verified_days = total_days(span for s in stints if s.verified and (span := clip(s.start, s.end, as_of)))
    verification = 100 * verified_days / worked_days
    reputation, reputation_text = _employer_reputation(stints, data.employer_ratings, as_of)

    # History no employer verified counts for less (see the module's docstring).
    evidence = UNVERIFIED_SHARE_COUNTED + (1 - UNVERIFIED_SHARE_COUNTED) * verification / 100
    values = {
        Factor.STABILITY: stability * evidence,
        Factor.PROGRESSION: progression * evidence,
        Factor.EXPERIENCE: experience * evidence,
        Factor.VERIFICATION: verification,
        Factor.EMPLOYER_REPUTATION: reputation,
    }
    _, progression_cut = counted_levels(stints)
    flags = [code for code, raised in ((ReasonCode.IMPLAUSIBLE_PROGRESSION, progression_cut), (ReasonCode.OVERLAPPING_STINTS, overlapped))
             if raised]
    explanations = {
        Factor.STABILITY: stability_text,
        Factor.PROGRESSION: progression_text,
        Factor.EXPERIENCE: f"You have worked {years:.1f} years (overlapping jobs counted once); "
        f"{EXPERIENCE_FULL_YEARS} years earn full marks.",
        Factor.VERIFICATION: f"Employers verified {verification:.0f}% of the time you worked, so your stability, "
        f"progression and experience count at {100 * evidence:.0f}%.",
        Factor.EMPLOYER_REPUTATION: reputation_text,
    }
    score = round(SCORE_MIN + SCORE_RANGE * sum(WEIGHTS[f] * v for f, v in values.items()) / 100)

    # What history no employer verified costs: its own factor's shortfall, and the part of the
    # evidenced factors it does not count for.
    discounted = sum(WEIGHTS[f] * raw for f, raw in
                     ((Factor.STABILITY, stability), (Factor.PROGRESSION, progression), (Factor.EXPERIENCE, experience)))
    costs = [
        *(_Cost(cost.code, cost.points * evidence) for cost in stability_costs),
        _Cost(ReasonCode.SLOW_PROGRESSION, _score_points(WEIGHTS[Factor.PROGRESSION], evidence * (1 - progression / 100))),
        _Cost(ReasonCode.LIMITED_HISTORY, _score_points(WEIGHTS[Factor.EXPERIENCE], evidence * (1 - experience / 100))),
        _Cost(ReasonCode.UNVERIFIED_HISTORY, _score_points(WEIGHTS[Factor.VERIFICATION], 1 - verification / 100)
              + SCORE_RANGE * (1 - evidence) * discounted / 100),
    ]
    if reputation < 50:  # below neutral: the employers' ratings, not their absence, cost points
        costs.append(
            _Cost(ReasonCode.LOW_RATED_EMPLOYERS, _score_points(WEIGHTS[Factor.EMPLOYER_REPUTATION], 1 - reputation / 100))
        )
    named = sorted((c for c in costs if c.points >= MIN_REASON_POINTS), key=lambda c: (-c.points, c.code))
    strongest = sorted(
        (f for f, v in values.items() if v >= POSITIVE_AT), key=lambda f: (-WEIGHTS[f] * values[f], f.value)
    )
    return CreditProfile(
        status=Status.SCORED,
        score=score,
        band=band_of(score),
        factors=tuple(FactorScore(f, values[f], WEIGHTS[f], explanations[f]) for f in Factor),
        reason_codes=tuple([*flags, *(c.code for c in named)][:MAX_REASON_CODES]),
        positives=tuple(POSITIVE_CODES[f] for f in strongest[:MAX_POSITIVES]),
        experience_years=years,
        levels_per_year=levels_gained(stints) / max(years, 1.0),
    )
