"""The career-credit engine (SPEC "Career credit"): pure Python, no ORM, no GraphQL, no clock."""

from credit.engine import compute_profile
from credit.model import (
    REASON_MEANINGS,
    Band,
    Break,
    CreditInput,
    CreditProfile,
    Factor,
    FactorScore,
    Level,
    Peer,
    ReasonCode,
    Status,
    Stint,
)

__all__ = [
    "REASON_MEANINGS",
    "Band",
    "Break",
    "CreditInput",
    "CreditProfile",
    "Factor",
    "FactorScore",
    "Level",
    "Peer",
    "ReasonCode",
    "Status",
    "Stint",
    "compute_profile",
]
