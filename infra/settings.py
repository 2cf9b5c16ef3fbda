"""Settings, read once from environment variables (docs/settings.md is generated from them)."""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Mapping
from contextvars import ContextVar
from dataclasses import dataclass, fields
from pathlib import Path

from limits import RateLimitItem

from infra.mail import SmtpServer, smtp_server
from infra.persisted_queries import MODES as PERSISTED_QUERY_MODES
from infra.persisted_queries import load_manifest
from infra.rate_limits import Budget, parse_budget

DEFAULT_SQLITE_PRAGMAS = "journal_mode=WAL&synchronous=NORMAL&busy_timeout=5000&foreign_keys=ON"


def default_database_url(directory: Path | None = None) -> str:
    """A SQLite file in the working directory, tuned for a small concurrent web server."""
    path = (directory or Path.cwd()) / "workcred.sqlite3"
    return f"sqlite://{path}?{DEFAULT_SQLITE_PRAGMAS}"


SUPPORTED_DATABASE_SCHEMES = ("sqlite", "postgres", "postgresql", "asyncpg")


def canonical_database_url(database_url: str) -> str:
    """The one form every command reads a database URL in. A SQLite file is named by
    `sqlite://relative/path` or `sqlite:///absolute/path` (tortoise's form), and also by
    `sqlite:////absolute/path` (SQLAlchemy's), which becomes the three-slash form."""
    scheme, _, rest = database_url.partition("://")
    if scheme.lower() == "sqlite" and rest.startswith("//"):
        return f"{scheme}:///{rest.lstrip('/')}"
    return database_url
_MAIL_FROM = re.compile(r"[^<>@\s]+@[^<>@\s]+|[^<>@]*<[^<>@\s]+@[^<>@\s]+>")
# Settings that are plain numbers in a range: (lowest, highest) allowed.
_BOUNDS = {
    "port": (1, 65_535), "max_body_bytes": (1024, 1 << 30), "max_query_depth": (1, 1000),
    "max_aliases": (0, 10_000), "max_tokens": (1, 1_000_000), "max_query_cost": (1, 100_000_000),
    "argon2_parallelism": (1, 64), "review_signal_period_seconds": (1, 604_800),
    "response_cache_seconds": (0, 86_400), "release_held_seconds": (0, 86_400), "response_cache_entries": (0, 1_000_000), "max_requests_in_flight_per_client": (0, 10_000),
    "heavy_queries_in_flight": (0, 10_000), "heavy_query_cost": (1, 100_000_000),
    "response_cache_max_bytes": (1 << 16, 1 << 34), "persisted_query_max_bytes": (1 << 16, 1 << 34),
    "argon2_time_cost": (1, 100), "argon2_memory_kib": (1, 1 << 22),
}


# A browser origin as it sends it (RFC 6454): scheme://host[:port], nothing after; or * for any.
_ORIGIN = re.compile(r"\*|https?://(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+)(:[0-9]{1,5})?")
_HEADER_NAME = re.compile(r"[!#$%&'*+.^_`|~0-9a-z-]+")


def _items(listed: str) -> list[str]:
    """The items of a comma-separated setting."""
    return [item.strip() for item in listed.split(",") if item.strip()]


class SettingsError(ValueError):
    """An environment variable holds a value the service refuses to start with."""


