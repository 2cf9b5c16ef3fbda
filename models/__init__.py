"""Tortoise models: plain tables, indexes and constraints; no business rules."""

from models.company import Company, CompanyRole
from models.employment import CareerBreak, Employment, Position
from models.member import AuthToken, Member

__all__ = ["AuthToken", "CareerBreak", "Company", "CompanyRole", "Employment", "Member", "Position"]
