"""Events between app processes, for GraphQL subscriptions.

Every process fans events out to its own subscribers; what carries them between processes is an
existing broker: PostgreSQL LISTEN/NOTIFY when the database is PostgreSQL, else Redis pub/sub when
REDIS_URL is set, else nothing (the single-process SQLite default). Events are published after
the write's transaction commits and carry ids only: a subscriber re-reads what the event names,
so it never sees more than a fresh read would show it. Delivery is at most once.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator
from contextlib import suppress
from typing import Any

from infra.db import is_sqlite

logger = logging.getLogger("workcred.events")

# The one broker channel of a deployment (PostgreSQL's is its database's; Redis's starts with the
# deployment's namespace); the logical channel travels inside each message.
BROKER_CHANNEL = "workcred_events"
QUEUE_SIZE = 1000

Event = dict[str, Any]


class EventBus:
    """Local fan-out, plus an optional broker transport (`_send` and `_receive`)."""

    def __init__(self) -> None:
        self._queues: dict[str, set[asyncio.Queue[Event]]] = {}

    async def start(self) -> None:
        """Connect to the broker (nothing to do in-process)."""

    async def close(self) -> None:
        """Disconnect from the broker."""

    async def publish(self, channel: str, event: Event) -> None:
        """Never fails the write that already committed: a broker that is down costs the event."""
        try:
            await self._send(json.dumps({"channel": channel, "event": event}))
        except Exception:  # at most once, by design
            logger.exception("could not publish an event on %s", channel)

    async def _send(self, message: str) -> None:
        self._deliver(message)

    def _deliver(self, message: str) -> None:
        """Hand a broker message to this process's subscribers of its channel."""
        try:
            decoded = json.loads(message)
            channel, event = decoded["channel"], decoded["event"]
        except (ValueError, KeyError, TypeError):
            logger.warning("ignored a malformed event message")
            return
        for queue in self._queues.get(channel, ()):
            if queue.full():
                # A subscriber that stopped reading loses its oldest events, not the others theirs.
                queue.get_nowait()
            queue.put_nowait(event)

    def listening(self) -> dict[str, int]:
        """How many subscribers each channel has in this process."""
        return {channel: len(queues) for channel, queues in self._queues.items()}

    def listen(self, channel: str) -> AsyncIterator[Event]:
        """Events on `channel` from the moment this is called (registration is synchronous)."""
        queue: asyncio.Queue[Event] = asyncio.Queue(QUEUE_SIZE)
        self._queues.setdefault(channel, set()).add(queue)
        return self._drain(channel, queue)

    async def _drain(self, channel: str, queue: asyncio.Queue[Event]) -> AsyncIterator[Event]:
        try:
            while True:
                yield await queue.get()
        finally:
            queues = self._queues.get(channel, set())
            queues.discard(queue)
            if not queues:
                self._queues.pop(channel, None)


class RedisEventBus(EventBus):
    def __init__(self, client: Any, namespace: str) -> None:
        """`client`: the process's shared Redis client (closed by the app, not here); `namespace`:
        the deployment's (infra/shared_redis.py)."""
        super().__init__()
        self._client = client
        self._channel = f"{namespace}{BROKER_CHANNEL}"
        self._reader: asyncio.Task[None] | None = None

    async def start(self) -> None:
        pubsub = self._client.pubsub(ignore_subscribe_messages=True)
        await pubsub.subscribe(self._channel)
        self._reader = asyncio.create_task(self._read(pubsub))

    async def _read(self, pubsub: Any) -> None:
        try:
            async for message in pubsub.listen():
                data = message.get("data")
                self._deliver(data.decode() if isinstance(data, bytes) else str(data))
        finally:
            with suppress(Exception):
                await pubsub.aclose()

    async def _send(self, message: str) -> None:
        await self._client.publish(self._channel, message)

    async def close(self) -> None:
        if self._reader is not None:
            self._reader.cancel()
            with suppress(asyncio.CancelledError, Exception):
                await self._reader


class PostgresEventBus(EventBus):
    """LISTEN on one dedicated connection per process; NOTIFY from a short-lived one."""

    def __init__(self, database_url: str) -> None:
        super().__init__()
        self._database_url = database_url
        self._listener: Any = None

    async def start(self) -> None:
        from infra.db import raw_postgres_connection

        self._listener = await raw_postgres_connection(self._database_url)
        await self._listener.add_listener(BROKER_CHANNEL, self._on_notify)

    def _on_notify(self, _connection: Any, _pid: int, _channel: str, payload: str) -> None:
        self._deliver(payload)

    async def _send(self, message: str) -> None:
        from tortoise import Tortoise

        from infra.db import connection_name

        connection = Tortoise.get_connection(connection_name(self._database_url))
        await connection.execute_query("SELECT pg_notify($1, $2)", [BROKER_CHANNEL, message])

    async def close(self) -> None:
        if self._listener is not None:
            with suppress(Exception):
                await self._listener.close()


def event_bus(database_url: str, redis: Any, namespace: str) -> EventBus:
    """The bus that reaches every process sharing this database (`redis`: the shared client)."""
    if not is_sqlite(database_url):
        return PostgresEventBus(database_url)
    if redis is not None:
        return RedisEventBus(redis, namespace)
    return EventBus()

