"""/api/comparisons (comparison.v3): list, get, create, update, delete, publish."""

from __future__ import annotations

from flask import Blueprint, Response, request

from orkg_sync.sandbox import comparisons as cmp
from orkg_sync.sandbox import graph as g
from orkg_sync.sandbox import http, tables
from orkg_sync.sandbox.auth import Account, current_user
from orkg_sync.sandbox.content import author_ids, authors_of, new_list
from orkg_sync.sandbox.db import Json, now_iso
from orkg_sync.sandbox.problems import fail
from orkg_sync.sandbox.state import get_store

bp = Blueprint("comparisons", __name__, url_prefix="/api/comparisons")
MT_CMP = "application/vnd.orkg.comparison.v3+json"
FIELDS = {
    "title",
    "description",
    "research_fields",
    "authors",
    "sources",
    "references",
    "observatories",
    "organizations",
    "is_anonymized",
    "type",
    "search_protocol",
    "sdgs",
    "visualizations",
    "extraction_method",
}
REQUIRED = FIELDS - {"type", "search_protocol", "sdgs", "visualizations", "extraction_method"}
COPIED_ON_PUBLISH = (  # ComparisonVersionCreator.kt's steps (related figures/resources are not copied)
    "description",
    "hasSubject",
    "compareContribution",
    "sustainableDevelopmentGoal",
    "hasVisualization",
    "reference",
    "IsAnonymized",
)
PUBLISH_FIELDS = {"subject", "description", "authors", "assign_doi"}


@bp.get("/<cid>")
def get_comparison(cid: str) -> Response:
    mt = http.negotiate(MT_CMP)
    return http.json_resp(cmp.comparison_repr(cmp.comparison_or_404(cid)), mt)


@bp.get("")
def list_comparisons() -> Response:
    mt = http.negotiate(MT_CMP)
    a = request.args
    kinds = {"Comparison", "ComparisonPublished"}
    items = [t for t in get_store().things("resource") if kinds & set(t["classes"])]
    items, fuzzy = http.label_filter(items, param="title")
    if a.get("published") is not None:
        want = a["published"].lower() == "true"
        items = [t for t in items if cmp.is_published(t) == want]
    if a.get("doi"):
        items = [t for t in items if a["doi"] in g.lit_values(t["id"], "P26")]
    items = http.common_filters(items)
    resp = http.paginate([cmp.comparison_repr(t) for t in items], "resource", keep_order=fuzzy)
    resp.mimetype = mt
    return resp


@bp.post("")
def create_comparison() -> Response:
    acc = current_user()
    http.consumes(MT_CMP)
    b = http.json_body(FIELDS, REQUIRED)
    g.check_label(b["title"], title=True)
    ctype = b.get("type") or "UNKNOWN"
    if ctype != "UNKNOWN" and ctype not in cmp.CMP_TYPES:
        fail(400, "mismatched_json_input", f'Invalid type "{ctype}".', pointer="#/type")
    store = get_store()
    with store.tx():
        cid = store.new_id("R")
        classes = ["Comparison"] + ([ctype] if ctype != "UNKNOWN" and store.thing(ctype) else [])
        g.make_resource(acc, cid, b["title"], classes, None, g.check_extraction(b.get("extraction_method")))
        cmp.apply_fields(acc, cid, b)
        store.put_table(cid, tables.initial_paths(store, cmp.sources_of(cid)), None)
    return http.created(f"/api/comparisons/{cid}")


@bp.put("/<cid>")
def update_comparison(cid: str) -> Response:
    acc = current_user()
    http.consumes(MT_CMP)
    b = http.json_body(FIELDS | {"visibility"})
    store = get_store()
    with store.tx():
        t = cmp.comparison_or_404(cid)
        cmp.refuse_published(t, "comparison_not_modifiable")
        if b.get("title") is not None:
            g.check_label(b["title"], title=True)
            t["label"] = b["title"]
        if b.get("visibility") is not None and b["visibility"] != t.get("visibility"):
            if not acc.curator and t["created_by"] != acc.id:
                fail(403, "neither_owner_nor_curator", "Neither owner nor curator.", contributor_id=acc.id)
            t["visibility"] = b["visibility"]
        store.put_thing(t)
        cmp.apply_fields(acc, cid, b)
    return http.updated(f"/api/comparisons/{cid}")


