"""Deterministic, idempotent demo data: companies across industries, members with careers.

Every run produces the same rows (a seeded generator, fixed dates); running twice adds nothing.
All names are fictional.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from tortoise.transactions import in_transaction

import models
from domain.accounts import Passwords
from domain.companies import company_slug
from domain.enums import CareerBreakKind, CompanyRoleKind, CompanySizeBand, JobFunction

DEMO_PASSWORD = "workcred-demo-password"
DEMO_EMAIL_DOMAIN = "demo.workcred.test"
# A fixed "today" keeps the data identical whatever day it is seeded.
DEMO_AS_OF = date(2026, 6, 30)
MEMBER_COUNT = 40


@dataclass(frozen=True)
class DemoCompany:
    name: str
    industry: str
    size_band: CompanySizeBand
    city: str
    description: str


COMPANIES = [
    DemoCompany("Qingyun Electric Motors", "New-energy vehicles", CompanySizeBand.SIZE_10000_PLUS,
                "Shenzhen", "Battery-electric cars and the battery packs inside them."),
    DemoCompany("Lanting Auto", "New-energy vehicles", CompanySizeBand.SIZE_1001_5000,
                "Hefei", "Plug-in hybrids for families; a young, fast-growing maker."),
    DemoCompany("Zhiyuan Intelligence", "Artificial intelligence", CompanySizeBand.SIZE_1001_5000,
                "Beijing", "Large language models for enterprise search and support."),
    DemoCompany("Deepframe AI", "Artificial intelligence", CompanySizeBand.SIZE_51_200,
                "Hangzhou", "Computer vision for factory quality inspection."),
    DemoCompany("Xinhe Semiconductor", "Chips", CompanySizeBand.SIZE_5001_10000,
                "Shanghai", "Designs power-management and automotive microcontrollers."),
    DemoCompany("Huaxin Microelectronics", "Chips", CompanySizeBand.SIZE_201_1000,
                "Wuxi", "Packaging and testing for analog chips."),
    DemoCompany("Kangning Biotech", "Biomedicine", CompanySizeBand.SIZE_201_1000,
                "Suzhou", "Antibody drugs from discovery to phase-II trials."),
    DemoCompany("Mingde Pharma", "Biomedicine", CompanySizeBand.SIZE_1001_5000,
                "Chengdu", "Generic drugs and a growing innovative pipeline."),
    DemoCompany("Tanzero Energy", "Carbon-neutral technology", CompanySizeBand.SIZE_51_200,
                "Ordos", "Green hydrogen from wind and solar power."),
    DemoCompany("Greenledger Carbon", "Carbon-neutral technology", CompanySizeBand.SIZE_1_50,
                "Shenzhen", "Carbon accounting software for exporters."),
    DemoCompany("Kuaixun Internet", "Internet", CompanySizeBand.SIZE_10000_PLUS,
                "Beijing", "Short video, news feeds and advertising."),
    DemoCompany("Shanhai Social", "Internet", CompanySizeBand.SIZE_5001_10000,
                "Guangzhou", "Messaging and community apps."),
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


@dataclass(frozen=True)
class SeedReport:
    companies_created: int
    members_created: int


def _title(titles: list[str], level: int) -> str:
    return titles[min((level - 1) // 2, len(titles) - 1)]


def _career(rng: random.Random) -> list[tuple[DemoCompany, JobFunction, date, date | None, list[tuple[str, int, date]]]]:
    """A plausible career: 1–4 stints, moving forward in time, promotions inside stints."""
    function = rng.choice(list(TITLES))
    titles = TITLES[function]
    start = date(2010, 1, 1) + timedelta(days=rng.randrange(0, 365 * 11))
    level = rng.randint(1, 3)
    stints = []
    companies = rng.sample(COMPANIES, k=rng.randint(1, 4))
    for index, company in enumerate(companies):
        months = rng.choice([7, 14, 20, 30, 42, 60, 84])
        end: date | None = start + timedelta(days=30 * months)
        last = index == len(companies) - 1
        if end >= DEMO_AS_OF or (last and rng.random() < 0.7):
            end = None
        positions = [(_title(titles, level), level, start)]
        cursor = start + timedelta(days=rng.randint(300, 700))
        while cursor < (end or DEMO_AS_OF) and level < 10 and rng.random() < 0.6:
            level += 1
            positions.append((_title(titles, level), level, cursor))
            cursor += timedelta(days=rng.randint(300, 900))
        stints.append((company, function, start, end, positions))
        if end is None:
            break
        start = end + timedelta(days=rng.choice([1, 14, 45, 120, 250]))
        if start >= DEMO_AS_OF:
            break
    return stints


async def seed_demo(passwords: Passwords) -> SeedReport:
    rng = random.Random(20221101)
    companies_created = 0
    companies: dict[str, models.Company] = {}
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
    members_created = 0
    for number in range(1, MEMBER_COUNT + 1):
        career = _career(rng)
        name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
        email = f"member{number}@{DEMO_EMAIL_DOMAIN}"
        takes_break = rng.random() < 0.2
        if await models.Member.filter(email=email).exists():
            continue
        async with in_transaction():
            member = await models.Member.create(
                email=email, display_name=name, password_hash=password_hash
            )
            for company, function, start, end, positions in career:
                employment = await models.Employment.create(
                    member=member, company=companies[company.name], job_function=function,
                    location=company.city, start_date=start, end_date=end,
                )
                await models.Position.bulk_create([
                    models.Position(employment=employment, title=t, level=lv, start_date=s)
                    for t, lv, s in positions
                ])
            if takes_break and career[-1][3] is not None:
                gap_start = career[-1][3] + timedelta(days=1)
                await models.CareerBreak.create(
                    member=member, kind=CareerBreakKind.EDUCATION, start_date=gap_start,
                    end_date=min(gap_start + timedelta(days=300), DEMO_AS_OF),
                )
        members_created += 1

    await _seed_representatives(companies, password_hash)
    return SeedReport(companies_created, members_created)


async def _seed_representatives(companies: dict[str, models.Company], password_hash: str) -> None:
    """One representative and one CEO account for the first companies, for trying responses."""
    for spec, kind in [(COMPANIES[0], CompanyRoleKind.REPRESENTATIVE), (COMPANIES[0], CompanyRoleKind.CEO),
                       (COMPANIES[2], CompanyRoleKind.REPRESENTATIVE)]:
        slug = company_slug(spec.name)
        email = f"{kind.value.lower()}@{slug}.{DEMO_EMAIL_DOMAIN}"
        member, _ = await models.Member.get_or_create(
            email=email,
            defaults={"display_name": f"{spec.name} {kind.value.title()}", "password_hash": password_hash},
        )
        await models.CompanyRole.get_or_create(
            company=companies[spec.name], member=member, defaults={"kind": kind}
        )
