"""Each process's in-memory snapshot of every company's ranked facts — rating counts and totals
per scope and key, and the attributes listings filter on — held as arrays, not ORM objects.

Ranking by fit then costs one vectorised pass over arrays (domain/fit_ranking.py) and one query
for the companies shown, however many reviews exist. The snapshot follows the data version:
when it moves, the snapshot reads which companies changed since it last looked
(infra/data_version.py's per-company versions, plus companies created since) and reloads only
those; a change touching most companies (a repair, a bulk seed) reloads everything, a slice of
companies at a time. The per-function tallies are sparse (resolvers/scope_tallies.py) and the
repeated texts shared, so a million companies take about 1 GB at most while loading. The
platform means — the prior of every Bayesian average — are summed from the same arrays.
"""

from __future__ import annotations

import asyncio
import bisect
import logging
import sys
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass, fields

import numpy as np
import numpy.typing as npt

import models
from domain.enums import CompanySizeBand, Dimension, JobFunction
from domain.fit import DimensionTally, FitResult, Priorities, fit
from domain.fit_ranking import Counts, FitColumns, TallyColumns, fit_columns, ranked_slice
from domain.ratings import ALL_FUNCTIONS, OVERALL, Tally, dimension_means
from infra import data_version
from infra.settings import Settings, settings_in_force
from models.ratings import SCORE_BUCKET_COLUMNS
from resolvers import snapshot_copy
from resolvers.errors import BadUserInput
from resolvers.pagination import DEFAULT_PAGE_SIZE, Key, PageArgs, decode_cursor, encode_cursor
from resolvers.scope_tallies import ScopeTallies, with_room

SCOPES = [ALL_FUNCTIONS, *(function.value for function in JobFunction)]
KEYS = [OVERALL, *(dimension.value for dimension in Dimension)]
# What a copy on disk must have been made with to be read (resolvers/snapshot_copy.py).
LAYOUT = {"scopes": SCOPES, "keys": KEYS}
SCOPE_INDEX = {scope: index for index, scope in enumerate(SCOPES)}
KEY_INDEX = {key: index for index, key in enumerate(KEYS)}
_LOG = logging.getLogger("workcred.snapshot")
# Reload everything when more than this share of companies (and more than one chunk) changed:
# one pass beats many lookups.
FULL_RELOAD_SHARE = 0.2
# Renamed or new companies put in the name orders one by one; more than this, and all are sorted.
REPOSITION_LIMIT = 1_000
# Companies per statement when reading by id (well under every database's parameter limit).
CHUNK = 500
# A full reload: companies read at once, and companies whose tallies one statement reads by id range.
FULL_LOAD_CHUNK = 100_000
RANGE_CHUNK = 10_000


@dataclass(frozen=True)
class ListingFilter:
    """What a listing narrows companies by, already checked and normalised (case-folded)."""

    search: str | None = None
    industry: str | None = None
    size_band: str | None = None
    city: str | None = None
    min_review_count: int | None = None


def _fold(value: str | None) -> str | None:
    """Case-folded, and one object per distinct text: a million companies share a few hundred
    industries and cities, which would otherwise be a million strings each."""
    return sys.intern(value.casefold()) if value is not None else None


def _band(value: str | None) -> str | None:
    """A size band as its stored text, one object per distinct text."""
    return sys.intern(value) if value is not None else None


