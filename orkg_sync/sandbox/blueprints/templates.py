"""/api/templates (template.v1): templates read from their NodeShape graph (see sandbox/templates.py)."""

from __future__ import annotations

from flask import Blueprint, Response, request

from orkg_sync.sandbox import http, templates
from orkg_sync.sandbox.problems import fail
from orkg_sync.sandbox.state import get_store

bp = Blueprint("templates", __name__, url_prefix="/api/templates")
MT_TEMPLATE = "application/vnd.orkg.template.v1+json"


@bp.get("/<tid>")
def get_template(tid: str) -> Response:
    mt = http.negotiate(MT_TEMPLATE)
    store = get_store()
    t = store.thing(tid)
    if t is None or not templates.is_template(t):
        fail(404, "template_not_found", f'Template "{tid}" not found.', template_id=tid)
    return http.json_resp(templates.template_repr(store, t), mt)


@bp.get("")
def list_templates() -> Response:
    mt = http.negotiate(MT_TEMPLATE)
    store = get_store()
    items = [t for t in store.things("resource") if templates.is_template(t)]
    items = [t for t in http.common_filters(items) if templates.matches(store, t, request.args)]
    items, fuzzy = http.label_filter(items)
    resp = http.paginate([templates.template_repr(store, t) for t in items], "resource", keep_order=fuzzy)
    resp.mimetype = mt
    return resp