@bp.delete("/<cid>")
def delete_comparison(cid: str) -> Response:
    acc = current_user()
    http.consumes(MT_CMP)
    store = get_store()
    with store.tx():
        t = store.thing(cid)
        if t is None:
            return Response(status=204)
        cmp.comparison_or_404(cid)
        if cmp.is_published(t) or g.objs(cid, "hasPublishedVersion"):
            fail(
                403,
                "comparison_already_published",
                f'Comparison "{cid}" is already published.',
                comparison_id=cid,
            )
        if not t.get("modifiable", True) or store.shared(cid):
            fail(
                403, "comparison_not_modifiable", f'Comparison "{cid}" is not modifiable.', comparison_id=cid
            )
        if t["created_by"] != acc.id and not acc.curator:
            fail(403, "neither_owner_nor_curator", "Neither owner nor curator.", contributor_id=acc.id)
        for st in store.find_statements(s=cid):
            g.delete_statement(st["id"])
        store.delete_thing(cid)
        store.delete_table(cid)
    return Response(status=204)


# ---- publish ------------------------------------------------------------------------------
def _copy_metadata(acc: Account, head: str, vid: str) -> None:
    """The version points at the same sources and copies the head's metadata statements."""
    store = get_store()
    for st in store.find_statements(s=head):
        if st["predicate_id"] not in COPIED_ON_PUBLISH:
            continue
        obj = store.thing(st["object_id"])
        if obj and obj["_class"] == "literal":
            oid = g.make_literal(acc, obj["label"], obj["datatype"])["id"]
        else:
            oid = st["object_id"]
        g.make_statement(acc, vid, st["predicate_id"], oid)


def _new_version(acc: Account, t: Json) -> str:
    """The version resource with the head's metadata, description and authors (ComparisonVersionCreator).

    The request's ``subject`` and ``description`` are only for DataCite (with ``assign_doi``), so the
    version's description, and with it ``versions.published[].changelog``, is the head's."""
    store = get_store()
    cid, vid = t["id"], store.new_id("R")
    extra = [x for x in t["classes"] if x in cmp.CMP_TYPES]
    classes = ["ComparisonPublished", "LatestVersion", *extra]
    g.make_resource(acc, vid, t["label"], classes, None, t.get("extraction_method", "UNKNOWN"))
    _copy_metadata(acc, cid, vid)
    head_authors = [{k: a[k] for k in ("id", "name")} for a in authors_of(cid)]
    g.make_statement(acc, vid, "hasAuthors", new_list(acc, "authors list", author_ids(acc, head_authors)))
    now = now_iso()
    g.make_statement(acc, vid, "P29", g.make_literal(acc, now[:4], "xsd:integer")["id"])
    # Quirk kept from ComparisonPublicationInfoCreator.kt: the month also goes under P29.
    g.make_statement(acc, vid, "P29", g.make_literal(acc, str(int(now[5:7])), "xsd:integer")["id"])
    return vid


def _retire_latest(cid: str) -> None:
    store = get_store()
    for old in g.objs(cid, "hasPublishedVersion"):
        if "LatestVersion" in old["classes"]:
            old["classes"] = ["ComparisonPublished"]
            store.put_thing({k: v for k, v in old.items() if k != "shared"})


@bp.post("/<cid>/publish")
def publish(cid: str) -> Response:
    acc = current_user()
    http.consumes_json()
    b = http.json_body(PUBLISH_FIELDS, PUBLISH_FIELDS)  # assign_doi is required, no default
    if not b["authors"]:
        fail(400, "mismatched_json_input", "At least one author is required.", pointer="#/authors")
    for key in ("subject", "description"):
        if not str(b[key]).strip():
            fail(400, "mismatched_json_input", f'Field "#/{key}" must not be blank.', pointer=f"#/{key}")
    store = get_store()
    with store.tx():
        t = cmp.comparison_or_404(cid)
        cmp.refuse_published(t)
        if len(set(cmp.sources_of(cid))) < 2:
            fail(
                400,
                "requires_at_least_two_sources",
                "A comparison needs at least two sources to be published.",
            )
        frozen = cmp.contents_of(cid)
        vid = _new_version(acc, t)
        _retire_latest(cid)
        g.make_statement(acc, cid, "hasPublishedVersion", vid)
        if b.get("assign_doi"):
            g.make_statement(
                acc, vid, "P26", g.make_literal(acc, f"10.48366/{vid.lower()}", "xsd:string")["id"]
            )
        store.put_table(vid, frozen["selected_paths"], frozen)
    return http.created(f"/api/comparisons/{vid}")
