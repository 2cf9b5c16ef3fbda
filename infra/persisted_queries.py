"""Persisted queries: Apollo's automatic persisted queries protocol, and an allow-list mode.

A client sends `extensions.persistedQuery = {"version": 1, "sha256Hash": "<hex>"}`, first
without the query text; if the server does not know the hash it answers
PERSISTED_QUERY_NOT_FOUND and the client sends hash and text once, which registers it. Short
requests then fit in a GET URL, which caches and CDNs can keep.

Modes (`WORKCRED_PERSISTED_QUERIES`):
- `auto` (default): any client may register documents; they are kept for a week in process, or
  in Redis (shared by every process) when REDIS_URL is set — bounded in entries and in bytes
  (`WORKCRED_PERSISTED_QUERY_MAX_BYTES`) either way, and each client address registers at most
  `WORKCRED_RATE_LIMIT_REGISTRATIONS` (past it, its documents still run but are not kept).
- `allowlist`: only the documents of the manifest (`WORKCRED_PERSISTED_QUERY_MANIFEST`, a JSON
  object of sha256 → document) run, by hash or by text; nothing can be registered.
- `off`: the extension is refused; plain queries run.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from domain.errors import ErrorCode
from infra.bounded_store import BoundedStore
from infra.rate_limits import Budget, RateLimited, RateLimits

MODES = ("auto", "allowlist", "off")
MAX_DOCUMENTS = 5_000
LIFETIME_SECONDS = 7 * 24 * 3600


class PersistedQueryError(Exception):
    def __init__(self, code: ErrorCode, message: str) -> None:
        super().__init__(message)
        self.code = code


def document_hash(document: str) -> str:
    return hashlib.sha256(document.encode("utf-8")).hexdigest()


def load_manifest(path: str) -> dict[str, str]:
    """hash → document, every hash checked against its document."""
    entries = json.loads(Path(path).read_text(encoding="utf-8"))
    if not isinstance(entries, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in entries.items()
    ):
        raise ValueError("the manifest must be a JSON object of sha256 hash → GraphQL document")
    for given, document in entries.items():
        if document_hash(document) != given.lower():
            raise ValueError(f"manifest entry {given[:12]}… does not match the sha256 of its document")
    return {k.lower(): v for k, v in entries.items()}


_SHA256_HEX = re.compile(r"[0-9a-fA-F]{64}")


def _requested_hash(extensions: Mapping[str, Any] | None) -> str | None:
    """The sha256 the request names, or None when it uses no persisted query."""
    persisted = (extensions or {}).get("persistedQuery")
    if persisted is None:
        return None
    if not isinstance(persisted, dict) or persisted.get("version") != 1:
        raise PersistedQueryError(ErrorCode.BAD_USER_INPUT, "`extensions.persistedQuery` must have version 1.")
    given = persisted.get("sha256Hash")
    if not isinstance(given, str) or not _SHA256_HEX.fullmatch(given):
        raise PersistedQueryError(ErrorCode.BAD_USER_INPUT, "`persistedQuery.sha256Hash` must be 64 hex digits.")
    return given.lower()


class PersistedQueries:
    def __init__(
        self,
        mode: str,
        manifest: Mapping[str, str] | None = None,
        redis: Any = None,
        namespace: str = "",
        max_bytes: int = 16 << 20,
        rate_limits: RateLimits | None = None,
    ) -> None:
        """`redis`: the process's shared client and `namespace` the deployment's (infra/shared_redis.py);
        `rate_limits`: where each client's registrations are counted (none: not counted)."""
        self.mode = mode
        self._manifest = dict(manifest or {})
        self._allowed_texts = set(self._manifest.values())
        self._registered = BoundedStore(
            MAX_DOCUMENTS, max_bytes, LIFETIME_SECONDS, redis if mode == "auto" else None, f"{namespace}apq:"
        )
        self._rate_limits = rate_limits

    async def resolve(
        self, query: str | None, extensions: Mapping[str, Any] | None, client: str | None = None
    ) -> str | None:
        """The document to run (None when the request names none: strawberry explains that).
        `client`: the address a registration is counted against."""
        requested = _requested_hash(extensions)
        if requested is None:
            if self.mode == "allowlist" and query is not None and query not in self._allowed_texts:
                raise PersistedQueryError(
                    ErrorCode.PERSISTED_QUERY_NOT_ALLOWED, "Only the registered documents run on this server."
                )
            return query
        if self.mode == "off":
            raise PersistedQueryError(ErrorCode.PERSISTED_QUERY_NOT_SUPPORTED, "PersistedQueryNotSupported")
        if query is not None:
            if document_hash(query) != requested:
                raise PersistedQueryError(ErrorCode.PERSISTED_QUERY_HASH_MISMATCH, "provided sha does not match query")
            if self.mode == "allowlist" and requested not in self._manifest:
                raise PersistedQueryError(
                    ErrorCode.PERSISTED_QUERY_NOT_ALLOWED, "Only the registered documents run on this server."
                )
            await self._remember(requested, query, client)
            return query
        found = await self._recall(requested)
        if found is None:
            # Apollo clients look for exactly this message, then resend with the text.
            raise PersistedQueryError(ErrorCode.PERSISTED_QUERY_NOT_FOUND, "PersistedQueryNotFound")
        return found

    async def _remember(self, key: str, document: str, client: str | None) -> None:
        if self.mode != "auto" or await self._registered.get(key) is not None:
            return
        if self._rate_limits is not None and client is not None:
            try:
                await self._rate_limits.spend(Budget.REGISTRATIONS, f"address:{client}")
            except RateLimited:
                return  # it runs, but is not kept: one client cannot fill the registry
        await self._registered.put(key, document)

    async def _recall(self, key: str) -> str | None:
        if key in self._manifest:
            return self._manifest[key]
        return await self._registered.get(key)

    async def size(self) -> tuple[int, int]:
        """(documents, bytes) registered now."""
        return await self._registered.size()
