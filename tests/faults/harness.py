"""The pieces fault tests and bench/faults.py share: a deployment of real processes, and a steady
flow of website deliveries whose every answer is recorded."""

from __future__ import annotations

import asyncio
import os
import secrets
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

import httpx

from tests.conftest import SECRET
from tests.mailbox import free_port
from tests.procs import run_cli

PASSWORD = "S3cure!pass"


@dataclass
class Deployment:
    url: str
    key: str
    token: str
    logs: list[Path] = field(default_factory=list)

    def log_lines(self, text: str) -> int:
        return sum(path.read_text().count(text) for path in self.logs)


class Answer(NamedTuple):
    status: int  # 0: no answer within the client's timeout
    seconds: float
    lead_id: int | None
    sent_at: float  # time.monotonic() when it was sent


@dataclass
class Flow:
    """Deliveries and how each was answered."""

    answers: list[Answer] = field(default_factory=list)

    @property
    def accepted(self) -> set[int]:
        return {a.lead_id for a in self.answers if a.status in (200, 201) and a.lead_id}

    def statuses(self) -> set[int]:
        return {a.status for a in self.answers}

    def slowest(self) -> float:
        return max(a.seconds for a in self.answers)


async def deliver(http: httpx.AsyncClient, key: str, flow: Flow) -> None:
    body = {
        "source_lead_id": f"fault-{secrets.token_hex(6)}",
        "answers": {"email": f"{secrets.token_hex(5)}@example.com", "first_name": "Fay", "last_name": "Ult"},
    }
    started = time.monotonic()
    try:
        response = await http.post("/webhooks/website", json=body, headers={"X-Webhook-Key": key})
        status, lead = response.status_code, response.json().get("lead_id")
        if status == 503:
            assert response.headers.get("retry-after"), response.text
    except httpx.TimeoutException:
        status, lead = 0, None
    flow.answers.append(Answer(status, time.monotonic() - started, lead, started))


async def steady(url: str, key: str, flow: Flow, per_second: float, stop: asyncio.Event) -> None:
    """Deliveries at `per_second`, each on its own (a slow one never delays the next)."""
    async with httpx.AsyncClient(base_url=url, timeout=10) as http:
        sent: set[asyncio.Task[None]] = set()
        while not stop.is_set():
            sent.add(asyncio.create_task(deliver(http, key, flow)))
            await asyncio.sleep(1 / per_second)
        await asyncio.gather(*sent)


def prepared(env: dict[str, str]) -> tuple[str, str]:
    """Migrate, make an admin and the entity's webhook key: (admin e-mail, key)."""
    assert run_cli(env, "migrate").returncode == 0
    email = f"admin-{secrets.token_hex(4)}@example.com"
    made = run_cli(env, "create-user", "--entity", "fxcareers", "--role", "admin", "--email", email,
                   "--password", PASSWORD)  # fmt: skip
    assert made.returncode == 0, made.stderr
    key = run_cli(env, "webhook-key", "--entity", "fxcareers")
    assert key.returncode == 0, key.stderr
    return email, key.stdout.strip().splitlines()[-1]


async def login(url: str, email: str) -> str:
    async with httpx.AsyncClient(base_url=url) as http:
        response = await http.post("/api/auth/login", json={"email": email, "password": PASSWORD})
        assert response.status_code == 200, response.text
        return str(response.json()["data"]["access_token"])


def base_env(database_url: str, **extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "JWT_SECRET": SECRET,
        "SALESMAGNET_ENV": "test",
        "PORT": str(free_port()),
        "LOG_LEVEL": "WARNING",
        "DATABASE_URL": database_url,
        **extra,
    }


async def stored(deployment: Deployment, ids: set[int]) -> set[int]:
    """Which of these leads the API finds."""
    headers = {"Authorization": f"Bearer {deployment.token}"}
    async with httpx.AsyncClient(base_url=deployment.url, headers=headers, timeout=10) as http:
        found = set()
        for lead_id in ids:
            response = await http.get(f"/api/leads/{lead_id}")
            if response.status_code == 200:
                found.add(lead_id)
        return found
