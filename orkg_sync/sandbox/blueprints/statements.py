"""/api/statements (+ bundle) and /api/things/{id}/subgraph."""

from __future__ import annotations

from flask import Blueprint, Response, request

from orkg_sync.sandbox import graph as g
from orkg_sync.sandbox import http
from orkg_sync.sandbox.auth import current_user
from orkg_sync.sandbox.db import Json, now_iso
from orkg_sync.sandbox.problems import fail
from orkg_sync.sandbox.state import get_store

bp = Blueprint("statements", __name__, url_prefix="/api")
PSEUDO_CLASS = {"resource": "Resource", "class": "Class", "predicate": "Predicate", "literal": "Literal"}


def _statement_or_404(sid: str) -> Json:
    st = get_store().statement(sid)
    if st is None:
        fail(404, "statement_not_found", f'Statement "{sid}" not found.', statement_id=sid)
    return st


@bp.get("/statements/<sid>")
def get_statement(sid: str) -> Response:
    return http.json_resp(g.statement_repr(_statement_or_404(sid)))


def class_match(thing: Json | None, classes: set[str]) -> bool:
    if thing is None:
        return False
    if PSEUDO_CLASS[thing["_class"]] in classes:
        return True
    return bool(classes & set(thing.get("classes", []))) if thing["_class"] == "resource" else False


FAST_PARAMS = {"subject_id", "predicate_id", "object_id", "page", "size"}


@bp.get("/statements")
def list_statements() -> Response:
    store, a = get_store(), request.args
    if set(a) <= FAST_PARAMS:  # the default order straight from the sort_key index: O(page)
        number, size = http.page_args()
        args = (a.get("subject_id"), a.get("predicate_id"), a.get("object_id"))
        page, total = store.statements_page(*args, number * size, size)
        return http.page_response(g.statement_reprs(page), total, number, size)
    sts = store.find_statements(a.get("subject_id"), a.get("predicate_id"), a.get("object_id"))
    sub_cls, obj_cls = (
        http.class_list(a.getlist("subject_classes")),
        http.class_list(a.getlist("object_classes")),
    )
    if sub_cls:
        sts = [s for s in sts if class_match(store.thing(s["subject_id"]), sub_cls)]
    if obj_cls:
        sts = [s for s in sts if class_match(store.thing(s["object_id"]), obj_cls)]
    for param, key in (("subject_label", "subject_id"), ("object_label", "object_id")):
        if a.get(param) is not None:
            sts = [s for s in sts if (store.thing(s[key]) or {}).get("label") == a[param]]
    sts = http.common_filters(sts)
    return _statement_page(sts)


def _statement_page(sts: list[Json]) -> Response:
    """Sorted on the stored statements; only the page is rendered (O(page) lookups and counts)."""
    return http.paginate(sts, "statement", render=g.statement_reprs, value=g.statement_sort_value)


@bp.post("/statements")
def create_statement() -> Response:
    acc = current_user()
    http.consumes_json()
    b = http.json_body(
        {"id", "subject_id", "predicate_id", "object_id", "extraction_method"},
        {"subject_id", "predicate_id", "object_id"},
    )
    with get_store().tx():
        sid = g.create_statement(acc, b)
    return http.created(f"/api/statements/{sid}")


@bp.put("/statements/<sid>")
def update_statement(sid: str) -> Response:
    """Re-creates the statement under the same id (new ``created_at``, the updater as ``created_by``)."""
    acc = current_user()
    http.consumes_json()
    b = http.json_body({"subject_id", "predicate_id", "object_id", "extraction_method"})
    store = get_store()
    with store.tx():
        st = _statement_or_404(sid)
        g.not_modifiable_guard(st, "statement")
        merged = {k: b.get(k) or st[k] for k in ("subject_id", "predicate_id", "object_id")}
        g.check_triple(merged)
        store.delete_statement(sid)
        new = dict(st) | merged | {"created_by": acc.id, "created_at": now_iso()}
        if b.get("extraction_method") is not None:
            new["extraction_method"] = g.check_extraction(b["extraction_method"])
        store.put_statement(new)
    return http.updated(f"/api/statements/{sid}")


