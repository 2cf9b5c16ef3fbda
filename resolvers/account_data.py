"""Leaving with one's data: everything workcred holds about a member, as one JSON document
(PIPL Art. 45, GDPR Art. 20), and deleting the account at once (PIPL Art. 47, GDPR Art. 17).

Deleting erases the member's personal data — address, name, password, sessions, history,
breaks, saved priorities, credit and its shares, helpful marks, votes in open polls — and moves
every aggregate they counted in, exactly, in one transaction. Published reviews are withdrawn
or stay as anonymous content with their fixed faces and no author, as the member chooses; votes
in settled polls stay without a voter (the settled tally is public and must keep adding up);
the company's responses a representative wrote stay the company's. Afterwards the address can
sign up again.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from tortoise.expressions import F
from tortoise.models import Model
from tortoise.transactions import in_transaction

import models
from domain.enums import AuditActor, RemovalPollStatus, ReviewStatus
from domain.violations import Outcome
from infra.rate_limits import Budget
from resolvers.clock import now
from resolvers.company_record import restand_member
from resolvers.context import RequestContext
from resolvers.credit import profiles
from resolvers.governance import move_tally, settle_due_polls
from resolvers.passwords import WRONG_PASSWORD
from resolvers.status import change_review_status, locked_review

WITHDRAWN_ON_LEAVING = "Withdrawn by its author, who left workcred."

# Every table with a column naming a member, and the part of the export that holds its rows (a
# test holds this against the database, so a table added later cannot be forgotten).
EXPORTED_TABLES = {
    "member": "account",
    "auth_token": "sessions",
    "known_address": "signInAddresses",
    "email_code": "pendingEmailCodes",
    "password_reset": "passwordResets",
    "employment": "employments",
    "career_break": "careerBreaks",
    "company_member": "companyStandings",
    "colleague_admission": "countedAsColleague",
    "company_role": "companyRoles",
    "platform_role": "platformRoles",
    "review": "reviews",
    "review_slot": "reviewSlots",
    "helpful_vote": "helpfulMarks",
    "removal_vote": "removalVotes",
    "appeal": "appeals",
    "company_response": "responsesWritten",
    "saved_priorities": "savedPriorities",
    "stored_credit": "storedCredit",
    "credit_share": "creditShares",
}


def _plain(value: Any) -> Any:
    """A stored value as JSON holds it."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if hasattr(value, "value"):  # an enum
        return value.value
    return value


def _rows(rows: Iterable[Model], *fields: str) -> list[dict[str, Any]]:
    return [{name: _plain(getattr(row, name)) for name in fields} for row in rows]


async def export(member: models.Member) -> dict[str, Any]:
    """Everything workcred holds about `member`, section by section (EXPORTED_TABLES)."""
    mine = {"member_id": member.id}
    employments = await models.Employment.filter(**mine).prefetch_related("company").order_by("start_date")
    positions = await models.Position.filter(employment_id__in=[job.id for job in employments])
    reviews = await models.Review.filter(author_id=member.id).prefetch_related("company").order_by("id")
    answers = dict(await models.CompanyResponse.filter(review_id__in=[r.id for r in reviews]).values_list("review_id", "body"))
    profile = (await profiles([member.id]))[member.id]
    return {
        "exportedAt": now().isoformat(),
        "account": {"email": member.email, "verifiedEmail": member.verified_email,
                    "emailVerifiedAt": _plain(member.email_verified_at),
                    "displayName": member.display_name, "createdAt": member.created_at.isoformat()},
        "sessions": _rows(await models.AuthToken.filter(**mine).order_by("id"),
                          "created_at", "expires_at", "revoked_at", "last_used_on", "client"),
        # Kept as keyed digests only: when they were last used is all there is to show.
        "signInAddresses": _rows(await models.KnownAddress.filter(**mine), "last_signed_in_at"),
        "pendingEmailCodes": _rows(await models.EmailCode.filter(**mine), "created_at", "expires_at", "tries_left"),
        "passwordResets": _rows(await models.PasswordReset.filter(**mine), "created_at", "expires_at", "used_at"),
        "employments": [
            {**_rows([job], "start_date", "end_date", "job_function", "location", "verification", "full_time")[0],
             "company": job.company.slug,
             "positions": _rows([p for p in positions if p.employment_id == job.id], "title", "level", "start_date")}
            for job in employments
        ],
        "careerBreaks": _rows(await models.CareerBreak.filter(**mine).order_by("start_date"), "kind", "start_date", "end_date"),
        "companyStandings": _rows(await models.CompanyMember.filter(**mine).prefetch_related("company"),
                                  "company_id", "verified", "current", "completed_months", "representative"),
        # When the member counted (or, waiting for the inflow allowance, will count) at each company.
        "countedAsColleague": _rows(await models.ColleagueAdmission.filter(**mine), "company_id", "counted_from"),
        "companyRoles": _rows(await models.CompanyRole.filter(**mine), "company_id", "kind", "granted_at"),
        "platformRoles": _rows(await models.PlatformRole.filter(**mine), "kind", "granted_at"),
        "reviews": [
            {**_rows([review], "status", "status_reason", "overall", "compensation", "work_life_balance",
                     "management", "growth", "meaning", "culture", "stability", "title", "pros", "cons",
                     "advice_to_management", "employment_status", "tenure", "tenure_widened", "job_function",
                     "location", "last_year", "withheld_by_author", "helpful_count", "created_at", "updated_at")[0],
             "company": review.company.slug,
             "companyResponse": answers.get(review.id)}
            for review in reviews
        ],
        "reviewSlots": _rows(await models.ReviewSlot.filter(**mine), "company_id", "last_reviewed_at"),
        "helpfulMarks": _rows(await models.HelpfulVote.filter(**mine), "review_id", "created_at"),
        "removalVotes": _rows(await models.RemovalVote.filter(**mine), "poll_id", "remove", "weight", "recent",
                              "cast_at"),
        "appeals": _rows(await models.Appeal.filter(appellant_id=member.id), "review_id", "response_id", "statement",
                         "created_at", "decision", "reason", "decided_at"),
        "responsesWritten": _rows(await models.CompanyResponse.filter(author_id=member.id),
                                  "review_id", "company_id", "body", "status", "created_at", "updated_at"),
        "savedPriorities": _rows(await models.SavedPriorities.filter(**mine), "weights", "minimums", "perspective"),
        "storedCredit": _rows(await models.StoredCredit.filter(**mine),
                              "score", "experience_years", "levels_per_year", "computed_at"),
        "creditShares": _rows(await models.CreditShare.filter(**mine), "company_id", "shared_at", "revoked_at"),
        "careerCredit": {
            "score": profile.score, "band": _plain(profile.band), "reasonCodes": list(profile.reason_codes),
            "factors": [{"factor": f.factor.value, "value": f.value, "explanation": f.explanation}
                        for f in profile.factors],
        },
    }


