"""GraphiQL works offline and welcomes a newcomer with the README's walk-through, which works
end to end against the demo data."""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import pytest

from infra.graphiql import ASSETS_PATH, REQUIRED_ASSETS
from infra.graphiql.examples import EXAMPLES, WELCOME
from tests.cluster import Server, free_port
from tests.mailbox import mailbox

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
REQUIRE_CHROMIUM = os.environ.get("WORKCRED_REQUIRE_CHROMIUM", "") not in ("", "0", "false")
# As the machine notes advise for a closed network: no background connections of its own.
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def readme_examples() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Try it in GraphiQL"):readme.index("## Reviews, anonymity and ratings")]
    return re.findall(r"```graphql\n(.+?)\n```", section, re.S)


def example(name: str) -> str:
    [found] = [text for text in EXAMPLES if re.match(rf"(query|mutation) {name}\b", text)]
    return found


def test_the_editor_tabs_are_the_readmes_examples():
    assert readme_examples() == EXAMPLES
    assert "query WorkcredWelcome" in WELCOME


def no_errors(response) -> dict:
    data = response.data
    for payload in data.values():
        if isinstance(payload, dict) and "userErrors" in payload:
            assert payload["userErrors"] == [], payload
    return data


async def test_a_newcomer_walks_through_the_readme(demo):
    mails_before = len(mailbox().sent_to("ada@example.com"))
    assert no_errors(await demo.query(WELCOME))["companies"]["totalCount"] == 12
    token = no_errors(await demo.query(example("SignUp")))["signUp"]["token"]
    code = await mailbox().code_for("ada@example.com", mails_before)
    verified = no_errors(await demo.query(example("VerifyEmail").replace("<the code mailed to you>", code), token=token))
    assert verified["verifyEmail"]["member"] == {"emailVerified": True}
    job = no_errors(await demo.query(example("AddJob"), token=token))["addEmployment"]["employment"]
    history = no_errors(await demo.query(example("MyHistory"), token=token))["viewer"]
    assert [e["company"]["name"] for e in history["employments"]] == ["Qingyun Electric Motors"]
    assert no_errors(await demo.query(example("BrowseCompanies")))["companies"]["totalCount"] >= 1
    review = example("ReviewACompany").replace("<Employment id from addEmployment>", job["id"])
    assert no_errors(await demo.query(review, token=token))["submitReview"]["review"]["id"]
    page = no_errors(await demo.query(example("CompanyPage")))["company"]
    assert page["name"] == "Qingyun Electric Motors" and page["reviews"]["edges"]

    representative = no_errors(await demo.query(example("SignInAsRepresentative")))["signIn"]["token"]
    inbox = no_errors(await demo.query(example("ResponderInbox"), token=representative))["company"]
    waiting = inbox["unansweredReviewCount"]
    oldest = inbox["reviews"]["edges"][0]["node"]["id"]
    answer = example("RespondToAReview").replace("<Review id>", oldest)
    assert no_errors(await demo.query(answer, token=representative))["respondToReview"]["response"]["body"]
    after = no_errors(await demo.query(example("ResponderInbox")))["company"]
    assert after["unansweredReviewCount"] == waiting - 1
    assert oldest not in [e["node"]["id"] for e in after["reviews"]["edges"]]


async def test_the_page_names_workcred_and_loads_nothing_from_elsewhere(api):
    response = await api.client.get("/graphql", headers={"Accept": "text/html"})
    assert response.status_code == 200
    page = response.text
    assert "<title>workcred GraphiQL</title>" in page
    assert "http://" not in page and "https://" not in page
    for name in REQUIRED_ASSETS:
        assert f"{ASSETS_PATH}/{name}" in page
        asset = await api.client.get(f"{ASSETS_PATH}/{name}")
        assert asset.status_code == 200 and len(asset.content) > 1000
    found = re.search(r'id="workcred-tabs">(.+?)</script>', page, re.S)
    assert found is not None, page
    tabs = json.loads(found.group(1))
    assert tabs == [WELCOME, *EXAMPLES]


@pytest.fixture
def demo_server(demo_database_url):
    server = Server(free_port(), demo_database_url, {"WORKCRED_GRAPHIQL": "true"})
    server.start()
    try:
        yield server
    finally:
        assert "Traceback" not in server.stop()


@pytest.mark.parametrize("database_kind", ["sqlite"], indirect=True)
async def test_graphiql_runs_a_query_in_headless_chromium_with_the_network_cut_off(demo_server):
    if CHROMIUM is None:
        reason = "headless Chromium is not installed (Debian package `chromium`)"
        if REQUIRE_CHROMIUM:
            pytest.fail(f"{reason} (WORKCRED_REQUIRE_CHROMIUM is set)", pytrace=False)
        pytest.skip(reason)
    from playwright.async_api import async_playwright

    elsewhere: list[str] = []
    page_errors: list[str] = []

    async def only_the_app(route):
        if route.request.url.startswith(demo_server.url + "/"):
            await route.continue_()
        else:
            elsewhere.append(route.request.url)
            await route.abort()

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = await browser.new_page()
            page.on("pageerror", lambda error: page_errors.append(str(error)))
            await page.route("**/*", only_the_app)
            await page.goto(f"{demo_server.url}/graphql")
            assert await page.title() == "workcred GraphiQL"
            await page.wait_for_selector(".graphiql-container", timeout=30_000)
            assert "WorkcredWelcome" in await page.locator(".graphiql-query-editor").inner_text()
            await page.locator(".graphiql-execute-button").click()
            result = page.locator(".result-window")
            await result.get_by_text('"totalCount": 12').wait_for(timeout=30_000)
            shown = await result.inner_text()
        finally:
            await browser.close()
    assert '"name": "' in shown and '"errors"' not in shown
    assert elsewhere == [] and page_errors == []
