"""The ranking snapshot's copy on disk (resolvers/ranking_snapshot.py): a restarted process
reads it in a second or two instead of re-reading every company's tallies, then catches up by
re-reading the companies changed since, as any refresh does.

A copy is plain arrays (numpy's .npz, read without pickles) with the data version and the change
marker it reflects. It is read only while the database holds the token written with it
(models.SnapshotCopy): a database restored from before the copy, another database at the same
path, or a copy from another release (another format or set of rating scopes) is passed over,
as is any file that does not read, and the snapshot loads in full.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import secrets
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from tortoise.backends.base.client import BaseDBAsyncClient

from infra.db import is_sqlite, sqlite_file
from infra.settings import Settings

FORMAT = 1
Arrays = dict[str, npt.NDArray[Any]]
_LOG = logging.getLogger("workcred.snapshot")


@dataclass(frozen=True)
class Copy:
    version: str  # the data version it reflects
    marker: int  # the change marker read when it last looked (infra/data_version.Version)
    arrays: Arrays


def copy_path(settings: Settings) -> Path | None:
    """Where the copy lives: `WORKCRED_SNAPSHOT_COPY`, by default beside a SQLite database
    file (none for PostgreSQL or an in-memory database); `off` keeps none."""
    chosen = settings.snapshot_copy
    if chosen == "off":
        return None
    if chosen != "auto":
        return Path(chosen)
    database = sqlite_file(settings.database_url) if is_sqlite(settings.database_url) else None
    return database.with_name(f"{database.name}.ranking.npz") if database is not None else None


async def read(connection: BaseDBAsyncClient, path: Path, layout: dict[str, list[str]]) -> Copy | None:
    """The copy at `path`, when it is this database's and of this release's `layout`."""
    if not path.exists():
        return None
    token = await _token(connection)
    try:
        header, arrays = await asyncio.to_thread(_load, path)
    except (OSError, ValueError, KeyError, zipfile.BadZipFile) as error:
        _LOG.warning("ranking snapshot copy %s does not read (%s); loading in full", path, error)
        return None
    if header.get("format") != FORMAT or header.get("layout") != layout or token is None or header.get("token") != token:
        return None
    return Copy(str(header["version"]), int(header["marker"]), arrays)


async def write(connection: BaseDBAsyncClient, path: Path, layout: dict[str, list[str]], copy: Copy) -> None:
    """`copy` to `path` (whole or not at all), then its token to the database: until both are
    done the database holds another token, and no process reads the copy. A path that cannot be
    written (a missing directory, no permission, a full disk) is logged and leaves no copy: the
    next start loads in full, as without one."""
    token = secrets.token_hex(16)
    header = {"format": FORMAT, "layout": layout, "token": token, "version": copy.version, "marker": copy.marker}
    try:
        await asyncio.to_thread(_save, path, header, copy.arrays)
    except OSError as error:
        _LOG.warning("ranking snapshot copy %s cannot be written (%s); the next start loads in full", path, error)
        return
    sqlite = connection.capabilities.dialect == "sqlite"
    await connection.execute_query(
        f"INSERT INTO snapshot_copy (id, token) VALUES (1, {'?' if sqlite else '$1'}) "
        "ON CONFLICT (id) DO UPDATE SET token = excluded.token",
        [token],
    )


async def _token(connection: BaseDBAsyncClient) -> str | None:
    _, rows = await connection.execute_query("SELECT token FROM snapshot_copy WHERE id = 1")
    return str(rows[0]["token"]) if rows else None


def _save(path: Path, header: dict[str, Any], arrays: Arrays) -> None:
    partial = path.with_name(f"{path.name}.{os.getpid()}-{secrets.token_hex(4)}.partial")
    try:
        # Readable by its owner only: it holds tallies no response shows (functions below k).
        with os.fdopen(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as file:
            np.savez(file, allow_pickle=False, **{"header": _json_array(header), **arrays})
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)


def _load(path: Path) -> tuple[dict[str, Any], Arrays]:
    with np.load(path, allow_pickle=False) as stored:
        arrays = {name: stored[name] for name in stored.files}
    header = json.loads(arrays.pop("header").tobytes())
    if not isinstance(header, dict):
        raise ValueError("no header")
    return header, arrays


def _json_array(value: object) -> npt.NDArray[np.uint8]:
    return np.frombuffer(json.dumps(value, ensure_ascii=False).encode(), dtype=np.uint8)


def texts_array(texts: list[str]) -> npt.NDArray[np.uint8]:
    """Texts as one array (JSON in UTF-8: one C-speed pass each way)."""
    return _json_array(texts)


def texts_of(array: npt.NDArray[np.uint8]) -> list[str]:
    texts = json.loads(array.tobytes())
    if not isinstance(texts, list):
        raise ValueError("not a list of texts")
    return texts


def labels_arrays(labels: list[str | None]) -> tuple[npt.NDArray[np.uint8], npt.NDArray[np.int32]]:
    """Texts from a small set (industries, cities): the set, and each one's place in it (-1: none)."""
    places: dict[str, int] = {}
    codes = np.fromiter(
        (-1 if label is None else places.setdefault(label, len(places)) for label in labels),
        dtype=np.int32, count=len(labels),
    )
    return texts_array(list(places)), codes


def labels_of(vocabulary: npt.NDArray[np.uint8], codes: npt.NDArray[np.int32]) -> list[str | None]:
    """The inverse of `labels_arrays`, one object per distinct text."""
    texts: list[str | None] = [sys.intern(text) for text in texts_of(vocabulary)]
    texts.append(None)  # code -1
    return [texts[code] for code in codes.tolist()]
