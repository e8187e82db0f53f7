"""Dependencies that can go away (the database, Redis): which error means "unreachable", and
one log line when one goes away and one when it is back, however many calls fail between.

A caller that meets an unreachable dependency reports it (`report(exc)`); the first report of an
outage logs it and starts a probe that pings the dependency with backoff until it answers, then
logs its return. Requests answer 503 meanwhile (salesmagnet.app); jobs skip their turn.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable

from pymysql import err as mysql_errors
from redis import exceptions as redis_errors
from tortoise.exceptions import DBConnectionError
from tortoise.exceptions import OperationalError as OrmOperationalError

from salesmagnet import lifecycle

log = logging.getLogger("salesmagnet.outages")

DATABASE = "database"
REDIS = "redis"
RETRY_AFTER = 5  # seconds a 503 asks clients to wait
PROBE_FIRST, PROBE_MAX = 0.25, 2.0  # seconds between probes while a dependency is away

# MySQL client errors that say the server is not there (not that the statement was wrong):
# can't connect (2002/2003), gone away (2006), lost during a query (2013), server shutting down
# (1053), too many connections (1040).
_MYSQL_GONE = {1040, 1053, 2002, 2003, 2006, 2013, 2055}

Ping = Callable[[], Awaitable[bool]]


class DependencyDown(ConnectionError):
    """A dependency known to be away: refused without trying (see `refuse_while_down`)."""

    def __init__(self, dependency: str, message: str | None = None) -> None:
        super().__init__(message or f"{dependency} is away")
        self.dependency = dependency


class DependencyTimeout(DependencyDown, TimeoutError):
    """A call to a dependency passed its bound (DB_TIMEOUT / REDIS_TIMEOUT)."""

    def __init__(self, dependency: str, seconds: float) -> None:
        super().__init__(dependency, f"{dependency} did not answer within {seconds:g} s")


def classify(exc: BaseException) -> str | None:
    """DATABASE or REDIS when `exc` says that dependency is unreachable; None otherwise."""
    for error in _chain(exc):
        if isinstance(error, DependencyDown):
            return error.dependency
        if isinstance(error, redis_errors.ConnectionError | redis_errors.TimeoutError):
            return REDIS
        if isinstance(error, DBConnectionError):
            return DATABASE
        if isinstance(error, mysql_errors.OperationalError | mysql_errors.InterfaceError):
            code = error.args[0] if error.args else None
            if code in _MYSQL_GONE or isinstance(error, mysql_errors.InterfaceError):
                return DATABASE
    return None


def mysql_code(exc: BaseException) -> int | None:
    """The MySQL error number `exc` carries (wrapped or caused), if any."""
    for error in _chain(exc):
        if isinstance(error, mysql_errors.MySQLError) and error.args and isinstance(error.args[0], int):
            return error.args[0]
    return None


def _chain(exc: BaseException) -> list[BaseException]:
    """The exception, what it wraps (Tortoise wraps driver errors as args[0]) and its causes."""
    seen: list[BaseException] = []
    pending: list[BaseException | None] = [exc]
    while pending and len(seen) < 8:
        error = pending.pop()
        if error is None or any(error is s for s in seen):
            continue
        seen.append(error)
        pending += [error.__cause__, error.__context__]
        if isinstance(error, OrmOperationalError) and error.args and isinstance(error.args[0], BaseException):
            pending.append(error.args[0])
    return seen


class Dependency:
    """One dependency's state: up, or down since a moment, with a probe watching for its return."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.down_since: float | None = None
        self._announced = False  # the outage was logged (a lone slow call is not, unless confirmed)
        self.ping: Ping | None = None
        self._probe: asyncio.Task[None] | None = None

    @property
    def up(self) -> bool:
        return self.down_since is None

    def failed(self, exc: BaseException) -> None:
        """Note a failure. One that says the dependency is gone (refused, reset) is an outage at
        once; one call past its bound may only be slow (a lock wait, a heavy query), so the
        dependency counts as away while a ping, sent at once, decides: the outage is logged only
        if the ping fails too."""
        if self.down_since is not None:
            return
        self.down_since = time.monotonic()
        self._announced = not isinstance(exc, DependencyTimeout)
        if self._announced:
            log.warning("%s unreachable (%s)", self.name, _reason(exc))
        if self.ping is not None:
            first = PROBE_FIRST if self._announced else 0.0
            self._probe = asyncio.get_running_loop().create_task(
                self._watch(first, exc), name=f"probe-{self.name}"
            )

    def answered(self) -> None:
        if self.down_since is None:
            return
        if self._announced:
            log.warning("%s is back after %.1f s", self.name, time.monotonic() - self.down_since)
        self.down_since = None

    async def _watch(self, delay: float, exc: BaseException) -> None:
        while self.down_since is not None and self.ping is not None:
            await asyncio.sleep(delay)
            if await self.ping():
                self.answered()
            elif not self._announced:
                self._announced = True
                log.warning("%s unreachable (%s)", self.name, _reason(exc))
            delay = min(max(delay * 2, PROBE_FIRST), PROBE_MAX)

    async def stop(self) -> None:
        if self._probe is not None:
            await lifecycle.stop_tasks([self._probe])
            self._probe = None


def _reason(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text if len(text) <= 200 else text[:200] + "…"


DEPENDENCIES = {DATABASE: Dependency(DATABASE), REDIS: Dependency(REDIS)}


def watch(name: str, ping: Ping) -> None:
    """How to tell that `name` is back (a bounded ping that never raises); the process's first
    say holds (its own connection), not that of a later helper object."""
    if DEPENDENCIES[name].ping is None:
        DEPENDENCIES[name].ping = ping


def refuse_while_down(name: str) -> None:
    """Fail at once while `name` is known to be away (its probe finds it back), for work that
    would otherwise queue behind calls each waiting out their bound."""
    if not DEPENDENCIES[name].up:
        raise DependencyDown(name)


def report(exc: BaseException) -> str | None:
    """If `exc` means a dependency is unreachable, note it (logged once) and return its name."""
    name = classify(exc)
    if name is not None:
        DEPENDENCIES[name].failed(exc)
    return name


def log_failure(logger: logging.Logger, exc: BaseException, message: str, *args: object) -> None:
    """Log a failure with its traceback, unless it is an outage (then noted once, by `report`)."""
    if report(exc) is None:
        logger.error(message, *args, exc_info=exc)


async def stop() -> None:
    for dependency in DEPENDENCIES.values():
        await dependency.stop()
