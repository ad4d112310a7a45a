"""/api/things: any thing by id, and the list over every kind."""

from __future__ import annotations

from flask import Blueprint, Response, request

from orkg_sync.sandbox import graph as g
from orkg_sync.sandbox import http
from orkg_sync.sandbox.blueprints.resources import resource_filters
from orkg_sync.sandbox.problems import fail
from orkg_sync.sandbox.state import get_store

bp = Blueprint("things", __name__, url_prefix="/api/things")
RESOURCE_ONLY = ("include", "exclude", "visibility", "observatory_id", "organization_id")


@bp.get("/<tid>")
def get_thing(tid: str) -> Response:
    t = get_store().thing(tid)
    if t is None:
        fail(404, "thing_not_found", f'Thing "{tid}" not found.', thing_id=tid)
    return http.json_resp(g.with_shared(t))


@bp.get("")
def list_things() -> Response:
    store = get_store()
    items = store.things()
    if any(request.args.get(k) for k in RESOURCE_ONLY):
        items = resource_filters([t for t in items if t["_class"] == "resource"], base_class=False)
    else:
        res = [t for t in items if t["_class"] == "resource"]
        items = http.common_filters(res + [t for t in items if t["_class"] != "resource"])
    items, fuzzy = http.label_filter(items)
    return http.paginate(items, "resource", keep_order=fuzzy, render=g.things_with_shared)
