"""Rate limits: guessing passwords, mass sign-ups, write floods and fake stints run out of budget."""

from __future__ import annotations

import asyncio
import secrets

import httpx
import pytest

from app import create_app
from infra.settings import SettingsError
from tests.api import SIGN_UP, Api
from tests.cluster import Server, free_port
from tests.test_employment import ADD

SIGN_IN = """mutation ($input: SignInInput!) { signIn(input: $input) { token userErrors { code } } }"""
PASSWORD = "correct horse battery"


async def sign_in(api: Api, email: str, password: str, address: str | None = None):
    headers = {"x-forwarded-for": address} if address else {}
    response = await api.client.post(
        "/graphql", json={"query": SIGN_IN, "variables": {"input": {"email": email, "password": password}}},
        headers=headers,
    )
    return response.json()


async def account(api: Api, email: str) -> None:
    payload = await api.mutate("signUp", SIGN_UP, {"email": email, "password": PASSWORD, "displayName": "A"})
    assert payload["userErrors"] == [], payload


def outcome(body: dict) -> str:
    if body.get("errors"):
        return body["errors"][0]["extensions"]["code"]
    errors = body["data"]["signIn"]["userErrors"]
    return errors[0]["code"] if errors else "SIGNED_IN"


async def test_failed_sign_ins_run_out_per_address_and_then_even_the_right_password_waits_there(settings_with):
    async with Api.running(create_app(settings_with(rate_limit_signin="3/15minute"))) as api:
        await account(api, "target@example.com")
        # three wrong guesses from one address, then the right password from it: refused without
        # saying whether it was right (strangers elsewhere: tests/test_accounts.py)
        outcomes = [outcome(await sign_in(api, "target@example.com", f"guess number {n}")) for n in range(3)]
        blocked = await sign_in(api, "target@example.com", PASSWORD)
        assert outcomes == ["INVALID_CREDENTIALS"] * 3
        assert outcome(blocked) == "RATE_LIMITED"
        assert blocked["data"] is None or blocked["data"]["signIn"] is None
        assert 0 < blocked["errors"][0]["extensions"]["retryAfterSeconds"] <= 15 * 60


async def test_failed_sign_ins_run_out_per_address_across_accounts(settings_with):
    async with Api.running(create_app(settings_with(rate_limit_signin="3/15minute"))) as api:
        for number in range(3):
            assert outcome(await sign_in(api, f"nobody{number}@example.com", "wrong password!")) == "INVALID_CREDENTIALS"
        assert outcome(await sign_in(api, "someone-else@example.com", "wrong password!")) == "RATE_LIMITED"


async def test_forwarded_addresses_count_only_behind_a_trusted_proxy(settings_with):
    # the test client connects from 127.0.0.1
    async with Api.running(create_app(settings_with(rate_limit_signin="2/15minute"))) as api:
        # untrusted: a client cannot dodge the limit by inventing X-Forwarded-For
        for address in ("10.0.0.1", "10.0.0.2"):
            await sign_in(api, f"x{address}@example.com", "wrong password!", address)
        assert outcome(await sign_in(api, "x@example.com", "wrong password!", "10.0.0.3")) == "RATE_LIMITED"
    trusted = settings_with(rate_limit_signin="2/15minute", trusted_proxies="127.0.0.1")
    async with Api.running(create_app(trusted)) as api:
        # behind a trusted proxy, each forwarded client has its own budget
        for address in ("10.0.0.1", "10.0.0.2", "10.0.0.3"):
            assert outcome(await sign_in(api, f"y{address}@example.com", "wrong password!", address)) == "INVALID_CREDENTIALS"


async def test_sign_ups_per_address(settings_with):
    async with Api.running(create_app(settings_with(rate_limit_signup="2/hour"))) as api:
        await account(api, "one@example.com")
        await account(api, "two@example.com")
        third = await api.query(SIGN_UP, {"input": {"email": "three@example.com", "password": PASSWORD,
                                                     "displayName": "C"}})
        assert third.error_codes == ["RATE_LIMITED"]


async def test_writes_and_new_jobs_per_member(settings_with):
    async with Api.running(create_app(settings_with(rate_limit_writes="4/minute", rate_limit_stints="2/day"))) as api:
        token = await api.member()
        results = []
        for year in range(2010, 2015):
            response = await api.query(ADD, {"input": {
                "companyName": f"Company {year}", "jobFunction": "SALES", "location": "Wuhan",
                "startDate": f"{year}-01-01", "endDate": f"{year}-06-30",
                "positions": [{"title": "AE", "level": 2, "startDate": f"{year}-01-01"}]}}, token)
            results.append(response.error_codes or ["OK"])
        # two jobs a day; the write budget (four a minute) is spent by the fifth mutation
        assert results == [["OK"], ["OK"], ["RATE_LIMITED"], ["RATE_LIMITED"], ["RATE_LIMITED"]]
        clear = await api.query("mutation { clearPriorities { userErrors { code } } }", token=token)
        assert clear.error_codes == ["RATE_LIMITED"]


