"""Comparisons (comparison.v3): representation, sources, tables and the field updates of create/update."""

from __future__ import annotations

from orkg_sync.sandbox import graph as g
from orkg_sync.sandbox import tables
from orkg_sync.sandbox.auth import Account
from orkg_sync.sandbox.content import authors_of, int_or_none, set_authors, version_ref
from orkg_sync.sandbox.db import Json, natural_key
from orkg_sync.sandbox.problems import fail
from orkg_sync.sandbox.state import get_store

CMP_TYPES = {
    "SYSTEMATIC_COMPARISON",
    "RELATED_WORK_COMPARISON",
    "STATE_OF_THE_ART_COMPARISON",
    "RESOURCE_COMPARISON",
}
EMPTY_SEARCH_PROTOCOL: Json = {
    "inclusion_criteria": None,
    "exclusion_criteria": None,
    "search_engines": [],
    "search_strings": [],
    "research_questions": [],
    "number_of_studies_originally_returned": None,
    "number_of_studies_retained": None,
}


def head_of(cid: str) -> str:
    heads = [st["subject_id"] for st in get_store().find_statements(p="hasPublishedVersion", o=cid)]
    return heads[0] if heads else cid


def sources_of(cid: str) -> list[str]:
    return [st["object_id"] for st in get_store().find_statements(s=cid, p="compareContribution")]


def is_published(t: Json) -> bool:
    return "ComparisonPublished" in t.get("classes", [])


def comparison_or_404(cid: str) -> Json:
    t = get_store().thing(cid)
    if (
        t is None
        or t["_class"] != "resource"
        or not {"Comparison", "ComparisonPublished"} & set(t["classes"])
    ):
        fail(404, "comparison_not_found", f'Comparison "{cid}" not found.', comparison_id=cid)
    return t


def refuse_published(t: Json, kind: str = "comparison_already_published") -> None:
    """403 on a published version (``comparison_already_published`` or ``comparison_not_modifiable``)."""
    if is_published(t):
        what = "is already published" if kind == "comparison_already_published" else "is not modifiable"
        fail(403, kind, f'Comparison "{t["id"]}" {what}.', comparison_id=t["id"])


def _publication_info(cid: str) -> Json:
    """Year and month; the backend writes a version's month under P29 too (see docs/sandbox.md)."""
    years = g.lit_values(cid, "P29")
    year = next((int(y) for y in years if y.isdigit() and len(y) == 4), None)
    month = int_or_none(g.lit_values(cid, "P28")) or next(
        (int(y) for y in years if y.isdigit() and len(y) <= 2), None
    )
    return {"published_month": month, "published_year": year, "published_in": None, "url": None}


def _versions(t: Json) -> Json:
    """The head's history, newest first; ``changelog`` is a version's description, null on a version."""
    head = get_store().thing(head_of(t["id"])) or t
    on_version = is_published(t)
    published = g.objs(head["id"], "hasPublishedVersion")
    published.sort(key=lambda x: (x["created_at"], natural_key(x["id"])), reverse=True)
    return {
        "head": version_ref(head),
        "published": [
            version_ref(x)
            | {"changelog": None if on_version else next(iter(g.lit_values(x["id"], "description")), None)}
            for x in published
        ],
    }


def _one_uuid(t: Json, key: str) -> list[str]:
    """Always one id, the all-zero UUID when unknown (Paper.kt, Comparison.kt)."""
    return [t.get(key) or g.UNKNOWN]


