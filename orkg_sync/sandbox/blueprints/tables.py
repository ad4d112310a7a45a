"""/api/comparisons/{id}/table-paths and /contents (JSON and CSV; PUT selects the rows)."""

from __future__ import annotations

from flask import Blueprint, Response, request

from orkg_sync.sandbox import comparisons as cmp
from orkg_sync.sandbox import http, tables
from orkg_sync.sandbox.auth import current_user
from orkg_sync.sandbox.problems import fail
from orkg_sync.sandbox.state import get_store

bp = Blueprint("comparison_tables", __name__, url_prefix="/api/comparisons")
MT_CMP = "application/vnd.orkg.comparison.v3+json"
PATH_FIELDS = {"id", "type", "children", "label", "description", "sources"}


@bp.get("/<cid>/table-paths")
def table_paths(cid: str) -> Response:
    """Every row path of the sources; ``[]`` for a published version (the backend's path query
    starts from a ``:Comparison`` node, Neo4jComparisonAuxiliaryRepository.kt)."""
    mt = http.negotiate(MT_CMP)
    t = cmp.comparison_or_404(cid)
    if cmp.is_published(t):
        return http.json_resp([], mt)
    return http.json_resp(tables.table_paths(get_store(), cmp.sources_of(cid)), mt)


@bp.get("/<cid>/contents")
def get_contents(cid: str) -> Response:
    mt = http.negotiate(MT_CMP, ("text/csv",))
    contents = cmp.contents_of(cid)
    if mt == "text/csv":
        transposed = "transposed=true" in request.headers.get("Accept", "").replace(" ", "").lower()
        return Response(tables.contents_csv(contents, transposed=transposed), mimetype="text/csv")
    return http.json_resp(contents, mt)


@bp.put("/<cid>/contents")
def put_contents(cid: str) -> Response:
    current_user()
    http.consumes(MT_CMP)
    b = http.json_body({"selected_paths"}, {"selected_paths"})
    store = get_store()
    with store.tx():
        cmp.refuse_published(cmp.comparison_or_404(cid))
        for p in b["selected_paths"]:
            if not isinstance(p, dict) or set(p) - PATH_FIELDS:
                fail(
                    400, "unknown_json_field", "Unknown field in selected_paths.", pointer="#/selected_paths"
                )
            if p.get("children") is None:
                fail(400, "mismatched_json_input", "children is required.", pointer="#/selected_paths")
        filled = tables.fill_labels(store, b["selected_paths"])
        if isinstance(filled, str):
            fail(404, "comparison_path_not_found", f'Comparison path "{filled}" not found.', path_id=filled)
        store.put_table(cid, filled, None)
    return http.updated(f"/api/comparisons/{cid}/contents")
