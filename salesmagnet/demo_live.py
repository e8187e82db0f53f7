"""`salesmagnet seed-demo --live`: a floor that keeps moving, for a watched screen.

It goes through a running server over HTTP, as a landing page and a manager would: website
leads posted to the entity's webhook (its key, as `salesmagnet webhook-key` gives it), and open
leads assigned or moved along the stage graph with the demo manager's token. So every change is
made, committed and pushed (Socket.IO) by the server itself, whatever REDIS_URL says: a command
writing the database directly would reach sockets only through the outbox relay, seconds later.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import signal
import time
import uuid
from collections.abc import Callable
from typing import Any

import aiohttp

from salesmagnet import demo
from salesmagnet.stages.service import TRANSITIONS

OPEN = [s for s in demo.WALK]


class LiveError(Exception):
    """The server refused the demo (down, or the demo manager cannot log in)."""


async def _json(response: aiohttp.ClientResponse) -> dict[str, Any]:
    try:
        body: dict[str, Any] = await response.json(content_type=None)
    except ValueError:
        body = {"message": (await response.text())[:200]}
    return body


class Floor:
    """The running server, as the demo manager and a landing page talk to it."""

    def __init__(self, http: aiohttp.ClientSession, key: str, rng: random.Random, say: Callable[[str], None]):
        self.http, self.key, self.rng, self.say = http, key, rng, say
        self.auth: dict[str, str] = {}
        self.reps: list[int] = []

    async def login(self, email: str, password: str) -> None:
        async with self.http.post("/api/auth/login", json={"email": email, "password": password}) as answer:
            body = await _json(answer)
            if answer.status != 200:
                raise LiveError(f"the demo manager {email} cannot log in: {body.get('message')}")
        self.auth = {"Authorization": f"Bearer {body['data']['access_token']}"}
        query = {"role": "sales_rep", "is_active": "true", "limit": "100"}
        async with self.http.get("/api/auth/users", params=query, headers=self.auth) as answer:
            self.reps = [int(u["id"]) for u in (await _json(answer)).get("data") or []]

    async def arrive(self) -> None:
        """A website lead, as a landing page's form posts it."""
        fields = demo.contact(self.rng)
        body = {
            "first_name": fields["first_name"],
            "last_name": fields["last_name"],
            "email": fields["email"],
            "phone": fields["phone"],
            "company": fields["raw_field_data"]["company"],
            "source_lead_id": f"live-{uuid.uuid4().hex}",
            "utm_source": "live-demo",
        }
        async with self.http.post(
            "/webhooks/website", json=body, headers={"X-Webhook-Key": self.key}
        ) as answer:
            got = await _json(answer)
        if answer.status in (200, 201):
            self.say(f"lead {got.get('lead_id')} arrived: {body['first_name']} {body['last_name']}")
        else:
            self.say(f"webhook answered {answer.status}: {got.get('message')}")

    async def work(self) -> None:
        """One open lead moves: a new unassigned one gets an owner, any other a next status."""
        status = self.rng.choices(OPEN, [8, 4, 4, 3, 3, 2])[0]
        query = {"status": status.value, "limit": "100", "sort": "updated_at", "order": "asc"}
        async with self.http.get("/api/leads", params=query, headers=self.auth) as answer:
            found = (await _json(answer)).get("data") or []
        if not found:
            return
        lead = self.rng.choice(found)
        if lead.get("assigned_user_id") is None and self.reps:
            rep = self.rng.choice(self.reps)
            await self._post("/api/assignments/assign", {"leadId": lead["id"], "assignedUserId": rep}, lead)
            return
        weights = dict(demo.WALK[status])
        targets = [s for s in TRANSITIONS[status]]
        target = self.rng.choices(targets, [weights.get(s, 1) for s in targets])[0]
        await self._post("/api/stages/change-status", {"leadId": lead["id"], "status": target.value}, lead)

    async def _post(self, path: str, body: dict[str, Any], lead: dict[str, Any]) -> None:
        async with self.http.post(path, json=body, headers=self.auth) as answer:
            got = await _json(answer)
        what = body.get("status") or f"user {body.get('assignedUserId')}"
        verdict = "" if answer.status == 200 else f" refused ({answer.status}: {got.get('message')})"
        self.say(f"lead {lead['id']} ({lead['status']}) → {what}{verdict}")


async def run(
    url: str,
    key: str,
    email: str,
    password: str,
    rate: float,
    seconds: float = 0,
    say: Callable[[str], None] = print,
) -> int:
    """Post `rate` leads a second and move about one open lead a second until interrupted (or
    for `seconds`); returns the leads posted."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, stop.set)
    timeout = aiohttp.ClientTimeout(total=10)
    posted = 0
    async with aiohttp.ClientSession(base_url=url, timeout=timeout) as http:
        floor = Floor(http, key, random.Random(), say)
        try:
            await floor.login(email, password)
        except aiohttp.ClientError as exc:
            raise LiveError(f"no server at {url}: {exc}") from None
        say(f"live: {rate:g} lead(s)/s to {url}, moving open leads as {email}; Ctrl-C stops")
        started, moved_at = time.monotonic(), 0.0
        while not stop.is_set() and not (seconds and time.monotonic() - started >= seconds):
            tick = time.monotonic()
            try:
                await floor.arrive()
                posted += 1
                if tick - moved_at >= 1.0:
                    moved_at = tick
                    await floor.work()
            except (aiohttp.ClientError, TimeoutError) as exc:
                say(f"server: {exc!r}; trying again")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), max(0.0, 1 / rate - (time.monotonic() - tick)))
    return posted
