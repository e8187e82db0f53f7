"""Every activity test ends with the lead and activity counters equal to a recount."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest_asyncio

from tests.conftest import Served
from tests.factories import assert_counts_match


@pytest_asyncio.fixture(autouse=True)
async def counters_match_a_recount(served: Served) -> AsyncIterator[None]:
    yield
    await assert_counts_match()
