"""Lazy iteration over the page envelope ``{content, page: {size, number, total_elements, total_pages}}``."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from orkg_sync.client.errors import BadResponse
from orkg_sync.client.transport import Transport

MAX_PAGE_SIZE = 2500  # server cap (spring.data.web.pageable.max-page-size); larger sizes are silently lowered


def iter_pages(
    transport: Transport,
    path: str,
    *,
    what: str,
    params: Mapping[str, Any] | None = None,
    size: int = MAX_PAGE_SIZE,
    accept: str = "application/json",
) -> Iterator[dict[str, Any]]:
    """Yield items one page request at a time; stops at ``total_pages`` or an empty page."""
    number = 0
    while True:
        query = {**(params or {}), "page": number, "size": min(size, MAX_PAGE_SIZE)}
        body = transport.get_json(path, what=what, params=query, accept=accept)
        if not isinstance(body, dict) or not isinstance(body.get("content"), list):
            raise BadResponse(f"{what}: {path} did not answer a page envelope")
        yield from body["content"]
        meta = body.get("page") or {}
        total_pages = meta.get("total_pages")
        number += 1
        if not body["content"] or not isinstance(total_pages, int) or number >= total_pages:
            return
