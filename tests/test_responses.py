"""Company responses: one per review, by that company's representatives only."""

from __future__ import annotations

from domain.enums import CompanyRoleKind
from tests.reviewing import EDIT_RESPONSE, RESPOND, WITHDRAW, published_review, representative

PAGE_WITH_RESPONSE = """query ($id: ID!) { node(id: $id) { ... on Review { response { body updatedAt company { slug } } } } }"""


def codes(payload):
    return [(e["field"], e["code"]) for e in payload["userErrors"]]


async def test_a_representative_responds_once(api):
    _, review_id = await published_review(api)
    rep = await representative(api, "acme-robotics")
    payload = await api.mutate("respondToReview", RESPOND, {"reviewId": review_id, "body": " Thank you. "}, rep)
    assert payload["userErrors"] == []
    assert payload["response"]["body"] == "Thank you."
    assert payload["response"]["company"] == {"slug": "acme-robotics"}
    shown = (await api.query(PAGE_WITH_RESPONSE, {"id": review_id})).data["node"]["response"]
    assert shown == {"body": "Thank you.", "updatedAt": None, "company": {"slug": "acme-robotics"}}
    # a second response, even by the CEO, is refused
    ceo = await representative(api, "acme-robotics", CompanyRoleKind.CEO)
    second = await api.mutate("respondToReview", RESPOND, {"reviewId": review_id, "body": "Again"}, ceo)
    assert codes(second) == [(["reviewId"], "ALREADY_RESPONDED")]


async def test_a_plain_member_cannot_respond(api):
    _, review_id = await published_review(api)
    response = await api.query(RESPOND, {"input": {"reviewId": review_id, "body": "Hi"}}, token=await api.member())
    assert response.error_codes == ["FORBIDDEN"]


async def test_the_author_cannot_respond_as_the_company(api):
    author, review_id = await published_review(api)
    response = await api.query(RESPOND, {"input": {"reviewId": review_id, "body": "Hi"}}, token=author)
    assert response.error_codes == ["FORBIDDEN"]


async def test_a_representative_of_another_company_cannot_respond(api):
    _, review_id = await published_review(api)
    await published_review(api, company="Other Corp")
    rival = await representative(api, "other-corp")
    response = await api.query(RESPOND, {"input": {"reviewId": review_id, "body": "Ours is better"}}, token=rival)
    assert response.error_codes == ["FORBIDDEN"]


async def test_response_body_is_validated(api):
    _, review_id = await published_review(api)
    rep = await representative(api, "acme-robotics")
    empty = await api.mutate("respondToReview", RESPOND, {"reviewId": review_id, "body": "  "}, rep)
    long = await api.mutate("respondToReview", RESPOND, {"reviewId": review_id, "body": "x" * 5001}, rep)
    assert codes(empty) == [(["body"], "REQUIRED")] and codes(long) == [(["body"], "TOO_LONG")]


async def test_representatives_edit_the_response_and_updated_at_shows_it(api):
    _, review_id = await published_review(api)
    rep = await representative(api, "acme-robotics")
    created = await api.mutate("respondToReview", RESPOND, {"reviewId": review_id, "body": "Thanks"}, rep)
    colleague = await representative(api, "acme-robotics")
    edited = await api.mutate(
        "editResponse", EDIT_RESPONSE, {"responseId": created["response"]["id"], "body": "Thanks, fixed."}, colleague
    )
    assert edited["userErrors"] == []
    assert edited["response"]["body"] == "Thanks, fixed."
    assert edited["response"]["updatedAt"] is not None
    assert edited["response"]["createdAt"] == created["response"]["createdAt"]


async def test_nobody_else_can_edit_a_response(api):
    author, review_id = await published_review(api)
    rep = await representative(api, "acme-robotics")
    created = await api.mutate("respondToReview", RESPOND, {"reviewId": review_id, "body": "Thanks"}, rep)
    await published_review(api, company="Other Corp")
    rival = await representative(api, "other-corp")
    for token in (author, rival, await api.member()):
        response = await api.query(
            EDIT_RESPONSE, {"input": {"responseId": created["response"]["id"], "body": "Edited"}}, token=token
        )
        assert response.error_codes == ["FORBIDDEN"]


async def test_no_response_on_a_withdrawn_review(api):
    author, review_id = await published_review(api)
    await api.mutate("withdrawReview", WITHDRAW, {"reviewId": review_id}, author)
    rep = await representative(api, "acme-robotics")
    payload = await api.mutate("respondToReview", RESPOND, {"reviewId": review_id, "body": "Hmm"}, rep)
    assert codes(payload) == [(["reviewId"], "REVIEW_NOT_PUBLISHED")]


async def test_no_mutation_lets_a_company_edit_or_remove_a_review(api):
    mutations = await api.query("{ __type(name: \"Mutation\") { fields { name args { name type { ofType { name } } } } } }")
    names = {f["name"] for f in mutations.data["__type"]["fields"]}
    review_mutations = {n for n in names if "review" in n.lower()}
    assert review_mutations == {
        "submitReview", "editReview", "withdrawReview", "markReviewHelpful", "respondToReview",
    }
