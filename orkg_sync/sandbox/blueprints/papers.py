"""/api/papers (paper.v2) with /api/papers/{id}/contributions, and /api/contributions (contribution.v2)."""

from __future__ import annotations

from flask import Blueprint, Response, request

from orkg_sync.sandbox import graph as g
from orkg_sync.sandbox import http
from orkg_sync.sandbox.auth import Account, current_user
from orkg_sync.sandbox.content import author_ids, authors_of, int_or_none, new_list, version_ref
from orkg_sync.sandbox.contributions import create_contribution as build_contribution
from orkg_sync.sandbox.db import Json
from orkg_sync.sandbox.problems import fail
from orkg_sync.sandbox.state import get_store

bp = Blueprint("papers", __name__, url_prefix="/api")
MT_PAPER = "application/vnd.orkg.paper.v2+json"
MT_CONTRIB = "application/vnd.orkg.contribution.v2+json"
PAPER_FIELDS = {
    "title",
    "research_fields",
    "identifiers",
    "publication_info",
    "authors",
    "sdgs",
    "mentionings",
    "observatories",
    "organizations",
    "contents",
    "extraction_method",
}


def _one_uuid(t: Json, key: str) -> list[str]:
    """Always one id, the all-zero UUID when unknown (Paper.kt, Comparison.kt)."""
    return [t.get(key) or g.UNKNOWN]


def paper_repr(p: Json) -> Json:
    pid = p["id"]
    venue = g.objs(pid, "HAS_VENUE")
    url, dois = g.lit_values(pid, "url"), g.lit_values(pid, "P26")
    mentions = [
        {
            "id": t["id"],
            "label": t["label"],
            "classes": t.get("classes", []),
            "uri": t.get("uri"),
            "_class": "resource_ref",
        }
        for t in g.objs(pid, "mentions")
    ]
    return {
        "id": pid,
        "title": p["label"],
        "research_fields": [g.label_ref(t) for t in g.objs(pid, "P30")],
        "identifiers": {"doi": dois} if dois else {},
        "publication_info": {
            "published_month": int_or_none(g.lit_values(pid, "P28")),
            "published_year": int_or_none(g.lit_values(pid, "P29")),
            "published_in": g.label_ref(venue[0]) if venue else None,
            "url": url[0] if url else None,
        },
        "authors": authors_of(pid),
        "versions": {"head": version_ref(p), "published": []},
        "contributions": [g.label_ref(t) for t in g.objs(pid, "P31")],
        "sdgs": [g.label_ref(t) for t in g.objs(pid, "sustainableDevelopmentGoal")],
        "mentionings": mentions,
        "observatories": _one_uuid(p, "observatory_id"),
        "organizations": _one_uuid(p, "organization_id"),
        "extraction_method": p.get("extraction_method", "UNKNOWN"),
        "created_at": p["created_at"],
        "created_by": p["created_by"],
        "verified": p.get("verified", False),
        "visibility": p.get("visibility", "DEFAULT"),
        "modifiable": p.get("modifiable", True),
        "published": False,
        "_class": "paper",
    }


def paper_or_404(pid: str) -> Json:
    t = get_store().thing(pid)
    if t is None or t["_class"] != "resource" or "Paper" not in t.get("classes", []):
        fail(404, "paper_not_found", f'Paper "{pid}" not found.', paper_id=pid)
    return t


@bp.get("/papers/<pid>")
def get_paper(pid: str) -> Response:
    mt = http.negotiate(MT_PAPER)
    return http.json_resp(paper_repr(paper_or_404(pid)), mt)


@bp.get("/papers")
def list_papers() -> Response:
    mt = http.negotiate(MT_PAPER)
    a = request.args
    items = [t for t in get_store().things("resource") if "Paper" in t.get("classes", [])]
    items, fuzzy = http.label_filter(items, param="title")
    if a.get("doi"):
        items = [t for t in items if a["doi"].lower() in [d.lower() for d in g.lit_values(t["id"], "P26")]]
    if a.get("research_field"):
        items = [t for t in items if a["research_field"] in [x["id"] for x in g.objs(t["id"], "P30")]]
    items = http.common_filters(items)
    if request.method == "HEAD":  # existence check by doi/title: 200 + Location, or 404
        if not items:
            return Response(status=404)
        return Response(
            status=200, headers={"Location": f"{request.url_root.rstrip('/')}/api/papers/{items[0]['id']}"}
        )
    resp = http.paginate([paper_repr(t) for t in items], "resource", keep_order=fuzzy)
    resp.mimetype = mt
    return resp


