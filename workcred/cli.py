"""The `workcred` ops command: serve, migrate, seed-demo, grant-role, revoke-role,
grant-moderator, revoke-moderator, settle-polls, repair-aggregates, export-schema, export-docs."""

from __future__ import annotations

import argparse
import asyncio
import errno
import os
import socket
import sqlite3
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, TypeVar

from tortoise import Tortoise
from tortoise.exceptions import DBConnectionError, OperationalError

from domain.enums import CompanyRoleKind
from domain.member import Passwords
from infra.database_check import DatabaseProblem, check_database, known_migrations
from infra.db import apply_migrations, tortoise_config
from infra.settings import Settings, SettingsError, put_in_force, unknown_variables
from workcred import workers

T = TypeVar("T")


def _passwords(settings: Settings) -> Passwords:
    return Passwords(settings.argon2_time_cost, settings.argon2_memory_kib, settings.argon2_parallelism)


async def _with_database(settings: Settings, action: Callable[[], Awaitable[T]]) -> T:
    put_in_force(settings)
    await Tortoise.init(config=tortoise_config(settings.database_url))
    try:
        return await action()
    finally:
        await Tortoise.close_connections()


async def _migrate_and_seed(settings: Settings, seed: bool, demo_seed: int | None = None) -> None:
    applied = await apply_migrations(settings.database_url)
    latest = known_migrations()[-1]
    print(f"migrations: applied {applied}, now at {latest}" if applied else f"migrations: up to date ({latest})")
    if seed:
        await _seed(settings, demo_seed)


async def _seed(settings: Settings, demo_seed: int | None) -> None:
    from workcred.demo import DEFAULT_SEED, seed_demo

    def progress(step: str) -> None:
        print(f"  demo data: {step}", file=sys.stderr, flush=True)

    report = await _with_database(
        settings, lambda: seed_demo(_passwords(settings), DEFAULT_SEED if demo_seed is None else demo_seed, progress)
    )
    print(
        f"demo data: {report.companies_created} companies, {report.members_created} members "
        f"and {report.reviews_created} reviews created"
    )


def _check_port_free(host: str, port: int) -> None:
    """UsageProblem unless the server could listen on host:port — found before anything is
    migrated or seeded, not after."""
    try:
        addresses = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as error:
        raise UsageProblem(f"cannot listen on {host}:{port}: {error.strerror}") from None
    family, _, _, _, address = addresses[0]
    try:
        socket.create_server(address, family=family).close()
    except OSError as error:
        reason = "another process listens there" if error.errno == errno.EADDRINUSE else error.strerror
        raise UsageProblem(f"cannot listen on {host}:{port}: {reason} (choose another with --port)") from None


def serve(settings: Settings, args: argparse.Namespace) -> int:
    import uvicorn

    host, port = args.host or settings.host, args.port or settings.port
    _check_port_free(host, port)
    asyncio.run(_migrate_and_seed(settings, args.seed_demo))
    # Migrations ran once above; worker processes must not race to run them again.
    os.environ["WORKCRED_AUTO_MIGRATE"] = "false"
    if settings.graphiql:
        print(f"workcred: GraphiQL and the API at http://{host}:{port}/graphql", flush=True)
    options = uvicorn_options(host, port, args)
    if args.workers > 1 and workers.spreads_connections():
        return workers.serve_workers(args.workers, host, port, {
            name: value for name, value in options.items() if name not in ("host", "port", "workers")
        })
    uvicorn.run(workers.APP, factory=True, **options)
    return 0


def uvicorn_options(host: str, port: int, args: argparse.Namespace) -> dict[str, Any]:
    """How `serve` runs uvicorn. The access log is off unless asked for: a line per request
    costs a busy server more than many of its requests do, and fills disks."""
    return {"host": host, "port": port, "workers": args.workers, "log_level": "info", "access_log": args.access_log}


def migrate(settings: Settings, _: argparse.Namespace) -> int:
    asyncio.run(_migrate_and_seed(settings, seed=False))
    return 0


