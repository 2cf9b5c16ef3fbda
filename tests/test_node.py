"""`node(id:)` serves public objects to anyone and private ones only to their owner."""

from __future__ import annotations

import pytest

from tests.test_employment import ADD, ADD_BREAK, stint

NODE = """query ($id: ID!) { node(id: $id) { __typename id
  ... on Company { slug }
  ... on Member { email }
  ... on Employment { location }
  ... on CareerBreak { kind } } }"""
MY_IDS = "{ viewer { member { id } employments { id company { id } } careerBreaks { id } } }"


@pytest.fixture
async def owner(api):
    token = await api.member()
    await api.mutate("addEmployment", ADD, stint(), token)
    await api.mutate("addCareerBreak", ADD_BREAK, {"kind": "HEALTH", "startDate": "2023-01-01"}, token)
    viewer = (await api.query(MY_IDS, token=token)).data["viewer"]
    return token, viewer


async def test_a_company_is_visible_to_anyone(api, owner):
    _, viewer = owner
    company_id = viewer["employments"][0]["company"]["id"]
    node = (await api.query(NODE, {"id": company_id})).data["node"]
    assert node == {"__typename": "Company", "id": company_id, "slug": "ningde-battery-works"}


async def test_the_owner_reaches_their_private_objects(api, owner):
    token, viewer = owner
    for global_id, typename in [
        (viewer["member"]["id"], "Member"),
        (viewer["employments"][0]["id"], "Employment"),
        (viewer["careerBreaks"][0]["id"], "CareerBreak"),
    ]:
        node = (await api.query(NODE, {"id": global_id}, token=token)).data["node"]
        assert node["__typename"] == typename


@pytest.mark.parametrize("as_someone_else", [False, True])
async def test_private_objects_are_null_for_anyone_else(api, owner, as_someone_else):
    _, viewer = owner
    token = await api.member() if as_someone_else else None
    for global_id in [viewer["member"]["id"], viewer["employments"][0]["id"], viewer["careerBreaks"][0]["id"]]:
        response = await api.query(NODE, {"id": global_id}, token=token)
        assert response.data == {"node": None}


@pytest.mark.parametrize("global_id", ["", "garbage", "VW5rbm93bjox", "Q29tcGFueTo5OTk5", "Q29tcGFueTp4"])
async def test_unknown_and_malformed_ids_give_null(api, global_id):
    assert (await api.query(NODE, {"id": global_id})).data == {"node": None}


@pytest.mark.parametrize("key", ["2147483648", "99999999999", "123456789012345678"])
async def test_ids_beyond_the_key_range_are_unknown_not_errors(api, key):
    import base64

    token = await api.member()
    for type_name in ("Company", "Employment"):
        global_id = base64.urlsafe_b64encode(f"{type_name}:{key}".encode()).decode()
        assert (await api.query(NODE, {"id": global_id}, token=token)).data == {"node": None}
    removed = await api.query(
        "mutation ($i: RemoveEmploymentInput!) { removeEmployment(input: $i) { userErrors { code } } }",
        {"i": {"employmentId": base64.urlsafe_b64encode(f"Employment:{key}".encode()).decode()}},
        token=token,
    )
    assert removed.data == {"removeEmployment": {"userErrors": [{"code": "NOT_FOUND"}]}}


async def test_non_finite_numbers_are_rejected_clearly(api):
    token = await api.member()
    body = ('{"query": "mutation ($i: PrioritiesInput!) { setPriorities(input: $i) { userErrors { code } } }", '
            '"variables": {"i": {"weights": [{"dimension": "GROWTH", "weight": NaN}]}}}')
    response = await api.client.post(
        "/graphql", content=body, headers={"content-type": "application/json", "authorization": f"Bearer {token}"}
    )
    [error] = response.json()["errors"]
    assert error["message"] == (
        "Variable '$i' has invalid value at .weights[0].weight: Float cannot represent non numeric value: nan"
    )
