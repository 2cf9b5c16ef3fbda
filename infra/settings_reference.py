"""docs/settings.md, generated from the Settings dataclass: every variable, its default as the
code has it, and what it means (`workcred export-docs` writes it; a test keeps the two equal
and fails on a setting without a meaning)."""

from __future__ import annotations

from dataclasses import MISSING, fields

from infra.settings import PREFIX, Settings

API_GUIDE = "[api-guide.md](api-guide.md"
MEANINGS = {
    "database_url": "`sqlite:///absolute/path` (also `sqlite:////absolute/path`), `sqlite://relative/path`, or "
    "`postgres://user@host:5432/name`. Default: `workcred.sqlite3` in the working directory, in WAL mode.",
    "host": "Where `workcred serve` listens.",
    "port": "The port `workcred serve` listens on; checked free before anything is migrated.",
    "graphiql": "Serve GraphiQL on `GET /graphql` (turn off in production if you like).",
    "auto_migrate": "Apply pending migrations when the app starts.",
    "k_anonymity": "Counted colleagues who must fit a review's face; member counts of the company record are null "
    "below it and move in steps of it ([privacy.md](privacy.md)).",
    "colleague_min_age_days": "Age of an account and of its job claim before a colleague counts towards k, "
    "votes, and the record's tenure figures.",
    "colleague_inflow_share": "In any 30 days at most max(minimum, share × counted colleagues) new colleagues "
    "become counted at one company ([privacy.md](privacy.md)).",
    "colleague_inflow_min": "The minimum of the inflow allowance above.",
    "bayesian_prior_strength": "`C` in the Bayesian average (C·m + Σx) / (C + n).",
    "review_signal_period_seconds": "A new review's `reviewPublished` signal is held to the end of this window "
    f"({API_GUIDE}#live-signals-subscriptions)).",
    "release_held_seconds": "How often the server publishes the held reviews a face can hide by then (0: never; "
    "run `workcred release-held-reviews` from cron).",
    "token_ttl_days": "How long a bearer token lives.",
    "argon2_time_cost": "argon2id iterations (refused below 2, OWASP's minimum).",
    "argon2_memory_kib": "argon2id memory in KiB (refused below 19 MiB, OWASP's minimum).",
    "argon2_parallelism": "argon2id lanes.",
    "max_body_bytes": "The largest request body accepted (413 above it).",
    "max_query_depth": "How deeply a query may nest.",
    "max_aliases": "How many aliases a query may use.",
    "max_tokens": "How many tokens a query document may have.",
    "max_query_cost": "Estimated fields a query may resolve; `extensions.cost` reports each query's.",
    "request_time_budget_seconds": "The longest a request may run before it is ended with a 503.",
    "heavy_query_cost": "The estimated cost (about how many fields a query resolves) from which a query counts as "
        "heavy (see `WORKCRED_HEAVY_QUERIES_IN_FLIGHT`).",
    "heavy_queries_in_flight": "Heavy queries one process executes at once; the others wait their turn (within the "
        "request time budget), so that a few clients sending heavy queries cannot hold the process from cheap "
        "requests and `/healthz` (0: no bound).",
    "max_requests_in_flight_per_client": "Requests of one client (a bearer token, or an address without one) "
    "that one process runs at once; more get a 429 at once, so a few heavy clients cannot hold every slot "
    "(0: no limit).",
    "response_cache_seconds": f"How long anonymous responses are kept (0 turns the cache off; {API_GUIDE}#caching)).",
    "response_cache_entries": "How many anonymous responses are kept, in process or in Redis.",
    "response_cache_max_bytes": "How many bytes of anonymous responses are kept, in process or in Redis.",
    "snapshot_copy": "Where each process keeps a copy of its ranking snapshot, read at start-up so that ranking is "
    "ready in seconds: `auto` (beside a SQLite database file, as `<file>.ranking.npz`; none for PostgreSQL), a file "
    "path, or `off` (docs/operations.md#the-ranking-snapshots-copy).",
    "persisted_queries": f"`auto`, `allowlist` (only the manifest's documents run) or `off` ({API_GUIDE}"
    "#persisted-queries-and-get)).",
    "persisted_query_manifest": "A JSON file of `{sha256: document}` for `allowlist` mode.",
    "persisted_query_max_bytes": "How many bytes of registered documents are kept (also at most 5,000 documents, "
    "for a week each), in process or in Redis.",
    "poll_window_hours": "How long a removal poll is open ([governance.md](governance.md)).",
    "poll_quorum": "Votes a removal poll needs to decide anything.",
    "poll_threshold": "The weighted share for removal a poll needs: above 0.5, at most 1.",
    "ceo_vote_multiplier": "The CEO's vote weight multiplier, 1–3.",
    "voter_min_account_age_days": "How old an account must be to vote.",
    "poll_cooldown_days": "How long content a poll kept cannot be polled again.",
    "veto_period_days": "The period in which a CEO has one veto.",
    "rate_limit_signin": "Failed sign-ins, per client address and per account and address "
    "([accounts.md](accounts.md)).",
    "rate_limit_signin_account": "Failed sign-ins to one account from everywhere; past it, only addresses the "
    "account signed in from before may try.",
    "rate_limit_mail": "Codes and reset links asked for, per account and per address.",
    "rate_limit_signup": "Sign-ups per address.",
    "rate_limit_writes": "Mutations per member.",
    "rate_limit_stints": "Jobs added per member (fake jobs are how anonymity would be gamed).",
    "rate_limit_cost": f"Points per member, or per address when not signed in: each operation costs its estimate; "
    f"`Query.rateLimit` and `RateLimit-*` headers show what is left ({API_GUIDE}#abuse-resistance)).",
    "rate_limit_registrations": "Persisted queries registered per client address; past it, documents sent with "
    "their hash still run but are not kept.",
    "trusted_proxies": "Peers (comma-separated addresses) whose `X-Forwarded-For` is believed.",
    "redis_url": "Share rate limits, registered persisted queries and cached responses across processes, and "
    "(on SQLite) carry subscription events between them. Set it whenever more than one process serves.",
    "redis_prefix": "What every Redis key and channel of this deployment starts with; by default `workcred:` and "
    "a hash of the database, so deployments sharing one Redis never meet.",
    "cors_origins": "Browser origins allowed to call the API and open its WebSocket, comma-separated "
    "`scheme://host[:port]` with no path, or `*`; anything else stops start-up. None: no CORS headers at all.",
    "cors_allow_headers": "Request headers a browser may send beyond `authorization`, `content-type`, "
    "`if-none-match`, `x-request-id` and Apollo's client headers.",
    "smtp_url": "Where account mail goes: `smtp://user:pass@host:587` (STARTTLS) or `smtps://…:465`; unset, mail "
    "is written to the server log ([accounts.md](accounts.md)).",
    "mail_from": "The sender of account mail: an address, alone or as `Name <address>`.",
    "secret_key": "The key of digests only the server can make (mailed codes, known sign-in addresses, ids); "
    "at least 32 characters. Default: a random key made with the database.",
}
# Variables that keep their own names.
OWN_NAMES = {"database_url": "DATABASE_URL", "redis_url": "REDIS_URL"}


def variable(name: str) -> str:
    return OWN_NAMES.get(name, f"{PREFIX}{name.upper()}")


def shown(default: object) -> str:
    """A default as it is written in the environment."""
    return str(default).lower() if isinstance(default, bool) else str(default)


def markdown() -> str:
    missing = [field.name for field in fields(Settings) if field.name not in MEANINGS]
    if missing:
        raise ValueError(f"settings without a meaning in infra/settings_reference.py: {', '.join(missing)}")
    rows = []
    for field in fields(Settings):
        default = "see meaning" if field.default is MISSING or field.default in ("", None) else f"`{shown(field.default)}`"
        rows.append(f"| `{variable(field.name)}` | {default} | {MEANINGS[field.name]} |")
    return "\n".join([
        "# Settings",
        "",
        "Generated from `infra/settings.py` by `workcred export-docs`; do not edit by hand.",
        "",
        "Read once from the environment at start-up. A bad or out-of-range value stops the service with one line",
        "naming the variable, before anything is migrated; a `WORKCRED_` variable that is no setting is warned",
        "about with the nearest real name.",
        "",
        "| variable | default | meaning |",
        "| --- | --- | --- |",
        *rows,
        "",
    ])