class RankingSnapshot:
    def __init__(self) -> None:
        self.lock = asyncio.Lock()
        self._catching_up: set[asyncio.Task[None]] = set()
        self._clear()

    def catch_up(self, version: str) -> asyncio.Task[None]:
        """A task that refreshes the snapshot to `version` (at least) unless it is there."""

        async def refreshed() -> None:
            async with self.lock:
                if self.version != version:
                    await self.refresh(version)

        task = asyncio.create_task(refreshed())
        self._catching_up.add(task)  # held: the loop keeps only weak references to tasks
        task.add_done_callback(self._catching_up.discard)
        return task

    def _clear(self) -> None:
        self.version: str | None = None  # the data version it reflects
        self.copied_version: str | None = None  # the version of its copy on disk, read or written
        self.settled = True  # False while a refresh is under way, and after one that failed
        self.marker = 0  # the infra.data_version.Version marker read when it last looked
        # Room for more companies than it holds (resolvers/scope_tallies.with_room): `ids` and
        # `scores` are the held part.
        self._ids: Counts = np.zeros(0, dtype=np.int64)  # by position
        self.by_id: Counts = np.zeros(0, dtype=np.int64)  # positions in id order: a position by id
        self.names: list[str] = []
        self.industries: list[str | None] = []
        self.cities: list[str | None] = []
        self.size_bands: list[str | None] = []
        self.tallies = ScopeTallies(len(SCOPES), len(KEYS))
        # The company-wide 1 … 5 counts per key: with count and total, a ranked page's ratings.
        self._scores: npt.NDArray[np.int32] = np.zeros((len(KEYS), 5, 0), dtype=np.int32)
        # Positions by case-folded name, then id (fit's tie-break), and each position's place there.
        self.fit_order: Counts = np.zeros(0, dtype=np.int64)
        self.fit_rank: Counts = np.zeros(0, dtype=np.int64)
        # Positions by name, then id (NAME order), and each position's place there.
        self.name_order: Counts = np.zeros(0, dtype=np.int64)
        self.name_rank: Counts = np.zeros(0, dtype=np.int64)
        self.platform_means: dict[str, float] = {}

    @property
    def size(self) -> int:
        return len(self.names)

    @property
    def ids(self) -> Counts:
        return self._ids[: self.size]

    @property
    def scores(self) -> npt.NDArray[np.int32]:
        return self._scores[:, :, : self.size]

    async def refresh(self, version: str) -> None:
        connection = models.Company._meta.db
        marker = (await data_version.current(connection)).marker
        # In full: the first time, after a refresh that did not finish, or when the marker went
        # back (a database with another history).
        if self.version is None or not self.settled or marker < self.marker:
            changed: list[int] | None = None
        else:
            changed = await data_version.companies_changed_since(connection, self.marker)
        self.settled = False
        if changed is None or len(changed) > max(CHUNK, FULL_RELOAD_SHARE * self.size):
            # Everything, a slice of companies at a time: no more of their rows in memory at once.
            self._clear()
            self._make_room(await models.Company.all().count())
            last = 0
            while batch := await _company_rows(f"id > {last}", limit=FULL_LOAD_CHUNK):
                await self._load(batch, by_range=True)
                last = batch[-1][0]
            self._reorder()
        else:
            # The changed companies, and any created since (whichever way they were created).
            newest = int(self.ids.max()) if self.size else 0
            rows: list[CompanyRow] = []
            for number, chunk in enumerate(_chunks(sorted(set(changed))) if changed else [[]]):
                listed = f"id IN ({_id_list(chunk)})" if chunk else "false"
                rows += await _company_rows(f"{listed} OR id > {newest}" if number == 0 else listed)
            if moved := await self._load(rows, by_range=False):
                self._reposition(moved)
        self._sum_platform_means()
        self.marker = marker
        self.version = version
        self.settled = True

    async def _load(self, rows: list[CompanyRow], by_range: bool) -> list[int]:
        """These companies' facts and tallies, read anew; the positions whose name changed (or came).
        `by_range`: `rows` are every company of an id range, whose tallies are read by range."""
        reloaded = np.array([row[0] for row in rows], dtype=np.int64)
        positions = self.positions_of(reloaded)
        fresh = positions < 0
        added = int(fresh.sum())
        self._grow(added)
        positions[fresh] = np.arange(self.size, self.size + added)
        moved: list[int] = positions[fresh].tolist()
        for index, (_, name, industry, size_band, city) in zip(positions.tolist(), rows, strict=True):
            if index < len(self.names):
                if self.names[index] != name:
                    moved.append(index)
                self.names[index] = name
                self.industries[index], self.cities[index] = _fold(industry), _fold(city)
                self.size_bands[index] = _band(size_band)
            else:
                self.names.append(name)
                self.industries.append(_fold(industry))
                self.cities.append(_fold(city))
                self.size_bands.append(_band(size_band))
        self.ids[positions] = reloaded
        if added:
            self.by_id = np.argsort(self.ids, kind="stable")
        self.tallies.clear(positions)
        self.scores[:, :, positions] = 0
        for chunk in _chunks(sorted(reloaded.tolist()), RANGE_CHUNK if by_range else CHUNK):
            # Plain rows, not model objects: a full reload reads every company's tallies.
            where = f"BETWEEN {chunk[0]} AND {chunk[-1]}" if by_range else f"IN ({_id_list(chunk)})"
            _, tallies = await models.RatingAggregate._meta.db.execute_query(
                f"SELECT company_id, scope, rating_key, count, total, {', '.join(SCORE_BUCKET_COLUMNS)} "
                f"FROM rating_aggregate WHERE company_id {where}"
            )
            kept = [
                (SCOPE_INDEX[scope], KEY_INDEX[key], company_id, count, total, *buckets)
                for company_id, scope, key, count, total, *buckets in tallies
                if scope in SCOPE_INDEX and key in KEY_INDEX
            ]
            if kept:
                scopes, keys, companies, counts, totals, *buckets = (np.array(column) for column in zip(*kept, strict=True))
                # A company created in the range after its companies were read waits for its own refresh.
                positions = self.positions_of(companies)
                held = positions >= 0
                scopes, keys, positions, counts, totals = (
                    column[held] for column in (scopes, keys, positions, counts, totals)
                )
                buckets = [column[held] for column in buckets]
                self.tallies.set(scopes, keys, positions, counts, totals)
                company_wide = scopes == 0
                for score, column in enumerate(buckets):
                    self.scores[keys[company_wide], score, positions[company_wide]] = column[company_wide]
        return moved

    def _reorder(self) -> None:
        """The name orders, after names changed: stable sorts of the positions in id order, so
        that equal names stay in id order."""
        in_id_order = self.by_id.tolist()
        folded = [name.casefold() for name in self.names]
        self.fit_order = np.array(sorted(in_id_order, key=folded.__getitem__), dtype=np.int64)
        del folded
        self.fit_rank = _ranks(self.fit_order)
        self.name_order = np.array(sorted(in_id_order, key=self.names.__getitem__), dtype=np.int64)
        self.name_rank = _ranks(self.name_order)

    def _sum_platform_means(self) -> None:
        counts = self.tallies.count0.sum(axis=1, dtype=np.int64)
        totals = self.tallies.total0.sum(axis=1, dtype=np.int64)
        self.platform_means = {key: int(t) / int(c) for key, c, t in zip(KEYS, counts, totals, strict=True) if c}

    def copy(self) -> snapshot_copy.Copy:
        """What it holds, as arrays (resolvers/snapshot_copy.py)."""
        assert self.version is not None
        industries, industry_codes = snapshot_copy.labels_arrays(self.industries)
        cities, city_codes = snapshot_copy.labels_arrays(self.cities)
        bands, band_codes = snapshot_copy.labels_arrays(self.size_bands)
        arrays: snapshot_copy.Arrays = {
            "ids": self.ids, "by_id": self.by_id, "scores": self.scores,
            "fit_order": self.fit_order, "name_order": self.name_order,
            "names": snapshot_copy.texts_array(self.names),
            "industries": industries, "industry_codes": industry_codes,
            "cities": cities, "city_codes": city_codes, "size_bands": bands, "size_band_codes": band_codes,
            **{f"tallies.{name}": array for name, array in self.tallies.arrays().items()},
        }
        return snapshot_copy.Copy(self.version, self.marker, arrays)

    def restore(self, copy: snapshot_copy.Copy) -> None:
        """As it was when `copy` was made (the next refresh catches up from there); unchanged
        when the copy does not fit (ValueError, KeyError, IndexError)."""
        arrays = copy.arrays
        names = snapshot_copy.texts_of(arrays["names"])
        columns = (
            snapshot_copy.labels_of(arrays["industries"], arrays["industry_codes"]),
            snapshot_copy.labels_of(arrays["cities"], arrays["city_codes"]),
            snapshot_copy.labels_of(arrays["size_bands"], arrays["size_band_codes"]),
        )
        tallies = ScopeTallies(len(SCOPES), len(KEYS))
        tallies.restore({name.removeprefix("tallies."): array for name, array in arrays.items()
                         if name.startswith("tallies.")})
        sizes = {len(names), *(len(column) for column in columns), tallies.count0.shape[1], arrays["scores"].shape[2],
                 *(len(arrays[name]) for name in ("ids", "by_id", "fit_order", "name_order"))}
        if len(sizes) != 1:
            raise ValueError("the copy's columns differ in length")
        self._clear()
        self.names = names
        self.industries, self.cities, self.size_bands = columns
        self.tallies = tallies
        self._ids, self.by_id, self._scores = arrays["ids"], arrays["by_id"], arrays["scores"]
        self.fit_order, self.name_order = arrays["fit_order"], arrays["name_order"]
        self.fit_rank, self.name_rank = _ranks(self.fit_order), _ranks(self.name_order)
        self._sum_platform_means()
        self.version, self.marker = copy.version, copy.marker
        self.copied_version = copy.version

    def _reposition(self, moved: list[int]) -> None:
        """The name orders after these positions' names changed (or they came): each is taken
        out and put back where it now belongs, without sorting every name again (a second at
        a million companies, on the event loop)."""
        if len(moved) > REPOSITION_LIMIT:
            self._reorder()
            return
        self.fit_order = resorted(self.fit_order, self.fit_rank, self._folded_key, moved)
        self.fit_rank = _ranks(self.fit_order)
        self.name_order = resorted(self.name_order, self.name_rank, self._name_key, moved)
        self.name_rank = _ranks(self.name_order)

    def positions_of(self, company_ids: Counts) -> Counts:
        """Each company's position, or -1 for one the snapshot does not hold."""
        if not self.size:
            return np.full(len(company_ids), -1, dtype=np.int64)
        place = np.minimum(np.searchsorted(self.ids, company_ids, sorter=self.by_id), self.size - 1)
        positions = self.by_id[place]
        return np.where(self.ids[positions] == company_ids, positions, -1).astype(np.int64)

    def _position(self, company_id: int) -> int:
        position = int(self.positions_of(np.array([company_id], dtype=np.int64))[0])
        if position < 0:
            raise KeyError(company_id)
        return position

    def _make_room(self, companies: int) -> None:
        self._ids = with_room(self._ids, self.size, companies, 0)
        self._scores = with_room(self._scores, self.size, companies, 0)
        self.tallies.make_room(companies)

    def _grow(self, extra: int) -> None:
        """Room for `extra` more companies, held once their names are."""
        self._make_room(self.size + extra)
        self.tallies.grow(extra)

    def ratings(self, company_id: int) -> dict[str, Tally]:
        """The company-wide tallies per rating key, as `Loaders.ratings` reads them."""
        index = self._position(company_id)
        # Whole columns to Python at once: numpy's scalar indexing costs more than the rest.
        counts, totals = self.tallies.company(0, index)
        scores = self.scores[:, :, index].tolist()
        return {key: Tally(counts[k], totals[k], scores[k]) for key, k in KEY_INDEX.items() if counts[k]}

    def matching(self, listing: ListingFilter, found: Sequence[int] | None) -> Counts:
        """Positions of the companies the filter keeps (of those the search `found`, when it
        searched: resolvers/company_search.py)."""
        if found is None and listing == ListingFilter():
            return np.arange(self.size)
        keep = np.ones(self.size, dtype=bool)
        for wanted, values in (
            (listing.industry, self.industries), (listing.city, self.cities), (listing.size_band, self.size_bands)
        ):
            if wanted is not None:
                keep &= np.fromiter((value == wanted for value in values), dtype=bool, count=self.size)
        if found is not None:
            keep &= np.isin(self.ids, np.asarray(found, dtype=np.int64))
        if listing.min_review_count:
            keep &= self.tallies.count0[KEY_INDEX[OVERALL]] >= listing.min_review_count
        return np.flatnonzero(keep)

    def _columns(self, scope: int, positions: Counts | None, dimensions: Iterable[Dimension]) -> TallyColumns:
        columns = {d: self.tallies.column(scope, KEY_INDEX[d.value], positions) for d in dimensions}
        return TallyColumns({d: counts for d, (counts, _) in columns.items()},
                            {d: totals for d, (_, totals) in columns.items()})

    def fit(self, priorities: Priorities, positions: Counts) -> FitColumns:
        """The fit of the companies at `positions` (ascending: all of them, or some)."""
        settings = settings_in_force()
        perspective = SCOPE_INDEX[priorities.perspective.value] if priorities.perspective else None
        used = priorities.used_dimensions
        # Every company: the tallies as they lie, no copy of them.
        taken = None if len(positions) == self.size else positions
        return fit_columns(
            priorities,
            self._columns(0, taken, used),
            dimension_means(self.platform_means),
            settings.bayesian_prior_strength,
            len(positions),
            perspective=self._columns(perspective, taken, used) if perspective is not None else None,
            perspective_reviews=(
                self.tallies.column(perspective, KEY_INDEX[OVERALL], taken)[0] if perspective is not None else None
            ),
            k=settings.k_anonymity,
        )

    def fits(self, priorities: Priorities, company_ids: Iterable[int]) -> dict[int, FitResult]:
        """`fit()` of each company, in full (its contributions too), from the tallies the ranking
        read: a ranked page shows the scores it was ranked by without reading them again."""
        settings = settings_in_force()
        perspective = SCOPE_INDEX[priorities.perspective.value] if priorities.perspective else None
        used = [(d, KEY_INDEX[d.value]) for d in priorities.used_dimensions]
        means = dimension_means(self.platform_means)

        def tallies(scope: int, index: int) -> dict[Dimension, DimensionTally]:
            counts, totals = self.tallies.company(scope, index)
            return {d: DimensionTally(counts[k], totals[k]) for d, k in used if counts[k]}

        results = {}
        for company_id in company_ids:
            index = self._position(company_id)
            results[company_id] = fit(
                priorities,
                tallies(0, index),
                means,
                settings.bayesian_prior_strength,
                perspective=tallies(perspective, index) if perspective is not None else None,
                perspective_reviews=self.tallies.company(perspective, index)[0][KEY_INDEX[OVERALL]] if perspective is not None else 0,
                k=settings.k_anonymity,
            )
        return results

    def _folded_key(self, position: int) -> tuple[str, int]:
        return self.names[position].casefold(), int(self.ids[position])

    def _name_key(self, position: int) -> tuple[str, int]:
        return self.names[position], int(self.ids[position])

    def ranked_page(
        self, priorities: Priorities, listing: ListingFilter, meets_minimums_only: bool, *, by_fit: bool,
        reverse: bool, page: PageArgs, found: Sequence[int] | None = None,
    ) -> RankedPage:
        """The page of the listing ordered by fit (best first) or by name (A first), or the
        `reverse`, keeping only companies meeting the minimums when asked. Its cursors carry the
        keys it is ordered by (fit: score, confidence, case-folded name, id; name: name, id), so a
        page after one starts after that company wherever the ranking has moved it."""
        positions = self.matching(listing, found)
        columns = self.fit(priorities, positions)
        if meets_minimums_only:
            keep = columns.meets_minimums
            positions = positions[keep]
            columns = FitColumns(columns.score[keep], columns.confidence[keep], columns.meets_minimums[keep])
        order = _Order(self, columns, positions, by_fit, reverse)
        size = len(positions)
        start = order.preceding(page.after, "after", inclusive=True) if page.after is not None else 0
        end = max(start, order.preceding(page.before, "before", inclusive=False) if page.before is not None else size)
        if page.first is not None or page.last is None:
            end = min(end, start + (page.first or DEFAULT_PAGE_SIZE))
        if page.last is not None:
            start = max(start, end - page.last)
        if by_fit:
            every = len(positions) == self.size
            shown = ranked_slice(columns, self.fit_rank if every else self.fit_rank[positions], start, end, reverse)
        else:
            by_name = np.argsort(self.name_rank[positions])
            shown = (by_name[::-1] if reverse else by_name)[start:end]
        return RankedPage(
            [int(company_id) for company_id in self.ids[positions[shown]]],
            [encode_cursor(order.key(int(index))) for index in shown],
            has_next_page=end < size, has_previous_page=start > 0, total=size,
        )


