"""Read a comparison from ORKG into an ORKG-native snapshot, in N + 5 requests for N sources.

Requests: the comparison (comparison.v3); its head when it is a published version; the
`compareContribution` statements of the comparison and of the head (they carry the contributions'
full representations); one statements page per contribution (the values, with predicates and
objects inlined), fetched concurrently over the pooled session; the paper's `hasContribution` link; the
head's selected table paths (which predicates are the comparison's rows), plus one request per resource
reached through a nested path.
The naive way (one GET per statement and per object) costs ~10 requests per source.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from orkg_sync.client.api import OrkgApi
from orkg_sync.client.errors import NotFound
from orkg_sync.errors import InputError
from orkg_sync.mapping import Mapping
from orkg_sync.namespaces import COMPARE_CONTRIBUTION, HAS_CONTRIBUTION
from orkg_sync.snapshot import FORMAT, Snapshot, id_sort_key

COMPARE = COMPARE_CONTRIBUTION
NESTED = ("subject", "predicate", "object")


def _flat(st: dict[str, Any]) -> dict[str, Any]:
    """A statement as the snapshot stores it: ids instead of the inlined things."""
    out = {k: v for k, v in st.items() if k not in NESTED}
    for k in NESTED:
        out[f"{k}_id"] = st[k]["id"]
    return out


def _add_statements(snap: Snapshot, statements: list[dict[str, Any]]) -> None:
    for st in statements:
        for k in NESTED:
            snap.add_thing(st[k])
        flat = _flat(st)
        snap.statements[flat["id"]] = flat


def read_comparison(
    api: OrkgApi,
    comparison_id: str,
    mapping: Mapping,
    *,
    host: str,
    workers: int = 8,
    page_size: int = 2500,
    progress: Callable[[int], None] | None = None,
) -> Snapshot:
    """The comparison, its sources and the statements the mapping reads, as a Snapshot."""
    comp = api.comparison(comparison_id)
    head_id = str((comp.get("versions") or {}).get("head", {}).get("id") or comparison_id)
    published = bool(comp.get("published"))
    snap = Snapshot.from_json(
        {
            "format": FORMAT,
            "source": {
                "comparison_id": comparison_id,
                "host": host,
                "ids": "remote",
                "retrieved_at": datetime.now(UTC).replace(microsecond=0).isoformat(),
                "note": f"Pulled from {host} by orkg-sync.",
            },
            "comparison": {"id": comparison_id, "head_id": head_id, "published": published},
        },
        origin=f"comparison {comparison_id}",
    )
    wanted = {comparison_id, head_id}
    links = api.fetch_many(
        lambda cid: list(api.statements(subject=cid, predicate=COMPARE, size=page_size)), sorted(wanted)
    )
    for sts in links:
        _add_statements(snap, sts)
    for cid in wanted:  # the comparison resources themselves, if no statement carried them
        if cid not in snap.resources:
            snap.add_thing(api.resource(cid))
    sources = sorted({st["object"]["id"] for sts in links for st in sts}, key=id_sort_key)
    if not sources:
        raise InputError(f"comparison {comparison_id} has no sources (contributions) to pull")
    done = 0

    def values(contribution: str) -> list[dict[str, Any]]:
        nonlocal done
        out = list(api.statements(subject=contribution, size=page_size))
        done += 1
        if progress is not None:
            progress(done)
        return out

    for sts in api.fetch_many(values, sources, workers=workers):
        _add_statements(snap, sts)
    paper_links = list(api.statements(obj=sources[0], predicate=HAS_CONTRIBUTION, size=page_size))
    _add_statements(snap, paper_links)
    paths = _selected_paths(api, head_id)
    if paths is not None:
        snap.comparison_tables[head_id] = {"selected_paths": paths}
        _read_nested(api, snap, sources, paths, workers=workers, page_size=page_size)
    _check_predicates(snap, mapping, host)
    return snap


def _selected_paths(api: OrkgApi, head_id: str) -> list[dict[str, Any]] | None:
    """The head's selected table paths (which predicates are the comparison's rows); None without a table."""
    try:
        table = api.comparison_contents(head_id)
    except NotFound:
        return None
    return [_path(p) for p in table.get("selected_paths") or []]


def _path(p: dict[str, Any]) -> dict[str, Any]:
    keep = {k: p.get(k) for k in ("id", "label", "description", "type")}
    return {**keep, "children": [_path(c) for c in p.get("children") or []]}


def _read_nested(
    api: OrkgApi,
    snap: Snapshot,
    sources: list[str],
    paths: list[dict[str, Any]],
    *,
    workers: int,
    page_size: int,
) -> None:
    """One level of nested rows: the statements of the resources the sources reach through a selected
    path that has children (one request per distinct resource)."""
    parents = {str(p["id"]) for p in paths if p.get("children")}
    wanted = set(sources)
    objects = sorted(
        {
            st["object_id"]
            for st in snap.statements.values()
            if st["subject_id"] in wanted
            and st["predicate_id"] in parents
            and st["object_id"] in snap.resources
        },
        key=id_sort_key,
    )
    for sts in api.fetch_many(
        lambda r: list(api.statements(subject=r, size=page_size)), objects, workers=workers
    ):
        _add_statements(snap, sts)


def _check_predicates(snap: Snapshot, mapping: Mapping, host: str) -> None:
    """Resolve the mapping's predicates on what was read; ambiguity is an error listing candidates."""
    mapping.predicate_ids(snap.predicates, host)


def pinned_predicates(snap: Snapshot, mapping: Mapping, host: str) -> dict[str, str]:
    """Ontology property IRI -> the ORKG predicate id found for it (what a push writes with)."""
    found = mapping.predicate_ids(snap.predicates, host)
    return dict(sorted((pm.property, pid) for pid, pm in found.items()))
