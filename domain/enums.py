"""Enumerations of the domain, defined once and shared by models, rules and the schema."""

from enum import StrEnum


class JobFunction(StrEnum):
    ENGINEERING = "ENGINEERING"
    PRODUCT = "PRODUCT"
    DESIGN = "DESIGN"
    DATA = "DATA"
    SALES = "SALES"
    MARKETING = "MARKETING"
    OPERATIONS = "OPERATIONS"
    FINANCE = "FINANCE"
    HR = "HR"
    LEGAL = "LEGAL"
    SUPPORT = "SUPPORT"
    MANAGEMENT = "MANAGEMENT"
    OTHER = "OTHER"


class VerificationState(StrEnum):
    """A stint is private to its member (UNVERIFIED) until the member asks its company to verify
    it (REQUESTED); only from then on do the company's representatives see it, and answer."""

    UNVERIFIED = "UNVERIFIED"
    REQUESTED = "REQUESTED"
    VERIFIED = "VERIFIED"
    DISPUTED = "DISPUTED"


# What a company may see of its claimed jobs: only those its member sent it.
SHOWN_TO_THE_COMPANY = (VerificationState.REQUESTED, VerificationState.VERIFIED, VerificationState.DISPUTED)


class CareerBreakKind(StrEnum):
    EDUCATION = "EDUCATION"
    PARENTAL_LEAVE = "PARENTAL_LEAVE"
    CAREGIVING = "CAREGIVING"
    HEALTH = "HEALTH"
    SABBATICAL = "SABBATICAL"
    JOB_SEARCH = "JOB_SEARCH"


class CompanySizeBand(StrEnum):
    SIZE_1_50 = "SIZE_1_50"
    SIZE_51_200 = "SIZE_51_200"
    SIZE_201_1000 = "SIZE_201_1000"
    SIZE_1001_5000 = "SIZE_1001_5000"
    SIZE_5001_10000 = "SIZE_5001_10000"
    SIZE_10000_PLUS = "SIZE_10000_PLUS"


class CompanyRoleKind(StrEnum):
    REPRESENTATIVE = "REPRESENTATIVE"
    CEO = "CEO"


class Dimension(StrEnum):
    """Rating dimensions, in their fixed display order."""

    COMPENSATION = "COMPENSATION"
    WORK_LIFE_BALANCE = "WORK_LIFE_BALANCE"
    MANAGEMENT = "MANAGEMENT"
    GROWTH = "GROWTH"
    MEANING = "MEANING"
    CULTURE = "CULTURE"
    STABILITY = "STABILITY"


class ReviewStatus(StrEnum):
    HELD = "HELD"  # no face can keep its author hidden yet; seen by its author only
    PUBLISHED = "PUBLISHED"
    WITHDRAWN = "WITHDRAWN"
    REMOVED_BY_VOTE = "REMOVED_BY_VOTE"
    REMOVED_BY_MODERATION = "REMOVED_BY_MODERATION"


class EmploymentStatus(StrEnum):
    CURRENT = "CURRENT"
    FORMER = "FORMER"


class TenureBucket(StrEnum):
    LESS_THAN_1_YEAR = "LESS_THAN_1_YEAR"
    MORE_THAN_1_YEAR = "MORE_THAN_1_YEAR"
    MORE_THAN_3_YEARS = "MORE_THAN_3_YEARS"
    MORE_THAN_5_YEARS = "MORE_THAN_5_YEARS"
    MORE_THAN_8_YEARS = "MORE_THAN_8_YEARS"
    MORE_THAN_10_YEARS = "MORE_THAN_10_YEARS"


class ResponseStatus(StrEnum):
    PUBLISHED = "PUBLISHED"
    REMOVED_BY_VOTE = "REMOVED_BY_VOTE"
    REMOVED_BY_MODERATION = "REMOVED_BY_MODERATION"


class AuditAction(StrEnum):
    """What happened to a piece of content (the public part of the audit log)."""

    WITHDRAWN = "WITHDRAWN"
    REMOVED = "REMOVED"
    RESTORED = "RESTORED"
    KEPT = "KEPT"  # a removal poll settled without removing
    VETOED = "VETOED"  # the CEO kept content an open poll was deciding on
    REFERRED = "REFERRED"  # a removal carried by recently counted colleagues went to a moderator
    APPEALED = "APPEALED"  # its author appealed the removal
    UPHELD = "UPHELD"  # a moderator upheld a removal its author appealed


class AppealDecision(StrEnum):
    RESTORE = "RESTORE"
    UPHOLD = "UPHOLD"


class AuditActor(StrEnum):
    """Who acted, as a kind: never a person."""

    AUTHOR = "AUTHOR"
    COMMUNITY = "COMMUNITY"
    MODERATOR = "MODERATOR"
    CEO_VETO = "CEO_VETO"


class PlatformRoleKind(StrEnum):
    MODERATOR = "MODERATOR"


class RemovalReason(StrEnum):
    SPAM = "SPAM"
    FAKE = "FAKE"
    OFF_TOPIC = "OFF_TOPIC"
    PERSONAL_INFORMATION = "PERSONAL_INFORMATION"
    HARASSMENT = "HARASSMENT"


class RemovalPollStatus(StrEnum):
    OPEN = "OPEN"
    REMOVED = "REMOVED"
    KEPT = "KEPT"
    VETOED = "VETOED"
    REFERRED = "REFERRED"  # a moderator decides (domain.governance.decide)
