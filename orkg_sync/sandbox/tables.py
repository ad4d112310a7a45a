"""Comparison tables: row paths, the live table of a head, and its CSV rendering.

Follows the reference (orkg-api.md 6.4): rows are the stored ``selected_paths``; each source's
outgoing statements are followed level by level; values of several sources share a row index
when that column is still empty or holds the same thing.
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
            if obj is not None and obj["_class"] == "resource":
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
        if pred is None or pred["_class"] != "predicate":
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


def live_contents(store: Store, sources: list[str], selected_paths: list[Json]) -> Json:
    titles: list[Json | None] = []
    subtitles: list[Json | None] = []
    for src in sources:
        thing = store.thing(src)
        papers = [st["subject_id"] for st in store.find_statements(p="P31", o=src)]
        paper = store.thing(papers[0]) if papers else None
        if paper is not None and thing is not None:
            titles.append(thing_ref(paper))
            subtitles.append(thing_ref(thing))
        else:
            titles.append(thing_ref(thing) if thing else None)
            subtitles.append(None)

    def rows_for(path: Json, subjects: list[str | None]) -> list[Json]:
        rows: list[dict[str, Any]] = []
        for col, subject in enumerate(subjects):
            if subject is None:
                continue
            for obj in _objects(store, subject, path["id"]):
                target = None
                for row in rows:
                    cell = row["objs"][col]
                    if cell is None or cell["id"] == obj["id"]:
                        target = row
                        break
                if target is None:
                    target = {"objs": [None] * len(subjects)}
                    rows.append(target)
                target["objs"][col] = obj
        out = []
        for row in rows:
            children: Json = {}
            for child in path.get("children") or []:
                nxt = [o["id"] if o is not None and o["_class"] == "resource" else None for o in row["objs"]]
                child_rows = [r for r in rows_for(child, nxt) if any(v is not None for v in r["values"])]
                if child_rows:
                    children[child["id"]] = child_rows
            out.append(
                {
                    "values": [thing_ref(o) if o is not None else None for o in row["objs"]],
                    "children": children,
                }
            )
        return out

    values = {p["id"]: rows_for(p, list(sources)) for p in selected_paths}
    return {"selected_paths": selected_paths, "titles": titles, "subtitles": subtitles, "values": values}


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