@dataclass(frozen=True)
class Settings:
    database_url: str
    host: str = "127.0.0.1"
    port: int = 8000
    graphiql: bool = True
    auto_migrate: bool = True
    # Privacy and scoring knobs (SPEC "Reading reviews", "Ratings").
    k_anonymity: int = 5
    # A colleague counts towards k (and towards the company record's attrition) only once their
    # account and their claim to the job are this old: the company cannot fabricate them late.
    colleague_min_age_days: int = 30
    # The inflow allowance (domain/colleagues.py): in any 30 days at most max(minimum, share ×
    # counted colleagues) new members become counted at one company.
    colleague_inflow_share: float = 0.1
    colleague_inflow_min: int = 2
    bayesian_prior_strength: float = 10.0
    # A new review's live signal reaches its company at the end of the window it was written in
    # (domain.anonymity.signal_release_at): a day, matching the day its page shows.
    review_signal_period_seconds: int = 86_400
    # How often the server publishes the held reviews a face can hide by then (0: never; run
    # `workcred release-held-reviews` from cron instead).
    release_held_seconds: int = 300
    # Auth.
    token_ttl_days: int = 30
    argon2_time_cost: int = 3
    argon2_memory_kib: int = 65536
    argon2_parallelism: int = 4
    # Request limits.
    max_body_bytes: int = 1_048_576
    max_query_depth: int = 12
    max_aliases: int = 30
    max_tokens: int = 5_000
    max_query_cost: int = 10_000  # estimated resolved fields, see schema/cost.py
    request_time_budget_seconds: float = 10.0
    # Requests of one client (token, or address) a process runs at once (infra/client_limits.py); 0: no limit.
    max_requests_in_flight_per_client: int = 8
    heavy_query_cost: int = 2_000  # estimated cost from which a query counts as heavy
    heavy_queries_in_flight: int = 2  # heavy queries one process executes at once (0: no bound)
    # Anonymous responses kept per data version (infra/response_cache.py); 0 turns it off.
    response_cache_seconds: int = 60
    response_cache_entries: int = 2_000
    response_cache_max_bytes: int = 64 << 20
    # The ranking snapshot's copy on disk, read at start-up (resolvers/snapshot_copy.py): auto
    # (beside a SQLite database file; none for PostgreSQL), off, or a file path.
    snapshot_copy: str = "auto"
    # Persisted queries (infra/persisted_queries.py): auto, allowlist or off.
    persisted_queries: str = "auto"
    persisted_query_manifest: str = ""
    persisted_query_max_bytes: int = 16 << 20  # registered documents, in process or in Redis
    # Governance (docs/governance.md).
    poll_window_hours: float = 72.0
    poll_quorum: int = 10
    poll_threshold: float = 0.6
    ceo_vote_multiplier: float = 2.0
    voter_min_account_age_days: int = 7
    poll_cooldown_days: int = 30
    veto_period_days: int = 7
    # Rate limits, in the `limits` notation; shared across processes through Redis when set.
    rate_limit_signin: str = "10/15minute"  # failed sign-ins, per address and per (account, address)
    # Failed sign-ins to one account from anywhere: past it, only addresses the account signed in
    # from before may still try — strangers slow each other down, never the owner.
    rate_limit_signin_account: str = "50/hour"
    rate_limit_mail: str = "5/hour"  # codes and reset links asked for, per account and per address
    rate_limit_signup: str = "20/hour"  # per address
    rate_limit_writes: str = "60/minute"  # mutations, per member
    rate_limit_stints: str = "10/day"  # new jobs, per member (fake stints game anonymity)
    # Points a client may spend on operations (each costs its estimate, schema/cost.py), per
    # member, or per address when anonymous; `Query.rateLimit` and `RateLimit-*` headers show it.
    rate_limit_cost: str = "100000/minute"
    rate_limit_registrations: str = "200/hour"  # persisted queries registered, per client address
    trusted_proxies: str = ""  # comma-separated peer addresses whose X-Forwarded-For is believed
    redis_url: str | None = None  # REDIS_URL
    # What every Redis key and channel of this deployment starts with; by default derived from
    # the database (infra/shared_redis.py), so deployments sharing one Redis stay apart.
    redis_prefix: str = ""
    # Browser origins allowed to call the API (comma-separated scheme://host[:port], or *); none
    # by default.
    cors_origins: str = ""
    # Request headers a browser may send beyond the ones always allowed (infra/browser_access.py).
    cors_allow_headers: str = ""
    # Mail (infra/mail.py): unset, mail is written to the server log instead of sent.
    smtp_url: str = ""
    mail_from: str = "workcred <no-reply@workcred.invalid>"
    # The key of digests only the server can make (known sign-in addresses, mailed codes); by
    # default a random one kept in the database, made when it was created.
    secret_key: str = ""

    @property
    def smtp_server(self) -> SmtpServer | None:
        return smtp_server(self.smtp_url) if self.smtp_url else None

    @property
    def cors_origin_list(self) -> list[str]:
        return _items(self.cors_origins)

    @property
    def cors_allow_header_list(self) -> list[str]:
        return [header.lower() for header in _items(self.cors_allow_headers)]

    def budgets(self) -> dict[Budget, RateLimitItem]:
        return {budget: parse_budget(f"WORKCRED_RATE_LIMIT_{budget.value.upper()}", getattr(self, f"rate_limit_{budget.value}"))
                for budget in Budget}

    @property
    def trusted_proxy_addresses(self) -> frozenset[str]:
        return frozenset(_items(self.trusted_proxies))

    def __post_init__(self) -> None:
        """Every value checked, named by its variable, before anything is migrated or served."""
        scheme = self.database_url.partition("://")[0].lower()
        if "://" not in self.database_url or scheme not in SUPPORTED_DATABASE_SCHEMES:
            raise SettingsError(
                f"DATABASE_URL must start with sqlite:// or postgres:// (got {scheme or 'no scheme'!r})"
            )
        object.__setattr__(self, "database_url", canonical_database_url(self.database_url))
        for name, (low, high) in _BOUNDS.items():
            if not low <= getattr(self, name) <= high:
                raise SettingsError(f"WORKCRED_{name.upper()} must be between {low} and {high}")
        try:
            self.budgets()
            _ = self.smtp_server
        except ValueError as error:
            raise SettingsError(str(error)) from None
        for broken, message in self._broken_rules():
            if broken:
                raise SettingsError(message)
        self._check_persisted_queries()

    def _broken_rules(self) -> list[tuple[bool, str]]:
        """(whether the rule is broken, what it says) for each rule beyond a plain range."""
        return [
            (self.k_anonymity < 1, "WORKCRED_K_ANONYMITY must be at least 1"),
            (self.colleague_min_age_days < 0, "WORKCRED_COLLEAGUE_MIN_AGE_DAYS must not be negative"),
            (not 0 <= self.colleague_inflow_share <= 1, "WORKCRED_COLLEAGUE_INFLOW_SHARE must be between 0 and 1"),
            (self.colleague_inflow_min < 1, "WORKCRED_COLLEAGUE_INFLOW_MIN must be at least 1"),
            (self.bayesian_prior_strength < 0, "WORKCRED_BAYESIAN_PRIOR_STRENGTH must not be negative"),
            # OWASP's floor for argon2id: 19 MiB memory, 2 iterations.
            (self.argon2_memory_kib < 19_456 or self.argon2_time_cost < 2,
             "argon2 parameters below OWASP's minimum (19 MiB, t=2)"),
            (self.token_ttl_days < 1, "WORKCRED_TOKEN_TTL_DAYS must be at least 1"),
            (not _MAIL_FROM.fullmatch(self.mail_from),
             "WORKCRED_MAIL_FROM must be an address, alone or as 'Name <address>'"),
            (0 < len(self.secret_key) < 32, "WORKCRED_SECRET_KEY must be at least 32 characters"),
            (self.redis_url is not None and not self.redis_url.startswith(("redis://", "rediss://")),
             "REDIS_URL must start with redis:// or rediss://"),
            (len(self.redis_prefix) > 100 or any(character.isspace() for character in self.redis_prefix),
             "WORKCRED_REDIS_PREFIX must be at most 100 characters, without spaces"),
            (not 1 <= self.ceo_vote_multiplier <= 3, "WORKCRED_CEO_VOTE_MULTIPLIER must be between 1 and 3"),
            (not 0.5 < self.poll_threshold <= 1,
             "WORKCRED_POLL_THRESHOLD must be above 0.5 (never 51:49) and at most 1"),
            (not self.poll_window_hours > 0, "WORKCRED_POLL_WINDOW_HOURS must be positive"),
            (self.poll_quorum < 1, "WORKCRED_POLL_QUORUM must be at least 1"),
            *((getattr(self, name) < 0, f"WORKCRED_{name.upper()} must not be negative")
              for name in ("voter_min_account_age_days", "poll_cooldown_days", "veto_period_days")),
            (self.budgets()[Budget.QUERY_COST].amount < self.max_query_cost,
             "WORKCRED_RATE_LIMIT_COST must allow at least one query of WORKCRED_MAX_QUERY_COST points"),
            (not 0 < self.request_time_budget_seconds <= 600,
             "WORKCRED_REQUEST_TIME_BUDGET_SECONDS must be above 0 and at most 600"),
            *((True, f"WORKCRED_CORS_ORIGINS: {origin!r} is not an origin: write scheme://host[:port] with no "
                     "path or slash (e.g. http://localhost:3000), or * for any")
              for origin in self.cors_origin_list if not _ORIGIN.fullmatch(origin)),
            *((True, f"WORKCRED_CORS_ALLOW_HEADERS: {header!r} is not a header name")
              for header in self.cors_allow_header_list if not _HEADER_NAME.fullmatch(header)),
        ]

    def _check_persisted_queries(self) -> None:
        if self.persisted_queries not in PERSISTED_QUERY_MODES:
            raise SettingsError(f"WORKCRED_PERSISTED_QUERIES must be one of {', '.join(PERSISTED_QUERY_MODES)}")
        if self.persisted_queries == "allowlist" and not self.persisted_query_manifest:
            raise SettingsError("WORKCRED_PERSISTED_QUERIES=allowlist needs WORKCRED_PERSISTED_QUERY_MANIFEST")
        if self.persisted_query_manifest:
            try:
                load_manifest(self.persisted_query_manifest)
            except (OSError, ValueError) as error:
                raise SettingsError(f"WORKCRED_PERSISTED_QUERY_MANIFEST: {error}") from None

    def persisted_query_documents(self) -> dict[str, str]:
        return load_manifest(self.persisted_query_manifest) if self.persisted_query_manifest else {}

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Settings:
        """Build settings from `DATABASE_URL` and `WORKCRED_<FIELD>` variables."""
        env = os.environ if environ is None else environ
        values: dict[str, object] = {
            "database_url": env.get("DATABASE_URL") or default_database_url(),
            "redis_url": env.get("REDIS_URL") or None,
        }
        for field in fields(cls):
            if field.name in ("database_url", "redis_url"):
                continue
            raw = env.get(f"WORKCRED_{field.name.upper()}")
            if raw is not None:
                values[field.name] = _parse(field.name, raw, type(getattr(_DEFAULTS, field.name)))
        return cls(**values)  # type: ignore[arg-type]


