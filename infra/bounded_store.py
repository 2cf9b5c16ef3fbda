"""Text kept by key for a while, bounded in entries and in bytes wherever it lives: in process
(an LRU), or in Redis, shared by every process (the entries closest to expiring go first). What
clients can fill — registered persisted queries, cached responses — never grows without bound,
however many distinct entries one client sends."""

from __future__ import annotations

import time
from typing import Any

from infra.lru import Lru

# Atomically: forget what has expired, store the entry (replacing its older self), then drop the
# entries nearest to expiring while the store is over either bound. KEYS: the index (a sorted
# set of key → expiry), the sizes (a hash), the total bytes. ARGV: key, text, lifetime, now,
# max bytes, max entries, the prefix of the entries' own keys.
_PUT = """
local index, sizes, total_key = KEYS[1], KEYS[2], KEYS[3]
local key, text, lifetime, now = ARGV[1], ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[4])
local max_bytes, max_entries, prefix = tonumber(ARGV[5]), tonumber(ARGV[6]), ARGV[7]
local function drop(member)
  local size = tonumber(redis.call('HGET', sizes, member) or '0')
  redis.call('HDEL', sizes, member)
  redis.call('ZREM', index, member)
  redis.call('DEL', prefix .. member)
  redis.call('DECRBY', total_key, size)
end
for _, member in ipairs(redis.call('ZRANGEBYSCORE', index, '-inf', now)) do drop(member) end
if redis.call('HEXISTS', sizes, key) == 1 then drop(key) end
if string.len(text) > max_bytes then return 0 end
redis.call('SET', prefix .. key, text, 'EX', lifetime)
redis.call('ZADD', index, now + lifetime, key)
redis.call('HSET', sizes, key, string.len(text))
local total = redis.call('INCRBY', total_key, string.len(text))
while total > max_bytes or redis.call('ZCARD', index) > max_entries do
  local soonest = redis.call('ZRANGE', index, 0, 0)
  if #soonest == 0 then break end
  drop(soonest[1])
  total = tonumber(redis.call('GET', total_key))
end
return 1
"""


class BoundedStore:
    def __init__(self, max_entries: int, max_bytes: int, lifetime_seconds: int, redis: Any = None, prefix: str = "") -> None:
        """`redis`: the process's shared client, and `prefix` what this store's Redis names start with."""
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self.lifetime = lifetime_seconds
        self._redis = redis
        self._prefix = prefix
        # (expires, text, its size in bytes), weighed by the size measured once when stored
        self._local: Lru[str, tuple[float, str, int]] = Lru(max_entries, weigh=lambda entry: entry[2], max_weight=max_bytes)
        self._put = redis.register_script(_PUT) if redis is not None else None

    async def get(self, key: str) -> str | None:
        if self._redis is not None:
            stored = await self._redis.get(self._prefix + "entry:" + key)
            return stored.decode("utf-8") if isinstance(stored, bytes) else stored
        entry = self._local.get(key)
        if entry is None:
            return None
        expires, text, _ = entry
        if expires < time.monotonic():
            self._local.forget(key)
            return None
        return text

    async def put(self, key: str, text: str) -> None:
        """Keep `text` (an entry larger than the whole store is not kept, and pushes nothing out)."""
        if self._put is not None:
            names = [self._prefix + "index", self._prefix + "sizes", self._prefix + "bytes"]
            # Expiries to the microsecond order the entries as they came: whole seconds would tie,
            # and Redis breaks ties by name, which could drop the newest entry first.
            arguments = [key, text, self.lifetime, repr(time.time()), self.max_bytes, self.max_entries, self._prefix + "entry:"]
            await self._put(keys=names, args=arguments)
            return
        size = len(text.encode("utf-8"))
        if size <= self.max_bytes:
            self._local.put(key, (time.monotonic() + self.lifetime, text, size))

    async def size(self) -> tuple[int, int]:
        """(entries, bytes) kept now."""
        if self._redis is not None:
            entries = await self._redis.zcard(self._prefix + "index")
            stored = await self._redis.get(self._prefix + "bytes")
            return int(entries), int(stored or 0)
        return len(self._local), self._local.weight
