"""Heavy queries take turns (schema.extensions.HeavyQueries): a few clients sending queries near
the cost limit cannot keep one process's event loop from cheap requests and /healthz."""

from __future__ import annotations

import asyncio

import pytest

from schema.extensions import HeavyQueries


async def test_heavy_queries_take_turns_and_cheap_ones_never_wait():
    heavy = HeavyQueries(cost=100, in_flight=1)
    order: list[str] = []
    first_in = asyncio.Event()
    release_first = asyncio.Event()

    async def first() -> None:
        async with heavy.turn(500):
            order.append("first in")
            first_in.set()
            await release_first.wait()
            order.append("first out")

    async def second() -> None:
        await first_in.wait()
        async with heavy.turn(100):  # at the threshold: heavy too
            order.append("second in")

    async def cheap() -> None:
        await first_in.wait()
        async with heavy.turn(99):
            order.append("cheap in")

    running = [asyncio.create_task(job()) for job in (first, second, cheap)]
    await first_in.wait()
    for _ in range(5):  # let everything that can run, run
        await asyncio.sleep(0)
    assert order == ["first in", "cheap in"]  # the second heavy one waits; the cheap one did not
    release_first.set()
    await asyncio.gather(*running)
    assert order == ["first in", "cheap in", "first out", "second in"]


async def test_no_bound_lets_every_heavy_query_run():
    heavy = HeavyQueries(cost=1, in_flight=0)
    inside = 0

    async def one() -> int:
        nonlocal inside
        async with heavy.turn(10_000):
            inside += 1
            await asyncio.sleep(0)
            return inside

    assert max(await asyncio.gather(*(one() for _ in range(8)))) == 8


COSTLY = """{ companies(first: 20) { edges { node { name reviews(first: 20) { totalCount } } } } }"""


@pytest.mark.parametrize("database_kind", ["sqlite"], indirect=True)
async def test_queries_waiting_their_turn_all_answer(settings_with):
    from app import create_app
    from tests.api import Api

    # every query is heavy and one runs at a time: all of them still answer, in full
    async with Api.running(create_app(settings_with(heavy_query_cost=1, heavy_queries_in_flight=1))) as api:
        answers = await asyncio.gather(*(api.query(COSTLY) for _ in range(6)))
    assert all(answer.data == {"companies": {"edges": []}} for answer in answers)
