"""/api/resources: list, get, create, update, delete."""

from __future__ import annotations

from flask import Blueprint, Response, request

from orkg_sync.sandbox import graph as g
from orkg_sync.sandbox import http
from orkg_sync.sandbox.auth import Account, current_user
from orkg_sync.sandbox.db import Json
from orkg_sync.sandbox.problems import fail
from orkg_sync.sandbox.state import get_store

bp = Blueprint("resources", __name__, url_prefix="/api/resources")
VISIBILITY_FILTERS = {
    "ALL_LISTED": {"DEFAULT", "FEATURED"},
    "UNLISTED": {"UNLISTED"},
    "FEATURED": {"FEATURED"},
    "NON_FEATURED": {"DEFAULT"},
    "DELETED": {"DELETED"},
}
UPDATE_FIELDS = {
    "id",
    "label",
    "classes",
    "uri",
    "extraction_method",
    "visibility",
    "observatory_id",
    "organization_id",
}  # UpdateResourceRequest (ResourceController.kt): no "verified"


def resource_filters(items: list[Json], base_class: bool = True) -> list[Json]:
    """``include``, ``exclude``, ``base_class``, ``visibility``, observatory/organization, common."""
    a = request.args
    include, exclude = http.class_list(a.getlist("include")), http.class_list(a.getlist("exclude"))
    if include:
        items = [i for i in items if include <= set(i.get("classes", []))]
    if exclude:
        items = [i for i in items if not exclude & set(i.get("classes", []))]
    if base_class and a.get("base_class"):
        items = [i for i in items if a["base_class"] in i.get("classes", [])]
    vis = a.get("visibility")
    if vis:
        allowed = VISIBILITY_FILTERS.get(vis)
        if allowed is None:
            fail(400, "type_mismatch", f'Invalid visibility "{vis}".')
        items = [i for i in items if i.get("visibility") in allowed]
    for key in ("observatory_id", "organization_id"):
        if a.get(key):
            items = [i for i in items if i.get(key) == a[key]]
    return http.common_filters(items)


@bp.get("/<rid>")
def get_resource(rid: str) -> Response:
    return http.json_resp(g.with_shared(g.thing_or_404(rid, "resource")))


@bp.get("")
def list_resources() -> Response:
    store = get_store()
    items, fuzzy = http.label_filter(resource_filters(store.things("resource")))
    return http.paginate(items, "resource", keep_order=fuzzy, render=g.things_with_shared)


@bp.post("")
def create_resource() -> Response:
    acc = current_user()
    http.consumes_json()
    b = http.json_body({"id", "label", "classes", "uri", "extraction_method"}, {"label"})
    g.check_label(b["label"])
    with get_store().tx():
        rid = g.new_thing_id(b.get("id"), "R")
        classes = g.check_classes(b.get("classes"))
        g.check_uri(b.get("uri"))
        extraction = g.check_extraction(b.get("extraction_method"))
        g.make_resource(acc, rid, b["label"], classes, b.get("uri"), extraction)
    return http.created(f"/api/resources/{rid}")


def _apply_visibility(acc: Account, res: Json, vis: str) -> None:
    if vis not in {"DEFAULT", "UNLISTED", "FEATURED", "DELETED"}:
        fail(400, "mismatched_json_input", f'Invalid visibility "{vis}".', pointer="#/visibility")
    if not acc.curator and (vis in {"FEATURED", "UNLISTED"} or res["created_by"] != acc.id):
        fail(
            403,
            "neither_owner_nor_curator",
            f'Contributor <{acc.id}> does not own resource "{res["id"]}" and is not a curator.',
            contributor_id=acc.id,
        )
    res["visibility"] = vis
    res["featured"] = vis == "FEATURED"
    res["unlisted"] = vis == "UNLISTED"


def _apply_update(acc: Account, res: Json, b: Json) -> None:
    rid = res["id"]
    if b.get("label") is not None:
        g.check_label(b["label"])
        res["label"] = b["label"]
    if b.get("classes") is not None:
        res["classes"] = g.check_classes(b["classes"])
    if b.get("uri") is not None and b["uri"] != res.get("uri"):
        if res.get("uri") is not None:
            fail(400, "cannot_reset_uri", f'The URI of "{rid}" cannot be changed.', thing_id=rid)
        g.check_uri(b["uri"], rid)
        res["uri"] = b["uri"]
    if b.get("extraction_method") is not None:
        res["extraction_method"] = g.check_extraction(b["extraction_method"])
    if b.get("visibility") is not None and b["visibility"] != res.get("visibility"):
        _apply_visibility(acc, res, b["visibility"])
    for key in ("observatory_id", "organization_id"):
        if b.get(key) is not None:
            res[key] = b[key]


@bp.put("/<rid>")  # no PATCH in ResourceController.kt: 405
def update_resource(rid: str) -> Response:
    acc = current_user()
    http.consumes_json()
    b = http.json_body(UPDATE_FIELDS)
    store = get_store()
    with store.tx():
        res = g.thing_or_404(rid, "resource")
        g.not_modifiable_guard(res, "resource")
        _apply_update(acc, res, b)
        store.put_thing(res)
    return http.updated(f"/api/resources/{rid}")


@bp.delete("/<rid>")
def delete_resource(rid: str) -> Response:
    acc = current_user()
    store = get_store()
    with store.tx():
        res = g.thing_or_404(rid, "resource")
        g.not_modifiable_guard(res, "resource")
        if store.shared(rid):
            fail(
                403,
                "resource_in_use",
                f'Unable to delete resource "{rid}" because it is used in at least one statement.',
                resource_id=rid,
            )
        g.owner_or_curator(acc, res, "resource")
        for st in store.find_statements(s=rid):
            store.delete_statement(st["id"])
        store.delete_thing(rid)
    return Response(status=204)