def comparison_repr(t: Json) -> Json:
    cid = t["id"]
    ctype = next((x for x in sorted(t["classes"]) if x in CMP_TYPES), "UNKNOWN")
    anon, desc, dois = (
        g.lit_values(cid, "IsAnonymized"),
        g.lit_values(cid, "description"),
        g.lit_values(cid, "P26"),
    )
    return {
        "id": cid,
        "type": ctype,
        "title": t["label"],
        "description": desc[0] if desc else None,
        "research_fields": [g.label_ref(x) for x in g.objs(cid, "hasSubject")],
        "identifiers": {"doi": dois} if dois else {},
        "publication_info": _publication_info(cid),
        "authors": authors_of(cid),
        "search_protocol": dict(EMPTY_SEARCH_PROTOCOL),
        "sdgs": [g.label_ref(x) for x in g.objs(cid, "sustainableDevelopmentGoal")],
        "sources": [{"id": s, "type": "THING"} for s in sources_of(cid)],
        "visualizations": [g.label_ref(x) for x in g.objs(cid, "hasVisualization")],
        "related_figures": [g.label_ref(x) for x in g.objs(cid, "RelatedFigure")],
        "related_resources": [g.label_ref(x) for x in g.objs(cid, "RelatedResource")],
        "references": g.lit_values(cid, "reference"),
        "observatories": _one_uuid(t, "observatory_id"),
        "organizations": _one_uuid(t, "organization_id"),
        "extraction_method": t.get("extraction_method", "UNKNOWN"),
        "created_at": t["created_at"],
        "created_by": t["created_by"],
        "versions": _versions(t),
        "is_anonymized": bool(anon and anon[0].lower() == "true"),
        "visibility": t.get("visibility", "DEFAULT"),
        "published": is_published(t),
        "_class": "comparison",
    }


EMPTY_TABLE: Json = {"selected_paths": [], "titles": [], "subtitles": [], "values": {}}


def contents_of(cid: str) -> Json:
    """The frozen table of a published version (an empty table when none is stored: 200, not 404, as
    ComparisonTableService.findByComparisonId), the live table of a head."""
    t = comparison_or_404(cid)
    stored = get_store().table(cid)
    if is_published(t):
        return stored[1] if stored is not None and stored[1] is not None else dict(EMPTY_TABLE)
    return tables.live_contents(get_store(), sources_of(cid), stored[0] if stored else [])


# ---- field updates (create and update) -------------------------------------------------------
def set_sources(acc: Account, cid: str, sources: list[Json]) -> None:
    store = get_store()
    ids = [str(s.get("id")) for s in sources]
    if len(set(ids)) != len(ids):
        fail(400, "duplicate_comparison_sources", "Duplicate comparison sources.")
    for s in sources:
        if set(s) - {"id", "type"} or s.get("type", "THING") not in ("THING", "ROSETTA_STONE_STATEMENT"):
            fail(400, "mismatched_json_input", "Invalid source.", pointer="#/sources")
        if store.thing(s["id"]) is None:
            fail(404, "thing_not_found", f'Thing "{s["id"]}" not found.', thing_id=s["id"])
    for st in store.find_statements(s=cid, p="compareContribution"):
        if st["object_id"] not in ids:
            store.delete_statement(st["id"])
    have = set(sources_of(cid))
    for source_id in ids:
        if source_id not in have:
            g.make_statement(acc, cid, "compareContribution", source_id)


def set_literals(acc: Account, cid: str, pred: str, values: list[str], dt: str = "xsd:string") -> None:
    for st in get_store().find_statements(s=cid, p=pred):
        g.delete_statement(st["id"])
    for v in values:
        g.make_statement(acc, cid, pred, g.make_literal(acc, v, dt)["id"])


def set_objects(acc: Account, cid: str, pred: str, ids: list[str]) -> None:
    store = get_store()
    for st in store.find_statements(s=cid, p=pred):
        store.delete_statement(st["id"])
    for i in ids:
        if store.thing(i) is None:
            fail(404, "thing_not_found", f'Thing "{i}" not found.', thing_id=i)
        g.make_statement(acc, cid, pred, i)


def apply_fields(acc: Account, cid: str, b: Json) -> None:
    """The graph writes of the request fields given (None or absent = unchanged)."""
    if b.get("description") is not None:
        set_literals(acc, cid, "description", [b["description"]])
    if b.get("research_fields") is not None:
        if len(b["research_fields"]) != 1:
            fail(400, "invalid_research_field_count", "Exactly one research field is required.")
        set_objects(acc, cid, "hasSubject", b["research_fields"])
    if b.get("authors") is not None:
        set_authors(acc, cid, b["authors"])
    if b.get("sources") is not None:
        set_sources(acc, cid, b["sources"])
    if b.get("references") is not None:
        set_literals(acc, cid, "reference", b["references"])
    if b.get("is_anonymized") is not None:
        set_literals(acc, cid, "IsAnonymized", [str(bool(b["is_anonymized"])).lower()], "xsd:boolean")
    for key, pred in (("sdgs", "sustainableDevelopmentGoal"), ("visualizations", "hasVisualization")):
        if b.get(key) is not None:
            set_objects(acc, cid, pred, b[key])
