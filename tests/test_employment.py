"""Employment history: every validation rule, company pages created and de-duplicated."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

EMPLOYMENT_FIELDS = """
employment { id jobFunction location startDate endDate isCurrent verification
  company { slug name } positions { title level startDate } }
userErrors { field code message }
"""
ADD = f"mutation ($input: AddEmploymentInput!) {{ addEmployment(input: $input) {{ {EMPLOYMENT_FIELDS} }} }}"
UPDATE = f"mutation ($input: UpdateEmploymentInput!) {{ updateEmployment(input: $input) {{ {EMPLOYMENT_FIELDS} }} }}"
REMOVE = """mutation ($input: RemoveEmploymentInput!) {
  removeEmployment(input: $input) { removedEmploymentId userErrors { field code } } }"""
ADD_BREAK = """mutation ($input: AddCareerBreakInput!) {
  addCareerBreak(input: $input) { careerBreak { id kind startDate endDate } userErrors { field code } } }"""
REMOVE_BREAK = """mutation ($input: RemoveCareerBreakInput!) {
  removeCareerBreak(input: $input) { removedCareerBreakId userErrors { field code } } }"""
HISTORY = """{ viewer { employments { company { slug } startDate positions { level } }
  careerBreaks { kind startDate } } }"""

TODAY = date.today()


def stint(**changes):
    base = {
        "companyName": "Ningde Battery Works",
        "jobFunction": "ENGINEERING",
        "location": "Ningde",
        "startDate": "2019-03-01",
        "endDate": "2022-06-30",
        "positions": [
            {"title": "Engineer", "level": 3, "startDate": "2019-03-01"},
            {"title": "Senior Engineer", "level": 4, "startDate": "2021-01-01"},
        ],
    }
    return {**base, **changes}


def codes(payload):
    return [e["code"] for e in payload["userErrors"]]


@pytest.fixture
async def token(api):
    return await api.member()


async def test_adding_a_job_creates_the_company_page(api, token):
    payload = await api.mutate("addEmployment", ADD, stint(), token)
    assert payload["userErrors"] == []
    employment = payload["employment"]
    assert employment["company"] == {"slug": "ningde-battery-works", "name": "Ningde Battery Works"}
    assert employment["verification"] == "UNVERIFIED"
    assert employment["isCurrent"] is False
    assert [p["level"] for p in employment["positions"]] == [3, 4]


async def test_company_pages_are_deduplicated_by_case_insensitive_name(api, token):
    other = await api.member()
    await api.mutate("addEmployment", ADD, stint(), token)
    # when another member types the name differently
    payload = await api.mutate(
        "addEmployment", ADD, stint(companyName="  NINGDE battery   works "), other
    )
    # then both jobs point at one page
    assert payload["employment"]["company"]["slug"] == "ningde-battery-works"
    companies = (await api.query("{ companies { totalCount } }")).data["companies"]
    assert companies["totalCount"] == 1


async def test_adding_by_slug_uses_the_existing_page(api, token):
    await api.mutate("addEmployment", ADD, stint(), token)
    payload = await api.mutate(
        "addEmployment",
        ADD,
        {**stint(startDate="2023-01-01", endDate=None,
                 positions=[{"title": "Lead", "level": 5, "startDate": "2023-01-01"}]),
         "companyName": None, "companySlug": "ningde-battery-works"},
        token,
    )
    assert payload["userErrors"] == []
    assert payload["employment"]["isCurrent"] is True


@pytest.mark.parametrize(
    "changes, field, code",
    [
        ({"companyName": None}, ["companyName"], "COMPANY_REQUIRED"),
        ({"companySlug": "ningde-battery-works"}, ["companyName"], "COMPANY_REQUIRED"),
        ({"companyName": None, "companySlug": "no-such-company"}, ["companySlug"], "COMPANY_NOT_FOUND"),
        ({"companyName": "!!!"}, ["companyName"], "INVALID_COMPANY_NAME"),
        ({"companyName": "A" * 121}, ["companyName"], "TOO_LONG"),
        ({"location": "   "}, ["location"], "REQUIRED"),
        ({"location": "x" * 121}, ["location"], "TOO_LONG"),
        ({"positions": []}, ["positions"], "POSITIONS_REQUIRED"),
    ],
)
async def test_company_location_and_position_list_rules(api, token, changes, field, code):
    payload = await api.mutate("addEmployment", ADD, stint(**changes), token)
    assert payload["employment"] is None
    assert [(e["field"], e["code"]) for e in payload["userErrors"]] == [(field, code)]


async def test_start_in_the_future_is_refused(api, token):
    tomorrow = (TODAY + timedelta(days=1)).isoformat()
    payload = await api.mutate(
        "addEmployment", ADD,
        stint(startDate=tomorrow, endDate=None,
              positions=[{"title": "Engineer", "level": 3, "startDate": tomorrow}]),
        token,
    )
    assert codes(payload) == ["START_IN_FUTURE"]


async def test_end_in_the_future_is_refused(api, token):
    payload = await api.mutate(
        "addEmployment", ADD, stint(endDate=(TODAY + timedelta(days=30)).isoformat()), token
    )
    assert codes(payload) == ["END_IN_FUTURE"]


async def test_end_before_start_is_refused(api, token):
    payload = await api.mutate("addEmployment", ADD, stint(endDate="2019-02-28"), token)
    assert "END_BEFORE_START" in codes(payload)
    assert payload["employment"] is None


@pytest.mark.parametrize("level", [0, 11, -3])
async def test_levels_outside_1_to_10_are_refused(api, token, level):
    payload = await api.mutate(
        "addEmployment", ADD,
        stint(positions=[{"title": "Engineer", "level": level, "startDate": "2019-03-01"}]),
        token,
    )
    assert [(e["field"], e["code"]) for e in payload["userErrors"]] == [
        (["positions", "0", "level"], "LEVEL_OUT_OF_RANGE")
    ]


async def test_a_position_must_lie_inside_the_stint(api, token):
    payload = await api.mutate(
        "addEmployment", ADD,
        stint(positions=[
            {"title": "Engineer", "level": 3, "startDate": "2019-03-01"},
            {"title": "Staff", "level": 6, "startDate": "2023-01-01"},
        ]),
        token,
    )
    assert [(e["field"], e["code"]) for e in payload["userErrors"]] == [
        (["positions", "1", "startDate"], "POSITION_OUTSIDE_STINT")
    ]


async def test_the_first_position_starts_with_the_stint(api, token):
    payload = await api.mutate(
        "addEmployment", ADD,
        stint(positions=[{"title": "Engineer", "level": 3, "startDate": "2019-05-01"}]),
        token,
    )
    assert codes(payload) == ["FIRST_POSITION_NOT_AT_START"]


async def test_two_positions_may_not_start_on_the_same_day(api, token):
    payload = await api.mutate(
        "addEmployment", ADD,
        stint(positions=[
            {"title": "Engineer", "level": 3, "startDate": "2019-03-01"},
            {"title": "Senior", "level": 4, "startDate": "2019-03-01"},
        ]),
        token,
    )
    assert codes(payload) == ["DUPLICATE_POSITION_START"]


async def test_position_titles_are_required_and_bounded(api, token):
    payload = await api.mutate(
        "addEmployment", ADD,
        stint(positions=[
            {"title": " ", "level": 3, "startDate": "2019-03-01"},
            {"title": "T" * 121, "level": 4, "startDate": "2020-03-01"},
        ]),
        token,
    )
    assert [(e["field"], e["code"]) for e in payload["userErrors"]] == [
        (["positions", "0", "title"], "REQUIRED"),
        (["positions", "1", "title"], "TOO_LONG"),
    ]


async def test_positions_may_be_given_in_any_order(api, token):
    payload = await api.mutate(
        "addEmployment", ADD,
        stint(positions=[
            {"title": "Senior Engineer", "level": 4, "startDate": "2021-01-01"},
            {"title": "Engineer", "level": 3, "startDate": "2019-03-01"},
        ]),
        token,
    )
    assert [p["startDate"] for p in payload["employment"]["positions"]] == ["2019-03-01", "2021-01-01"]


async def test_stints_at_the_same_company_may_not_overlap(api, token):
    await api.mutate("addEmployment", ADD, stint(), token)
    payload = await api.mutate(
        "addEmployment", ADD,
        stint(startDate="2022-01-01", endDate=None,
              positions=[{"title": "Lead", "level": 5, "startDate": "2022-01-01"}]),
        token,
    )
    assert codes(payload) == ["OVERLAPS_EXISTING_STINT"]


async def test_returning_to_a_company_later_is_a_new_stint(api, token):
    await api.mutate("addEmployment", ADD, stint(), token)
    payload = await api.mutate(
        "addEmployment", ADD,
        stint(startDate="2023-02-01", endDate=None,
              positions=[{"title": "Lead", "level": 5, "startDate": "2023-02-01"}]),
        token,
    )
    assert payload["userErrors"] == []


async def test_stints_at_different_companies_may_overlap(api, token):
    await api.mutate("addEmployment", ADD, stint(), token)
    payload = await api.mutate("addEmployment", ADD, stint(companyName="Side Project Labs"), token)
    assert payload["userErrors"] == []


async def test_another_members_overlap_does_not_count(api, token):
    await api.mutate("addEmployment", ADD, stint(), await api.member())
    payload = await api.mutate("addEmployment", ADD, stint(), token)
    assert payload["userErrors"] == []


async def test_adding_a_job_requires_signing_in(api):
    response = await api.query(ADD, {"input": stint()})
    assert response.error_codes == ["UNAUTHENTICATED"]
    assert (await api.query("{ companies { totalCount } }")).data["companies"]["totalCount"] == 0


async def test_update_changes_dates_and_replaces_positions(api, token):
    employment_id = (await api.mutate("addEmployment", ADD, stint(), token))["employment"]["id"]
    payload = await api.mutate(
        "updateEmployment", UPDATE,
        {"employmentId": employment_id, "endDate": None, "location": "Shanghai",
         "positions": [{"title": "Engineer", "level": 3, "startDate": "2019-03-01"},
                       {"title": "Staff Engineer", "level": 6, "startDate": "2023-01-01"}]},
        token,
    )
    assert payload["userErrors"] == []
    employment = payload["employment"]
    assert employment["isCurrent"] is True
    assert employment["location"] == "Shanghai"
    assert [p["level"] for p in employment["positions"]] == [3, 6]


async def test_update_keeps_omitted_fields(api, token):
    employment_id = (await api.mutate("addEmployment", ADD, stint(), token))["employment"]["id"]
    payload = await api.mutate(
        "updateEmployment", UPDATE, {"employmentId": employment_id, "jobFunction": "MANAGEMENT"}, token
    )
    employment = payload["employment"]
    assert employment["jobFunction"] == "MANAGEMENT"
    assert employment["endDate"] == "2022-06-30"
    assert len(employment["positions"]) == 2


async def test_update_validates_the_merged_result_and_writes_nothing_on_failure(api, token):
    employment_id = (await api.mutate("addEmployment", ADD, stint(), token))["employment"]["id"]
    payload = await api.mutate(
        "updateEmployment", UPDATE, {"employmentId": employment_id, "startDate": "2019-06-01"}, token
    )
    assert [(e["field"], e["code"]) for e in payload["userErrors"]] == [
        (["positions", "0", "startDate"], "POSITION_OUTSIDE_STINT")
    ]
    history = (await api.query(HISTORY, token=token)).data["viewer"]["employments"]
    assert history[0]["startDate"] == "2019-03-01"


async def test_update_may_not_create_an_overlap(api, token):
    await api.mutate("addEmployment", ADD, stint(), token)
    later = await api.mutate(
        "addEmployment", ADD,
        stint(startDate="2023-02-01", endDate=None,
              positions=[{"title": "Lead", "level": 5, "startDate": "2023-02-01"}]),
        token,
    )
    payload = await api.mutate(
        "updateEmployment", UPDATE,
        {"employmentId": later["employment"]["id"], "startDate": "2022-01-01",
         "positions": [{"title": "Lead", "level": 5, "startDate": "2022-01-01"}]},
        token,
    )
    assert codes(payload) == ["OVERLAPS_EXISTING_STINT"]


async def test_nobody_else_can_update_or_remove_my_job(api, token):
    employment_id = (await api.mutate("addEmployment", ADD, stint(), token))["employment"]["id"]
    intruder = await api.member()
    update = await api.mutate(
        "updateEmployment", UPDATE, {"employmentId": employment_id, "location": "Elsewhere"}, intruder
    )
    remove = await api.mutate("removeEmployment", REMOVE, {"employmentId": employment_id}, intruder)
    assert codes(update) == ["NOT_FOUND"] and codes(remove) == ["NOT_FOUND"]
    history = (await api.query(HISTORY, token=token)).data["viewer"]["employments"]
    assert len(history) == 1


@pytest.mark.parametrize("bad_id", ["garbage", "Q29tcGFueTox", ""])
async def test_unknown_or_malformed_ids_are_not_found(api, token, bad_id):
    payload = await api.mutate("removeEmployment", REMOVE, {"employmentId": bad_id}, token)
    assert [(e["field"], e["code"]) for e in payload["userErrors"]] == [(["employmentId"], "NOT_FOUND")]


async def test_remove_deletes_the_job_and_its_positions(api, token):
    employment_id = (await api.mutate("addEmployment", ADD, stint(), token))["employment"]["id"]
    payload = await api.mutate("removeEmployment", REMOVE, {"employmentId": employment_id}, token)
    assert payload == {"removedEmploymentId": employment_id, "userErrors": []}
    assert (await api.query(HISTORY, token=token)).data["viewer"]["employments"] == []


async def test_career_breaks_are_added_listed_and_removed(api, token):
    added = await api.mutate(
        "addCareerBreak", ADD_BREAK,
        {"kind": "PARENTAL_LEAVE", "startDate": "2022-07-01", "endDate": "2023-01-31"}, token,
    )
    assert added["userErrors"] == []
    ongoing = await api.mutate(
        "addCareerBreak", ADD_BREAK, {"kind": "EDUCATION", "startDate": "2024-09-01"}, token
    )
    assert ongoing["careerBreak"]["endDate"] is None
    breaks = (await api.query(HISTORY, token=token)).data["viewer"]["careerBreaks"]
    assert [b["kind"] for b in breaks] == ["EDUCATION", "PARENTAL_LEAVE"]
    removed = await api.mutate(
        "removeCareerBreak", REMOVE_BREAK, {"careerBreakId": added["careerBreak"]["id"]}, token
    )
    assert removed["userErrors"] == []


@pytest.mark.parametrize(
    "dates, code",
    [
        ({"startDate": "2023-01-01", "endDate": "2022-01-01"}, "END_BEFORE_START"),
        ({"startDate": (TODAY + timedelta(days=3)).isoformat()}, "START_IN_FUTURE"),
        ({"startDate": "2023-01-01", "endDate": (TODAY + timedelta(days=3)).isoformat()}, "END_IN_FUTURE"),
    ],
)
async def test_career_break_dates_are_validated(api, token, dates, code):
    payload = await api.mutate("addCareerBreak", ADD_BREAK, {"kind": "SABBATICAL", **dates}, token)
    assert [e["code"] for e in payload["userErrors"]] == [code]


async def test_career_breaks_may_not_overlap_each_other(api, token):
    await api.mutate(
        "addCareerBreak", ADD_BREAK,
        {"kind": "HEALTH", "startDate": "2022-01-01", "endDate": "2022-06-30"}, token,
    )
    payload = await api.mutate(
        "addCareerBreak", ADD_BREAK,
        {"kind": "CAREGIVING", "startDate": "2022-06-01", "endDate": "2022-12-31"}, token,
    )
    assert [e["code"] for e in payload["userErrors"]] == ["OVERLAPS_EXISTING_BREAK"]


async def test_nobody_else_can_remove_my_career_break(api, token):
    added = await api.mutate(
        "addCareerBreak", ADD_BREAK, {"kind": "HEALTH", "startDate": "2022-01-01"}, token
    )
    payload = await api.mutate(
        "removeCareerBreak", REMOVE_BREAK, {"careerBreakId": added["careerBreak"]["id"]},
        await api.member(),
    )
    assert [e["code"] for e in payload["userErrors"]] == ["NOT_FOUND"]
