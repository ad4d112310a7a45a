"""Request hooks: trailing-slash redirect, bearer check, fault injection, counters and CORS."""

from __future__ import annotations

import time

from flask import Flask, Response, g, request

from orkg_sync.sandbox.auth import bearer
from orkg_sync.sandbox.problems import Problem, invalid_token
from orkg_sync.sandbox.state import get_sandbox


def redirect_trailing_slash() -> Response | None:
    """308 to the slash-less URL, keeping method, body and query (RedirectTrailingSlashCustomFilter)."""
    if request.path == "/" or not request.path.endswith("/"):
        return None
    target = request.url_root.rstrip("/") + request.path.rstrip("/")
    if request.query_string:
        target += "?" + request.query_string.decode()
    return Response(status=308, headers={"Location": target})


def reject_bad_bearer() -> None:
    """Spring's bearer filter rejects a bad token before any controller, GETs included."""
    header = request.headers.get("Authorization", "")
    if request.path.startswith("/api") and header:
        token = bearer(header)
        if not token or get_sandbox().tokens.user(token) is None:
            raise invalid_token()


def inject_faults() -> Response | None:
    """Latency, dropped connections, 500/503 and 429 for ``/api`` paths, as configured."""
    g.fault = None
    if not request.path.startswith("/api"):
        return None
    faults = get_sandbox().faults
    rejected = faults.config.rejects(request.headers.get("Accept", ""))
    if rejected is not None:
        g.fault = "406"
        detail = f'Media type "{rejected}" is not acceptable (injected fault).'
        raise Problem(406, "http_media_type_not_acceptable", detail)
    delay, fault = faults.roll(request.method)
    if delay:
        time.sleep(delay)
    g.fault = fault
    if fault == "drop":
        request.environ["sandbox.drop"] = True
        return Response(status=500)
    if fault in ("500", "503"):
        kind = "internal_server_error" if fault == "500" else "service_unavailable"
        raise Problem(int(fault), kind, "Injected fault.")
    if fault == "429":
        headers = {"Retry-After": str(faults.config.retry_after)}
        raise Problem(429, "about:blank", "Too many requests.", headers=headers)
    return None


def record_and_cors(resp: Response) -> Response:
    rule = request.url_rule.rule if request.url_rule else request.path
    if not g.get("unrecorded"):  # a reset sandbox has counted nothing yet, not even the reset
        get_sandbox().faults.record(f"{request.method} {rule}", resp.status_code, g.get("fault"))
    if g.get("fault") == "commit_drop" and resp.status_code < 400:
        request.environ["sandbox.drop"] = True
    if request.path.startswith("/_sandbox"):
        return resp  # control routes: no CORS, so no other origin may read or drive them
    if "Location" in resp.headers:
        resp.headers["Access-Control-Expose-Headers"] = "Location"
    resp.headers["Access-Control-Allow-Origin"] = "*"
    return resp


def install(app: Flask) -> None:
    app.before_request(redirect_trailing_slash)
    app.before_request(reject_bad_bearer)
    app.before_request(inject_faults)
    app.after_request(record_and_cors)