async def delete_account(context: RequestContext, password: str, withdraw_reviews: bool) -> Outcome[None]:
    member = await context.require_viewer()
    attempts = (context.client_address(), f"delete:{member.id}@{context.client_address()}")
    await context.check(Budget.FAILED_SIGN_INS, *attempts)
    if not await asyncio.to_thread(context.passwords.verify, member.password_hash, password):
        await context.spend(Budget.FAILED_SIGN_INS, *attempts)
        return Outcome.rejected(WRONG_PASSWORD)
    async with in_transaction():
        await models.Member.filter(id=member.id).select_for_update().first()  # its history's lock
        await _part_with_reviews(member, withdraw_reviews)
        await _take_back_marks_and_votes(member)
        companies = {company_id for (company_id,) in [
            *await models.Employment.filter(member_id=member.id).values_list("company_id"),
            *await models.CompanyRole.filter(member_id=member.id).values_list("company_id"),
        ]}
        await models.Employment.filter(member_id=member.id).delete()  # positions go with them
        await models.CompanyRole.filter(member_id=member.id).delete()
        for company_id in sorted(companies):
            await restand_member(company_id, member.id)  # the company record without them
        await models.CompanyResponse.filter(author_id=member.id).update(author_id=None)
        await models.Member.filter(id=member.id).delete()  # and with it every row of theirs left
    return Outcome()


async def _part_with_reviews(member: models.Member, withdraw: bool) -> None:
    for (review_id,) in await models.Review.filter(author_id=member.id).order_by("id").values_list("id"):
        review = await locked_review(review_id)
        assert review is not None
        if review.status is ReviewStatus.HELD:  # never public: nothing of it stays
            await review.delete()
            continue
        if withdraw and review.status is ReviewStatus.PUBLISHED:
            await change_review_status(review, ReviewStatus.WITHDRAWN, AuditActor.AUTHOR, WITHDRAWN_ON_LEAVING)
        await models.Review.filter(id=review.id).update(author_id=None, employment_id=None)


async def _take_back_marks_and_votes(member: models.Member) -> None:
    """Helpful marks go, and the counts they added; votes in open polls go, and the tallies they
    added; votes in settled polls stay, with no voter."""
    for mark in await models.HelpfulVote.filter(member_id=member.id):
        await models.Review.filter(id=mark.review_id).update(helpful_count=F("helpful_count") - 1)
        await mark.delete()
    # a poll past its window is settled first: its votes decided it, and stay
    await settle_due_polls(await models.RemovalPoll.filter(votes__member_id=member.id, status=RemovalPollStatus.OPEN))
    for vote in await models.RemovalVote.filter(member_id=member.id, poll__status=RemovalPollStatus.OPEN):
        await move_tally(vote, -1)
        await vote.delete()
    await models.RemovalVote.filter(member_id=member.id).update(member_id=None)
