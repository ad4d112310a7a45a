"""/_sandbox/faults and /_sandbox/stats: the sandbox's own control routes (not part of ORKG)."""

from __future__ import annotations

import json

from flask import Blueprint, Response, request

from orkg_sync.sandbox import http
from orkg_sync.sandbox.faults import FaultConfig
from orkg_sync.sandbox.problems import fail
from orkg_sync.sandbox.state import get_sandbox

bp = Blueprint("control", __name__, url_prefix="/_sandbox")


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