def seed_demo(settings: Settings, args: argparse.Namespace) -> int:
    asyncio.run(_migrate_and_seed(settings, seed=True, demo_seed=args.seed))
    return 0


def grant_role(settings: Settings, args: argparse.Namespace) -> int:
    from workcred.roles import RoleError
    from workcred.roles import grant_role as grant

    kind = CompanyRoleKind(args.role)
    try:
        asyncio.run(_with_database(settings, lambda: grant(args.company, args.email, kind)))
    except RoleError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(f"{args.email} is now {kind.value} of {args.company}")
    return 0


def revoke_role(settings: Settings, args: argparse.Namespace) -> int:
    from workcred.roles import revoke_role as revoke

    if not asyncio.run(_with_database(settings, lambda: revoke(args.company, args.email))):
        print(f"error: {args.email} holds no role at {args.company}", file=sys.stderr)
        return 1
    print(f"{args.email} no longer speaks for {args.company}")
    return 0


def grant_moderator(settings: Settings, args: argparse.Namespace) -> int:
    from workcred.roles import RoleError
    from workcred.roles import grant_moderator as grant

    try:
        asyncio.run(_with_database(settings, lambda: grant(args.email)))
    except RoleError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(f"{args.email} is now a platform moderator")
    return 0


def revoke_moderator(settings: Settings, args: argparse.Namespace) -> int:
    from workcred.roles import revoke_moderator as revoke

    if not asyncio.run(_with_database(settings, lambda: revoke(args.email))):
        print(f"error: {args.email} is not a moderator", file=sys.stderr)
        return 1
    print(f"{args.email} is no longer a moderator")
    return 0


def report_inflow(settings: Settings, _: argparse.Namespace) -> int:
    from resolvers.colleagues import held_back_companies

    reports = asyncio.run(_with_database(settings, held_back_companies))
    if not reports:
        print("no company's new colleagues run over its inflow allowance")
        return 0
    print(f"{'company':<40} {'counted':>8} {'held back':>10}  next admitted")
    for report in reports:
        print(f"{report.slug:<40} {report.counted:>8} {report.held_back:>10}  {report.next_admission:%Y-%m-%d}")
    return 1


def seed_scale(settings: Settings, args: argparse.Namespace) -> int:
    import time

    import models
    from resolvers.aggregate_repair import recompute_aggregates
    from resolvers.colleagues import replay_admissions
    from workcred.demo import DEMO_PASSWORD
    from workcred.scale import ScalePlan, fill, settle_for_reads

    if not 1 <= args.companies <= 1_000_000 or not 0 <= args.reviews <= 50_000_000:
        raise UsageProblem("--companies must be 1–1,000,000 and --reviews 0–50,000,000")
    plan = ScalePlan(args.companies, args.reviews, args.seed)

    async def run() -> None:
        await apply_migrations(settings.database_url)
        if await _with_database(settings, models.Company.exists):
            raise UsageProblem("seed-scale needs an empty database; this one already has companies")
        started = time.monotonic()
        try:
            rows = await fill(settings.database_url, plan, _passwords(settings).hash(DEMO_PASSWORD))
        except ValueError as refused:
            raise UsageProblem(str(refused)) from None
        print(f"  aggregates … (rows loaded in {time.monotonic() - started:.1f} s)", file=sys.stderr, flush=True)
        await _with_database(settings, lambda: recompute_aggregates(fix=True))
        await _with_database(settings, replay_admissions)  # the colleagues the allowance let in
        await settle_for_reads(settings.database_url)
        counts = ", ".join(f"{n:,} {table}" for table, n in rows.items())
        print(f"scale data: {counts} in {time.monotonic() - started:.1f} s")

    asyncio.run(run())
    return 0


def settle_polls(settings: Settings, _: argparse.Namespace) -> int:
    from resolvers.governance import settle_every_due_poll

    settled = asyncio.run(_with_database(settings, settle_every_due_poll))
    print(f"settled {settled} removal poll(s)")
    return 0