@dataclass(frozen=True)
class RankedPage:
    company_ids: list[int]
    cursors: list[str]
    has_next_page: bool
    has_previous_page: bool
    total: int


class _Order:
    """One listing's order, for keyset cursors: the key of a company in it, and how many of the
    listing come before a key (vectorised: no company is compared one by one)."""

    def __init__(
        self, snapshot: RankingSnapshot, columns: FitColumns, positions: Counts, by_fit: bool, reverse: bool
    ) -> None:
        self.snapshot, self.columns, self.positions = snapshot, columns, positions
        self.by_fit, self.reverse = by_fit, reverse

    def key(self, index: int) -> Key:
        position = int(self.positions[index])
        if self.by_fit:
            score, confidence = float(self.columns.score[index]), float(self.columns.confidence[index])
            return (score, confidence, *self.snapshot._folded_key(position))
        return self.snapshot._name_key(position)

    def preceding(self, cursor: str, argument: str, inclusive: bool) -> int:
        """How many of the listing come before the cursor's key (and, `inclusive`, at it)."""
        snapshot = self.snapshot
        *measures, name, company_id = decode_cursor(cursor, argument, 4 if self.by_fit else 2)
        numbers = [float(m) for m in measures if isinstance(m, int | float)]
        if not (isinstance(name, str) and isinstance(company_id, int) and len(numbers) == len(measures)):
            raise BadUserInput(f"`{argument}` is not a cursor from this connection.")
        named = (name, company_id)
        order, rank_of = (snapshot.fit_order, snapshot.fit_rank) if self.by_fit else (snapshot.name_order, snapshot.name_rank)
        sort_key = snapshot._folded_key if self.by_fit else snapshot._name_key
        # Where the named company stands (or would stand) among all companies by name.
        place = bisect.bisect_left(order, named, key=lambda position: sort_key(int(position)))
        present = place < len(order) and sort_key(int(order[place])) == named
        ranks = rank_of[self.positions]
        # In reverse the names run Z to A: the cursor's stand-in follows the rank before its place.
        before_by_name = ranks > (place if present else place - 1) if self.reverse else ranks < place
        at = ranks == place if present else np.zeros(len(ranks), dtype=bool)
        if self.by_fit:
            score, confidence = self.columns.score, self.columns.confidence
            wanted_score, wanted_confidence = numbers
            better = (score < wanted_score) if self.reverse else (score > wanted_score)
            surer = (confidence < wanted_confidence) if self.reverse else (confidence > wanted_confidence)
            tied = (score == wanted_score) & (confidence == wanted_confidence)
            before_by_name = better | ((score == wanted_score) & surer) | (tied & before_by_name)
            at = at & tied
        return int(before_by_name.sum() + (at.sum() if inclusive else 0))