async def test_two_processes_share_one_budget_through_redis(fresh_database, redis_url):
    # given two app processes on one database and one Redis, behind a trusted local proxy
    database_url = fresh_database("migrated")
    settings = {"REDIS_URL": redis_url, "WORKCRED_RATE_LIMIT_SIGNIN": "4/15minute",
                "WORKCRED_TRUSTED_PROXIES": "127.0.0.1"}
    servers = [Server(free_port(), database_url, settings) for _ in range(2)]
    client_address = f"10.{secrets.randbelow(250)}.{secrets.randbelow(250)}.{secrets.randbelow(250)}"
    email = f"shared-{secrets.token_hex(4)}@example.com"
    try:
        for server in servers:
            server.start()
        async with httpx.AsyncClient(timeout=30) as client:

            async def attempt(server: Server, password: str) -> str:
                response = await client.post(
                    f"{server.url}/graphql", headers={"x-forwarded-for": client_address},
                    json={"query": SIGN_IN, "variables": {"input": {"email": email, "password": password}}},
                )
                return outcome(response.json())

            # when wrong guesses alternate between the processes
            guesses = [await attempt(servers[n % 2], f"wrong guess {n}") for n in range(4)]
            # then the budget is spent for both
            assert guesses == ["INVALID_CREDENTIALS"] * 4
            assert await attempt(servers[0], "wrong guess 5") == "RATE_LIMITED"
            assert await attempt(servers[1], "wrong guess 6") == "RATE_LIMITED"
    finally:
        logs = "".join(server.stop() for server in servers)
    assert "Traceback" not in logs, logs


@pytest.mark.parametrize("value", ["ten per minute", "10/fortnight", ""])
def test_bad_budgets_stop_the_service_at_start(value):
    from infra.settings import Settings, SettingsError

    with pytest.raises(SettingsError, match="WORKCRED_RATE_LIMIT_SIGNIN"):
        Settings(database_url="sqlite://:memory:", rate_limit_signin=value)


BUDGET_QUERY = "{ rateLimit { cost limit remaining resetAt } companies(first: 5) { totalCount edges { node { slug } } } }"


async def test_each_client_spends_its_own_points_and_is_told_what_is_left(settings_with):
    settings = settings_with(max_query_cost=100, rate_limit_cost="300/minute", trusted_proxies="127.0.0.1")
    async with Api.running(create_app(settings)) as api:
        token = await api.member()

        async def ask(address: str, bearer: str | None = None) -> httpx.Response:
            headers = {"x-forwarded-for": address, **({"authorization": f"Bearer {bearer}"} if bearer else {})}
            return await api.client.post("/graphql", json={"query": BUDGET_QUERY}, headers=headers)

        # a heavy client at one address spends until refused, told what is left every time
        answers = [await ask("10.0.0.1")]
        while answers[-1].status_code == 200:
            answers.append(await ask("10.0.0.1"))
        other_address, member_there = await ask("10.0.0.2"), await ask("10.0.0.1", token)

    budgets = [answer.json()["data"]["rateLimit"] for answer in answers[:-1]]
    cost = budgets[0]["cost"]
    assert cost > 0 and budgets[0]["limit"] == 300
    assert [budget["remaining"] for budget in budgets] == [300 - cost * n for n in range(1, len(budgets) + 1)]
    assert len(budgets) == 300 // cost
    assert [answer.headers["ratelimit-remaining"] for answer in answers[:-1]] == [str(b["remaining"]) for b in budgets]
    assert answers[0].headers["ratelimit-limit"] == "300" and 0 < int(answers[0].headers["ratelimit-reset"]) <= 60
    refused = answers[-1]
    assert refused.status_code == 429 and 0 < int(refused.headers["retry-after"]) <= 60
    [error] = refused.json()["errors"]
    assert error["extensions"]["code"] == "RATE_LIMITED" and error["extensions"]["retryAfterSeconds"] > 0
    assert refused.headers["ratelimit-remaining"] == str(300 - cost * len(budgets))
    # another address, and a member signed in from the same one, have budgets of their own (the
    # member's spent a little on signing up)
    assert other_address.status_code == 200 and other_address.json()["data"]["rateLimit"]["remaining"] == 300 - cost
    assert member_there.status_code == 200 and member_there.json()["data"]["rateLimit"]["remaining"] > 300 - 2 * cost


async def test_a_budget_smaller_than_one_query_is_refused_at_start_up(settings_with):
    with pytest.raises(SettingsError, match="WORKCRED_RATE_LIMIT_COST"):
        settings_with(max_query_cost=1000, rate_limit_cost="999/minute")


async def test_one_client_runs_only_its_share_of_requests_at_once(settings_with):
    # given requests whose bodies are still arriving (so they stay in flight until released)
    settings = settings_with(max_requests_in_flight_per_client=3, trusted_proxies="127.0.0.1")
    async with Api.running(create_app(settings)) as api:
        release, reading = asyncio.Event(), asyncio.Semaphore(0)

        async def slow_body():
            reading.release()  # the app has the request (and counted it), and asks for its body
            await release.wait()
            yield b'{"query": "{ __typename }"}'

        async def held(address: str) -> httpx.Response:
            headers = {"content-type": "application/json", "x-forwarded-for": address}
            return await api.client.post("/graphql", content=slow_body(), headers=headers)

        in_flight = [asyncio.create_task(held("10.0.0.1")) for _ in range(3)]
        for _ in in_flight:
            await reading.acquire()
        # when the same client sends a fourth, and another client and the health check one each
        refused = await api.client.post("/graphql", json={"query": "{ __typename }"}, headers={"x-forwarded-for": "10.0.0.1"})
        other = await api.client.post("/graphql", json={"query": "{ __typename }"}, headers={"x-forwarded-for": "10.0.0.2"})
        health = await api.client.get("/healthz")
        release.set()
        finished = await asyncio.gather(*in_flight)
        after = await api.client.post("/graphql", json={"query": "{ __typename }"}, headers={"x-forwarded-for": "10.0.0.1"})
    # then the fourth is shed at once, and nobody else waits
    assert refused.status_code == 429 and refused.headers["retry-after"] == "1"
    assert refused.json()["errors"][0]["extensions"]["code"] == "RATE_LIMITED"
    assert (other.status_code, health.status_code, after.status_code) == (200, 200, 200)
    assert [response.status_code for response in finished] == [200, 200, 200]
