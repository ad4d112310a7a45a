"""/api/predicates, /api/classes, /api/literals: the simple thing kinds (no DELETE for classes, literals)."""

from __future__ import annotations

from flask import Blueprint, Response

from orkg_sync.sandbox import graph as g
from orkg_sync.sandbox import http
from orkg_sync.sandbox.auth import current_user
from orkg_sync.sandbox.db import Json, now_iso
from orkg_sync.sandbox.literals import normalise_datatype, validate_label
from orkg_sync.sandbox.problems import fail
from orkg_sync.sandbox.state import get_store

bp = Blueprint("kinds", __name__, url_prefix="/api")
PLURAL = {"predicate": "predicates", "class": "classes", "literal": "literals"}
UPDATE_FIELDS = {
    "predicate": {"id", "label", "uri", "extraction_method"},
    "class": {"id", "label", "uri", "extraction_method"},
    "literal": {"label", "datatype", "extraction_method"},
}


def _get_one(kind: str, tid: str) -> Response:
    return http.json_resp(g.thing_or_404(tid, kind))


def _list(kind: str) -> Response:
    items = http.common_filters(get_store().things(kind))
    items, fuzzy = http.label_filter(items)
    return http.paginate(items, kind, keep_order=fuzzy)


for _kind, _plural in PLURAL.items():
    bp.add_url_rule(
        f"/{_plural}/<tid>", f"get_{_kind}", lambda tid, k=_kind: _get_one(k, tid), methods=["GET"]
    )
    bp.add_url_rule(f"/{_plural}", f"list_{_kind}", lambda k=_kind: _list(k), methods=["GET"])


@bp.post("/predicates")
def create_predicate() -> Response:
    acc = current_user()
    http.consumes_json()
    b = http.json_body({"id", "label", "uri", "extraction_method"}, {"label"})
    g.check_label(b["label"])
    with get_store().tx():
        pid = g.new_thing_id(b.get("id"), "P")
        g.check_uri(b.get("uri"))
        g.make_predicate(acc, pid, b["label"], b.get("uri"), g.check_extraction(b.get("extraction_method")))
    return http.created(f"/api/predicates/{pid}")


@bp.post("/classes")
def create_class() -> Response:
    acc = current_user()
    http.consumes_json()
    b = http.json_body({"id", "label", "uri", "extraction_method"}, {"label"})
    g.check_label(b["label"])
    store = get_store()
    with store.tx():
        cid = g.new_thing_id(b.get("id"), "C")
        g.check_uri(b.get("uri"))
        store.put_thing(
            {
                "id": cid,
                "label": b["label"],
                "uri": b.get("uri"),
                "description": None,
                "created_at": now_iso(),
                "created_by": acc.id,
                "extraction_method": g.check_extraction(b.get("extraction_method")),
                "modifiable": True,
                "_class": "class",
            }
        )
    return http.created(f"/api/classes/{cid}")


@bp.post("/literals")
def create_literal() -> Response:
    acc = current_user()
    http.consumes_json()
    b = http.json_body({"label", "datatype", "extraction_method"}, {"label"})
    g.check_label(b["label"], literal=True)
    datatype = normalise_datatype(b.get("datatype"))
    validate_label(b["label"], datatype)  # LiteralService.create
    with get_store().tx():
        lit = g.make_literal(acc, b["label"], datatype, g.check_extraction(b.get("extraction_method")))
    return http.created(f"/api/literals/{lit['id']}")


def _apply_update(kind: str, t: Json, b: Json) -> None:
    tid, before = t["id"], (t.get("label"), t.get("datatype"))
    if b.get("label") is not None:
        g.check_label(b["label"], literal=kind == "literal")
        t["label"] = b["label"]
    if b.get("uri") is not None and b["uri"] != t.get("uri"):
        if t.get("uri") is not None:
            fail(400, "cannot_reset_uri", f'The URI of "{tid}" cannot be changed.', thing_id=tid)
        g.check_uri(b["uri"], tid)
        t["uri"] = b["uri"]
    if b.get("datatype") is not None:
        t["datatype"] = normalise_datatype(b["datatype"])
    if b.get("extraction_method") is not None:
        t["extraction_method"] = g.check_extraction(b["extraction_method"])
    if kind == "literal" and (t["label"], t["datatype"]) != before:  # LiteralService.update
        validate_label(t["label"], t["datatype"])


def _update(kind: str, tid: str, full: bool = False) -> Response:
    current_user()
    http.consumes_json()
    b = http.json_body(UPDATE_FIELDS[kind], {"label"} if full else ())
    store = get_store()
    with store.tx():
        t = g.thing_or_404(tid, kind)
        g.not_modifiable_guard(t, kind)
        _apply_update(kind, t, b)
        store.put_thing(t)
    return http.updated(f"/api/{PLURAL[kind]}/{tid}")


@bp.put("/predicates/<tid>")
def put_predicate(tid: str) -> Response:
    return _update("predicate", tid)


@bp.put("/literals/<tid>")
def put_literal(tid: str) -> Response:
    return _update("literal", tid)


@bp.put("/classes/<tid>")
def put_class(tid: str) -> Response:
    return _update("class", tid, full=True)


@bp.patch("/classes/<tid>")
def patch_class(tid: str) -> Response:
    return _update("class", tid)


@bp.delete("/predicates/<pid>")
def delete_predicate(pid: str) -> Response:
    acc = current_user()
    store = get_store()
    with store.tx():
        pred = g.thing_or_404(pid, "predicate")
        g.not_modifiable_guard(pred, "predicate")
        if store.find_statements(p=pid) or store.shared(pid):
            fail(
                403,
                "predicate_in_use",
                f'Unable to delete predicate "{pid}" because it is used in at least one statement.',
                predicate_id=pid,
            )
        g.owner_or_curator(acc, pred, "predicate")
        store.delete_thing(pid)
    return Response(status=204)
