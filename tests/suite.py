"""The settings every test runs under unless it says otherwise — the same for the app in the
test process, for server processes and for the CLI (all read them as environment variables)."""

from __future__ import annotations

import hashlib

from infra.db import is_sqlite
from infra.settings import Settings
from tests.databases import run_prefix
from tests.mailbox import mailbox

SUITE_ENVIRONMENT = {
    "WORKCRED_AUTO_MIGRATE": "false",  # every test database is a copy of a migrated template
    # OWASP's minimum argon2id cost keeps the suite fast; production uses the defaults.
    "WORKCRED_ARGON2_TIME_COST": "2",
    "WORKCRED_ARGON2_MEMORY_KIB": "19456",
    "WORKCRED_ARGON2_PARALLELISM": "1",
    # Plumbing tests run with one-person faces and no waiting period; the anonymity tests
    # (tests/test_anonymity.py) run with the production rule.
    "WORKCRED_K_ANONYMITY": "1",
    "WORKCRED_COLLEAGUE_MIN_AGE_DAYS": "0",
    # ... and any number of new colleagues a month (the inflow allowance has its own tests).
    "WORKCRED_COLLEAGUE_INFLOW_MIN": "1000000",
    # Fixtures sign up and write a lot from one address; the limits have their own tests.
    "WORKCRED_RATE_LIMIT_SIGNIN": "10000/minute",
    "WORKCRED_RATE_LIMIT_SIGNUP": "10000/minute",
    "WORKCRED_RATE_LIMIT_WRITES": "10000/minute",
    "WORKCRED_RATE_LIMIT_STINTS": "10000/minute",
}


def suite_environment(database_url: str) -> dict[str, str]:
    """The suite's settings for a test on `database_url`. A PostgreSQL test database is one
    process's copy reused test after test (tests/databases.py), so its Redis names are the
    test's own (its URL is); a SQLite file is a test's own, so its derived names are too. Mail
    goes to this test process's SMTP server (tests/mailbox.py)."""
    environment = {**SUITE_ENVIRONMENT, "DATABASE_URL": database_url, "WORKCRED_SMTP_URL": mailbox().url}
    if not is_sqlite(database_url):
        digest = hashlib.sha256(database_url.encode("utf-8")).hexdigest()[:12]
        environment["WORKCRED_REDIS_PREFIX"] = f"{run_prefix()}:{digest}:"
    return environment


# The demo data is seeded as `workcred seed-demo` seeds it for anyone, under the production rule
# for faces (only the argon2 cost is the suite's): the demo the tests read is the documented one.
DEMO_SEEDING_ENVIRONMENT = {
    name: value for name, value in SUITE_ENVIRONMENT.items()
    if name not in ("WORKCRED_K_ANONYMITY", "WORKCRED_COLLEAGUE_MIN_AGE_DAYS", "WORKCRED_COLLEAGUE_INFLOW_MIN")
}


def suite_settings(database_url: str) -> Settings:
    return Settings.from_env(suite_environment(database_url))