@bp.delete("/statements/<sid>")
def delete_statement(sid: str) -> Response:
    current_user()
    with get_store().tx():
        g.delete_statement(sid)
    return Response(status=204)


# ---- bundle / subgraph ---------------------------------------------------------------------
def traverse(
    root: str,
    levels: tuple[int, int | None],
    deny: set[str],
    allow: set[str],
    stop: set[str],
    include_first: bool,
    closed: bool = False,
) -> list[Json]:
    """Breadth-first over outgoing statements, one level per batch of queries; which statements
    count and where to stop. Statements come in the order of a node-by-node walk.

    ``closed`` (the bundle): like the backend's ``apoc.path.subgraphAll``, which returns every
    relationship *between* the things reached, the statements of the last level's things whose object
    was reached too are included (not those leading further out)."""
    store, (min_level, max_level) = get_store(), levels
    out: dict[str, Json] = {}
    seen, frontier, level = {root}, [root], 1
    literals: set[str] = set()  # literal objects reached (things of the subgraph, never expanded)
    while frontier and (max_level is None or level <= max_level):
        statements = store.statements_from(frontier)
        things = store.things_by_id(st["object_id"] for st in statements)
        frontier = []
        for st in statements:
            obj = things.get(st["object_id"])
            is_res = obj is not None and obj["_class"] == "resource"
            classes = set(obj.get("classes", [])) if obj is not None and is_res else set()
            denied = bool(classes & deny) or (bool(allow) and is_res and not classes & allow)
            if (level >= min_level and not denied) or (include_first and level == 1):
                out[st["id"]] = st
            if obj is not None and obj["_class"] == "literal" and not denied:
                literals.add(obj["id"])
            if denied or classes & stop or obj is None or obj["_class"] == "literal":
                continue
            if obj["id"] not in seen:
                seen.add(obj["id"])
                frontier.append(obj["id"])
        level += 1
    if closed and frontier and level >= min_level:  # stopped by max_level: close the subgraph
        for st in store.statements_from(frontier):
            if st["object_id"] in seen or st["object_id"] in literals:
                out.setdefault(st["id"], st)
    return list(out.values())


def _thing_exists(tid: str) -> None:
    if get_store().thing(tid) is None:
        fail(404, "thing_not_found", f'Thing "{tid}" not found.', thing_id=tid)


@bp.get("/statements/<tid>/bundle")
def bundle(tid: str) -> Response:
    _thing_exists(tid)
    a = request.args
    first = a.get("include_first", a.get("includeFirst", "true")).lower() != "false"
    levels = (http.int_arg("min_level", "minLevel", default=0) or 0, http.int_arg("max_level", "maxLevel"))
    sts = traverse(
        tid,
        levels,
        http.class_list(a.getlist("blacklist")),
        http.class_list(a.getlist("whitelist")),
        set(),
        first,
        closed=True,
    )
    reprs = g.statement_reprs(sts)
    specs = a.getlist("sort")
    prop, direction = "created_at", "desc"
    if specs:
        prop, _, direction = specs[0].partition(",")
        if prop not in {"created_at", "created_by", "index"}:
            fail(400, "unknown_sorting_property", f'Unknown sorting property "{prop}".', property_name=prop)
    reprs.sort(key=lambda s: http.sort_value(s, prop), reverse=direction.lower() == "desc")
    return http.json_resp({"root": tid, "statements": reprs})


@bp.get("/things/<tid>/subgraph")
def subgraph(tid: str) -> Response:
    _thing_exists(tid)
    lo, hi = http.int_arg("min_hops", default=1) or 1, http.int_arg("max_hops", default=10) or 10
    if not (1 <= lo <= 10 and 1 <= hi <= 10) or lo > hi:
        fail(400, "invalid_hop_bounds", f"Invalid hop bounds {lo}..{hi}.", min_hops=lo, max_hops=hi)
    a = request.args
    sts = traverse(
        tid,
        (lo, hi),
        http.class_list(a.getlist("deny_classes")),
        http.class_list(a.getlist("allow_classes")),
        http.class_list(a.getlist("termination_classes")),
        False,
    )
    return _statement_page(sts)
