"""Helpers for review tests: reviewers with real jobs, reviews written through the API."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

import models
from domain.enums import CompanyRoleKind
from tests.api import Api
from tests.test_employment import ADD
from workcred.roles import grant_role

REVIEW_FIELDS = """
review { id overall title pros cons adviceToManagement helpfulCount status statusReason
  createdAt updatedAt ratings { dimension score }
  tenure { employmentStatus tenure verified jobFunction location lastYear withheld }
  company { slug } response { id body } }
userErrors { field code message }
"""
SUBMIT = f"mutation ($input: SubmitReviewInput!) {{ submitReview(input: $input) {{ {REVIEW_FIELDS} }} }}"
EDIT = f"mutation ($input: EditReviewInput!) {{ editReview(input: $input) {{ {REVIEW_FIELDS} }} }}"
WITHDRAW = f"mutation ($input: ReviewIdInput!) {{ withdrawReview(input: $input) {{ {REVIEW_FIELDS} }} }}"
HELPFUL = f"mutation ($input: ReviewIdInput!) {{ markReviewHelpful(input: $input) {{ {REVIEW_FIELDS} }} }}"
RESPOND = """mutation ($input: RespondToReviewInput!) { respondToReview(input: $input) {
  response { id body createdAt updatedAt company { slug } } userErrors { field code message } } }"""
EDIT_RESPONSE = """mutation ($input: EditResponseInput!) { editResponse(input: $input) {
  response { id body createdAt updatedAt } userErrors { field code message } } }"""

COMPANY = "Acme Robotics"


async def reviewer(
    api: Api,
    company: str = COMPANY,
    job_function: str = "ENGINEERING",
    location: str = "Shanghai",
    start: str = "2019-01-01",
    end: str | None = None,
) -> tuple[str, str]:
    """A new member with one job at `company`; returns (token, employment id)."""
    token = await api.member()
    payload = await api.mutate(
        "addEmployment",
        ADD,
        {
            "companyName": company,
            "jobFunction": job_function,
            "location": location,
            "startDate": start,
            "endDate": end,
            "positions": [{"title": "Member of staff", "level": 3, "startDate": start}],
        },
        token,
    )
    assert payload["userErrors"] == [], payload
    return token, payload["employment"]["id"]


def review_input(employment_id: str, **changes: Any) -> dict[str, Any]:
    return {
        "employmentId": employment_id,
        "overall": 4,
        "ratings": [{"dimension": "COMPENSATION", "score": 5}, {"dimension": "WORK_LIFE_BALANCE", "score": 2}],
        "title": "Great pay, long hours",
        "pros": "Top-of-market salary and a real bonus.",
        "cons": "996 in launch season.",
        "adviceToManagement": "Hire ahead of launches.",
        **changes,
    }


async def submit(api: Api, token: str, employment_id: str, **changes: Any) -> dict[str, Any]:
    return await api.mutate("submitReview", SUBMIT, review_input(employment_id, **changes), token)


async def published_review(api: Api, **reviewer_args: Any) -> tuple[str, str]:
    """A published review by a new reviewer; returns (author token, review id)."""
    token, employment_id = await reviewer(api, **reviewer_args)
    payload = await submit(api, token, employment_id)
    assert payload["userErrors"] == [], payload
    return token, payload["review"]["id"]


async def representative(api: Api, company_slug: str, kind: CompanyRoleKind = CompanyRoleKind.REPRESENTATIVE) -> str:
    """A member granted a role at the company through the admin code path; returns their token."""
    token = await api.member()
    viewer = (await api.query("{ viewer { member { email } } }", token=token)).data["viewer"]
    await grant_role(company_slug, viewer["member"]["email"], kind)
    return token


REQUEST_VERIFICATION = """mutation ($input: EmploymentIdInput!) { requestVerification(input: $input) {
  employmentId verification userErrors { field code } } }"""
CANCEL_REQUEST = """mutation ($input: EmploymentIdInput!) { cancelVerificationRequest(input: $input) {
  employmentId verification userErrors { field code } } }"""


async def ask_to_verify(api: Api, employment_id: str, token: str) -> None:
    """The job's member sends it to its company to verify."""
    payload = await api.mutate("requestVerification", REQUEST_VERIFICATION, {"employmentId": employment_id}, token)
    assert payload["userErrors"] == [], payload


async def set_verified(employment_global_id: str) -> None:
    """Arrange a verified employment (the verification mutation belongs to career credit)."""
    from resolvers.company_record import restand_member
    from tests.api import pk

    employment = await models.Employment.get(id=await pk(employment_global_id, "Employment"))
    await models.Employment.filter(id=employment.id).update(verification="VERIFIED")
    await restand_member(employment.company_id, employment.member_id)  # as the verifying write does


# The statements of the ranking snapshot's catch-up under way in this task, if one is.
_catching_up: ContextVar[list[str] | None] = ContextVar("catching_up", default=None)


class StatementCounter(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.statements: list[str] = []  # the request's own
        # Each catch-up of the process's ranking snapshot with the data version: a process-wide
        # cost, counted apart. (On PostgreSQL the version moves with any commit in the cluster,
        # other tests' databases included, so a catch-up that finds nothing may come anywhere.)
        self.catch_ups: list[list[str]] = []
        self.executed: list[tuple[str, list[Any]]] = []  # (SQL, parameters) of all, to EXPLAIN

    def emit(self, record: logging.LogRecord) -> None:
        catching_up = _catching_up.get()
        (self.statements if catching_up is None else catching_up).append(record.getMessage())
        if isinstance(record.args, tuple) and len(record.args) == 2:
            query, values = record.args
            self.executed.append((str(query), list(values) if isinstance(values, list | tuple) else []))


@contextmanager
def counting_statements() -> Iterator[StatementCounter]:
    """Every SQL statement tortoise sends while the block runs, the ranking snapshot's
    catch-ups apart."""
    from resolvers.ranking_snapshot import RankingSnapshot

    logger = logging.getLogger("tortoise.db_client")
    counter = StatementCounter()
    previous_level = logger.level
    refresh = RankingSnapshot.refresh

    async def observed_refresh(snapshot: RankingSnapshot, version: str) -> None:
        statements: list[str] = []
        counter.catch_ups.append(statements)
        token = _catching_up.set(statements)
        try:
            await refresh(snapshot, version)
        finally:
            _catching_up.reset(token)

    RankingSnapshot.refresh = observed_refresh  # type: ignore[method-assign,assignment]
    logger.addHandler(counter)
    logger.setLevel(logging.DEBUG)
    try:
        yield counter
    finally:
        logger.removeHandler(counter)
        logger.setLevel(previous_level)
        RankingSnapshot.refresh = refresh  # type: ignore[method-assign]


async def age_accounts(days: int = 120) -> None:
    """Arrange that every account and job claim so far is `days` old (time passing; by default
    past the 90 days within which a colleague counts as recently counted). Cached pages go stale
    as they would over that time: every company is stamped changed."""
    from datetime import UTC, datetime, timedelta

    from infra import data_version
    from resolvers.colleagues import replay_admissions

    then = datetime.now(UTC) - timedelta(days=days)
    await models.Member.all().update(created_at=then)
    await models.Member.filter(email_verified_at__isnull=False).update(email_verified_at=then)
    await models.Employment.all().update(created_at=then)
    await models.CompanyMember.all().update(claimed_at=then)  # the record's copy of the claims
    await replay_admissions()  # counted as they would have been
    connection = models.Company._meta.db
    await data_version.bump(connection)
    await data_version.mark_every_company_changed(connection)
