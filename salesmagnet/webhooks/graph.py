"""The one Graph API call we make: read a Lead Ads lead by its leadgen id."""

from __future__ import annotations

import re
from typing import Any

import aiohttp

from salesmagnet.config import Settings

FIELDS = "id,created_time,field_data,form_id,ad_id,campaign_id,platform,is_organic"
RATE_LIMIT_CODES = {4, 17, 32, 613, 80001}
# Graph's "temporary issue, wait and retry" codes (1 unknown, 2 service); an error may also say
# so itself with `is_transient: true`.
TEMPORARY_CODES = {1, 2}
LEADGEN_ID = re.compile(r"^[0-9A-Za-z_-]{1,64}$")


class GraphError(Exception):
    """A failed read; `transient` ones (rate limits, 5xx, network) are worth retrying."""

    def __init__(self, message: str, *, transient: bool) -> None:
        super().__init__(message)
        self.transient = transient


async def fetch_lead(settings: Settings, leadgen_id: str) -> dict[str, Any]:
    if not settings.fb_page_access_token:
        raise GraphError("FB_PAGE_ACCESS_TOKEN is not configured", transient=False)
    if not LEADGEN_ID.match(leadgen_id):
        raise GraphError(f"not a leadgen id: {leadgen_id!r}", transient=False)
    params = {"access_token": settings.fb_page_access_token, "fields": FIELDS}
    try:
        async with (
            aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=15)) as http,
            http.get(f"{settings.fb_graph_url}/{leadgen_id}", params=params) as response,
        ):
            body = await response.json(content_type=None)
            status = response.status
    except (aiohttp.ClientError, TimeoutError, ValueError) as exc:
        raise GraphError(f"Graph API unreachable: {type(exc).__name__}", transient=True) from None
    if status == 200 and isinstance(body, dict):
        return body
    error = body.get("error") if isinstance(body, dict) else None
    error = error if isinstance(error, dict) else {}  # a proxy's own shape says nothing more
    message = f"Graph API {status}: {error.get('message', 'no message')}"[:250]
    transient = (
        status == 429
        or status >= 500
        or error.get("code") in RATE_LIMIT_CODES | TEMPORARY_CODES
        or error.get("is_transient") is True
    )
    raise GraphError(message, transient=transient)
