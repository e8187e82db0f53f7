"""Stopping background tasks: a task that lost a cancel (as in a redis-py call) is cancelled
again until it ends; one that will not end is left behind after the bound, never waited on."""

from __future__ import annotations

import asyncio
import time

from salesmagnet import lifecycle


async def test_a_task_that_lost_its_cancel_is_stopped_all_the_same() -> None:
    async def loses_one_cancel() -> None:
        while True:
            try:
                await asyncio.sleep(0.01)  # as redis-py's poll under asyncio.timeout(0)
            except asyncio.CancelledError:
                break
        while True:
            await asyncio.sleep(5)

    task = asyncio.ensure_future(loses_one_cancel())
    await asyncio.sleep(0.02)
    started = time.monotonic()
    await lifecycle.stop_tasks([task, None])
    assert task.cancelled() and time.monotonic() - started < 1


async def test_a_task_that_will_not_end_is_left_behind_after_the_bound() -> None:
    released = asyncio.Event()

    async def stubborn() -> None:
        while not released.is_set():
            try:
                await asyncio.sleep(5)
            except asyncio.CancelledError:
                continue

    task = asyncio.ensure_future(stubborn())
    await asyncio.sleep(0.01)  # under way
    started = time.monotonic()
    await lifecycle.stop_tasks([task], within=0.3)
    assert not task.done() and time.monotonic() - started < 1
    released.set()
    await lifecycle.stop_tasks([task])
    assert task.done()