def release_held_reviews(settings: Settings, _: argparse.Namespace) -> int:
    from infra import shared_redis
    from infra.events import event_bus
    from resolvers.review import release_held_reviews
    from resolvers.signals import announce_review

    async def release() -> int:
        redis = shared_redis.connect(settings.redis_url)
        # announced as the server announces them, to every process sharing the database
        bus = event_bus(settings.database_url, redis, shared_redis.namespace(settings.database_url, settings.redis_prefix))
        await bus.start()
        try:
            released = await release_held_reviews()
            for review in released:
                await announce_review(bus, review)
            return len(released)
        finally:
            await bus.close()
            if redis is not None:
                await redis.aclose()

    print(f"published {asyncio.run(_with_database(settings, release))} held review(s)")
    return 0


def repair_aggregates(settings: Settings, args: argparse.Namespace) -> int:
    from resolvers.aggregate_repair import recompute_aggregates

    drift = asyncio.run(_with_database(settings, lambda: recompute_aggregates(fix=not args.check)))
    verb = "found" if args.check else "fixed"
    print(
        f"drift {verb}: {drift.total} "
        f"({drift.rating_rows} rating aggregate rows, {drift.trend_rows} quarterly trend rows, "
        f"{drift.member_rows} record member rows, {drift.bucket_rows} record histogram rows, "
        f"{drift.company_rows} companies' running counts)"
    )
    return 1 if args.check and drift.total else 0


def _export(text: str, output: Path, check: bool, command: str) -> int:
    """Write a file generated from the code, or with `check` only compare it."""
    if check:
        if not output.exists() or output.read_text(encoding="utf-8") != text:
            print(f"{output} is out of date: run `workcred {command}`", file=sys.stderr)
            return 1
        print(f"{output} matches the code")
        return 0
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(text, encoding="utf-8")
    print(f"wrote {output}")
    return 0


def export_schema(_: Settings, args: argparse.Namespace) -> int:
    from schema import sdl

    return _export(sdl(), Path(args.output), args.check, "export-schema")


def export_docs(_: Settings, args: argparse.Namespace) -> int:
    from domain.errors import markdown_table
    from infra.settings_reference import markdown

    generated = {"error-codes.md": markdown_table(), "settings.md": markdown()}
    return max(_export(text, Path(args.output) / name, args.check, "export-docs") for name, text in generated.items())


class UsageProblem(Exception):
    """A command asked for something it cannot do; the message says what."""


# What a command needs of the database: one that migrates creates or upgrades it; the others
# need it migrated already and never create it. Commands without `database` do not touch one.
MIGRATES, MIGRATED = "migrates", "migrated"


