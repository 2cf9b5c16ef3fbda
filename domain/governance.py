"""Community governance as pure rules: contribution weight, the CEO's bounded say, how a
removal poll is tallied and settled (SPEC "Governance")."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

WEIGHT_MIN, WEIGHT_MAX = 1.0, 10.0
CEO_MULTIPLIER_MAX = 3.0
# What each kind of contribution is worth, in points, before the logarithm.
POINTS_PER_REVIEW = 2.0
POINTS_PER_HELPFUL_VOTE = 0.25
POINTS_PER_VERIFIED_JOB = 1.0
# After a removal by vote, the CEO may still veto (keep) for this long.
VETO_GRACE = timedelta(hours=24)


@dataclass(frozen=True)
class Contribution:
    published_reviews: int
    helpful_votes_received: int  # on published reviews
    verified_employments: int


def contribution_points(contribution: Contribution) -> float:
    return (
        POINTS_PER_REVIEW * contribution.published_reviews
        + POINTS_PER_HELPFUL_VOTE * contribution.helpful_votes_received
        + POINTS_PER_VERIFIED_JOB * contribution.verified_employments
    )


def contribution_weight(contribution: Contribution) -> float:
    """1 + log2(1 + points), capped at 10: every contribution counts, each less than the last,
    so no amount of activity buys more than ten times a newcomer's say. 2 published reviews and
    20 helpful votes (9 points) weigh 4.32."""
    return min(WEIGHT_MAX, WEIGHT_MIN + math.log2(1 + contribution_points(contribution)))


def vote_weight(contribution: Contribution, is_ceo: bool, ceo_multiplier: float) -> float:
    """The weight a vote carries: the voter's contribution weight, times the (bounded) CEO
    multiplier for the company's CEO."""
    multiplier = min(max(ceo_multiplier, 1.0), CEO_MULTIPLIER_MAX) if is_ceo else 1.0
    return contribution_weight(contribution) * multiplier


class PollDecision(StrEnum):
    """What a settled poll decided about its content."""

    REMOVED = "REMOVED"
    KEPT = "KEPT"


@dataclass(frozen=True)
class Tally:
    remove_voters: int = 0
    keep_voters: int = 0
    remove_weight: float = 0.0
    keep_weight: float = 0.0

    @property
    def voters(self) -> int:
        return self.remove_voters + self.keep_voters

    @property
    def remove_share(self) -> float:
        """Share (0–1) of the cast weight that voted to remove; 0 with no votes."""
        total = self.remove_weight + self.keep_weight
        return self.remove_weight / total if total else 0.0


def decide(tally: Tally, quorum: int, threshold: float) -> PollDecision:
    """Removed only with a quorum of distinct voters and a weighted share reaching the
    threshold; anything else keeps the content."""
    if tally.voters >= quorum and tally.remove_share >= threshold:
        return PollDecision.REMOVED
    return PollDecision.KEPT


def may_veto(last_veto_at: datetime | None, now: datetime, period: timedelta) -> bool:
    """One veto per company per rolling period."""
    return last_veto_at is None or now - last_veto_at >= period
