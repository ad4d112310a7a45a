"""Read a comparison from ORKG into an ORKG-native snapshot in a constant number of requests.

Requests: the comparison (comparison.v3); the head's selected table paths (which predicates are the
comparison's rows, and how deep nested rows go); one bundle (``GET /api/statements/{id}/bundle``) of
the comparison and, when it is a published version, of its head, fetched concurrently: the
``compareContribution`` links, every value of every source and, with ``max_level`` one deeper per
level of nested table paths, the statements of every nested resource, with subjects, predicates and
objects inlined; the paper's ``hasContribution`` link. That is 4 or 5 requests whatever the number of
sources, nested resources or levels.

Where the bundle cannot be used (the deprecated endpoint is gone, times out, answers something that is
not a bundle, or misses a source the comparison lists), the reader falls back to the per-source reads:
the ``compareContribution`` statements of the comparison and head, one statements page per source
(concurrently over the pooled session), the paper link: N + 4 requests, plus one per distinct resource
reached through a nested table path. Both give the same snapshot.
The naive way (one GET per statement and per object) costs ~10 requests per source.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from orkg_sync.client.api import OrkgApi
from orkg_sync.client.errors import BadRequest, BadResponse, NotFound, RemoteUnavailable
from orkg_sync.errors import InputError
from orkg_sync.mapping import Mapping
from orkg_sync.namespaces import COMPARE_CONTRIBUTION, HAS_CONTRIBUTION
from orkg_sync.snapshot import FORMAT, Snapshot, id_sort_key

COMPARE = COMPARE_CONTRIBUTION
NESTED = ("subject", "predicate", "object")
BUNDLE_LEVELS = 2  # comparison -> sources -> values: all a table without nested paths needs
# What makes the bundle unusable (then the per-source reads run): the route is gone (404/405/410 map to
# NotFound/BadRequest), it gives up or times out on a large comparison, or the body is not a bundle.
BUNDLE_FALLBACK = (NotFound, BadRequest, BadResponse, RemoteUnavailable)
log = logging.getLogger("orkg_sync.pull")
Progress = Callable[[int], None]
Statements = list[dict[str, Any]]
# subject -> its statements, for every subject the bundle holds completely; None when it was not read
Known = dict[str, Statements] | None


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
    progress: Progress | None = None,
    bundle: bool = True,
) -> Snapshot:
    """The comparison, its sources and the statements the mapping reads, as a Snapshot.

    ``progress`` is called with the number of statements received so far. ``bundle=False`` forces
    the per-source reads (N + 4 requests; ``page_size`` and ``workers`` apply to them only).
    """
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
    roots = sorted({comparison_id, head_id})
    paths = _selected_paths(api, head_id)  # read first: how deep the bundle must go
    levels = bundle_levels(paths)
    read = _read_by_bundle(api, roots, _listed_sources(comp), progress, levels) if bundle else None
    if read is None:
        links, values = _read_per_source(api, roots, workers, page_size, progress)
        known: Known = None
    else:
        links, values, known = read
    _add_statements(snap, links)
    for cid in roots:  # the comparison resources themselves, if no statement carried them
        if cid not in snap.resources:
            snap.add_thing(api.resource(cid))
    sources = sorted({st["object"]["id"] for st in links}, key=id_sort_key)
    if not sources:
        raise InputError(f"comparison {comparison_id} has no sources (contributions) to pull")
    _add_statements(snap, values)
    paper_links = list(api.statements(obj=sources[0], predicate=HAS_CONTRIBUTION, size=page_size))
    _add_statements(snap, paper_links)
    if paths is not None:
        snap.comparison_tables[head_id] = {"selected_paths": paths}
        reads = Nested(api, known, levels, workers=workers, page_size=page_size)
        _read_nested(snap, sources, paths, reads)
    _check_predicates(snap, mapping, host)
    return snap


def _listed_sources(comp: dict[str, Any]) -> set[str]:
    """The sources the comparison representation names (``sources`` of type THING)."""
    listed = comp.get("sources") or []
    return {str(x["id"]) for x in listed if isinstance(x, dict) and x.get("type", "THING") == "THING"}


def _well_formed(st: Any) -> bool:
    return isinstance(st, dict) and "id" in st and all(isinstance(st.get(k), dict) for k in NESTED)


def bundle_levels(paths: list[dict[str, Any]] | None) -> int:
    """The bundle's ``max_level``: comparison -> source is level 1, a source's values level 2, and
    each level of nested table paths one more (R9103001: outcome -> unit -> symbol, 4)."""

    def depth(nodes: list[dict[str, Any]]) -> int:
        return max((1 + depth(n.get("children") or []) for n in nodes), default=0)

    return max(BUNDLE_LEVELS, 1 + depth(paths or []))


def _read_by_bundle(
    api: OrkgApi, roots: list[str], listed: set[str], progress: Progress | None, levels: int
) -> tuple[Statements, Statements, dict[str, Statements]] | None:
    """(links, values, statements by subject) from one bundle per root, or None when the bundle
    cannot be trusted.

    The bundle holds more than the mapping reads (authors, research field, versions): only the
    ``compareContribution`` links of the roots and the statements whose subject is a source are kept,
    exactly what the per-source reads return; the nested rows are picked from the rest by
    :class:`Nested`.
    """
    received = 0

    def one(root: str) -> list[dict[str, Any]]:
        nonlocal received
        sts = api.bundle(root, max_level=levels)
        received += len(sts)
        if progress is not None:
            progress(received)
        return sts

    try:
        bundles = api.fetch_many(one, roots)
    except BUNDLE_FALLBACK as err:
        log.info("bundle unusable (%s); reading the sources one by one", err)
        return None
    every = {st["id"]: st for sts in bundles for st in sts if _well_formed(st)}
    if len(every) != len({st.get("id") for sts in bundles for st in sts if isinstance(st, dict)}):
        log.info("bundle has malformed statements; reading the sources one by one")
        return None
    wanted = set(roots)
    links = [
        st for st in every.values() if st["subject"]["id"] in wanted and st["predicate"]["id"] == COMPARE
    ]
    sources = {st["object"]["id"] for st in links}
    if not listed <= sources:
        log.info("bundle misses %d listed sources; reading them one by one", len(listed - sources))
        return None
    values = [st for st in every.values() if st["subject"]["id"] in sources]
    by_subject: dict[str, Statements] = {}
    for st in every.values():
        by_subject.setdefault(st["subject"]["id"], []).append(st)
    return links, values, by_subject


def _read_per_source(
    api: OrkgApi, roots: list[str], workers: int, page_size: int, progress: Progress | None
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(links, values) with one statements listing per root and per source (N + 2 requests)."""
    found = api.fetch_many(
        lambda cid: list(api.statements(subject=cid, predicate=COMPARE, size=page_size)), roots
    )
    links = [st for sts in found for st in sts]
    sources = sorted({st["object"]["id"] for st in links}, key=id_sort_key)
    received = 0

    def one(contribution: str) -> list[dict[str, Any]]:
        nonlocal received
        out = list(api.statements(subject=contribution, size=page_size))
        received += len(out)
        if progress is not None:
            progress(received)
        return out

    values = [st for sts in api.fetch_many(one, sources, workers=workers) for st in sts]
    return links, values


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


