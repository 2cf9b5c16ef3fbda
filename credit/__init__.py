"""The career-credit engine (SPEC "Career credit"): pure Python, no ORM, no GraphQL, no clock."""

from credit.engine import compute_profile
from credit.model import (
    Band,
    Break,
    CreditInput,
    CreditProfile,
    Factor,
    FactorScore,
    Level,
    Peer,
    Status,
    Stint,
)

__all__ = [
    "Band",
    "Break",
    "CreditInput",
    "CreditProfile",
    "Factor",
    "FactorScore",
    "Level",
    "Peer",
    "Status",
    "Stint",
    "compute_profile",
]
