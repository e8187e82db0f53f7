"""HTTP conventions (hostile bodies, paths and queries for every route: tests/test_hostile.py)."""

from __future__ import annotations

import gc

import httpx


async def test_envelopes_and_unknown_routes(client: httpx.AsyncClient) -> None:
    assert (await client.get("/health")).json() == {"status": "ok"}
    assert (await client.get("/ready")).status_code == 200
    missing = await client.get("/api/nothing-here")
    assert missing.status_code == 404 and missing.json() == {"success": False, "message": "Route not found"}
    wrong = await client.put("/health")
    assert wrong.status_code == 405 and wrong.json()["success"] is False
    assert "GET" in wrong.headers["allow"]
    on_an_id = await client.request("TRACE", "/api/leads/1")  # a path with an id names its methods too
    assert on_an_id.status_code == 405 and set(on_an_id.headers["allow"].split(", ")) >= {"GET", "PUT"}
    broken = await client.post(
        "/api/auth/login", content=b'{"email": ', headers={"content-type": "application/json"}
    )
    assert broken.status_code == 400 and broken.json()["message"] == "Malformed JSON body"
    huge = await client.post("/api/auth/login", content=b"x" * 2_000_000)
    assert huge.status_code == 413 and huge.json()["success"] is False


async def test_the_api_root_points_at_documentation_that_is_served(client: httpx.AsyncClient) -> None:
    root = await client.get("/")
    assert root.status_code == 200 and root.json()["success"] is True
    docs = await client.get(root.json()["data"]["docs"])
    assert docs.status_code == 200 and "text/html" in docs.headers["content-type"]


async def test_hostile_headers(client: httpx.AsyncClient) -> None:
    for value in ("Bearer a.b.c", "Bearer " + "A" * 10000, "bearer\tabc", "Bearer ä", "Bearer ....."):
        response = await client.get("/api/auth/me", headers={"Authorization": value.encode("utf-8")})
        assert response.status_code == 401


async def test_answered_requests_leave_no_cycles_for_the_collector(client: httpx.AsyncClient) -> None:
    """Every request is freed when answered (reference counting), not left for the cyclic
    collector, whose pauses grew with the request rate (20-28 ms every ~0.6 s at 2,500 req/s)."""
    from sanic.asgi import ASGIApp
    from sanic.request import Request

    gc.collect()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        for _ in range(10):
            assert (await client.get("/health")).status_code == 200
            assert (await client.post("/api/auth/login", json={})).status_code == 400
            assert (await client.get("/api/nothing-here")).status_code == 404
        gc.collect()
        left = [o for o in gc.garbage if isinstance(o, Request | ASGIApp)]
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
    assert left == []
