"""The `workcred` ops command against a real database (both kinds): its `main()` in-process, and
a real subprocess where the process itself is what is tested."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date

import pytest

from domain.employment import PositionDraft, StintDraft, check_stint
from tests.cli import workcred, workcred_process
from tests.databases import demo_seeding_report, execute, fetch
from workcred.demo import DEMO_AS_OF


def as_date(value: date | str) -> date:
    return value if isinstance(value, date) else date.fromisoformat(value)


@pytest.fixture
def seeded_url(demo_database_url) -> str:
    """A copy of the demo data, which `workcred seed-demo` seeded once for the run."""
    return demo_database_url


def test_seed_demo_reports_what_it_created(seeded_url, database_kind):
    assert "12 companies, 320 members and 555 reviews created" in demo_seeding_report(database_kind)


def test_demo_reviews_look_like_life(seeded_url):
    reviews = fetch(seeded_url, "SELECT id, title, pros, cons, advice_to_management, overall, status, "
                                "helpful_count, company_id FROM review")
    responses = dict(fetch(seeded_url, "SELECT review_id, body FROM company_response"))
    sentences: Counter[str] = Counter()
    for review_id, *texts in (row[:5] for row in reviews):
        texts.append(responses.get(review_id))
        sentences.update({s for text in texts if text for s in re.split(r"(?<=[.!?])\s+", text.strip())})
    most_common, uses = sentences.most_common(1)[0]
    assert uses <= 0.05 * len(reviews), (most_common, uses)
    assert {row[5] for row in reviews} == {1, 2, 3, 4, 5}
    statuses = Counter(row[6] for row in reviews)
    assert 0 < statuses["WITHDRAWN"] < 0.05 * len(reviews)
    votes = Counter(review_id for (review_id,) in fetch(seeded_url, "SELECT review_id FROM helpful_vote"))
    assert {row[0]: row[7] for row in reviews if row[7]} == dict(votes)
    assert len(set(votes.values())) > 5  # MOST_HELPFUL has something to order by
    per_company = Counter(row[8] for row in reviews if row[6] == "PUBLISHED")
    assert max(per_company.values()) >= 100 and min(per_company.values()) < 30


def test_the_demo_plan_is_deterministic_under_its_seed():
    from workcred.demo import plan_members

    assert plan_members() == plan_members()
    assert plan_members(7) == plan_members(7) != plan_members()


def test_seed_demo_is_idempotent(seeded_url):
    again = workcred_process(seeded_url, "seed-demo")
    assert again.returncode == 0, again.stderr
    assert "0 companies, 0 members and 0 reviews created" in again.stdout
    # seeding tells how far it got, on stderr (on PostgreSQL it takes a minute or two)
    assert "demo data: members joining: 320 of 320" in again.stderr


def test_demo_histories_obey_the_rules_members_are_held_to(seeded_url):
    stints = fetch(seeded_url, "SELECT id, start_date, end_date, location FROM employment")
    positions = fetch(seeded_url, "SELECT employment_id, title, level, start_date FROM position")
    [(promotions,)] = fetch(
        seeded_url,
        "SELECT COUNT(*) FROM position p JOIN position q ON p.employment_id = q.employment_id "
        "AND q.start_date > p.start_date AND q.level > p.level",
    )
    [(multi_stint_members,)] = fetch(
        seeded_url,
        "SELECT COUNT(*) FROM (SELECT member_id FROM employment GROUP BY member_id "
        "HAVING COUNT(*) > 1) AS multi",
    )
    assert len(stints) >= 60 and promotions > 20 and multi_stint_members >= 10
    for employment_id, start, end, location in stints:
        drafts = [
            PositionDraft(title, level, as_date(started))
            for owner, title, level, started in positions
            if owner == employment_id
        ]
        stint = StintDraft(
            as_date(start), as_date(end) if end else None, location, drafts
        )
        assert check_stint(stint, DEMO_AS_OF) == [], (employment_id, stint)


def test_grant_role_makes_a_member_a_representative(seeded_url):
    result = workcred(
        seeded_url, "grant-role", "--company", "deepframe-ai",
        "--email", "Member7@demo.workcred.test", "--role", "REPRESENTATIVE",
    )
    assert result.returncode == 0, result.stderr
    assert "is now REPRESENTATIVE of deepframe-ai" in result.stdout


@pytest.mark.parametrize(
    "args, message",
    [
        (["--company", "no-such-co", "--email", "member1@demo.workcred.test", "--role", "CEO"],
         "No company with slug 'no-such-co'."),
        (["--company", "deepframe-ai", "--email", "ghost@example.com", "--role", "CEO"],
         "No member has verified the address 'ghost@example.com'."),
        (["--company", "qingyun-electric-motors", "--email", "member2@demo.workcred.test", "--role", "CEO"],
         "Qingyun Electric Motors already has a CEO; revoke that role first."),
    ],
)
def test_grant_role_refuses_clearly(seeded_url, args, message):
    result = workcred(seeded_url, "grant-role", *args)
    assert result.returncode == 1
    assert message in result.stderr


def test_grant_role_rejects_unknown_role_kinds(seeded_url):
    result = workcred(
        seeded_url, "grant-role", "--company", "deepframe-ai",
        "--email", "member1@demo.workcred.test", "--role", "OWNER",
    )
    assert result.returncode == 2 and "invalid choice: 'OWNER'" in result.stderr


def test_revoke_role(seeded_url):
    email = "member9@demo.workcred.test"
    assert workcred(seeded_url, "grant-role", "--company", "lanting-auto", "--email", email,
                    "--role", "REPRESENTATIVE").returncode == 0
    assert workcred(seeded_url, "revoke-role", "--company", "lanting-auto", "--email", email).returncode == 0
    again = workcred(seeded_url, "revoke-role", "--company", "lanting-auto", "--email", email)
    assert again.returncode == 1 and "holds no role" in again.stderr


def test_bad_settings_stop_the_command_with_a_clear_message(seeded_url):
    result = workcred_process(seeded_url, "migrate", WORKCRED_K_ANONYMITY="many")
    assert result.returncode == 2
    assert "WORKCRED_K_ANONYMITY='many' is not a valid int" in result.stderr


def test_export_schema_check_passes_on_the_committed_file(seeded_url):
    result = workcred(seeded_url, "export-schema", "--check")
    assert result.returncode == 0, result.stderr


def test_demo_companies_answer_reviews_at_different_rates(seeded_url):
    rates = dict(fetch(
        seeded_url,
        "SELECT c.slug, CAST(COUNT(cr.id) AS REAL) / COUNT(r.id) FROM company c "
        "JOIN review r ON r.company_id = c.id LEFT JOIN company_response cr ON cr.review_id = r.id "
        "GROUP BY c.slug",
    ))
    assert rates["deepframe-ai"] == 0 and rates["greenledger-carbon"] == 1
    assert sum(0 < rate < 1 for rate in rates.values()) >= 4


def test_repair_aggregates_reports_and_fixes_drift(seeded_url):
    assert workcred(seeded_url, "repair-aggregates", "--check").stdout.startswith("drift found: 0")
    # given two aggregate rows that no longer match the reviews
    execute(seeded_url, "UPDATE rating_aggregate SET count = count + 3 WHERE id = 1")
    execute(seeded_url, "UPDATE rating_trend SET total = total - 1 WHERE id = 1")
    # when checking, then fixing
    check = workcred(seeded_url, "repair-aggregates", "--check")
    fix = workcred(seeded_url, "repair-aggregates")
    after = workcred(seeded_url, "repair-aggregates", "--check")
    # then
    assert check.returncode == 1
    assert check.stdout.strip() == (
        "drift found: 2 (1 rating aggregate rows, 1 quarterly trend rows, 0 record member rows, "
        "0 record histogram rows, 0 companies' running counts)"
    )
    assert fix.returncode == 0 and fix.stdout.startswith("drift fixed: 2")
    assert after.returncode == 0 and after.stdout.startswith("drift found: 0")
