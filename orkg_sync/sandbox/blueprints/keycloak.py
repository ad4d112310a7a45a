"""The Keycloak-compatible token endpoint, /api/user and /api/version."""

from __future__ import annotations

import json

from flask import Blueprint, Response, request

from orkg_sync.sandbox import http
from orkg_sync.sandbox.auth import CLIENT_IDS, optional_user
from orkg_sync.sandbox.problems import fail
from orkg_sync.sandbox.state import get_sandbox

bp = Blueprint("keycloak", __name__)


def _oauth_error(status: int, err: str, desc: str) -> Response:
    body = json.dumps({"error": err, "error_description": desc})
    return Response(body, status=status, mimetype="application/json")


@bp.post("/realms/orkg/protocol/openid-connect/token")
def token() -> Response:
    """Password and refresh_token grants; errors in OAuth's shape, not problem+json (as Keycloak)."""
    form, sb = request.form, get_sandbox()
    if form.get("client_id", "orkg-client") not in CLIENT_IDS:
        return _oauth_error(401, "unauthorized_client", "Invalid client or Invalid client credentials")
    grant = form.get("grant_type")
    if grant == "password":
        acc = sb.accounts.get(form.get("username", ""))
        if acc is None or acc.password != form.get("password"):
            return _oauth_error(401, "invalid_grant", "Invalid user credentials")
    elif grant == "refresh_token":
        found = sb.tokens.redeem_refresh(form.get("refresh_token", ""))
        if found is None:
            return _oauth_error(400, "invalid_grant", "Invalid refresh token")
        acc = found
    else:
        return _oauth_error(400, "unsupported_grant_type", "Unsupported grant type")
    return http.json_resp(sb.tokens.issue(acc))


@bp.get("/api/user")
def me() -> Response:
    acc = optional_user()
    if acc is None:
        fail(401, "unauthorized", "Unauthorized.")
    return http.json_resp(
        {
            "id": acc.id,
            "email": acc.username,
            "display_name": acc.display_name,
            "created_at": "2024-12-20T10:00:00.000+01:00",
            "organization_id": None,
            "observatory_id": None,
            "is_curation_allowed": acc.curator,
        }
    )


@bp.get("/api/version")
def version() -> Response:
    return http.json_resp({"version": "0.102.0-sandbox"})
