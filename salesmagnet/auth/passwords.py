"""Argon2id password hashing, run off the event loop.

Hashes run in a dedicated single-thread pool: argon2 releases the GIL, so one core hashes
while the event loop keeps serving on the other, and a login burst queues for the hasher
instead of starving every other request (bench/auth_load.py measures it).
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

# OWASP's argon2id profile (19 MiB, t=2, p=1): ~25 ms a hash on this machine.
_hasher = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)
_pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="argon2")
# Verified against when the account does not exist, so both paths cost the same.
_DUMMY_HASH = _hasher.hash("salesmagnet-timing-equaliser")


async def hash_password(password: str) -> str:
    return await asyncio.get_running_loop().run_in_executor(_pool, _hasher.hash, password)


def _verify(stored: str | None, password: str) -> bool:
    try:
        return _hasher.verify(stored or _DUMMY_HASH, password) and stored is not None
    except (VerificationError, InvalidHashError):
        return False


async def verify_password(stored: str | None, password: str) -> bool:
    """True when `password` matches `stored`; a missing hash costs the same and is False."""
    return await asyncio.get_running_loop().run_in_executor(_pool, _verify, stored, password)
