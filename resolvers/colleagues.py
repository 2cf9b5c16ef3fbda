"""Keeping each company's counted colleagues (domain/colleagues.py): who is counted, and from
when, is scheduled in the transaction of every write that can change it — a new or changed claim,
a role, a proven address — so a face, a vote or a figure reads it with one indexed look-up, and
admissions the allowance put off take effect at their time with no further write."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from tortoise.expressions import Subquery

import models
from domain.colleagues import INFLOW_WINDOW, Inflow, eligible_at, schedule
from infra.settings import settings_in_force
from resolvers.clock import now


def _min_age() -> timedelta:
    return timedelta(days=settings_in_force().colleague_min_age_days)


def _inflow() -> Inflow:
    settings = settings_in_force()
    return Inflow(settings.colleague_inflow_share, settings.colleague_inflow_min)


async def admit_colleagues(company_id: int, member_id: int) -> None:
    """Reschedule the company's waiting colleagues after a change to `member_id`'s standing there
    (those not counted yet, as of now). Call inside the write's transaction. Reads the counted
    colleagues' number, the last window's admissions and the waiting ones — never the whole roll:
    every other colleague is counted already or waits with an admission ahead."""
    # One rescheduling of a company's waiting colleagues at a time (writes of different members
    # at one company would both replace its pending admissions).
    await models.Company.filter(id=company_id).select_for_update(no_key=True).first()
    moment = now()
    admissions = models.ColleagueAdmission.filter(company_id=company_id)
    counted_now = admissions.filter(counted_from__lte=moment)
    if await counted_now.filter(member_id=member_id).exists():
        return  # counted for good; nobody else's turn moves
    counted = await counted_now.count()
    pending = [member for (member,) in await admissions.filter(counted_from__gt=moment).values_list("member_id")]
    await admissions.filter(counted_from__gt=moment).delete()
    min_age = _min_age()
    waiting = [  # none is let in before now: admissions already made are history
        (waiting_id, max(moment, eligible_at(claimed_at, verified_at, min_age)))
        for waiting_id, claimed_at, verified_at in await models.CompanyMember.filter(
            company_id=company_id, member_id__in=[*pending, member_id], representative=False,
            member__email_verified_at__isnull=False,
        ).values_list("member_id", "claimed_at", "member__email_verified_at")
    ]
    inflow, recently = _inflow(), counted_now.filter(counted_from__gt=moment - INFLOW_WINDOW)
    # When the last window's admissions came in matters only if they and the waiting could fill
    # a window (whose allowance rests on at least the colleagues counted before them).
    recent, recent_count = [], await recently.count()
    if recent_count + len(waiting) > inflow.allowance(counted - recent_count):
        recent = [at for (at,) in await recently.values_list("counted_from")]
    await models.ColleagueAdmission.bulk_create([
        models.ColleagueAdmission(company_id=company_id, member_id=waiting_id, counted_from=at)
        for waiting_id, at in schedule(counted, recent, waiting, inflow).items()
    ])


async def admit_colleagues_of(member_id: int) -> None:
    """After a change to the member themself (a proven address): every company they claim."""
    # the companies of their jobs, by the (member, company) index (a standing is kept per job's company)
    jobs = await models.Employment.filter(member_id=member_id).values_list("company_id")
    for company_id in sorted({company_id for (company_id,) in jobs}):
        await admit_colleagues(company_id, member_id)


async def replay_admissions() -> int:
    """For seeded history (the demo's years, the scale data), in place of any admissions kept:
    every company's colleagues let in as the allowance would have let them in since their
    claims. How many colleagues are counted now."""
    min_age = _min_age()
    waiting: dict[int, list[tuple[int, datetime]]] = defaultdict(list)
    for company_id, member_id, claimed_at, verified_at in await models.CompanyMember.filter(
        representative=False, member__email_verified_at__isnull=False
    ).values_list("company_id", "member_id", "claimed_at", "member__email_verified_at"):
        waiting[company_id].append((member_id, eligible_at(claimed_at, verified_at, min_age)))
    await models.ColleagueAdmission.all().delete()
    inflow, moment = _inflow(), now()
    admissions = [
        models.ColleagueAdmission(company_id=company_id, member_id=member_id, counted_from=at)
        for company_id, members in waiting.items()
        for member_id, at in schedule(0, [], members, inflow).items()
    ]
    await models.ColleagueAdmission.bulk_create(admissions, batch_size=5000)
    return sum(admission.counted_from <= moment for admission in admissions)


@dataclass(frozen=True)
class InflowReport:
    slug: str
    counted: int
    held_back: int  # eligible already, waiting for the allowance
    next_admission: datetime


async def held_back_companies() -> list[InflowReport]:
    """Companies whose new claims run over the allowance now — an operator's early warning of a
    planting campaign: colleagues eligible already but still waiting their turn."""
    moment = now()
    min_age = _min_age()
    reports = []
    for (company_id,) in await models.ColleagueAdmission.filter(counted_from__gt=moment).distinct().values_list(
        "company_id"
    ):
        pending = models.ColleagueAdmission.filter(company_id=company_id, counted_from__gt=moment)
        held_back = sum(
            eligible_at(claimed_at, verified_at, min_age) <= moment
            for claimed_at, verified_at in await models.CompanyMember.filter(
                company_id=company_id, member_id__in=Subquery(pending.values("member_id"))
            ).values_list("claimed_at", "member__email_verified_at")
        )
        if held_back:
            company = await models.Company.get(id=company_id).only("id", "slug")
            counted = await models.ColleagueAdmission.filter(company_id=company_id, counted_from__lte=moment).count()
            next_admission = await pending.order_by("counted_from").first()
            assert next_admission is not None  # the company has pending admissions
            reports.append(InflowReport(company.slug, counted, held_back, next_admission.counted_from))
    return sorted(reports, key=lambda report: report.slug)
