"""Every stage test ends with the lead counters equal to a recount (issue 10: one gate)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest_asyncio

from tests.conftest import Served
from tests.factories import assert_counts_match


@pytest_asyncio.fixture(autouse=True)
async def counters_match_a_recount(served: Served) -> AsyncIterator[None]:
    yield
    await assert_counts_match()