def resorted(order: Counts, rank_of: Counts, sort_key: Callable[[int], Key], moved: list[int]) -> Counts:
    """`order` (positions sorted by `sort_key`, each at its `rank_of`) with the `moved`
    positions (some new to it) taken out and put back where their keys now sort."""
    known = [position for position in moved if position < len(order)]
    kept = np.delete(order, rank_of[np.array(known, dtype=np.int64)])
    entering = sorted(moved, key=sort_key)
    places = [bisect.bisect_left(kept, sort_key(p), key=lambda q: sort_key(int(q))) for p in entering]
    return np.insert(kept, places, entering)


def _ranks(order: Sequence[int] | Counts) -> Counts:
    ranks = np.empty(len(order), dtype=np.int64)
    ranks[np.asarray(order, dtype=np.int64)] = np.arange(len(order), dtype=np.int64)
    return ranks


def _chunks(ids: Sequence[int], size: int = CHUNK) -> Iterable[list[int]]:
    for start in range(0, len(ids), size):
        yield list(ids[start : start + size])


CompanyRow = tuple[int, str, str | None, str | None, str | None]


@dataclass(frozen=True)
class ShownCompany:
    """A company a ranked page shows — what its GraphQL object reads, as the ORM model names
    it — as plain values: twenty ORM objects cost a ranking ten times the statement."""

    id: int
    slug: str
    name: str
    industry: str | None
    size_band: CompanySizeBand | None
    headquarters_city: str | None
    description: str | None
    website: str | None
    unanswered_review_count: int
    member_count: int
    verified_member_count: int
    former_member_count: int
    responded_review_count: int