class Nested:
    """The statements of the resources nested table paths reach: from the bundle where it holds them
    completely, otherwise one statements listing per resource (read once).

    The bundle is a breadth-first walk of ``levels`` levels (the backend's ``apoc.path.subgraphAll``):
    a thing first reached at distance d < ``levels`` has every outgoing statement in it. A resource
    reached at path depth j (a source's value is depth 1) is at distance <= 1 + j, so the bundle answers
    for it when 1 + j < ``levels``; a resource that has no statement there has none, unless no resource
    of its level has one (then that level is read resource by resource: the bundle was cut short).
    """

    def __init__(self, api: OrkgApi, known: Known, levels: int, *, workers: int, page_size: int) -> None:
        self.api, self.known, self.levels = api, known, levels
        self.workers, self.page_size = workers, page_size
        self.requests = 0  # per-resource listings run (0 when the bundle answered every level)

    def read(self, resources: list[str], depth: int) -> list[Statements]:
        if self.known is not None and 1 + depth < self.levels:
            got = [self.known.get(r, []) for r in resources]
            if not resources or any(got):
                return got
            # not one statement of a whole level: a backend that capped or ignored max_level
            log.info("bundle has no statement of the %d nested resources at depth %d", len(got), depth)
        self.requests += len(resources)
        return self.api.fetch_many(
            lambda r: list(self.api.statements(subject=r, size=self.page_size)),
            resources,
            workers=self.workers,
        )


def _read_nested(snap: Snapshot, sources: list[str], paths: list[dict[str, Any]], reads: Nested) -> None:
    """Nested rows to any depth the selected paths go: level by level, the statements of the resources
    reached through a path that has children (each distinct resource once)."""
    level: list[tuple[list[str], list[dict[str, Any]]]] = [(sources, paths)]
    seen, depth = set(sources), 1
    while level:
        index = _objects_by_cell(snap)
        reached: dict[str, list[dict[str, Any]]] = {}  # resource -> the child paths to follow from it
        for subjects, nodes in level:
            for node in nodes:
                if not node.get("children"):
                    continue
                for r in {o for s in subjects for o in index.get((s, str(node["id"])), [])}:
                    reached.setdefault(r, []).extend(node["children"])
        todo = sorted((r for r in reached if r not in seen), key=id_sort_key)
        for sts in reads.read(todo, depth):
            _add_statements(snap, sts)
        seen.update(todo)
        depth += 1
        level = [
            ([r], nodes) for r, nodes in sorted(reached.items()) if any(n.get("children") for n in nodes)
        ]


def _objects_by_cell(snap: Snapshot) -> dict[tuple[str, str], list[str]]:
    """(subject, predicate) -> the resources it points to (what a table path follows)."""
    out: dict[tuple[str, str], list[str]] = {}
    for st in snap.statements.values():
        if st["object_id"] in snap.resources:
            out.setdefault((st["subject_id"], st["predicate_id"]), []).append(st["object_id"])
    return out


def _check_predicates(snap: Snapshot, mapping: Mapping, host: str) -> None:
    """Resolve the mapping's predicates on what was read; ambiguity is an error listing candidates."""
    mapping.predicate_ids(snap.predicates, host)


def pinned_predicates(snap: Snapshot, mapping: Mapping, host: str) -> dict[str, str]:
    """Ontology property IRI -> the ORKG predicate id found for it (what a push writes with)."""
    found = mapping.predicate_ids(snap.predicates, host)
    return dict(sorted((pm.property, pid) for pid, pm in found.items()))
