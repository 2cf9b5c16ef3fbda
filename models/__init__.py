"""Tortoise models: plain tables, indexes and constraints; no business rules."""

from models.company import Company, CompanyRole, CompanyVersion
from models.credit import CreditShare, StoredCredit
from models.employment import CareerBreak, Employment, Position
from models.governance import Appeal, RemovalPoll, RemovalVote, Veto
from models.member import AuthToken, DeploymentSecret, EmailCode, KnownAddress, Member, PasswordReset
from models.priorities import SavedPriorities
from models.ratings import RatingAggregate, RatingTrend
from models.record import ColleagueAdmission, CompanyMember, RecordBucket
from models.review import AuditEntry, CompanyResponse, HelpfulVote, PlatformRole, Review, ReviewSlot
from models.versions import DataVersion, SnapshotCopy

__all__ = [
    "Appeal",
    "AuditEntry",
    "AuthToken",
    "CareerBreak",
    "ColleagueAdmission",
    "Company",
    "CompanyMember",
    "CompanyResponse",
    "CompanyRole",
    "CompanyVersion",
    "CreditShare",
    "DataVersion",
    "DeploymentSecret",
    "EmailCode",
    "Employment",
    "HelpfulVote",
    "KnownAddress",
    "Member",
    "PasswordReset",
    "PlatformRole",
    "Position",
    "RatingAggregate",
    "RatingTrend",
    "RecordBucket",
    "RemovalPoll",
    "RemovalVote",
    "Review",
    "ReviewSlot",
    "SavedPriorities",
    "SnapshotCopy",
    "StoredCredit",
    "Veto",
]
