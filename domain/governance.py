"""Community governance as pure rules: contribution weight, the CEO's bounded say, how a
removal poll is tallied and settled (SPEC "Governance")."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

WEIGHT_MIN, WEIGHT_MAX = 1.0, 10.0
CEO_MULTIPLIER_MAX = 3.0
# What one acknowledgment (a helpful mark from a counted member outside the voter's circles) is
# worth, in points, before the logarithm.
POINTS_PER_ACKNOWLEDGMENT = 0.5
# After a removal by vote, the CEO may still veto (keep) for this long.
VETO_GRACE = timedelta(hours=24)
# Colleagues counted more recently than this are "recent": a removal they carry goes to a moderator.
RECENTLY_COUNTED = timedelta(days=90)


class VoterKind(StrEnum):
    """Who may open and vote on a poll about a company's content."""

    COLLEAGUE = "COLLEAGUE"  # a counted colleague (domain/colleagues.py)
    REPRESENTATIVE = "REPRESENTATIVE"
    CEO = "CEO"


@dataclass(frozen=True)
class Contribution:
    """What others acknowledged of a member's contribution: helpful marks on their published
    reviews from counted members who share none of their companies. Nothing the member, a ring
    of their colleagues or a company can make alone (reviews written, jobs a company verified)."""

    acknowledgments: int


def contribution_weight(contribution: Contribution) -> float:
    """1 + log2(1 + points), capped at 10: every acknowledgment counts, each less than the last,
    so no amount of it buys more than ten times a newcomer's say. 20 acknowledgments weigh 4.46."""
    return min(WEIGHT_MAX, WEIGHT_MIN + math.log2(1 + POINTS_PER_ACKNOWLEDGMENT * contribution.acknowledgments))


def vote_weight(kind: VoterKind, contribution: Contribution, ceo_multiplier: float) -> float:
    """A counted colleague weighs their contribution weight; the company's representatives 1 each
    (its own accounts gain nothing from acknowledgments), its CEO the bounded multiplier."""
    if kind is VoterKind.CEO:
        return min(max(ceo_multiplier, 1.0), CEO_MULTIPLIER_MAX)
    if kind is VoterKind.REPRESENTATIVE:
        return WEIGHT_MIN
    return contribution_weight(contribution)


class PollDecision(StrEnum):
    """What a settled poll decided about its content."""

    REMOVED = "REMOVED"
    KEPT = "KEPT"
    REFERRED = "REFERRED"  # a removal carried mostly by recently counted colleagues: a moderator decides


@dataclass(frozen=True)
class Tally:
    remove_voters: int = 0
    keep_voters: int = 0
    remove_weight: float = 0.0
    keep_weight: float = 0.0
    recent_remove_weight: float = 0.0  # of remove_weight, cast by recently counted colleagues

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
    threshold — unless most of the removing weight comes from recently counted colleagues (as
    accounts planted for the vote would), when a moderator decides; anything else keeps it."""
    if tally.voters >= quorum and tally.remove_share >= threshold:
        if tally.recent_remove_weight * 2 > tally.remove_weight:
            return PollDecision.REFERRED
        return PollDecision.REMOVED
    return PollDecision.KEPT


def may_veto(last_veto_at: datetime | None, now: datetime, period: timedelta) -> bool:
    """One veto per company per rolling period."""
    return last_veto_at is None or now - last_veto_at >= period
