"""Prometheus metrics (prometheus-client), served at GET /metrics in the text format.

Labels are bounded: requests by route *name* (every unmatched path is `unmatched`), a known
method (else `other`) and status; events by event name; jobs by job name; relay lag by entity.
With PROMETHEUS_MULTIPROC_DIR set (several uvicorn workers), prometheus-client keeps the
values in files there and /metrics adds up every process's.
"""

from __future__ import annotations

import functools
import hmac
import os
from collections.abc import Awaitable, Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    disable_created_metrics,
    generate_latest,
    multiprocess,
    start_http_server,
)

disable_created_metrics()  # no `_created` twin of every series

REQUESTS = Counter("salesmagnet_http_requests", "HTTP requests answered", ["route", "method", "status"])
LATENCY = Histogram(
    "salesmagnet_http_request_seconds",
    "Time from a request's arrival to the end of its response",
    ["route"],
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
EVENTS = Counter("salesmagnet_events_published", "Events delivered to Socket.IO rooms", ["event"])
RELAY_LAG = Gauge(
    "salesmagnet_relay_lag_events",
    "Per entity: committed events (last seq) the relay has not yet passed (relay progress), "
    "as of the relay's last pass; about RELAY_AFTER (5 s) worth of events when healthy",
    ["entity"],
    multiprocess_mode="max",
)
JOB_RUNS = Counter("salesmagnet_job_runs", "Job attempts started", ["job"])
JOB_FAILURES = Counter(
    "salesmagnet_job_failures", "Job attempts that raised (a requested retry included)", ["job"]
)
SOCKETS = Gauge("salesmagnet_sockets_connected", "Socket.IO connections open", multiprocess_mode="livesum")

UNMATCHED = "unmatched"
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
_request_children: dict[tuple[str, str, int], tuple[Any, Any]] = {}
_lagging: set[int] = set()

F = TypeVar("F", bound=Callable[..., Awaitable[Any]])


def observe_request(route: str, method: str, status: int, seconds: float) -> None:
    """Count one answered request and its latency (a dict look-up and two updates)."""
    key = (route, method, status)
    children = _request_children.get(key)
    if children is None:
        label = method if method in METHODS else "other"
        children = (REQUESTS.labels(route, label, str(status)), LATENCY.labels(route))
        _request_children[key] = children
    children[0].inc()
    children[1].observe(seconds)


def events_published(names: Iterable[str]) -> None:
    for name in names:
        EVENTS.labels(name).inc()


def relay_lag(behind: dict[int, int]) -> None:
    """Set each entity's relay lag; entities no longer behind go back to 0."""
    for entity_id in _lagging - behind.keys():
        RELAY_LAG.labels(str(entity_id)).set(0)
    for entity_id, lag in behind.items():
        RELAY_LAG.labels(str(entity_id)).set(lag)
    _lagging.update(behind)


def socket_opened() -> None:
    SOCKETS.inc()


def socket_closed() -> None:
    SOCKETS.dec()


def counted(function: F) -> F:
    """The job function, counting its runs and failures under its own name."""
    name = function.__name__
    runs, failures = JOB_RUNS.labels(name), JOB_FAILURES.labels(name)

    @functools.wraps(function)
    async def run(*args: Any, **kwargs: Any) -> Any:
        runs.inc()
        try:
            return await function(*args, **kwargs)
        except Exception:
            failures.inc()
            raise

    return run  # type: ignore[return-value]


def authorized(token: str | None, header: str) -> bool:
    """Without METRICS_TOKEN anyone may read; with it, `Authorization: Bearer <token>`."""
    if token is None:
        return True
    scheme, _, given = header.partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode(), token.encode())


def exposition() -> tuple[bytes, str]:
    """(body, content type) of the text format: this process's metrics, or with
    PROMETHEUS_MULTIPROC_DIR every process's."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return generate_latest(registry), CONTENT_TYPE_LATEST
    return generate_latest(REGISTRY), CONTENT_TYPE_LATEST


def serve(port: int, host: str) -> None:
    """This process's metrics on their own port (the arq worker's METRICS_PORT)."""
    start_http_server(port, addr=host)


def forget_dead_processes(path: str | None = None) -> list[int]:
    """Drop the live gauges (open sockets) of server processes that died: uvicorn restarts a
    killed worker, and its last values would be counted for ever. Each new process does it."""
    path = path or os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if not path:
        return []
    dead = set()
    for file in Path(path).glob("gauge_live*_*.db"):
        pid_text = file.stem.rpartition("_")[2]
        if not pid_text.isdigit():
            continue
        pid = int(pid_text)
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            dead.add(pid)
        except PermissionError:  # alive, another user's
            pass
    for pid in dead:
        multiprocess.mark_process_dead(pid, path)
    return sorted(dead)


def clear_multiprocess_dir() -> None:
    """prometheus-client's multiprocess directory must start empty (server start-up)."""
    if path := os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        for leftover in Path(path).glob("*.db"):
            leftover.unlink()
