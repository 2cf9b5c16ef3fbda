"""Rating tallies by (scope, rating key, company) for the ranking snapshot: dense for the
company-wide scope, which every company has, and sparse for the job-function scopes, which few
companies have (at a million companies about one in seven has a review in a given function): per
function a position → row map, and rows only for the companies that have one. A dense array of
every scope cost 830 MB at a million companies; this holds the same in about 230 MB."""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

Counts = npt.NDArray[np.int64]
_NONE = -1


def with_room(array: npt.NDArray[np.int32] | Counts, in_use: int, needed: int, fill: int) -> npt.NDArray[Any]:
    """`array` (companies along its last axis, the first `in_use` of them held) with room for
    `needed` companies: itself when it has it, else a copy with an eighth more room than that,
    so that companies coming one by one copy a million companies' arrays seldom."""
    if array.shape[-1] >= needed:
        return array
    shape = (*array.shape[:-1], needed + needed // 8)
    # Zeros from the allocator: pages never written (companies with no reviews) stay unmapped.
    grown = np.zeros(shape, dtype=array.dtype) if fill == 0 else np.full(shape, fill, dtype=array.dtype)
    grown[..., :in_use] = array[..., :in_use]
    return grown


class ScopeTallies:
    def __init__(self, scopes: int, keys: int) -> None:
        self._keys = keys
        self._size = 0  # companies held; the arrays below have room for more
        self._count0 = np.zeros((keys, 0), dtype=np.int32)  # scope 0: every company
        self._total0 = np.zeros((keys, 0), dtype=np.int32)
        functions = scopes - 1
        self._row_stores = [np.full(0, _NONE, dtype=np.int32) for _ in range(functions)]
        self._counts = [np.zeros((keys, 0), dtype=np.int32) for _ in range(functions)]
        self._totals = [np.zeros((keys, 0), dtype=np.int32) for _ in range(functions)]
        self._used = [0] * functions

    @property
    def count0(self) -> npt.NDArray[np.int32]:
        return self._count0[:, : self._size]

    @property
    def total0(self) -> npt.NDArray[np.int32]:
        return self._total0[:, : self._size]

    def _row_of(self, function: int) -> npt.NDArray[np.int32]:
        """The function's position → row map, of the companies held."""
        return self._row_stores[function][: self._size]

    def arrays(self) -> dict[str, npt.NDArray[np.int32]]:
        """Everything it holds, as named arrays (the rows in use only), for `restore`."""
        arrays: dict[str, npt.NDArray[np.int32]] = {"count0": self.count0, "total0": self.total0}
        for function, used in enumerate(self._used):
            arrays[f"row_of.{function}"] = self._row_of(function)
            arrays[f"counts.{function}"] = self._counts[function][:, :used]
            arrays[f"totals.{function}"] = self._totals[function][:, :used]
        return arrays

    def restore(self, arrays: dict[str, npt.NDArray[np.int32]]) -> None:
        """What `arrays` gave, as it was."""
        self._count0, self._total0 = arrays["count0"], arrays["total0"]
        self._size = self._count0.shape[1]
        for function in range(len(self._used)):
            self._row_stores[function] = arrays[f"row_of.{function}"]
            self._counts[function] = arrays[f"counts.{function}"]
            self._totals[function] = arrays[f"totals.{function}"]
            self._used[function] = self._counts[function].shape[1]

    def make_room(self, companies: int) -> None:
        """Room for `companies` in all, ahead of growing to them."""
        self._count0 = with_room(self._count0, self._size, companies, 0)
        self._total0 = with_room(self._total0, self._size, companies, 0)
        self._row_stores = [with_room(rows, self._size, companies, _NONE) for rows in self._row_stores]

    def grow(self, extra: int) -> None:
        """`extra` more companies, with no tallies yet."""
        self.make_room(self._size + extra)
        self._size += extra

    def clear(self, positions: Counts) -> None:
        """Every tally of these companies back to zero."""
        self.count0[:, positions] = 0
        self.total0[:, positions] = 0
        for function in range(len(self._used)):
            rows = self._row_of(function)[positions]
            rows = rows[rows != _NONE]
            self._counts[function][:, rows] = 0
            self._totals[function][:, rows] = 0

    def set(self, scopes: Counts, keys: Counts, positions: Counts, counts: Counts, totals: Counts) -> None:
        """Tallies, one per (scope, key, position) given."""
        company_wide = scopes == 0
        self.count0[keys[company_wide], positions[company_wide]] = counts[company_wide]
        self.total0[keys[company_wide], positions[company_wide]] = totals[company_wide]
        for function in range(len(self._used)):
            mine = scopes == function + 1
            if mine.any():
                rows = self._rows(function, positions[mine])
                self._counts[function][keys[mine], rows] = counts[mine]
                self._totals[function][keys[mine], rows] = totals[mine]

    def _rows(self, function: int, positions: Counts) -> Counts:
        """The rows of these companies in the function's tallies, made for those without one."""
        row_of = self._row_of(function)
        missing = np.unique(positions[row_of[positions] == _NONE])
        if missing.size:
            start, end = self._used[function], self._used[function] + missing.size
            self._counts[function] = with_room(self._counts[function], start, end, 0)
            self._totals[function] = with_room(self._totals[function], start, end, 0)
            row_of[missing] = np.arange(start, end, dtype=np.int32)
            self._used[function] = end
        return row_of[positions].astype(np.int64)

    def column(self, scope: int, key: int, positions: Counts | None) -> tuple[Counts, Counts]:
        """(counts, totals) of one key in one scope, for these companies (None: every company,
        in position order; the company-wide ones are then the arrays themselves, read-only)."""
        if scope == 0:
            if positions is None:
                return self.count0[key], self.total0[key]
            return self.count0[key, positions], self.total0[key, positions]
        rows = self._row_of(scope - 1) if positions is None else self._row_of(scope - 1)[positions]
        has = rows != _NONE
        counts, totals = np.zeros(len(rows), dtype=np.int64), np.zeros(len(rows), dtype=np.int64)
        counts[has] = self._counts[scope - 1][key, rows[has]]
        totals[has] = self._totals[scope - 1][key, rows[has]]
        return counts, totals

    def company(self, scope: int, position: int) -> tuple[list[int], list[int]]:
        """(counts, totals) of every key in one scope, for one company."""
        if scope == 0:
            return self.count0[:, position].tolist(), self.total0[:, position].tolist()
        row = int(self._row_of(scope - 1)[position])
        if row == _NONE:
            return [0] * self._keys, [0] * self._keys
        return self._counts[scope - 1][:, row].tolist(), self._totals[scope - 1][:, row].tolist()
