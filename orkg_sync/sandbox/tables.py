"""Comparison tables: row paths, the live table of a head, and its CSV rendering.

Follows the backend (content-types-core-model ``ComparisonTable.kt`` and the Neo4j comparison
adapter): rows are the stored ``selected_paths``, each starting as one all-null row; each source's
outgoing statements are followed level by level into any Thing; a source's values of one path are
sorted by lower-cased label; values of several sources share a row when that column is still empty
or holds the same thing; all-null child rows are dropped.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from orkg_sync.sandbox.db import Json, Store

MAX_DEPTH = 10


def thing_ref(thing: Json) -> Json:
    """Cell reference of a thing; literal ids are masked as in the backend."""
    kind = thing["_class"]
    if kind == "literal":
        return {"id": None, "label": thing["label"], "datatype": thing["datatype"], "_class": "literal_ref"}
    ref: Json = {"id": thing["id"], "label": thing["label"]}
    if kind == "resource":
        ref.update({"classes": thing["classes"], "uri": thing.get("uri"), "_class": "resource_ref"})
    else:
        ref.update({"uri": thing.get("uri"), "_class": f"{kind}_ref"})
    return ref


def _objects(store: Store, subject: str, predicate: str) -> list[Json]:
    out = []
    for st in store.find_statements(s=subject, p=predicate):
        obj = store.thing(st["object_id"])
        if obj is not None:
            out.append(obj)
    return out


def table_paths(store: Store, sources: list[str]) -> list[Json]:
    """Every outgoing predicate path of the sources (depth <= 10) with the number of sources having it."""
    tree: dict[str, Any] = {}

    def walk(node: dict[str, Any], subject: str, src: str, depth: int, seen: frozenset[str]) -> None:
        if depth > MAX_DEPTH or subject in seen:
            return
        for st in store.find_statements(s=subject):
            entry = node.setdefault(st["predicate_id"], {"sources": set(), "children": {}})
            entry["sources"].add(src)
            obj = store.thing(st["object_id"])
            if obj is not None and obj["_class"] != "literal":  # any Thing ("+Thing" label filter)
                walk(entry["children"], obj["id"], src, depth + 1, seen | {subject})

    for src in sources:
        walk(tree, src, src, 1, frozenset())

    def render(node: dict[str, Any]) -> list[Json]:
        out = []
        for pid, entry in node.items():
            pred = store.thing(pid) or {"label": pid, "description": None}
            out.append(
                {
                    "id": pid,
                    "label": pred.get("label"),
                    "description": pred.get("description"),
                    "sources": len(entry["sources"]),
                    "type": "PREDICATE",
                    "children": render(entry["children"]),
                }
            )
        return out

    return render(tree)


def initial_paths(store: Store, sources: list[str]) -> list[Json]:
    """Pre-selection on comparison create: every path found in at least two sources."""

    def keep(paths: list[Json]) -> list[Json]:
        return [
            {k: v for k, v in p.items() if k != "sources"} | {"children": keep(p["children"])}
            for p in paths
            if p["sources"] >= 2
        ]

    return keep(table_paths(store, sources))


def fill_labels(store: Store, paths: list[Json]) -> list[Json] | str:
    """Server-side labels for PUT .../contents; returns the first unknown predicate id instead."""
    out = []
    for p in paths:
        pred = store.thing(p["id"])
        if pred is None:  # any thing id is accepted as a path (ComparisonTableService.update)
            return str(p["id"])
        children = fill_labels(store, p.get("children") or [])
        if isinstance(children, str):
            return children
        out.append(
            {
                "id": pred["id"],
                "label": pred["label"],
                "description": pred.get("description"),
                "type": p.get("type", "PREDICATE"),
                "children": children,
            }
        )
    return out


def _column_values(store: Store, subject: str, paths: list[Json]) -> dict[str, list[Json]]:
    """One column's values per selected path: each object (any Thing) with its own child values,
    sorted by lower-cased label (SpringDataNeo4jComparisonAuxiliaryAdapter.toMap)."""
    out: dict[str, list[Json]] = {}
    for path in paths:
        values = [
            {"thing": obj, "children": _column_values(store, obj["id"], path.get("children") or [])}
            for obj in _objects(store, subject, path["id"])
        ]
        if values:
            out[path["id"]] = sorted(values, key=lambda v: str(v["thing"]["label"]).lower())
    return out


def _proto_rows(paths: list[Json], columns: int) -> dict[str, list[Json]]:
    """One all-null row per path, with the same for its children (ComparisonTable.createChildRow)."""
    return {
        p["id"]: [{"values": [None] * columns, "children": _proto_rows(p.get("children") or [], columns)}]
        for p in paths
    }


def _insert(rows: list[Json], values: list[Json], col: int, paths: list[Json], columns: int) -> None:
    """A row is reused when its cell in this column is empty or holds the same thing, else appended."""
    for value in values:
        thing = value["thing"]
        target = next(
            (r for r in rows if r["values"][col] is None or r["values"][col]["id"] == thing["id"]), None
        )
        if target is None:
            target = {"values": [None] * columns, "children": _proto_rows(paths, columns)}
            rows.append(target)
        target["values"][col] = thing
        for child in paths:
            if value["children"].get(child["id"]):
                sub = child.get("children") or []
                _insert(target["children"][child["id"]], value["children"][child["id"]], col, sub, columns)


def _build(row: Json) -> Json:
    """Cell refs; child rows that are all null and child paths left empty are dropped."""
    children = {}
    for pid, rows in row["children"].items():
        kept = [_build(r) for r in rows if any(v is not None for v in r["values"])]
        if kept:
            children[pid] = kept
    return {"values": [thing_ref(v) if v is not None else None for v in row["values"]], "children": children}


def live_contents(store: Store, sources: list[str], selected_paths: list[Json]) -> Json:
    """The live table (ComparisonTable.from): titles, subtitles and rows packed per column."""
    titles: list[Json | None] = []
    subtitles: list[Json | None] = []
    columns = len(sources)
    table = _proto_rows(selected_paths, columns)
    by_id = {p["id"]: p for p in selected_paths}
    for col, src in enumerate(sources):
        thing = store.thing(src)
        papers = [st["subject_id"] for st in store.find_statements(p="P31", o=src)]
        paper = store.thing(papers[0]) if papers else None
        title = paper if paper is not None else thing
        titles.append(thing_ref(title) if title is not None else None)
        subtitles.append(thing_ref(thing) if paper is not None and thing is not None else None)
        for pid, values in _column_values(store, src, selected_paths).items():
            _insert(table[pid], values, col, by_id[pid].get("children") or [], columns)
    rows = {pid: [_build(r) for r in proto] for pid, proto in table.items()}
    return {"selected_paths": selected_paths, "titles": titles, "subtitles": subtitles, "values": rows}


def contents_csv(contents: Json, *, transposed: bool = False) -> str:
    """Header `Properties` + column titles; one line per row value; nested rows `parent - child`."""
    header = ["Properties"]
    for title, sub in zip(contents["titles"], contents["subtitles"], strict=False):
        if title and sub:
            header.append(f"{title['label']} - {sub['label']}")
        else:
            header.append(title["label"] if title else "")
    lines: list[list[str]] = []
    labels = {}

    def index(paths: list[Json]) -> None:
        for p in paths:
            labels[p["id"]] = p.get("label") or p["id"]
            index(p.get("children") or [])

    index(contents["selected_paths"])

    def emit(values: Json, prefix: str) -> None:
        for pid, rows in values.items():
            name = f"{prefix} - {labels.get(pid, pid)}" if prefix else labels.get(pid, pid)
            for row in rows:
                lines.append([name] + [v["label"] if v else "" for v in row["values"]])
                emit(row["children"], name)

    emit(contents["values"], "")
    table = [header, *lines]
    if transposed:
        table = [list(col) for col in zip(*table, strict=False)]
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(table)
    return buf.getvalue()
