"""A mapping that keeps only its most recently used entries: the one bound behind every
in-process cache here (responses, persisted queries, known query strings, inspected
documents, SQLite reading connections)."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class Lru(Generic[K, V]):
    def __init__(
        self,
        limit: int,
        on_evict: Callable[[V], None] | None = None,
        weigh: Callable[[V], int] | None = None,
        max_weight: int | None = None,
    ) -> None:
        """`on_evict` is called with each value pushed out by the bound (e.g. to close it).
        With `weigh`, the values' total weight (their bytes, say) is bounded by `max_weight` too."""
        self.limit = limit
        self._on_evict = on_evict
        self._weigh = weigh
        self._max_weight = max_weight
        self.weight = 0
        self._entries: OrderedDict[K, V] = OrderedDict()

    def get(self, key: K) -> V | None:
        """The value, now the most recently used; None when absent."""
        value = self._entries.get(key)
        if value is not None:
            self._entries.move_to_end(key)
        return value

    def put(self, key: K, value: V) -> None:
        self.forget(key)
        self._entries[key] = value
        self.weight += self._weight_of(value)
        while len(self._entries) > self.limit or (self._max_weight is not None and self.weight > self._max_weight):
            _, evicted = self._entries.popitem(last=False)
            self.weight -= self._weight_of(evicted)
            if self._on_evict is not None:
                self._on_evict(evicted)

    def forget(self, key: K) -> None:
        if key in self._entries:
            self.weight -= self._weight_of(self._entries.pop(key))

    def _weight_of(self, value: V) -> int:
        return self._weigh(value) if self._weigh is not None else 0

    def __len__(self) -> int:
        return len(self._entries)
