"""Enumerations of the domain, defined once and shared by models, rules and the schema."""

from enum import Enum


class JobFunction(str, Enum):
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


class VerificationState(str, Enum):
    UNVERIFIED = "UNVERIFIED"
    VERIFIED = "VERIFIED"
    DISPUTED = "DISPUTED"


class CareerBreakKind(str, Enum):
    EDUCATION = "EDUCATION"
    PARENTAL_LEAVE = "PARENTAL_LEAVE"
    CAREGIVING = "CAREGIVING"
    HEALTH = "HEALTH"
    SABBATICAL = "SABBATICAL"
    JOB_SEARCH = "JOB_SEARCH"


class CompanySizeBand(str, Enum):
    SIZE_1_50 = "SIZE_1_50"
    SIZE_51_200 = "SIZE_51_200"
    SIZE_201_1000 = "SIZE_201_1000"
    SIZE_1001_5000 = "SIZE_1001_5000"
    SIZE_5001_10000 = "SIZE_5001_10000"
    SIZE_10000_PLUS = "SIZE_10000_PLUS"


class CompanyRoleKind(str, Enum):
    REPRESENTATIVE = "REPRESENTATIVE"
    CEO = "CEO"
