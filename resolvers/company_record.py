"""Keeping the company record's tallies right (domain/company_record.py): each write that changes
what the record counts moves them in its own transaction; resolvers/aggregate_repair.py
recomputes them from raw rows."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime

from tortoise.expressions import F

import models
from domain.company_record import (
    RESPONSE_DAYS,
    TENURE_MONTHS,
    MemberStanding,
    Stint,
    member_standing,
    response_time_bucket,
    standing_delta,
)
from domain.enums import ResponseStatus, ReviewStatus, VerificationState
from resolvers.colleagues import admit_colleagues
from resolvers.ratings import increment_rows

BUCKET_KEY_FIELDS = ("measure", "value")


def _stored_standing(row: models.CompanyMember | None) -> MemberStanding | None:
    if row is None:
        return None
    return MemberStanding(row.verified, row.current, row.completed_months, row.representative, row.claimed_at)


async def restand_member(company_id: int, member_id: int) -> None:
    """Refold a member's standing at a company after a write to their stints there or to their
    role there, and move the company's tallies by the difference. Call inside that write's
    transaction (which holds the member's history lock, or is the CLI's role change)."""
    stints = [
        Stint(start, end, verification == VerificationState.VERIFIED, claimed_at)
        for start, end, verification, claimed_at in await models.Employment.filter(
            company_id=company_id, member_id=member_id
        ).values_list("start_date", "end_date", "verification", "created_at")
    ]
    joined_at = (await models.Member.get(id=member_id).only("id", "created_at")).created_at
    representative = await models.CompanyRole.exists(company_id=company_id, member_id=member_id)
    after = member_standing(stints, joined_at, representative)
    stored = await models.CompanyMember.get_or_none(company_id=company_id, member_id=member_id)
    before = _stored_standing(stored)
    delta = standing_delta(before, after)
    if stored is None:
        if after is not None:
            await models.CompanyMember.create(company_id=company_id, member_id=member_id, **asdict(after))
    elif after is None:
        await stored.delete()
    elif before != after:
        await models.CompanyMember.filter(id=stored.id).update(**asdict(after))
    if before != after:
        await admit_colleagues(company_id, member_id)  # a new claim or role moves who counts, and when
    if delta.is_empty:
        return
    await models.Company.filter(id=company_id).update(
        member_count=F("member_count") + delta.members,
        verified_member_count=F("verified_member_count") + delta.verified_members,
        former_member_count=F("former_member_count") + delta.former_members,
    )
    await increment_rows(
        models.RecordBucket, company_id, BUCKET_KEY_FIELDS,
        {(TENURE_MONTHS, months): {"count": change} for months, change in delta.tenure_months.items()},
    )


def counted_response_time(
    review_status: ReviewStatus, reviewed_at: datetime, response_status: ResponseStatus, responded_at: datetime
) -> int | None:
    """The response's bucket while the record counts it (both it and its review published)."""
    if review_status is not ReviewStatus.PUBLISHED or response_status is not ResponseStatus.PUBLISHED:
        return None
    return response_time_bucket(reviewed_at, responded_at)


async def move_response_time(company_id: int, before: int | None, after: int | None) -> None:
    """Apply a response's change (its counted bucket before and after) to its company's
    response rate and response-time histogram. Call inside the write's transaction."""
    if before == after:
        return
    changes: dict[tuple[str, int], dict[str, int]] = {}
    if before is not None:
        changes[(RESPONSE_DAYS, before)] = {"count": -1}
    if after is not None:
        changes[(RESPONSE_DAYS, after)] = {"count": 1}
    counted_change = (after is not None) - (before is not None)
    if counted_change:
        await models.Company.filter(id=company_id).update(
            responded_review_count=F("responded_review_count") + counted_change
        )
    await increment_rows(models.RecordBucket, company_id, BUCKET_KEY_FIELDS, changes)
