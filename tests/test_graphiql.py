"""GraphiQL works offline and welcomes a newcomer with the README's walk-through, which works
end to end against the demo data."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import httpx
import pytest

from infra.graphiql import ASSETS, ASSETS_PATH, STATIC_DIRECTORY
from infra.graphiql.examples import EXAMPLES, WELCOME
from tests.cluster import Server, free_port
from tests.mailbox import mailbox

if TYPE_CHECKING:
    from playwright.async_api import Page

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
REQUIRE_CHROMIUM = os.environ.get("WORKCRED_REQUIRE_CHROMIUM", "") not in ("", "0", "false")
# As the machine notes advise for a closed network: no background connections of its own.
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def readme_examples() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Try it in GraphiQL"):readme.index("## How fast")]
    return re.findall(r"```graphql\n(.+?)\n```", section, re.S)


def example(name: str) -> str:
    [found] = [text for text in EXAMPLES if re.match(rf"(query|mutation|subscription) {name}\b", text)]
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
    for name in ASSETS:
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


@asynccontextmanager
async def graphiql_in_chromium(server: Server) -> AsyncIterator[tuple[Page, list[str]]]:
    """GraphiQL of `server` open in headless Chromium that may reach nothing but the app (what it
    tried to reach elsewhere, and the page's errors, are checked on the way out)."""
    if CHROMIUM is None:
        reason = "headless Chromium is not installed (Debian package `chromium`)"
        if REQUIRE_CHROMIUM:
            pytest.fail(f"{reason} (WORKCRED_REQUIRE_CHROMIUM is set)", pytrace=False)
        pytest.skip(reason)
    from playwright.async_api import async_playwright

    elsewhere: list[str] = []
    page_errors: list[str] = []

    async def only_the_app(route):
        if route.request.url.startswith(server.url + "/"):
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
            await page.goto(f"{server.url}/graphql")
            assert await page.title() == "workcred GraphiQL"
            await page.wait_for_selector(".graphiql-container", timeout=30_000)
            yield page, page_errors
        finally:
            await browser.close()
    assert elsewhere == [] and page_errors == []


@pytest.mark.parametrize("database_kind", ["sqlite"], indirect=True)
async def test_graphiql_runs_a_query_in_headless_chromium_with_the_network_cut_off(demo_server):
    async with graphiql_in_chromium(demo_server) as (page, _):
        assert "WorkcredWelcome" in await page.locator(".graphiql-query-editor").inner_text()
        await page.locator(".graphiql-execute-button").click()
        result = page.locator(".result-window")
        await result.get_by_text('"totalCount": 12').wait_for(timeout=30_000)
        shown = await result.inner_text()
    assert '"name": "' in shown and '"errors"' not in shown


@pytest.mark.parametrize("database_kind", ["sqlite"], indirect=True)
async def test_graphiql_runs_a_subscription_over_its_websocket_and_shows_the_event(demo_server):
    async with httpx.AsyncClient(base_url=demo_server.url) as client:

        async def run(document: str, token: str | None = None) -> dict:
            headers = {"authorization": f"Bearer {token}"} if token else {}
            response = await client.post("/graphql", json={"query": document}, headers=headers)
            return response.json()["data"]

        from playwright.async_api import TimeoutError as PlaywrightTimeout

        representative = (await run(example("SignInAsRepresentative")))["signIn"]["token"]
        inbox = (await run(example("ResponderInbox"), representative))["company"]
        review_id = inbox["reviews"]["edges"][0]["node"]["id"]
        async with graphiql_in_chromium(demo_server) as (page, _):
            watch = example("WatchForAnAnswer").replace("<Review id>", review_id)
            await page.evaluate(
                "text => document.querySelector('.graphiql-query-editor .CodeMirror').CodeMirror.setValue(text)", watch
            )
            # GraphiQL has read the new document once the tab is named after its operation
            await page.locator(".graphiql-tab-active", has_text="WatchForAnAnswer").wait_for(timeout=30_000)
            await page.locator(".graphiql-execute-button").click()
            # the subscription is live once the button offers to stop it
            await page.locator(".graphiql-execute-button[aria-label*='Stop']").wait_for(timeout=30_000)
            answer = example("RespondToAReview").replace("<Review id>", review_id)
            response_id = (await run(answer, representative))["respondToReview"]["response"]["id"]
            result = page.locator(".result-window")
            # The button turns before the socket's subscribe message reaches the server; should
            # the answer have come first, an edit (same words) is the next event it waits for.
            edit = 'mutation { editResponse(input: {responseId: "%s", body: "Thank you for the feedback."}) { response { id } } }'
            for _ in range(5):
                try:
                    await result.get_by_text("Thank you for the feedback.").wait_for(timeout=5_000)
                    break
                except PlaywrightTimeout:
                    assert (await run(edit % response_id, representative))["editResponse"]["response"]
            shown = await result.inner_text()
    assert '"reviewResponded"' in shown and '"errors"' not in shown


def test_the_committed_assets_are_the_pinned_ones():
    manifest = json.loads((STATIC_DIRECTORY / "MANIFEST.json").read_text(encoding="utf-8"))
    assert set(ASSETS) <= set(manifest) and {f"LICENSE.{m['from'].rsplit('@', 1)[0]}" for m in manifest.values()} <= set(manifest)
    for name, entry in manifest.items():
        assert hashlib.sha256((STATIC_DIRECTORY / name).read_bytes()).hexdigest() == entry["sha256"], name


def test_the_package_builds_and_carries_graphiql_with_no_registry_but_pypi(tmp_path):
    # a copy of the checkout, built with what the venv has and the npm registry unreachable
    source = tmp_path / "source"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(".git", ".venv", "*.egg-info", "build", "__pycache__", "tests", "benchmarks"))
    environment = {**os.environ, "NPM_CONFIG_REGISTRY": "http://127.0.0.1:9/", "PIP_NO_INDEX": "1"}
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-w", str(tmp_path / "dist"), str(source)],
        env=environment, capture_output=True, text=True, timeout=300, check=False,
    )
    assert built.returncode == 0, built.stdout + built.stderr
    [wheel] = (tmp_path / "dist").glob("workcred-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    assert {f"infra/graphiql/static/{name}" for name in (*ASSETS, "MANIFEST.json", "LICENSE.graphiql")} <= names
    assert "infra/graphiql/page.html" in names
