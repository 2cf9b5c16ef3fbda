"""Career credit: gathering members' histories for the engine, storing scores for percentiles,
employer verification, and sharing with companies."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime

from tortoise.expressions import Q
from tortoise.functions import Count, Sum
from tortoise.transactions import in_transaction

import models
from credit import Break, CreditInput, CreditProfile, Level, Peer, Stint, compute_profile
from credit.engine import PEER_WINDOW_YEARS, experience_years
from domain.company import normalise_slug
from domain.enums import SHOWN_TO_THE_COMPANY, VerificationState
from domain.errors import ErrorCode
from domain.member import EMAIL_NOT_VERIFIED
from domain.ratings import ALL_FUNCTIONS, OVERALL, bayesian_average
from domain.violations import Outcome, Violation, not_found
from infra.settings import settings_in_force
from resolvers.clock import now, today
from resolvers.company import UNKNOWN_COMPANY_SLUG, company_by_slug
from resolvers.company_record import restand_member
from resolvers.pagination import Page, PageArgs, paginate
from resolvers.roles import is_representative, require_representative


async def _platform_overall_mean() -> float | None:
    """Read in the writer's own transaction, where the ranking snapshot's means (committed
    data only) would not do."""
    rows = (
        await models.RatingAggregate.filter(scope=ALL_FUNCTIONS, rating_key=OVERALL)
        .annotate(total_sum=Sum("total"), count_sum=Sum("count"))
        .group_by("rating_key")
        .values_list("total_sum", "count_sum")
    )
    return next((total / count for total, count in rows if count), None)


async def _employer_ratings(company_ids: set[int]) -> dict[str, float]:
    """Overall Bayesian rating of each employer that has reviews (the engine's input)."""
    prior_strength = settings_in_force().bayesian_prior_strength
    prior = await _platform_overall_mean()
    rows = await models.RatingAggregate.filter(
        company_id__in=company_ids, scope=ALL_FUNCTIONS, rating_key=OVERALL, count__gt=0
    ).values_list("company_id", "total", "count")
    return {str(c): bayesian_average(t, n, prior, prior_strength) for c, t, n in rows}  # type: ignore[misc]


async def credit_inputs(member_ids: Iterable[int], as_of: date) -> dict[int, CreditInput]:
    """Each member's history as the engine sees it (no peers yet). Four statements for any number."""
    ids = set(member_ids)
    employments = await models.Employment.filter(member_id__in=ids).values_list(
        "id", "member_id", "company_id", "start_date", "end_date", "verification", "full_time"
    )
    levels: dict[int, list[Level]] = defaultdict(list)
    for employment_id, level, start in await models.Position.filter(
        employment_id__in=[e[0] for e in employments]
    ).values_list("employment_id", "level", "start_date"):
        levels[employment_id].append(Level(level, start))
    breaks: dict[int, list[Break]] = defaultdict(list)
    for member_id, start, end in await models.CareerBreak.filter(member_id__in=ids).values_list(
        "member_id", "start_date", "end_date"
    ):
        breaks[member_id].append(Break(start, end))
    ratings = await _employer_ratings({e[2] for e in employments}) if employments else {}
    stints: dict[int, list[Stint]] = defaultdict(list)
    for employment_id, member_id, company_id, start, end, verification, full_time in employments:
        stints[member_id].append(Stint(
            str(company_id), start, end, levels[employment_id], verification == VerificationState.VERIFIED, full_time
        ))
    return {
        member_id: CreditInput(
            stints=stints[member_id],
            as_of=as_of,
            breaks=breaks[member_id],
            employer_ratings={k: ratings[k] for k in {s.employer for s in stints[member_id]} if k in ratings},
        )
        for member_id in ids
    }


async def _peers(experience_by_member: dict[int, float]) -> dict[int, list[Peer]]:
    """Stored progression of other members with similar experience, in one statement."""
    if not experience_by_member:
        return {}
    low = min(experience_by_member.values()) - PEER_WINDOW_YEARS
    high = max(experience_by_member.values()) + PEER_WINDOW_YEARS
    rows = await models.StoredCredit.filter(
        score__isnull=False, experience_years__gte=low, experience_years__lte=high
    ).values_list("member_id", "experience_years", "levels_per_year")
    return {
        member_id: [Peer(years, rate) for other, years, rate in rows if other != member_id]
        for member_id in experience_by_member
    }


async def profiles(member_ids: Iterable[int], as_of: date | None = None) -> dict[int, CreditProfile]:
    """Profiles as of `as_of` (default today), progression ranked among peers of similar experience."""
    inputs = await credit_inputs(member_ids, as_of or today())
    # Peers are chosen by experience, as the engine measures it.
    peers = await _peers({m: experience_years(data) for m, data in inputs.items()})
    return {m: compute_profile(replace(data, peers=peers[m])) for m, data in inputs.items()}


async def refresh_stored_credit(member_id: int) -> CreditProfile:
    """Recompute and store one member's credit. Call inside the transaction of the change."""
    profile = (await profiles([member_id]))[member_id]
    await models.StoredCredit.update_or_create(
        member_id=member_id,
        defaults={
            "score": profile.score,
            "experience_years": profile.experience_years,
            "levels_per_year": profile.levels_per_year,
            "computed_at": now(),
        },
    )
    return profile


async def percentiles(scores: Iterable[int | None]) -> dict[int, float]:
    """Share (0–100) of members whose stored score is below each score, in one statement for any
    number of scores; empty with fewer than two stored scores."""
    wanted = sorted({score for score in scores if score is not None})
    if not wanted:
        return {}
    below = {f"below_{score}": Count("id", _filter=Q(score__lt=score)) for score in wanted}
    row = (
        await models.StoredCredit.filter(score__isnull=False)
        .annotate(total=Count("id"), **below)
        .values("total", *below)
    )[0]
    if row["total"] < 2:
        return {}
    return {score: 100 * row[f"below_{score}"] / row["total"] for score in wanted}


@dataclass(frozen=True)
class LiveCredit:
    """A profile computed now, with its standing among all members' stored scores."""

    profile: CreditProfile
    percentile: float | None
    computed_at: datetime


async def live_credits(member_ids: Iterable[int]) -> dict[int, LiveCredit]:
    """Each member's credit as of now: a constant number of statements for any number of members."""
    found = await profiles(member_ids)
    standing = await percentiles(profile.score for profile in found.values())
    computed_at = now()
    return {
        member_id: LiveCredit(
            profile,
            standing.get(profile.score) if profile.score is not None else None,
            computed_at,
        )
        for member_id, profile in found.items()
    }


async def verify_employment(
    representative: models.Member, employment_id: int | None, decision: VerificationState
) -> Outcome[models.Employment]:
    if not representative.email_verified:
        return Outcome.rejected(EMAIL_NOT_VERIFIED)
    employment = await models.Employment.get_or_none(id=employment_id, verification__in=SHOWN_TO_THE_COMPANY)
    # Someone else's company's job — or one its member never sent it — is as unknown to a
    # representative as a job that does not exist.
    if employment is None or not await is_representative(representative, employment.company_id):
        return Outcome.rejected(not_found("employmentId", "employment"))
    if employment.member_id == representative.id:
        return Outcome.rejected(
            Violation(("employmentId",), ErrorCode.OWN_EMPLOYMENT, "Another representative must verify your own job.")
        )
    async with in_transaction():
        await models.Employment.filter(id=employment.id).update(verification=decision)
        await restand_member(employment.company_id, employment.member_id)
        await refresh_stored_credit(employment.member_id)
    employment.verification = decision
    return Outcome(employment)


@dataclass(frozen=True)
class VerificationRequest:
    employment: models.Employment
    member_name: str
    title: str | None


async def request_verification(member: models.Member, employment_id: int | None) -> Outcome[models.Employment]:
    """Send one of the member's jobs to its company to verify: from now on its representatives
    see it, with the member's name (a job the member never sends stays theirs alone)."""
    if not member.email_verified:
        return Outcome.rejected(EMAIL_NOT_VERIFIED)
    return await _move_request(member, employment_id, (VerificationState.UNVERIFIED, VerificationState.DISPUTED),
                               VerificationState.REQUESTED, NOT_REQUESTABLE)


async def cancel_verification_request(member: models.Member, employment_id: int | None) -> Outcome[models.Employment]:
    """Take a request back before the company answers: the job is private again."""
    return await _move_request(member, employment_id, (VerificationState.REQUESTED,), VerificationState.UNVERIFIED,
                               NOT_REQUESTED)


NOT_REQUESTABLE = Violation(("employmentId",), ErrorCode.NOT_REQUESTABLE,
                            "This job is verified already, or waiting for the company's answer.")
NOT_REQUESTED = Violation(("employmentId",), ErrorCode.NOT_REQUESTED, "This job is not waiting for the company's answer.")


async def _move_request(
    member: models.Member, employment_id: int | None, from_states: tuple[VerificationState, ...],
    to: VerificationState, refusal: Violation,
) -> Outcome[models.Employment]:
    async with in_transaction():
        employment = await models.Employment.filter(id=employment_id, member_id=member.id).select_for_update().first()
        if employment is None:
            return Outcome.rejected(not_found("employmentId", "employment"))
        if employment.verification not in from_states:
            return Outcome.rejected(refusal)
        employment.verification = to
        await models.Employment.filter(id=employment.id).update(verification=to)
    return Outcome(employment)


async def verification_requests(
    representative: models.Member, company_id: int, page: PageArgs
) -> Page[VerificationRequest]:
    """The jobs members sent the company to verify (and its answers), by their state, for
    its representatives. A job nobody sent is not here, nor counted, nor anywhere else the
    company can read."""
    await require_representative(representative, company_id)
    result = await paginate(
        models.Employment.filter(company_id=company_id, verification__in=SHOWN_TO_THE_COMPANY).select_related("member"),
        ("verification", "-start_date", "id"),
        page,
    )
    titles: dict[int, str] = {}
    for employment_id, title in await models.Position.filter(
        employment_id__in=[e.id for e in result.rows]
    ).order_by("start_date").values_list("employment_id", "title"):
        titles[employment_id] = title  # the latest position's title wins
    return result.with_rows([VerificationRequest(e, e.member.display_name, titles.get(e.id)) for e in result.rows])


async def share_credit(member: models.Member, company_slug: str) -> Outcome[models.CreditShare]:
    company = await company_by_slug(company_slug)
    if company is None:
        return Outcome.rejected(UNKNOWN_COMPANY_SLUG)
    share, _ = await models.CreditShare.update_or_create(
        member_id=member.id, company_id=company.id,
        defaults={"shared_at": now(), "revoked_at": None},
    )
    return Outcome(share)


async def revoke_credit_share(member: models.Member, company_slug: str) -> Outcome[int]:
    revoked = await models.CreditShare.filter(
        member_id=member.id, company__slug=normalise_slug(company_slug), revoked_at__isnull=True
    ).update(revoked_at=now())
    if not revoked:
        return Outcome.rejected(
            Violation(("companySlug",), ErrorCode.NOT_SHARED, "Your career credit is not shared with this company.")
        )
    return Outcome(revoked)


async def active_shares(member: models.Member) -> list[models.CreditShare]:
    return await models.CreditShare.filter(member_id=member.id, revoked_at__isnull=True).order_by("-shared_at")


async def shared_with_company(
    representative: models.Member, company_id: int, page: PageArgs
) -> Page[models.CreditShare]:
    """Members who shared their credit with the company and have not revoked it."""
    await require_representative(representative, company_id)
    return await paginate(
        models.CreditShare.filter(company_id=company_id, revoked_at__isnull=True).select_related("member"),
        ("-shared_at", "id"),
        page,
    )
