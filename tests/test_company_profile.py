"""A company's representatives keep its page current; nobody else can, and reviews stay as written."""

from __future__ import annotations

import pytest

from domain.company import ProfileEdit, check_profile_edit, is_web_address
from domain.enums import CompanyRoleKind
from tests.reviewing import published_review, representative

UPDATE = """mutation ($input: UpdateCompanyProfileInput!) { updateCompanyProfile(input: $input) {
  company { slug description website industry sizeBand headquartersCity }
  userErrors { field code message } } }"""
PAGE = """{ company(slug: "acme-robotics") { description website industry sizeBand headquartersCity
  reviews(first: 5) { edges { node { title pros } } } } }"""
SLUG = "acme-robotics"


async def update(api, token, **fields):
    return await api.mutate("updateCompanyProfile", UPDATE, {"companySlug": SLUG, **fields}, token)


def codes(payload):
    return [(e["field"], e["code"]) for e in payload["userErrors"]]


async def test_a_representative_updates_the_page_and_omitted_fields_stay(api):
    await published_review(api)
    rep = await representative(api, SLUG)
    first = await update(
        api, rep, description=" We build robots. ", website="https://acme.example.com/about",
        industry="Robotics", sizeBand="SIZE_201_1000", headquartersCity=" Shenzhen ",
    )
    assert first["userErrors"] == []
    assert first["company"] == {
        "slug": SLUG, "description": "We build robots.", "website": "https://acme.example.com/about",
        "industry": "Robotics", "sizeBand": "SIZE_201_1000", "headquartersCity": "Shenzhen",
    }
    second = await update(api, rep, website="")
    assert second["company"]["website"] is None
    page = (await api.query(PAGE)).data["company"]
    assert (page["description"], page["website"], page["industry"]) == ("We build robots.", None, "Robotics")


async def test_the_ceo_may_update_too(api):
    await published_review(api)
    ceo = await representative(api, SLUG, CompanyRoleKind.CEO)
    assert (await update(api, ceo, description="Hello"))["company"]["description"] == "Hello"


async def test_nobody_else_may_update_the_page(api):
    author, _ = await published_review(api)
    await published_review(api, company="Other Corp")
    rival = await representative(api, "other-corp")
    for token in (author, rival, await api.member()):
        response = await api.query(UPDATE, {"input": {"companySlug": SLUG, "description": "Bad place"}}, token)
        assert response.error_codes == ["FORBIDDEN"]
        assert response.body["data"] is None
    anonymous = await api.query(UPDATE, {"input": {"companySlug": SLUG, "description": "Bad place"}})
    assert anonymous.error_codes == ["UNAUTHENTICATED"]
    assert (await api.query(PAGE)).data["company"]["description"] is None


async def test_an_unknown_slug_is_a_user_error(api):
    rep = await api.member()
    payload = await api.mutate("updateCompanyProfile", UPDATE, {"companySlug": "no-such-co", "website": ""}, rep)
    assert codes(payload) == [(["companySlug"], "COMPANY_NOT_FOUND")]


async def test_bad_values_are_refused_and_nothing_is_half_written(api):
    await published_review(api)
    rep = await representative(api, SLUG)
    payload = await update(api, rep, description="Fine text", website="javascript:alert(1)")
    assert codes(payload) == [(["website"], "INVALID_URL")] and payload["company"] is None
    long = await update(api, rep, description="x" * 5001, website="https://a.example/" + "x" * 200)
    assert codes(long) == [(["description"], "TOO_LONG"), (["website"], "TOO_LONG")]
    assert (await api.query(PAGE)).data["company"]["description"] is None


async def test_reviews_stay_as_their_authors_wrote_them(api):
    await published_review(api)
    before = (await api.query(PAGE)).data["company"]["reviews"]
    rep = await representative(api, SLUG)
    await update(api, rep, description="Everyone loves it here")
    assert (await api.query(PAGE)).data["company"]["reviews"] == before


@pytest.mark.parametrize(
    "text",
    ["https://example.com", "http://acme.example.com/jobs?x=1#top", "HTTPS://Example.COM:8443/", "https://例子.中国"],
)
def test_web_addresses_that_are_accepted(text):
    assert is_web_address(text)


@pytest.mark.parametrize(
    "text",
    [
        "javascript:alert(1)", "ftp://example.com", "example.com", "https://", "https:///path",
        "https://localhost", "https://user:secret@example.com", "https://exa mple.com",
        "https://example.com/\nX-Injected: 1", "https://example.com:99999", "data:text/html,hi",
    ],
)
def test_web_addresses_that_are_refused(text):
    assert not is_web_address(text)


def test_blank_texts_clear_and_none_keeps():
    edit = ProfileEdit(description="  ", website=None, industry="  Big   Tech ").cleaned()
    assert check_profile_edit(edit) == []
    assert edit.changes() == {"description": None, "industry": "Big Tech"}
