"""`salesmagnet …` commands (CONTRACT.md §2). Exit 2 with a clear message on bad input."""

from __future__ import annotations

import argparse
import asyncio
import re
import sys
from collections.abc import Awaitable, Callable
from dataclasses import replace
from typing import Any

from tortoise.exceptions import DBConnectionError

from salesmagnet import db, events, logs, outages, schema
from salesmagnet.activities import records as activity_records
from salesmagnet.analytics import service as analytics
from salesmagnet.auth.schemas import parse_role
from salesmagnet.config import ConfigError, Settings, load_settings, unreachable
from salesmagnet.entities import service as entities
from salesmagnet.errors import AppError, Conflict, validate
from salesmagnet.leads import counts as lead_counts
from salesmagnet.tenancy import Actor
from salesmagnet.users import service as users
from salesmagnet.users.schemas import UserCreate

Command = Callable[[argparse.Namespace], Awaitable[Any]]


ROLLUPS_MIGRATION = "7_20261130113555_analytics_rollups.py"  # from here on leads have rollups


async def cmd_migrate(args: argparse.Namespace) -> None:
    applied = await schema.migrate(args.settings.database_url)
    print("database is at the newest schema" + (f" ({len(applied)} migration(s) applied)" if applied else ""))
    if ROLLUPS_MIGRATION in applied:
        await _rebuild_analytics(await entities.names())


async def cmd_analytics_rebuild(args: argparse.Namespace) -> None:
    """Count the analytics' rollups again from the leads and activities."""
    await _rebuild_analytics([args.entity] if args.entity else await entities.names())


async def _rebuild_analytics(names: list[str]) -> None:
    for name in names:
        await analytics.rebuild(Actor.system((await entities.by_name(name)).id))
        print(f"entity {name}: analytics rollups rebuilt")


async def cmd_create_user(args: argparse.Namespace) -> None:
    entity = await entities.by_name(args.entity)
    try:
        role = parse_role(args.role)
    except ValueError as exc:
        raise AppError(f"--role: {exc}") from None
    data = validate(
        UserCreate,
        {
            "username": (username := args.username or default_username(args.email)),
            "email": args.email,
            "password": args.password,
            "role": role,
            "first_name": args.first_name,
            "last_name": args.last_name,
        },
    )
    try:
        user = await users.create_user(Actor.system(entity.id), data)
    except Conflict as exc:
        if args.username or not any(e.get("field") == "username" for e in exc.errors or ()):
            raise
        # Usernames are the deployment's, not the entity's: admin@a.io and admin@b.io clash.
        raise Conflict(
            f"Username {username!r} (made from the e-mail) is in use; give one with --username"
        ) from None
    print(user["id"])


def default_username(email: str) -> str:
    """A valid username from the address's local part ('a@x.io' → 'user_a')."""
    local = re.sub(r"[^A-Za-z0-9_]", "_", email.split("@")[0])[:45]
    return local if len(local) >= 3 else f"user_{local}"


async def cmd_entity_create(args: argparse.Namespace) -> None:
    entity = await entities.create_entity(args.name)
    print(entity.id)


async def cmd_entity_delete(args: argparse.Namespace) -> None:
    await entities.delete_entity(args.name)
    print(f"deleted entity {args.name}")


async def cmd_webhook_key(args: argparse.Namespace) -> None:
    print(await entities.webhook_key(args.entity))


async def cmd_map_page(args: argparse.Namespace) -> None:
    mapping, routed = await entities.map_page(args.entity, args.page_id, args.platform)
    print(f"{mapping.platform} page {mapping.page_id} → entity {args.entity}")
    if routed:
        print(
            f"{routed} delivery(ies) kept while the page was unmapped will be read from Graph within minutes"
        )


async def cmd_recount(args: argparse.Namespace) -> None:
    """Recount leads and activities into their counters (while nothing writes them)."""
    names = [args.entity] if args.entity else await entities.names()
    for name in names:
        actor = Actor.system((await entities.by_name(name)).id)
        await lead_counts.rebuild(actor)
        await activity_records.rebuild(actor)
        print(f"entity {name}: counters recounted")


async def cmd_seed_demo(args: argparse.Namespace) -> None:
    """Demo users and leads with their pasts (salesmagnet/demo.py); with --live, then keep the
    floor moving through a running server until interrupted (salesmagnet/demo_live.py)."""
    from salesmagnet import demo, demo_live

    password = args.password or demo.DEMO_PASSWORD
    if args.leads or not args.live:
        actor = Actor.system((await entities.by_name(args.entity)).id)
        result = await demo.seed(actor, args.entity, args.leads, password)
        print("\n".join(demo.report(result, args.entity, password)), flush=True)
    if args.live:
        key = await entities.webhook_key(args.entity)
        manager = demo.login_of(args.entity, "manager")
        try:
            posted = await demo_live.run(args.url, key, manager, password, args.rate, args.seconds)
        except demo_live.LiveError as exc:
            raise AppError(str(exc)) from None
        print(f"live: stopped after {posted} lead(s)", flush=True)


