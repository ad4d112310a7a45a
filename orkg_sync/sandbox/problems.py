"""The one error mechanism: raise :class:`Problem` or call :func:`fail`; one handler renders it."""

from __future__ import annotations

import json
from typing import Any, NoReturn

from flask import Flask, Response, current_app, request
from werkzeug.exceptions import HTTPException

from orkg_sync.sandbox.db import Json, now_iso

REASONS = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    406: "Not Acceptable",
    409: "Conflict",
    415: "Unsupported Media Type",
    429: "Too Many Requests",
    500: "Internal Server Error",
    503: "Service Unavailable",
}


class Problem(Exception):
    """An RFC 9457 problem as ORKG renders it; ``bare`` answers the status with an empty body."""

    def __init__(
        self,
        status: int,
        kind: str,
        detail: str | None,
        extra: Json | None = None,
        *,
        headers: dict[str, str] | None = None,
        bare: bool = False,
    ) -> None:
        super().__init__(detail)
        self.status, self.kind, self.detail = status, kind, detail
        self.extra, self.headers, self.bare = extra or {}, headers or {}, bare


def fail(status: int, kind: str, detail: str | None, **extra: Any) -> NoReturn:
    raise Problem(status, kind, detail, extra)


def invalid_token() -> Problem:
    """Spring's bearer filter: 401 with ``WWW-Authenticate``, before any controller runs."""
    return Problem(
        401,
        "about:blank",
        "Invalid or expired bearer token.",
        headers={"WWW-Authenticate": 'Bearer error="invalid_token"'},
    )


def render(p: Problem) -> Response:
    if p.bare:
        return Response(status=p.status, headers=p.headers)
    title = REASONS.get(p.status, "Error")
    body: Json = {
        "type": p.kind if p.kind == "about:blank" else f"orkg:problem:{p.kind}",
        "title": title,
        "status": p.status,
    }
    if p.detail is not None:
        body["detail"] = p.detail
    body["instance"] = request.path
    body.update(p.extra)
    body["error"] = title
    if p.detail is not None:
        body["message"] = p.detail
    body["path"] = request.path
    body["timestamp"] = now_iso()
    resp = Response(json.dumps(body), status=p.status, mimetype="application/problem+json")
    resp.headers.update(p.headers)
    return resp


def register(app: Flask) -> None:
    """Problems, Werkzeug's HTTP errors (unknown routes, 405) and crashes all answer problem+json."""

    @app.errorhandler(Problem)
    def _problem(p: Problem) -> Response:
        return render(p)

    @app.errorhandler(HTTPException)
    def _http(e: HTTPException) -> Response:
        return render(Problem(e.code or 500, "about:blank", e.description))

    @app.errorhandler(Exception)
    def _crash(e: Exception) -> Response:
        current_app.logger.exception("unhandled error")
        return render(Problem(500, "about:blank", "Internal server error."))
