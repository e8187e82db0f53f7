"""Stopping a process's background tasks within a bound, whatever a library does with a cancel.

redis-py polls a pooled connection under `asyncio.timeout(0)` before each command; a cancel
that lands in that poll is taken for the timeout and lost, and the task carries on to its next
sleep and its next round. A stop that cancelled once and waited then waited forever: a server
told to stop (SIGTERM), or one that could not bind its port, never exited. Here a task is
cancelled again until it ends, and left behind (logged) after the bound.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable
from typing import Any

log = logging.getLogger(__name__)
STOP_WITHIN = 5.0  # seconds the tasks of one stop may take to end
CANCEL_AGAIN = 0.05  # seconds between cancels of a task that is still running


async def stop_tasks(tasks: Iterable[asyncio.Future[Any] | None], within: float = STOP_WITHIN) -> None:
    """Cancel the tasks and wait until they end (cancelled again while they run), `within`
    seconds at most."""
    running = {task for task in tasks if task is not None}
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while running:
        for task in running:
            task.cancel()
        left = deadline - loop.time()
        if left <= 0:
            break
        done, running = await asyncio.wait(running, timeout=min(CANCEL_AGAIN, left))
        for task in done:
            if not task.cancelled():
                task.exception()  # retrieved: an error of a stopping task is not news
    for task in running:
        log.warning("task %s did not stop within %g s; left behind", _name(task), within)


def _name(task: asyncio.Future[Any]) -> str:
    return task.get_name() if isinstance(task, asyncio.Task) else repr(task)
