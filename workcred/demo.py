"""Deterministic, idempotent demo data: companies across industries, members with careers,
reviews with responses.

The content is the same on every run (a seeded generator, fixed dates); running twice adds
nothing. All names are fictional.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import TypeVar

from tortoise.transactions import in_transaction

import models
from domain.company import company_slug
from domain.enums import (
    CareerBreakKind,
    CompanyRoleKind,
    CompanySizeBand,
    Dimension,
    JobFunction,
    RemovalReason,
    ReviewStatus,
    VerificationState,
)
from domain.errors import ErrorCode
from domain.member import Passwords
from domain.review import ReviewContent
from resolvers.aggregate_repair import recompute_aggregates
from resolvers.colleagues import replay_admissions
from resolvers.credit import refresh_stored_credit, request_verification, verify_employment
from resolvers.governance import PollRequest, cast_vote, open_poll, settle_due_polls, veto
from resolvers.response import respond_to_review
from resolvers.review import submit_review, withdraw_review
from workcred.roles import grant_moderator

T = TypeVar("T")
DEMO_PASSWORD = "workcred-demo-password"
DEMO_EMAIL_DOMAIN = "demo.workcred.test"
MODERATOR_EMAIL = f"moderator@{DEMO_EMAIL_DOMAIN}"
# A fixed "today" keeps the data identical whatever day it is seeded.
DEMO_AS_OF = date(2026, 6, 30)
PLATFORM_OPENED = date(2019, 1, 1)
# Demo accounts, and their job claims, date from the platform's opening; reviews come later.
DEMO_JOINED_AT = datetime.combine(PLATFORM_OPENED, time(), UTC)
FIRST_REVIEWS = PLATFORM_OPENED + timedelta(days=60)
MEMBER_COUNT = 320
REVIEW_SHARE = 0.8  # of stints that get a review


@dataclass(frozen=True)
class DemoCompany:
    name: str
    industry: str
    size_band: CompanySizeBand
    city: str
    description: str
    # Typical score per dimension, in Dimension order: what reviewers of this company feel.
    profile: tuple[int, int, int, int, int, int, int]
    response_share: float  # of reviews the company answers
    hiring_weight: int = 1  # how many of the demo's careers pass through it


COMPANIES = [
    DemoCompany("Qingyun Electric Motors", "New-energy vehicles", CompanySizeBand.SIZE_10000_PLUS, "Shenzhen",
                "Battery-electric cars and the battery packs inside them.", (4, 2, 3, 4, 4, 3, 4), 0.9, 6),
    DemoCompany("Lanting Auto", "New-energy vehicles", CompanySizeBand.SIZE_1001_5000, "Hefei",
                "Plug-in hybrids for families; a young, fast-growing maker.", (3, 3, 3, 5, 4, 4, 2), 0.3),
    DemoCompany("Zhiyuan Intelligence", "Artificial intelligence", CompanySizeBand.SIZE_1001_5000, "Beijing",
                "Large language models for enterprise search and support.", (5, 2, 3, 5, 4, 3, 3), 0.7, 3),
    DemoCompany("Deepframe AI", "Artificial intelligence", CompanySizeBand.SIZE_51_200, "Hangzhou",
                "Computer vision for factory quality inspection.", (3, 4, 4, 4, 3, 5, 2), 0.0),
    DemoCompany("Xinhe Semiconductor", "Chips", CompanySizeBand.SIZE_5001_10000, "Shanghai",
                "Designs power-management and automotive microcontrollers.", (4, 3, 3, 3, 4, 3, 5), 0.5),
    DemoCompany("Huaxin Microelectronics", "Chips", CompanySizeBand.SIZE_201_1000, "Wuxi",
                "Packaging and testing for analog chips.", (3, 4, 2, 2, 3, 3, 4), 0.0),
    DemoCompany("Kangning Biotech", "Biomedicine", CompanySizeBand.SIZE_201_1000, "Suzhou",
                "Antibody drugs from discovery to phase-II trials.", (3, 4, 4, 4, 5, 4, 3), 0.6),
    DemoCompany("Mingde Pharma", "Biomedicine", CompanySizeBand.SIZE_1001_5000, "Chengdu",
                "Generic drugs and a growing innovative pipeline.", (3, 5, 3, 2, 3, 3, 5), 0.2),
    DemoCompany("Tanzero Energy", "Carbon-neutral technology", CompanySizeBand.SIZE_51_200, "Ordos",
                "Green hydrogen from wind and solar power.", (2, 3, 4, 5, 5, 4, 2), 0.8),
    DemoCompany("Greenledger Carbon", "Carbon-neutral technology", CompanySizeBand.SIZE_1_50, "Shenzhen",
                "Carbon accounting software for exporters.", (2, 5, 5, 3, 4, 5, 2), 1.0),
    DemoCompany("Kuaixun Internet", "Internet", CompanySizeBand.SIZE_10000_PLUS, "Beijing",
                "Short video, news feeds and advertising.", (5, 1, 2, 3, 2, 2, 3), 0.4, 6),
    DemoCompany("Shanhai Social", "Internet", CompanySizeBand.SIZE_5001_10000, "Guangzhou",
                "Messaging and community apps.", (4, 3, 3, 3, 3, 3, 4), 0.0),
]

FIRST_NAMES = ["Wei", "Fang", "Lei", "Jing", "Tao", "Min", "Yang", "Hui", "Jun", "Xin",
               "Ling", "Bo", "Yan", "Hao", "Qing", "Rui", "Ying", "Kai", "Na", "Chen"]
LAST_NAMES = ["Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Zhao", "Huang", "Zhou", "Wu"]
TITLES = {
    JobFunction.ENGINEERING: ["Software Engineer", "Senior Engineer", "Staff Engineer", "Principal Engineer"],
    JobFunction.PRODUCT: ["Product Manager", "Senior PM", "Group PM", "Director of Product"],
    JobFunction.DATA: ["Data Analyst", "Data Scientist", "Senior Data Scientist", "Head of Data"],
    JobFunction.SALES: ["Account Executive", "Senior AE", "Sales Manager", "Regional Director"],
    JobFunction.OPERATIONS: ["Operations Specialist", "Operations Lead", "Operations Manager", "Head of Ops"],
    JobFunction.DESIGN: ["Designer", "Senior Designer", "Lead Designer", "Design Director"],
}
# Review text is assembled from these banks, so no sentence recurs on more than a few
# percent of reviews (tests/test_cli.py checks): what each dimension felt like at its best and
# its worst, in several voices, plus a little context and advice.
PRAISE = {
    Dimension.COMPENSATION: ["pay is well above the market", "bonuses are real and paid on time",
                             "the salary let me save for a flat", "equity refreshers are generous",
                             "overtime is paid, not just thanked"],
    Dimension.WORK_LIFE_BALANCE: ["evenings and weekends are yours", "nobody expects replies after 7 pm",
                                  "remote Fridays are respected", "leave is approved without a fight",
                                  "launch crunches are rare and short"],
    Dimension.MANAGEMENT: ["managers listen and explain their decisions", "my lead fought for my promotion",
                           "one-on-ones happen every week", "leadership shares the numbers openly",
                           "decisions are written down with their reasons"],
    Dimension.GROWTH: ["you learn fast and promotions follow results", "there is a real budget for courses",
                       "I moved teams when I asked to", "juniors get real ownership early",
                       "the promotion criteria are published"],
    Dimension.MEANING: ["the mission matters and you can see the impact", "customers write to thank the team",
                        "the product helps people I know", "you can point at what you built",
                        "the work cuts real emissions"],
    Dimension.CULTURE: ["colleagues are kind and share knowledge", "people help across teams",
                        "mistakes are discussed without blame", "there is little ego in meetings",
                        "new joiners are welcomed properly"],
    Dimension.STABILITY: ["finances are solid and nobody worries about layoffs", "the order book is full for years",
                          "teams are rarely reshuffled", "the company kept everyone through the downturn",
                          "plans survive longer than a quarter"],
}
COMPLAINTS = {
    Dimension.COMPENSATION: ["salaries lag behind competitors", "raises barely cover inflation",
                             "the bonus depends on whoever shouts loudest", "pay bands are secret",
                             "overtime goes unpaid"],
    Dimension.WORK_LIFE_BALANCE: ["hours are long, 996 around launches", "weekend chats never stop",
                                  "leave gets cancelled at short notice", "the on-call rota is brutal",
                                  "meetings run until late at night"],
    Dimension.MANAGEMENT: ["decisions come from the top with little explanation", "managers change every year",
                           "feedback is rare and vague", "priorities flip every month",
                           "middle management hoards information"],
    Dimension.GROWTH: ["promotions are slow and opaque", "there is no training budget",
                       "senior roles go to outside hires", "you do the same task for years",
                       "the promotion committee meets once a year"],
    Dimension.MEANING: ["it is hard to see why the work matters", "projects get cancelled before launch",
                        "most work is internal reporting", "the product chases clicks, not value",
                        "nobody uses what we ship"],
    Dimension.CULTURE: ["politics between teams slows everything", "credit goes to the loudest",
                        "cliques decide who gets heard", "new ideas are met with suspicion",
                        "blame travels downhill"],
    Dimension.STABILITY: ["reorganisations are frequent and layoff rumours constant", "funding is always uncertain",
                          "whole teams vanish overnight", "strategy changes with every new executive",
                          "hiring freezes come and go"],
}
VOICES = ["{}.", "Honestly, {}.", "Above all, {}.", "In my team, {}.", "For me, {}."]
CONTEXT = [
    "I was in {function} for about {years} years.", "I joined as a {title} and left as one too.",
    "Our {function} team in {city} had about {size} people.", "I worked from the {city} office.",
    "This covers my time in {function} until {year}.",
]
ADVICE_VERBS = ["Keep", "Publish", "Rethink", "Invest in", "Stop cutting", "Measure"]
ADVICE_OBJECTS = ["the promotion process", "how launches are planned", "pay bands",
                  "training for new managers", "how teams are reorganised", "the on-call rota"]
RESPONSE_THANKS = ["Thank you for", "We appreciate you", "Thanks for", "We are grateful to you for"]
RESPONSE_TOPICS = ["raising this", "writing about your time with us", "the honest feedback",
                   "taking the time to write this", "sharing both sides", "this detailed review"]
RESPONSE_ACTIONS = [
    "We have shared it with the leadership team.", "Our HR team would welcome a conversation.",
    "Since last year we have changed how launch overtime is planned and paid.",
    "We published our pay bands this spring, partly because of reviews like yours.",
    "The department head has read it and will reply at the next all-hands.",
    "We have started a monthly open forum with the executive team.",
    "A new promotion calendar starts next quarter.", "We are reviewing the on-call rota with the teams.",
    "Managers now get training before they take on a team.", "We would like to hear more: hr@example.com.",
    "This is now part of our engagement survey.", "We have added a second review cycle each year.",
    "Team leads now hold quarterly skip-level meetings.", "We are hiring to take pressure off the launch teams.",
    "Our new learning budget is open to every employee.", "We have asked an outside firm to audit our pay.",
    "Expect an update on this page within three months.", "Several of these points are already on our roadmap.",
    "Exit interviews now go to someone outside your former department.",
    "We have set up an anonymous channel for concerns like these.",
    "Workloads are now reviewed at every planning meeting.", "Our managers will discuss this with their teams.",
]


@dataclass(frozen=True)
class PlannedStint:
    company: DemoCompany
    function: JobFunction
    start: date
    end: date | None
    positions: list[tuple[str, int, date]]
    review: PlannedReview | None


@dataclass(frozen=True)
class PlannedReview:
    written_at: datetime
    overall: int
    ratings: list[tuple[Dimension, int]]
    title: str
    pros: str
    cons: str
    advice: str | None
    answered_after_hours: int | None
    response: str
    withdrawn: bool
    helpful_votes: int


@dataclass(frozen=True)
class PlannedMember:
    email: str
    name: str
    stints: list[PlannedStint] = field(default_factory=list)
    career_break: tuple[date, date] | None = None


@dataclass(frozen=True)
class SeedReport:
    companies_created: int
    members_created: int
    reviews_created: int


def _title(titles: list[str], level: int) -> str:
    return titles[min((level - 1) // 2, len(titles) - 1)]


def _sentence(rng: random.Random, core: str) -> str:
    voice = rng.choice(VOICES)
    return voice.format(core[0].upper() + core[1:] if voice.startswith("{}") else core)


def _text(rng: random.Random, cores: list[str], context: str | None) -> str:
    sentences = [_sentence(rng, core) for core in cores]
    if context is not None:
        sentences.insert(rng.randrange(len(sentences) + 1), context)
    return " ".join(sentences)


def _review(
    rng: random.Random, company: DemoCompany, stint: tuple[JobFunction, date, date | None, str]
) -> PlannedReview | None:
    function, start, end, title = stint
    # Written while there or after leaving, since the platform opened.
    earliest = max(start + timedelta(days=30), FIRST_REVIEWS)
    if rng.random() > REVIEW_SHARE or earliest >= DEMO_AS_OF:
        return None
    written_on = earliest + timedelta(days=rng.randrange((DEMO_AS_OF - earliest).days))
    # Most people feel roughly what the company's profile says; a few loved or hated it.
    mood = rng.choices([-2, -1, 0, 1, 2], weights=[6, 15, 58, 15, 6])[0]
    scores = [max(1, min(5, typical + mood + rng.choice([-1, 0, 0, 0, 1]))) for typical in company.profile]
    rated = sorted(rng.sample(range(len(scores)), k=rng.randint(3, 7)))
    ratings = [(list(Dimension)[i], scores[i]) for i in rated]
    by_score = sorted(ratings, key=lambda r: (r[1], rng.random()))
    worst, best = by_score[0][0], by_score[-1][0]
    overall = max(1, min(5, round(sum(s for _, s in ratings) / len(ratings) + rng.choice([-0.4, 0, 0.4]))))
    answered = rng.random() < company.response_share
    context = rng.choice(CONTEXT).format(
        function=function.value.lower(), years=rng.randint(1, 9), title=title, city=company.city,
        size=rng.choice([6, 8, 12, 15, 20, 30, 40]), year=(end or DEMO_AS_OF).year,
    ) if rng.random() < 0.6 else None
    second_best = by_score[-2][0] if len(by_score) > 3 and rng.random() < 0.5 else None
    praise = [rng.choice(PRAISE[best]), *([rng.choice(PRAISE[second_best])] if second_best else [])]
    complaint = [rng.choice(COMPLAINTS[worst])]
    return PlannedReview(
        written_at=datetime.combine(written_on, time(9 + rng.randrange(10), rng.randrange(60)), UTC),
        overall=overall,
        ratings=ratings,
        title=f"{praise[0][0].upper()}{praise[0][1:]}, {rng.choice(['but', 'yet', 'though'])} {complaint[0]}"[:120],
        pros=_text(rng, praise, context if rng.random() < 0.5 else None),
        cons=_text(rng, complaint, None),
        advice=f"{rng.choice(ADVICE_VERBS)} {rng.choice(ADVICE_OBJECTS)}." if rng.random() < 0.6 else None,
        answered_after_hours=rng.choice([2, 5, 20, 48, 120, 300]) if answered else None,
        response=f"{rng.choice(RESPONSE_THANKS)} {rng.choice(RESPONSE_TOPICS)}. {rng.choice(RESPONSE_ACTIONS)}",
        withdrawn=rng.random() < 0.02,
        # A few reviews draw most of the votes, as in life.
        helpful_votes=min(int(rng.paretovariate(1.2)) - 1, 40),
    )


def _weighted_sample(rng: random.Random, companies: list[DemoCompany], k: int) -> list[DemoCompany]:
    """`k` distinct companies, big employers more likely (a few end up with ~100 reviews)."""
    pool = list(companies)
    chosen = []
    for _ in range(k):
        pick = rng.choices(pool, weights=[c.hiring_weight for c in pool])[0]
        pool.remove(pick)
        chosen.append(pick)
    return chosen


def _career(rng: random.Random) -> list[PlannedStint]:
    """A plausible career: 1–4 stints moving forward in time, promotions inside stints."""
    function = rng.choice(list(TITLES))
    titles = TITLES[function]
    start = date(2010, 1, 1) + timedelta(days=rng.randrange(0, 365 * 11))
    level = rng.randint(1, 3)
    stints = []
    companies = _weighted_sample(rng, COMPANIES, rng.randint(1, 4))
    for index, company in enumerate(companies):
        months = rng.choice([7, 14, 20, 30, 42, 60, 84])
        planned_end = start + timedelta(days=30 * months)
        last = index == len(companies) - 1
        end: date | None = planned_end
        if planned_end >= DEMO_AS_OF or (last and rng.random() < 0.7):
            end = None
        positions = [(_title(titles, level), level, start)]
        cursor = start + timedelta(days=rng.randint(300, 700))
        while cursor < (end or DEMO_AS_OF) and level < 10 and rng.random() < 0.6:
            level += 1
            positions.append((_title(titles, level), level, cursor))
            cursor += timedelta(days=rng.randint(300, 900))
        review = _review(rng, company, (function, start, end, positions[-1][0]))
        stints.append(PlannedStint(company, function, start, end, positions, review))
        if end is None:
            break
        start = end + timedelta(days=rng.choice([1, 14, 45, 120, 250]))
        if start >= DEMO_AS_OF:
            break
    return stints


DEFAULT_SEED = 20221101


def plan_members(seed: int = DEFAULT_SEED) -> list[PlannedMember]:
    """Everything the demo will hold, decided before anything is written (so it is deterministic)."""
    rng = random.Random(seed)
    members = []
    for number in range(1, MEMBER_COUNT + 1):
        stints = _career(rng)
        name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
        career_break = None
        last_end = stints[-1].end
        if rng.random() < 0.2 and last_end is not None:
            career_break = (last_end + timedelta(days=1), min(last_end + timedelta(days=300), DEMO_AS_OF))
        members.append(PlannedMember(f"member{number}@{DEMO_EMAIL_DOMAIN}", name, stints, career_break))
    return members


def _counted(items: list[T], what: str, progress: Callable[[str], None]) -> Iterator[T]:
    """`items`, telling `progress` how far along they are every eighth of the way."""
    step = max(1, len(items) // 8)
    for done, item in enumerate(items, 1):
        yield item
        if done % step == 0 or done == len(items):
            progress(f"{what}: {done} of {len(items)}")


async def seed_demo(
    passwords: Passwords, seed: int = DEFAULT_SEED, progress: Callable[[str], None] = lambda _: None
) -> SeedReport:
    """Seed the demo; `progress` hears how far it got (a minute or two on PostgreSQL)."""
    companies: dict[str, models.Company] = {}
    companies_created = 0
    for spec in COMPANIES:
        company, created = await models.Company.get_or_create(
            slug=company_slug(spec.name),
            defaults={
                "name": spec.name,
                "industry": spec.industry,
                "size_band": spec.size_band,
                "headquarters_city": spec.city,
                "description": spec.description,
            },
        )
        companies[spec.name] = company
        companies_created += created

    password_hash = passwords.hash(DEMO_PASSWORD)
    representatives = await _seed_representatives(companies, password_hash)
    await _seed_moderator(password_hash)
    joined: list[tuple[models.Member, PlannedMember]] = []
    for planned in _counted(plan_members(seed), "members joining", progress):
        if not await models.Member.filter(email=planned.email).exists():
            joined.append((await _create_member(planned, companies, password_hash), planned))
    # Everyone joins first, so each review's face is chosen among all the colleagues it had —
    # counted as the inflow allowance let them in over the years since.
    if joined:
        await recompute_aggregates(fix=True)
        await replay_admissions()
    for member, _ in _counted(joined, "jobs sent for verification", progress):
        await _verify_jobs(member, representatives)
    written: list[tuple[models.Review, PlannedReview]] = []
    for member, planned in _counted(joined, "members' reviews written", progress):
        written += await _write_reviews(member, planned, representatives)
    reviews_created = len(written)
    await _helpful_votes(written, [member for member, _ in joined], random.Random(seed))
    for member, _ in _counted(joined, "career credits computed", progress):
        await refresh_stored_credit(member.id)
    if joined:
        await _settled_polls(companies[COMPANIES[0].name])
        # Histories were written as they stood years ago (backdated claims), past the write
        # path's record tallies: rebuild them, as seed-scale does.
        await recompute_aggregates(fix=True)
    return SeedReport(companies_created, len(joined), reviews_created)


async def _verify_jobs(member: models.Member, representatives: dict[str, models.Member]) -> None:
    """Companies with a representative verify most jobs and dispute the odd one."""
    by_company = {company_slug(name): rep for name, rep in representatives.items()}
    for employment in await models.Employment.filter(member=member).select_related("company"):
        representative = by_company.get(employment.company.slug)
        if representative is None or employment.id % 3 == 0:
            continue
        decision = VerificationState.DISPUTED if employment.id % 11 == 0 else VerificationState.VERIFIED
        asked = await request_verification(member, employment.id)
        assert asked.value is not None, asked.violations
        outcome = await verify_employment(representative, employment.id, decision)
        assert outcome.value is not None, outcome.violations


async def _create_member(
    planned: PlannedMember, companies: dict[str, models.Company], password_hash: str
) -> models.Member:
    async with in_transaction():
        member = await models.Member.create(  # demo accounts' addresses count as proven
            email=planned.email, verified_email=planned.email, display_name=planned.name, password_hash=password_hash
        )
        for stint in planned.stints:
            employment = await models.Employment.create(
                member=member, company=companies[stint.company.name], job_function=stint.function,
                location=stint.company.city, start_date=stint.start, end_date=stint.end,
            )
            await models.Position.bulk_create([
                models.Position(employment=employment, title=t, level=lv, start_date=s)
                for t, lv, s in stint.positions
            ])
        if planned.career_break:
            start, end = planned.career_break
            await models.CareerBreak.create(
                member=member, kind=CareerBreakKind.EDUCATION, start_date=start, end_date=end
            )
        # Demo members have been on workcred for years, so they count as established colleagues.
        await models.Member.filter(id=member.id).update(created_at=DEMO_JOINED_AT, email_verified_at=DEMO_JOINED_AT)
        await models.Employment.filter(member_id=member.id).update(created_at=DEMO_JOINED_AT)
    return member


async def _write_reviews(
    member: models.Member, planned: PlannedMember, representatives: dict[str, models.Member]
) -> list[tuple[models.Review, PlannedReview]]:
    """Reviews go through the same write path as the API, so aggregates are maintained."""
    written: list[tuple[models.Review, PlannedReview]] = []
    employments = await models.Employment.filter(member=member).order_by("start_date")
    for employment, stint in zip(employments, planned.stints, strict=True):
        plan = stint.review
        if plan is None:
            continue
        content = ReviewContent(plan.overall, plan.ratings, plan.title, plan.pros, plan.cons, plan.advice)
        outcome = await submit_review(member, employment.id, content, written_at=plan.written_at)
        if outcome.value is None:
            assert [v.code for v in outcome.violations] == [ErrorCode.REVIEW_TOO_SOON], outcome.violations
            continue
        if outcome.value.status is ReviewStatus.HELD:
            # Small companies may have too few colleagues for an anonymous face, as in life; the
            # author takes it back (a release run would otherwise publish it, dated the day it runs).
            await withdraw_review(member, outcome.value.id)
            continue
        written.append((outcome.value, plan))
        responder = representatives.get(stint.company.name)
        if plan.answered_after_hours is not None and responder is not None:
            response = await respond_to_review(responder, outcome.value.id, plan.response)
            assert response.value is not None, response.violations
            answered_at = plan.written_at + timedelta(hours=plan.answered_after_hours)
            await models.CompanyResponse.filter(id=response.value.id).update(created_at=answered_at)
        if plan.withdrawn:
            withdrawn = await withdraw_review(member, outcome.value.id)
            assert withdrawn.value is not None, withdrawn.violations
    return written


async def _helpful_votes(
    written: list[tuple[models.Review, PlannedReview]], members: list[models.Member], rng: random.Random
) -> None:
    """Other members mark reviews helpful: the votes and the counts they make, in bulk."""
    votes = []
    for review, plan in written:
        voters = [m for m in rng.sample(members, k=min(plan.helpful_votes + 1, len(members))) if m.id != review.author_id]
        voters = voters[: plan.helpful_votes]
        votes += [models.HelpfulVote(review_id=review.id, member_id=voter.id) for voter in voters]
        if voters:
            await models.Review.filter(id=review.id).update(helpful_count=len(voters))
    await models.HelpfulVote.bulk_create(votes, batch_size=500)


async def _seed_representatives(
    companies: dict[str, models.Company], password_hash: str
) -> dict[str, models.Member]:
    """A representative for every company that answers reviews, and a CEO for the first one."""
    speakers: dict[str, models.Member] = {}
    roles = [(spec, CompanyRoleKind.REPRESENTATIVE) for spec in COMPANIES if spec.response_share > 0]
    roles.append((COMPANIES[0], CompanyRoleKind.CEO))
    for spec, kind in roles:
        slug = company_slug(spec.name)
        email = f"{kind.value.lower()}@{slug}.{DEMO_EMAIL_DOMAIN}"
        member, _ = await models.Member.get_or_create(
            verified_email=email,
            defaults={"email": email, "display_name": f"{spec.name} {kind.value.title()}", "password_hash": password_hash,
                      "email_verified_at": DEMO_JOINED_AT},
        )
        await models.CompanyRole.get_or_create(
            company=companies[spec.name], member=member, defaults={"kind": kind}
        )
        speakers.setdefault(spec.name, member)
    return speakers


async def _seed_moderator(password_hash: str) -> None:
    """A platform moderator, so the governance examples (docs/governance.md) run on the demo."""
    await models.Member.get_or_create(
        verified_email=MODERATOR_EMAIL,
        defaults={"email": MODERATOR_EMAIL, "display_name": "Demo Moderator", "password_hash": password_hash,
                  "email_verified_at": DEMO_JOINED_AT},
    )
    await grant_moderator(MODERATOR_EMAIL)


async def _settled_polls(company: models.Company) -> None:
    """Three settled polls on the first company's reviews, so its page shows governance at
    work: one removed by vote, one kept, one vetoed by its CEO."""
    reviews = await models.Review.filter(company_id=company.id, status=ReviewStatus.PUBLISHED).order_by("id").limit(3)
    authors = {review.author_id for review in reviews}
    voters = [
        member
        for member in await models.Member.filter(employments__company_id=company.id).distinct().order_by("id")
        if member.id not in authors
    ][:12]
    ceo = await models.Member.get(roles__company_id=company.id, roles__kind=CompanyRoleKind.CEO)
    plans = [(RemovalReason.FAKE, 12, True), (RemovalReason.OFF_TOPIC, 4, True), (RemovalReason.SPAM, 3, False)]
    for review, (reason, voting, remove) in zip(reviews, plans, strict=True):
        opened = await open_poll(voters[0], PollRequest(review.id, None, reason, None))
        assert opened.value is not None, opened.violations
        for voter in voters[:voting]:
            await cast_vote(voter, opened.value.id, remove)
        if reason is RemovalReason.SPAM:
            vetoed = await veto(ceo, opened.value.id, "We think this review is fair.")
            assert vetoed.value is not None, vetoed.violations
            continue
        await models.RemovalPoll.filter(id=opened.value.id).update(closes_at=opened.value.opened_at)
        await settle_due_polls([opened.value.id])