SHOWN_COLUMNS = tuple(column.name for column in fields(ShownCompany))


async def shown_companies(company_ids: Sequence[int]) -> dict[int, ShownCompany]:
    """The companies a page shows, by id, in one statement."""
    if not company_ids:
        return {}
    _, rows = await models.Company._meta.db.execute_query(
        f"SELECT {', '.join(SHOWN_COLUMNS)} FROM company WHERE id IN ({_id_list(company_ids)})"
    )
    shown = {}
    for row in rows:
        values = dict(zip(SHOWN_COLUMNS, row, strict=True))
        band = values.pop("size_band")
        shown[values["id"]] = ShownCompany(**values, size_band=CompanySizeBand(band) if band is not None else None)
    return shown


def _id_list(ids: Iterable[int]) -> str:
    """Ids written into a statement, for an IN list: they are the snapshot's own integers (of
    rows it read), so no placeholders, and no dialect's spelling of them, are needed."""
    return ", ".join(str(int(company_id)) for company_id in ids)


async def _company_rows(where: str, limit: int | None = None) -> list[CompanyRow]:
    """By id, the first `limit` of them when given; plain rows, not model objects (a full load
    reads every company). `where` is built from the snapshot's own integers."""
    _, rows = await models.Company._meta.db.execute_query(
        f"SELECT id, name, industry, size_band, headquarters_city FROM company WHERE {where} ORDER BY id"
        + (f" LIMIT {limit}" if limit else "")
    )
    return [tuple(row) for row in rows]