ENVIRONMENT = """environment:
  DATABASE_URL   sqlite:///absolute/path, sqlite:////absolute/path, sqlite://relative/path or
                 postgres://user@host:5432/name (default: workcred.sqlite3 in the working directory)
  REDIS_URL      redis://host:6379: rate limits, caches and events shared by every process (optional)
  WORKCRED_*     every other setting: see docs/settings.md"""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="workcred", description=__doc__, epilog=ENVIRONMENT, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    commands = parser.add_subparsers(dest="command", required=True)

    def command(
        name: str, run: Callable[[Settings, argparse.Namespace], int], summary: str, database: str | None = None
    ) -> argparse.ArgumentParser:
        """A sub-command whose --help says what it does and what it reads."""
        sub = commands.add_parser(
            name, help=summary, description=summary[0].upper() + summary[1:] + ".", epilog=ENVIRONMENT,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        sub.set_defaults(run=run, database=database)
        return sub

    serve_parser = command("serve", serve, "apply migrations and run the HTTP server", MIGRATES)
    serve_parser.add_argument("--host", help="address to listen on (default: WORKCRED_HOST, 127.0.0.1)")
    serve_parser.add_argument("--port", type=int, help="port to listen on (default: WORKCRED_PORT, 8000)")
    serve_parser.add_argument("--workers", type=int, default=1, help="uvicorn worker processes (default: 1)")
    serve_parser.add_argument("--seed-demo", action="store_true", help="load the demo data first (default: off)")
    serve_parser.add_argument(
        "--access-log", action="store_true", help="log a line per request (default: off; errors are always logged)"
    )

    command("migrate", migrate, "apply pending migrations", MIGRATES)
    seed_parser = command("seed-demo", seed_demo, "apply migrations, then load demo data (idempotent)", MIGRATES)
    seed_parser.add_argument(
        "--seed", type=int, help="random seed of the generated demo (default: the documented demo)"
    )

    for name, run, summary in [
        ("grant-role", grant_role, "let a member speak for a company"),
        ("revoke-role", revoke_role, "take a member's company role away"),
    ]:
        role_parser = command(name, run, summary, MIGRATED)
        role_parser.add_argument("--company", required=True, help="company slug (required)")
        role_parser.add_argument("--email", required=True, help="the member's email (required)")
        if name == "grant-role":
            role_parser.add_argument(
                "--role", required=True, choices=[k.value for k in CompanyRoleKind], help="the role (required)"
            )

    for name, run, summary in [
        ("grant-moderator", grant_moderator, "make a member a platform moderator"),
        ("revoke-moderator", revoke_moderator, "take the moderator role away"),
    ]:
        command(name, run, summary, MIGRATED).add_argument("--email", required=True, help="the member's email (required)")

    command(
        "settle-polls", settle_polls,
        "settle removal polls past their window (idempotent; safe from cron on many machines)", MIGRATED,
    )
    command(
        "release-held-reviews", release_held_reviews,
        "publish the held reviews a face can hide by now (the server also does every few minutes; cron-safe)",
        MIGRATED,
    )
    command(
        "report-inflow", report_inflow,
        "list companies whose new colleagues wait for the inflow allowance — a planting campaign's early "
        "warning (exit 1 when any does)", MIGRATED,
    )

    scale_parser = command(
        "seed-scale", seed_scale, "apply migrations, then fill an empty database with deterministic scale data", MIGRATES
    )
    scale_parser.add_argument("--companies", type=int, default=10_000, help="companies (default: 10000)")
    scale_parser.add_argument("--reviews", type=int, default=1_000_000, help="published reviews (default: 1000000)")
    scale_parser.add_argument("--seed", type=int, default=1, help="random seed (default: 1)")

    repair_parser = command(
        "repair-aggregates", repair_aggregates, "recompute rating aggregates from raw reviews and fix drift", MIGRATED
    )
    repair_parser.add_argument(
        "--check", action="store_true", help="only report drift; exit 1 if there is any (default: fix it)"
    )

    for name, exporter, summary, default in [
        ("export-schema", export_schema, "write the GraphQL SDL", "schema.graphql"),
        ("export-docs", export_docs, "write the generated docs: error codes and settings", "docs"),
    ]:
        export_parser = command(name, exporter, summary)
        export_parser.add_argument("--output", default=default, help=f"where to write (default: {default})")
        export_parser.add_argument(
            "--check", action="store_true", help="only compare; fail if the file is stale (default: write)"
        )
    return parser


def main(argv: list[str] | None = None, environ: dict[str, str] | None = None) -> int:
    """Operator mistakes (settings, database) end in one line on stderr and exit code 2.
    `environ`: where settings are read from (default: the process's environment)."""
    args = build_parser().parse_args(argv)
    run: Callable[[Settings, argparse.Namespace], int] = args.run
    for warning in unknown_variables(os.environ if environ is None else environ):
        print(warning, file=sys.stderr)
    try:
        settings = Settings.from_env(environ)
        if (needs := getattr(args, "database", None)) is not None:
            asyncio.run(check_database(settings.database_url, will_migrate=needs == MIGRATES))
        return run(settings, args)
    except (SettingsError, DatabaseProblem, UsageProblem) as error:
        print(f"error: {error}", file=sys.stderr)
    except (DBConnectionError, OperationalError, OSError, sqlite3.Error) as error:
        # The database went away or refused mid-command: still one line, never a traceback.
        first_line = (str(error) or type(error).__name__).splitlines()[0]
        print(f"error: database: {first_line}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
