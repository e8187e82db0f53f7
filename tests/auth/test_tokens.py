"""Bearer-token tampering: only a genuine, current access token opens the API."""

from __future__ import annotations

import base64
import json
from datetime import timedelta

import httpx
import jwt
import pytest

from models import RoleId
from salesmagnet.auth import tokens
from tests.conftest import SECRET, Served
from tests.factories import TestUser, logged_in, make_entity


def claims_of(user: TestUser) -> dict[str, object]:
    return jwt.decode(user.token, options={"verify_signature": False})


def b64(data: dict[str, object]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


async def status(client: httpx.AsyncClient, token: str) -> int:
    response = await client.get("/api/auth/me", headers={"Authorization": f"Bearer {token}"})
    return response.status_code


async def test_genuine_token_carries_the_documented_claims(client: httpx.AsyncClient) -> None:
    entity = await make_entity()
    user = await logged_in(client, entity, RoleId.MANAGER)
    claims = claims_of(user)
    assert {"user_id", "email", "role_id", "entity_id", "entity_name", "iat", "exp"} <= claims.keys()
    assert (claims["entity_name"], claims["role_id"]) == (entity.name, 2)
    assert await status(client, user.token) == 200


@pytest.mark.parametrize("kind", ["alg_none", "wrong_secret", "expired", "tampered", "garbage", "no_exp"])
async def test_forged_tokens_are_refused(client: httpx.AsyncClient, kind: str) -> None:
    user = await logged_in(client, await make_entity(), RoleId.SALES_REP)
    claims = claims_of(user)
    if kind == "alg_none":
        token = f"{b64({'alg': 'none', 'typ': 'JWT'})}.{b64({**claims, 'role_id': 1})}."
    elif kind == "wrong_secret":
        token = jwt.encode(claims, "another-secret-" + "y" * 40, algorithm="HS256")
    elif kind == "expired":
        token, _ = tokens.encode(SECRET, claims, tokens.ACCESS, timedelta(seconds=-5))
    elif kind == "tampered":
        head, _, sig = user.token.split(".")
        token = f"{head}.{b64({**claims, 'entity_id': 1, 'role_id': 1})}.{sig}"
    elif kind == "no_exp":
        token = jwt.encode({k: v for k, v in claims.items() if k != "exp"}, SECRET, algorithm="HS256")
    else:
        token = "not.a.token"
    response = await client.get("/api/auth/me", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401
    assert response.json()["success"] is False
    if kind == "expired":
        assert response.json()["message"] == "Token expired"


async def test_reset_token_is_not_an_access_token(client: httpx.AsyncClient) -> None:
    user = await logged_in(client, await make_entity())
    claims = claims_of(user)
    reset, _ = tokens.encode(
        SECRET, {"user_id": user.id, "sv": claims["sv"]}, tokens.PASSWORD_RESET, timedelta(minutes=5)
    )
    assert await status(client, reset) == 401
    # …and an access token is not a reset token.
    update = await client.post(
        "/api/auth/password/update", json={"token": user.token, "new_password": "N3wPassword!"}
    )
    assert update.status_code == 401


async def test_missing_or_malformed_header(client: httpx.AsyncClient) -> None:
    for headers in ({}, {"Authorization": ""}, {"Authorization": "Bearer"}, {"Authorization": "Basic abc"}):
        response = await client.get("/api/auth/me", headers=headers)
        assert response.status_code == 401


async def test_role_and_entity_come_from_the_database(client: httpx.AsyncClient, served: Served) -> None:
    entity = await make_entity()
    admin = await logged_in(client, entity, RoleId.ADMIN)
    rep = await logged_in(client, entity, RoleId.SALES_REP)
    assert (await client.get("/api/auth/users", headers=rep.auth)).status_code == 403
    promoted = await client.patch(
        f"/api/auth/users/{rep.id}/role", json={"role": "manager"}, headers=admin.auth
    )
    assert promoted.status_code == 200
    # The old token still says sales_rep; the database says manager, and wins at once.
    assert (await client.get("/api/auth/users", headers=rep.auth)).status_code == 200
