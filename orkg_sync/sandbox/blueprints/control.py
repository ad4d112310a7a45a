"""/_sandbox/faults, /_sandbox/stats and /_sandbox/reset: the sandbox's own control routes (not ORKG's)."""

from __future__ import annotations

import hmac
import ipaddress
import json

from flask import Blueprint, Response, g, request
from werkzeug.exceptions import NotFound

from orkg_sync.sandbox import http
from orkg_sync.sandbox.faults import FaultConfig
from orkg_sync.sandbox.problems import fail
from orkg_sync.sandbox.state import get_sandbox

bp = Blueprint("control", __name__, url_prefix="/_sandbox")
TOKEN_HEADER = "X-Sandbox-Token"


@bp.before_request
def refuse_foreign_requests() -> None:
    """No web page may read or reconfigure the sandbox (issue 11): cross-origin requests are 403,
    writes need a JSON body (no ``text/plain`` form CSRF) and the control token when one is set."""
    origin = request.headers.get("Origin")
    if origin is not None and origin.rstrip("/") != request.host_url.rstrip("/"):
        fail(403, "cross_origin_refused", "The sandbox control routes refuse cross-origin requests.")
    if request.headers.get("Sec-Fetch-Site", "same-origin") not in ("same-origin", "none"):
        fail(403, "cross_origin_refused", "The sandbox control routes refuse cross-site requests.")
    if request.method == "GET":
        return
    token = get_sandbox().control_token
    if token and not hmac.compare_digest(request.headers.get(TOKEN_HEADER, ""), token):
        fail(
            403, "control_token_required", f"{TOKEN_HEADER} is missing or wrong (ORKG_SANDBOX_CONTROL_TOKEN)."
        )
    if request.method in ("PUT", "POST"):
        http.consumes_json()


@bp.route("/faults", methods=["GET", "PUT", "POST"])
def faults_admin() -> Response:
    """GET reads; PUT replaces all settings; POST merges into the current ones."""
    faults = get_sandbox().faults
    if request.method != "GET":
        try:
            doc = json.loads(request.get_data() or b"{}")
            base = None if request.method == "PUT" else faults.config
            faults.configure(FaultConfig.from_dict(doc, base))
        except (ValueError, TypeError) as exc:
            fail(400, "invalid_fault_config", str(exc))
    return http.json_resp(faults.stats()["faults"])


@bp.route("/stats", methods=["GET", "DELETE"])
def stats() -> Response:
    faults = get_sandbox().faults
    if request.method == "DELETE":
        faults.reset_stats()
    return http.json_resp(faults.stats())


@bp.route("/reset", methods=["POST"])
def reset() -> Response:
    """Back to the state after start-up (the seeded database), for one test after another.

    Off (404, as any unknown path) unless the sandbox was started with ``ORKG_SANDBOX_TEST_RESET=1``;
    loopback clients only. ORKG has no such route; the test suite's ``fresh_sandbox`` uses it instead
    of a new process per test."""
    sandbox = get_sandbox()
    if sandbox.seeded is None:
        raise NotFound()  # the same answer as any path the sandbox does not have
    if not ipaddress.ip_address(request.remote_addr or "0.0.0.0").is_loopback:
        fail(403, "loopback_only", "POST /_sandbox/reset answers loopback clients only.")
    sandbox.reset()
    g.unrecorded = True
    return Response(status=204)