def _count(text: str) -> int:
    value = int(text)
    if not 0 <= value <= 10_000_000:
        raise argparse.ArgumentTypeError("between 0 and 10,000,000")
    return value


def _rate(text: str) -> float:
    value = float(text)
    if not 0.01 <= value <= 1000:
        raise argparse.ArgumentTypeError("between 0.01 and 1000 per second")
    return value


def run_worker(settings: Settings, burst: bool) -> None:
    from jobs import worker  # the worker is an entry point of its own

    worker.run(settings, burst=burst)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="salesmagnet", description="SalesMagnet CRM operator commands")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("migrate", help="bring the database to the newest schema").set_defaults(run=cmd_migrate)
    user = sub.add_parser("create-user", help="create an active, verified user")
    user.set_defaults(run=cmd_create_user)
    for flag in ("--entity", "--role", "--email", "--password"):
        user.add_argument(flag, required=True)
    user.add_argument("--username")
    user.add_argument("--first-name", default="Admin")
    user.add_argument("--last-name", default="User")
    create = sub.add_parser("entity-create", help="create an entity")
    create.add_argument("name")
    create.set_defaults(run=cmd_entity_create)
    delete = sub.add_parser("entity-delete", help="delete an entity without users or leads")
    delete.add_argument("name")
    delete.set_defaults(run=cmd_entity_delete)
    key = sub.add_parser("webhook-key", help="print the entity's website-webhook key")
    key.add_argument("--entity", required=True)
    key.set_defaults(run=cmd_webhook_key)
    page = sub.add_parser("map-page", help="route Lead Ads of a page to an entity")
    page.add_argument("--entity", required=True)
    page.add_argument("--page-id", required=True)
    page.add_argument("--platform", choices=("facebook", "instagram"), default="facebook")
    page.set_defaults(run=cmd_map_page)
    recount = sub.add_parser("recount", help="recount leads and activities into their counters")
    recount.add_argument("--entity", help="one entity (default: every entity)")
    recount.set_defaults(run=cmd_recount)
    rebuild = sub.add_parser("analytics-rebuild", help="count the analytics' rollups again from the leads")
    rebuild.add_argument("--entity", help="one entity (default: every entity)")
    rebuild.set_defaults(run=cmd_analytics_rebuild)
    demo = sub.add_parser(
        "seed-demo", help="demo users, leads over 90 days with their pasts; --live keeps them moving"
    )
    demo.add_argument("--entity", default="fxcareers")
    demo.add_argument(
        "--leads", type=_count, default=2000, help="leads to seed (default 2000; 0 with --live: none)"
    )
    demo.add_argument(
        "--password", help="password of the demo accounts this run makes (default: the documented one)"
    )
    demo.add_argument(
        "--live", action="store_true", help="then post leads and move open ones through a running server"
    )
    demo.add_argument("--url", default="http://127.0.0.1:8000", help="the running server (--live)")
    demo.add_argument("--rate", type=_rate, default=1.0, help="website leads a second (--live; default 1)")
    demo.add_argument("--seconds", type=float, default=0, help="stop --live after this long (default: never)")
    demo.set_defaults(run=cmd_seed_demo)
    worker = sub.add_parser("worker", help="run the arq worker (needs REDIS_URL)")
    worker.add_argument("--burst", action="store_true", help="run the queued jobs (no cron table), then exit")
    return parser


def quiet(settings: Settings) -> Settings:
    """The settings' log format, at WARNING at least."""
    levels = ("WARNING", "ERROR", "CRITICAL")
    return settings if settings.log_level in levels else replace(settings, log_level="WARNING")


async def _run(args: argparse.Namespace) -> None:
    await db.connect(args.settings.database_url)
    publisher = None
    try:
        if args.command != "migrate":
            await schema.check_current(args.settings.database_url)
            if args.settings.redis_url:  # what a command commits reaches sockets now, in order
                from jobs.worker import redis_publisher  # (else the servers' relay: 2-7 s late)

                publisher = redis_publisher(args.settings)
                events.set_publisher(publisher)
        await args.run(args)
    finally:
        if publisher is not None:
            await publisher.close()  # delivers what the command committed
            events.set_publisher(None)
        await db.disconnect()


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        args.settings = load_settings()
        # Commands print their results; their logs say only what went wrong.
        logs.configure(args.settings if args.command == "worker" else quiet(args.settings))
        if args.command == "worker":
            if not args.settings.redis_url:
                raise ConfigError("the worker needs REDIS_URL (without it, jobs run inside server.py)")
            run_worker(args.settings, args.burst)
            return 0
        asyncio.run(_run(args))
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except (ConfigError, schema.SchemaError) as exc:
        print(f"salesmagnet: {exc}", file=sys.stderr)
        return 2
    except (DBConnectionError, outages.DependencyDown) as exc:  # at start-up: a command, the worker's
        print(f"salesmagnet: {unreachable(args.settings.database_url, exc)}", file=sys.stderr)
        return 2
    except AppError as exc:
        detail = "; ".join(f"{e['field']}: {e['message']}" for e in exc.errors or [])
        print(f"salesmagnet: {exc.message}{' (' + detail + ')' if detail else ''}", file=sys.stderr)
        return 2
    return 0