# One snapshot per database this process serves (tests switch databases between runs).
_SNAPSHOTS: dict[str, RankingSnapshot] = {}


def _snapshot_of(database_url: str) -> RankingSnapshot:
    return _SNAPSHOTS.get(database_url) or _SNAPSHOTS.setdefault(database_url, RankingSnapshot())


async def current_snapshot(
    version_of: Callable[[], Awaitable[str]], database_url: str | None = None
) -> RankingSnapshot:
    """The snapshot of `database_url` (default: the one in force) as of the data version
    `version_of` reads (at least as new)."""
    snapshot = _snapshot_of(database_url or settings_in_force().database_url)
    version = await version_of()
    if snapshot.version != version:
        # In a task of its own: a request that runs out of time (or goes) stops waiting, and the
        # refresh goes on for the next one, rather than being cut off and started over.
        await asyncio.shield(snapshot.catch_up(version))
    return snapshot


async def load_snapshot(settings: Settings) -> None:
    """At start-up, in the background (app.py), so that no request pays for the first load
    and the server answers before it is done: from the copy on disk when it is this
    database's (then only the companies changed since are read), else in full, after which
    the copy is written."""
    connection = models.Company._meta.db
    snapshot = _snapshot_of(settings.database_url)
    path = snapshot_copy.copy_path(settings)
    restored = False
    if path is not None:
        async with snapshot.lock:
            copy = await snapshot_copy.read(connection, path, LAYOUT) if snapshot.version is None else None
            if copy is not None:
                try:
                    snapshot.restore(copy)
                    restored = True
                except (ValueError, KeyError, IndexError) as error:
                    _LOG.warning("ranking snapshot copy %s does not fit (%s); loading in full", path, error)

    async def version() -> str:
        return (await data_version.current(connection)).data

    await current_snapshot(version, settings.database_url)
    if not restored:
        await save_snapshot(settings)


async def save_snapshot(settings: Settings) -> None:
    """The copy on disk, when the snapshot moved since it was read or last written (after a
    full load at start-up, and at shut-down). Finished even when the caller is cancelled (a
    shut-down during the first save), so that two saves never overlap."""
    snapshot = _SNAPSHOTS.get(settings.database_url)
    path = snapshot_copy.copy_path(settings)
    if snapshot is None or path is None:
        return

    async def save() -> None:
        async with snapshot.lock:
            if snapshot.version is not None and snapshot.settled and snapshot.version != snapshot.copied_version:
                await snapshot_copy.write(models.Company._meta.db, path, LAYOUT, snapshot.copy())
                snapshot.copied_version = snapshot.version

    await asyncio.shield(save())
