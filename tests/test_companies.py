"""Company lookup, listing, filtering and Relay pagination bounds."""

from __future__ import annotations

import pytest

from tests.databases import execute
from tests.test_employment import ADD, stint

PAGE = """
query ($first: Int, $after: String, $last: Int, $before: String, $search: String,
       $filter: CompanyFilter, $orderBy: CompanyOrder) {
  companies(first: $first, after: $after, last: $last, before: $before, search: $search,
            filter: $filter, orderBy: $orderBy) {
    totalCount
    edges { cursor node { slug name } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}
"""


@pytest.fixture
async def companies(api):
    """25 companies named "Company 01" … "Company 25", created through the API."""
    token = await api.member()
    for number in range(1, 26):
        payload = await api.mutate("addEmployment", ADD, stint(companyName=f"Company {number:02d}"), token)
        assert payload["userErrors"] == []
    return [f"company-{n:02d}" for n in range(1, 26)]


def slugs(connection):
    return [edge["node"]["slug"] for edge in connection["edges"]]


async def test_default_page_is_20_with_total_count(api, companies):
    connection = (await api.query(PAGE)).data["companies"]
    assert connection["totalCount"] == 25
    assert slugs(connection) == companies[:20]
    assert connection["pageInfo"]["hasNextPage"] is True
    assert connection["pageInfo"]["hasPreviousPage"] is False


async def test_walking_forward_visits_every_company_once(api, companies):
    seen, after = [], None
    while True:
        connection = (await api.query(PAGE, {"first": 7, "after": after})).data["companies"]
        seen += slugs(connection)
        if not connection["pageInfo"]["hasNextPage"]:
            break
        after = connection["pageInfo"]["endCursor"]
    assert seen == companies


async def test_walking_backward_with_last_and_before(api, companies):
    tail = (await api.query(PAGE, {"last": 5})).data["companies"]
    assert slugs(tail) == companies[-5:]
    assert tail["pageInfo"]["hasPreviousPage"] is True
    before = (await api.query(PAGE, {"last": 5, "before": tail["pageInfo"]["startCursor"]})).data
    assert slugs(before["companies"]) == companies[15:20]


async def test_descending_order(api, companies):
    connection = (await api.query(PAGE, {"first": 3, "orderBy": {"direction": "DESC"}})).data
    assert slugs(connection["companies"]) == companies[::-1][:3]


@pytest.mark.parametrize(
    "variables, message",
    [
        ({"first": 0}, "`first` must be between 1 and 100, got 0."),
        ({"first": 101}, "`first` must be between 1 and 100, got 101."),
        ({"last": -1}, "`last` must be between 1 and 100, got -1."),
        ({"after": "not-a-cursor"}, "`after` is not a cursor from this connection."),
        ({"before": "b2Zmc2V0Oi0x"}, "`before` is not a cursor from this connection."),
        ({"after": "Q29tcGFueTox"}, "`after` is not a cursor from this connection."),
    ],
)
async def test_pagination_arguments_out_of_bounds_are_clear_errors(api, variables, message):
    response = await api.query(PAGE, variables)
    assert response.status == 200
    assert response.body["data"] is None
    [error] = response.body["errors"]
    assert error["message"] == message
    assert error["extensions"] == {"code": "BAD_USER_INPUT"}


async def test_first_100_is_allowed(api, companies):
    assert len((await api.query(PAGE, {"first": 100})).data["companies"]["edges"]) == 25


async def test_a_cursor_past_the_end_gives_an_empty_page(api, companies):
    last = (await api.query(PAGE, {"last": 1})).data["companies"]["pageInfo"]["endCursor"]
    connection = (await api.query(PAGE, {"after": last})).data["companies"]
    assert connection["edges"] == [] and connection["pageInfo"]["hasNextPage"] is False


async def test_search_matches_part_of_the_name_case_insensitively(api, companies):
    connection = (await api.query(PAGE, {"search": "ANY 1"})).data["companies"]
    assert slugs(connection) == [f"company-{n}" for n in range(10, 20)]


@pytest.mark.parametrize(
    "company_filter, expected",
    [
        ({"industry": "chips"}, ["huaxin-microelectronics", "xinhe-semiconductor"]),
        ({"city": "Shenzhen"}, ["greenledger-carbon", "qingyun-electric-motors"]),
        ({"industry": "Internet", "sizeBand": "SIZE_10000_PLUS"}, ["kuaixun-internet"]),
        ({"industry": "Chips", "city": "Beijing"}, []),
    ],
)
async def test_filters_by_industry_size_and_city(demo, company_filter, expected):
    connection = (await demo.query(PAGE, {"filter": company_filter})).data["companies"]
    assert slugs(connection) == expected
    assert connection["totalCount"] == len(expected)


async def test_company_by_slug(api, companies):
    found = (await api.query('{ company(slug: "Company-07") { slug name } }')).data
    assert found == {"company": {"slug": "company-07", "name": "Company 07"}}
    assert (await api.query('{ company(slug: "nope") { slug } }')).data == {"company": None}


FIT = {"weights": [{"dimension": "COMPENSATION", "weight": 5}, {"dimension": "CULTURE", "weight": 2}]}