def _paper_metadata(acc: Account, pid: str, b: Json) -> None:
    store = get_store()
    rf = b["research_fields"][0]
    if store.thing(rf) is None:
        fail(404, "research_field_not_found", f'Research field "{rf}" not found.', research_field_id=rf)
    g.make_statement(acc, pid, "P30", rf)
    for doi in (b.get("identifiers") or {}).get("doi", []):
        g.make_statement(acc, pid, "P26", g.make_literal(acc, doi, "xsd:string")["id"])
    info = b.get("publication_info") or {}
    for key, pred, dt in (
        ("published_month", "P28", "xsd:integer"),
        ("published_year", "P29", "xsd:integer"),
        ("url", "url", "xsd:anyURI"),
    ):
        if info.get(key) is not None:
            g.make_statement(acc, pid, pred, g.make_literal(acc, str(info[key]), dt)["id"])
    if info.get("published_in"):
        vid = store.new_id("R")
        g.make_resource(acc, vid, info["published_in"], ["Venue"] if store.thing("Venue") else [])
        g.make_statement(acc, pid, "HAS_VENUE", vid)
    if b["authors"]:
        g.make_statement(acc, pid, "hasAuthors", new_list(acc, "authors list", author_ids(acc, b["authors"])))
    for sdg in b.get("sdgs") or []:
        g.make_statement(acc, pid, "sustainableDevelopmentGoal", sdg)


@bp.post("/papers")
def create_paper() -> Response:
    acc = current_user()
    http.consumes(MT_PAPER)
    b = http.json_body(PAPER_FIELDS, {"title", "research_fields", "authors"})
    g.check_label(b["title"], title=True)
    if len(b["research_fields"]) != 1:
        fail(400, "invalid_research_field_count", "Exactly one research field is required.")
    extraction = g.check_extraction(b.get("extraction_method"))
    store = get_store()
    with store.tx():
        pid = store.new_id("R")
        g.make_resource(acc, pid, b["title"], ["Paper"], None, extraction)
        _paper_metadata(acc, pid, b)
        contents = dict(b.get("contents") or {})
        for contrib in contents.pop("contributions", []):
            build_contribution(acc, pid, contents | {"contribution": contrib}, extraction)
    return http.created(f"/api/papers/{pid}")


@bp.post("/papers/<pid>/contributions")
def create_contribution(pid: str) -> Response:
    http.consumes(MT_CONTRIB)
    http.negotiate(MT_CONTRIB)  # produces contribution.v2 only (ContributionController.kt): 406 otherwise
    acc = current_user()
    b = http.json_body(
        {"resources", "literals", "predicates", "lists", "contribution", "extraction_method"},
        {"contribution"},
    )
    with get_store().tx():
        paper_or_404(pid)
        cid = build_contribution(acc, pid, b, g.check_extraction(b.get("extraction_method")))
    return http.created(f"/api/contributions/{cid}")


def contribution_repr(t: Json) -> Json:
    props: dict[str, list[str]] = {}
    for st in get_store().find_statements(s=t["id"]):
        props.setdefault(st["predicate_id"], []).append(st["object_id"])
    return {
        "id": t["id"],
        "label": t["label"],
        "classes": t.get("classes", []),
        "properties": props,
        "extraction_method": t.get("extraction_method", "UNKNOWN"),
        "created_at": t["created_at"],
        "created_by": t["created_by"],
        "visibility": t.get("visibility", "DEFAULT"),
    }


@bp.get("/contributions/<cid>")
def get_contribution(cid: str) -> Response:
    mt = http.negotiate(MT_CONTRIB)
    t = get_store().thing(cid)
    if t is None or "Contribution" not in t.get("classes", []):
        fail(404, "contribution_not_found", f'Contribution "{cid}" not found.', contribution_id=cid)
    return http.json_resp(contribution_repr(t), mt)


@bp.get("/contributions")
def list_contributions() -> Response:
    mt = http.negotiate(MT_CONTRIB)
    things = get_store().things("resource")
    items = [contribution_repr(t) for t in things if "Contribution" in t.get("classes", [])]
    resp = http.paginate(items, "resource")
    resp.mimetype = mt
    return resp