PREFIX = "WORKCRED_"
# Variables of the test suite and CI, not settings of the service.
_NOT_SETTINGS = ("WORKCRED_REQUIRE_", "WORKCRED_TEST_")


def unknown_variables(environ: Mapping[str, str]) -> list[str]:
    """A warning for each `WORKCRED_` variable that is no setting (it would be ignored), with
    the nearest setting's name: a misspelt setting must not pass for a default silently."""
    known = [f"WORKCRED_{field.name.upper()}" for field in fields(Settings) if field.name not in ("database_url", "redis_url")]
    warnings = []
    for name in sorted(environ):
        if name.startswith("WORKCRED_") and name not in known and not name.startswith(_NOT_SETTINGS):
            # compared without the prefix every name shares, or everything would look near
            nearest = difflib.get_close_matches(name.removeprefix(PREFIX), [k.removeprefix(PREFIX) for k in known], n=1)
            hint = f"; did you mean {PREFIX}{nearest[0]}?" if nearest else " (see docs/settings.md)"
            warnings.append(f"warning: {name} is not a workcred setting and is ignored{hint}")
    return warnings


def _parse(name: str, raw: str, kind: type) -> object:
    try:
        if kind is bool:
            lowered = raw.strip().lower()
            if lowered in {"1", "true", "yes", "on"}:
                return True
            if lowered in {"0", "false", "no", "off"}:
                return False
            raise ValueError(raw)
        return kind(raw)
    except ValueError:
        raise SettingsError(f"WORKCRED_{name.upper()}={raw!r} is not a valid {kind.__name__}") from None


_DEFAULTS = Settings(database_url="sqlite://:memory:")


_in_force: ContextVar[Settings] = ContextVar("workcred_settings")


def put_in_force(settings: Settings) -> None:
    """Make `settings` the ones code deep in a request (or a CLI command) runs under, so
    scoring knobs need not be threaded through every call on the way."""
    _in_force.set(settings)


def settings_in_force() -> Settings:
    """The settings put in force for this request or command (LookupError if none were)."""
    return _in_force.get()