async def test_pages_stay_put_while_companies_are_added_before_them(api, companies):
    # given a reader on page 1 of 5 (of companies by name, and of companies by fit)
    token = await api.member()
    by_fit = {"orderBy": {"field": "FIT"}, "priorities": FIT}
    ranked = """query ($first: Int, $after: String, $last: Int, $before: String, $priorities: PrioritiesInput,
                       $orderBy: CompanyOrder) {
      companies(first: $first, after: $after, last: $last, before: $before, priorities: $priorities, orderBy: $orderBy) {
        edges { cursor node { slug } } nodes { slug } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }"""
    name_page = (await api.query(PAGE, {"first": 5})).data["companies"]
    fit_everything = slugs((await api.query(ranked, {"first": 100, **by_fit})).data["companies"])
    fit_page = (await api.query(ranked, {"first": 5, **by_fit})).data["companies"]
    # when companies are created that sort before where the reader stands, in either order
    for name in ("Company 00", "Company 03a", "AAA First"):
        assert (await api.mutate("addEmployment", ADD, stint(companyName=name), token))["userErrors"] == []
    # then the next page starts right after the last company the reader saw
    name_next = (await api.query(PAGE, {"first": 5, "after": name_page["pageInfo"]["endCursor"]})).data["companies"]
    fit_next = (await api.query(ranked, {"first": 5, "after": fit_page["pageInfo"]["endCursor"], **by_fit})).data
    assert slugs(name_page) + slugs(name_next) == companies[:10]
    new = {"company-00", "company-03a", "aaa-first"}
    old_next = [slug for slug in slugs(fit_next["companies"]) if slug not in new]
    assert old_next and old_next == fit_everything[5 : 5 + len(old_next)]
    assert not set(slugs(fit_page)) & set(slugs(fit_next["companies"]))
    # and back again: the page before the second page's first company ends where the first did
    back = (await api.query(PAGE, {"last": 5, "before": name_next["pageInfo"]["startCursor"]})).data["companies"]
    assert slugs(back) == ["company-02", "company-03", "company-03a", "company-04", "company-05"]
    assert back["pageInfo"]["hasPreviousPage"] is True and back["pageInfo"]["hasNextPage"] is True
    assert fit_next["companies"]["nodes"] == [edge["node"] for edge in fit_next["companies"]["edges"]]


async def test_a_removed_row_still_marks_its_place(api, companies, settings):
    page = (await api.query(PAGE, {"first": 3})).data["companies"]
    # the company the cursor names is renamed away (as if gone from this order)
    execute(settings.database_url, "UPDATE company SET name = 'Zzz Gone' WHERE slug = 'company-03'")
    following = (await api.query(PAGE, {"first": 3, "after": page["pageInfo"]["endCursor"]})).data["companies"]
    assert slugs(following) == companies[3:6]


NAMES = ["Acme Cloud", "Cloud Nine", "Stormcloud Labs", "Cloudberry", "Straße Bau", "青云电机", "Clover"]


@pytest.fixture
async def named(api):
    token = await api.member()
    for name in NAMES:
        payload = await api.mutate("addEmployment", ADD, stint(companyName=name), token)
        assert payload["userErrors"] == []


def names(connection):
    return [edge["node"]["name"] for edge in connection["edges"]]


async def test_search_lists_names_starting_with_it_first_then_names_containing_it(api, named):
    connection = (await api.query(PAGE, {"search": "CLOUD"})).data["companies"]
    assert names(connection) == ["Cloud Nine", "Cloudberry", "Acme Cloud", "Stormcloud Labs"]
    assert connection["totalCount"] == 4
    # one at a time, forward across the two parts and back again
    seen, after = [], None
    while True:
        page = (await api.query(PAGE, {"search": "cloud", "first": 1, "after": after})).data["companies"]
        seen += names(page)
        after = page["pageInfo"]["endCursor"]
        if not page["pageInfo"]["hasNextPage"]:
            break
    assert seen == names(connection)
    back = (await api.query(PAGE, {"search": "cloud", "last": 3, "before": after})).data["companies"]
    assert names(back) == seen[:3] and back["pageInfo"]["hasPreviousPage"] is False
    # and each part reversed when descending (the names containing it elsewhere by when they joined)
    descending = (await api.query(PAGE, {"search": "cloud", "orderBy": {"field": "NAME", "direction": "DESC"}})).data
    assert names(descending["companies"]) == ["Cloudberry", "Cloud Nine", "Stormcloud Labs", "Acme Cloud"]


@pytest.mark.parametrize(
    "search, expected",
    [
        ("青云", ["青云电机"]),  # two characters: by prefix
        ("云电机", ["青云电机"]),  # three or more: anywhere in the name
        ("电机", []),  # two characters inside a name: too short for the trigram index
        ("STRASSE", ["Straße Bau"]),  # case-folded: ß is ss
        ("clo", ["Cloud Nine", "Cloudberry", "Clover", "Acme Cloud", "Stormcloud Labs"]),
        ("%", []), ("_", []), ('"', []), ("'", []),  # no wildcard or quote of any index's syntax
    ],
)
async def test_search_finds_by_prefix_and_by_three_characters_or_more_anywhere(api, named, search, expected):
    assert names((await api.query(PAGE, {"search": search})).data["companies"]) == expected


async def test_a_fit_ranking_searches_the_same_index(api, named):
    query = """{ companies(search: "cloud", orderBy: {field: FIT}, priorities: {weights: [{dimension: GROWTH, weight: 1}]})
      { edges { node { name } } } }"""
    assert sorted(names((await api.query(query)).data["companies"])) == ["Acme Cloud", "Cloud Nine", "Cloudberry",
                                                                       "Stormcloud Labs"]
