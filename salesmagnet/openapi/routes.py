"""GET /openapi.json (generated once per app) and GET /docs, Swagger UI served from the
swagger-ui-py package's files (no CDN: the page works offline)."""

from __future__ import annotations

import importlib.util
from importlib.metadata import version
from pathlib import Path
from typing import Any

from sanic import Blueprint, Request, Sanic
from sanic.response import HTTPResponse, file, html, json

from salesmagnet.auth.guards import public
from salesmagnet.errors import NotFound
from salesmagnet.openapi import document

bp = Blueprint("openapi")
# The document leaves out the pages and their files: this page's, and the floor's (salesmagnet.floor).
DOCS_ROUTES = ("openapi.spec", "openapi.docs", "openapi.asset", "floor.floor", "floor.me", "floor.asset")
ASSETS = ("swagger-ui.css", "swagger-ui-bundle.js", "swagger-ui-standalone-preset.js", "favicon-32x32.png")


def assets_dir() -> Path:
    """Swagger UI's files as the swagger-ui-py package ships them (its module is not imported)."""
    found = importlib.util.find_spec("swagger_ui")
    if found is None or not found.submodule_search_locations:
        raise RuntimeError("swagger-ui-py is not installed")
    return Path(next(iter(found.submodule_search_locations))) / "static"


def skipped(route: document.Route) -> bool:
    return route.name.partition(".")[2] in DOCS_ROUTES


def spec_of(app: Sanic) -> dict[str, Any]:
    """The document, built on first use and kept: the routes do not change once served."""
    kept: dict[str, Any] | None = getattr(app.ctx, "openapi", None)
    if kept is None:
        kept = document.build(app.router.routes, skipped, version("salesmagnet"))
        app.ctx.openapi = kept
    return kept


@bp.get("/openapi.json", name="spec")
@public
async def spec(request: Request) -> HTTPResponse:
    return json(spec_of(request.app))


PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>SalesMagnet CRM API</title>
<link rel="stylesheet" href="/docs/swagger-ui.css"><link rel="icon" href="/docs/favicon-32x32.png"></head>
<body><div id="swagger-ui"></div>
<script src="/docs/swagger-ui-bundle.js"></script>
<script src="/docs/swagger-ui-standalone-preset.js"></script>
<script src="/docs/init.js"></script>
</body></html>"""
INIT = """window.onload = () => { window.ui = SwaggerUIBundle({url: "/openapi.json", dom_id: "#swagger-ui",
  deepLinking: true, presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
  layout: "StandaloneLayout", validatorUrl: null}); };"""


@bp.get("/docs", name="docs")
@public
async def docs(request: Request) -> HTTPResponse:
    return html(PAGE)


@bp.get("/docs/<name>", name="asset")
@public
async def asset(request: Request, name: str) -> HTTPResponse:
    if name == "init.js":
        return HTTPResponse(INIT, content_type="text/javascript; charset=utf-8")
    if name not in ASSETS:  # only the files the page names: never a path into the disk
        raise NotFound("Route not found")
    return await file(assets_dir() / name, max_age=86400)
