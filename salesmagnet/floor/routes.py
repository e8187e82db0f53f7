"""/floor: the sales-floor screen, and /floor/me: the rep's view.

Plain HTML, CSS and JavaScript written here, with no build step (README, "The floor screen"):
the pages are clients of the REST API and of Socket.IO like any other, and need nothing of
the server but their files. Each file is read once, at import, and revalidated on every load
(`no-cache` with an ETag: a 304 while unchanged).
"""

from __future__ import annotations

import hashlib
import mimetypes
from dataclasses import dataclass
from pathlib import Path

from sanic import Blueprint, Request
from sanic.response import HTTPResponse

from salesmagnet.auth.guards import public
from salesmagnet.errors import NotFound

STATIC = Path(__file__).parent / "static"
PAGE_CACHE = "no-cache"
# Modules import each other by fixed names: a page and its modules must come from one release,
# so every load revalidates (a 304 while unchanged).
ASSET_CACHE = "no-cache"
# The pages hold access tokens: nothing but their own files and this origin's API and socket.
HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; connect-src 'self'; img-src 'self' data:; style-src 'self'; "
        "script-src 'self'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}

bp = Blueprint("floor", url_prefix="/floor")


@dataclass(frozen=True)
class File:
    body: bytes
    etag: str
    content_type: str


def _load() -> dict[str, File]:
    files = {}
    for path in sorted(STATIC.iterdir()):
        if path.is_file():
            body = path.read_bytes()
            kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            if kind.startswith("text/") or kind.endswith("javascript"):
                kind += "; charset=utf-8"
            files[path.name] = File(body, f'"{hashlib.sha256(body).hexdigest()[:20]}"', kind)
    return files


FILES = _load()


def _serve(request: Request, name: str, cache: str) -> HTTPResponse:
    found = FILES.get(name)
    if found is None:
        raise NotFound("No such file")
    headers = {**HEADERS, "Cache-Control": cache, "ETag": found.etag}
    if request.headers.get("if-none-match") == found.etag:
        return HTTPResponse(status=304, headers=headers)
    return HTTPResponse(found.body, headers=headers, content_type=found.content_type)


@bp.get("/")
@public
async def floor(request: Request) -> HTTPResponse:
    """The sales-floor screen."""
    return _serve(request, "floor.html", PAGE_CACHE)


@bp.get("/me")
@public
async def me(request: Request) -> HTTPResponse:
    """The rep's view: their leads, follow-ups and assignment alerts."""
    return _serve(request, "me.html", PAGE_CACHE)


@bp.get("/assets/<name>")
@public
async def asset(request: Request, name: str) -> HTTPResponse:
    """The pages' scripts and style sheet."""
    if name.endswith(".html"):
        raise NotFound("No such file")
    return _serve(request, name, ASSET_CACHE)
