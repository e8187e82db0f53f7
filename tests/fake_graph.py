"""A real local HTTP server standing in for the Graph API: GET /<leadgen id>."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

TOKEN = "test-page-token"


@dataclass
class FakeGraph:
    leads: dict[str, dict[str, Any]] = field(default_factory=dict)
    errors: dict[str, list[tuple[int, dict[str, Any]]]] = field(
        default_factory=dict
    )  # served before the lead
    requests: list[str] = field(default_factory=list)
    url: str = ""
    _runner: web.AppRunner | None = None

    async def _lead(self, request: web.Request) -> web.Response:
        leadgen_id = request.match_info["leadgen_id"]
        self.requests.append(leadgen_id)
        if request.query.get("access_token") != TOKEN:
            return web.json_response(
                {"error": {"message": "Invalid OAuth access token", "code": 190}}, status=400
            )
        if self.errors.get(leadgen_id):
            status, body = self.errors[leadgen_id].pop(0)
            return web.json_response(body, status=status)
        if leadgen_id not in self.leads:
            return web.json_response(
                {"error": {"message": "Unsupported get request", "code": 100}}, status=400
            )
        return web.json_response({"id": leadgen_id, **self.leads[leadgen_id]})

    async def start(self, port: int) -> None:
        app = web.Application()
        app.router.add_get("/v26.0/{leadgen_id}", self._lead)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", port).start()
        self.url = f"http://127.0.0.1:{port}/v26.0"

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
