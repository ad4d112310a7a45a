"""The generic mapping underneath the curated one: every column the mapping file does not name.

A column is an ORKG predicate on the comparison's sources: the selected table paths when the
snapshot holds the comparison's table, else every predicate the sources use. Each unmapped one gets a
property of its own (``<base>property/<slug of the ORKG label>``), a rule chosen from what the column
holds (typed literals by their ORKG datatype, resources as ORKG IRIs), and is pinned to its predicate id
for the snapshot's host, so that it resolves the same way in diff and push. A selected path with children
under a resource column is a nested table row, followed to any depth (``NestedColumn``): its values are
stated on the ORKG resources the parent cells reach.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from orkg_sync.mapping.rules import RULES, rule_for_datatype
from orkg_sync.mapping.terms import slug
from orkg_sync.snapshot import Snapshot, id_sort_key

if TYPE_CHECKING:
    from orkg_sync.mapping.config import Mapping, PropertyMapping


def live_sources(snapshot: Snapshot, comparison_id: str) -> list[str]:
    """The live sources: the head's when the snapshot has them (a published version is frozen; sync
    works on its head), else the comparison's own."""
    head = str(snapshot.comparison.get("head_id") or comparison_id)
    found = snapshot.sources_of(head) or snapshot.sources_of(comparison_id)
    return sorted(set(found), key=id_sort_key)


def selected_paths(snapshot: Snapshot) -> list[dict[str, Any]] | None:
    """The comparison's selected table paths (head first), or None when the snapshot has no table."""
    for cid in (snapshot.comparison.get("head_id"), snapshot.comparison.get("id")):
        table = snapshot.comparison_tables.get(str(cid)) if cid else None
        if table and isinstance(table.get("selected_paths"), list):
            return list(table["selected_paths"])
    return None


def column_objects(snapshot: Snapshot, sources: list[str]) -> dict[str, list[dict[str, Any]]]:
    """ORKG predicate id -> the object things of the sources' statements with it (statement order)."""
    wanted = set(sources)
    out: dict[str, list[dict[str, Any]]] = {}
    for sid in sorted(snapshot.statements, key=id_sort_key):
        st = snapshot.statements[sid]
        if st["subject_id"] in wanted:
            obj = snapshot.literals.get(st["object_id"]) or snapshot.resources.get(st["object_id"])
            out.setdefault(st["predicate_id"], []).append(obj or {})
    return out


def generic_columns(snapshot: Snapshot, mapping: Mapping, base: str) -> list[PropertyMapping]:
    """Property mappings for the snapshot's columns that ``mapping`` does not resolve yet."""
    host = str(snapshot.source.get("host") or "")
    resolved = mapping.predicate_ids(snapshot.predicates, host)
    comparison_id = str(snapshot.comparison.get("id") or mapping.comparison)
    objects = column_objects(snapshot, live_sources(snapshot, comparison_id))
    paths = selected_paths(snapshot)
    pids = [str(p["id"]) for p in paths] if paths is not None else sorted(objects, key=id_sort_key)
    taken = {pm.property for pm in mapping.properties}
    out: list[PropertyMapping] = []
    for pid in pids:
        if pid in resolved or pid not in objects:
            continue
        label = str((snapshot.predicates.get(pid) or {}).get("label") or pid)
        prop = f"{base}property/{slug(label) or pid.lower()}"
        if prop in taken:
            prop = f"{prop}-{pid.lower()}"
        taken.add(prop)
        out.append(_generic_column(prop, label, host, pid, objects[pid]))
    return out


def _generic_column(
    prop: str, label: str, host: str, pid: str, objects: list[dict[str, Any]]
) -> PropertyMapping:
    """A column no mapping names: its own property, the rule that fits its observed values."""
    from orkg_sync.mapping.config import PropertyMapping  # config imports this module

    kind, datatype, rule = guess_column(objects)
    return PropertyMapping(
        property=prop,
        orkg_label=label,
        orkg_ids={host: pid},
        value_kind=kind,
        datatype=datatype,
        orkg_class=None,
        rule=RULES[rule](),
        annotation_key=None,
        generic=True,
    )


def guess_column(objects: list[dict[str, Any]]) -> tuple[str, str | None, str]:
    """(value kind, ORKG datatype, rule name) of a column from its objects: faithful, not clever."""
    literals = [o for o in objects if o.get("_class") == "literal"]
    if len(literals) * 2 < len(objects) or not literals:
        return "resource", None, "resource"
    datatypes = Counter(str(o.get("datatype") or "xsd:string") for o in literals)
    datatype = sorted(datatypes.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
    return "literal", datatype, rule_for_datatype(datatype)


def reached_resources(snapshot: Snapshot, sources: list[str]) -> dict[str, list[str]]:
    """Table path (ORKG predicate ids joined by "/") -> the ORKG resources the sources reach through it,
    for every selected path with children, at any depth: the subjects of the path's child rows."""
    index: dict[tuple[str, str], list[str]] = {}
    for sid in sorted(snapshot.statements, key=id_sort_key):
        st = snapshot.statements[sid]
        if st["object_id"] in snapshot.resources:
            index.setdefault((st["subject_id"], st["predicate_id"]), []).append(st["object_id"])
    out: dict[str, list[str]] = {}

    def walk(nodes: list[dict[str, Any]], prefix: str, subjects: list[str]) -> None:
        for node in nodes:
            if not node.get("children"):
                continue
            pid, path = str(node["id"]), f"{prefix}{node['id']}"
            found = {o for s in subjects for o in index.get((s, pid), [])}
            out[path] = sorted(found | set(out.get(path, [])), key=id_sort_key)
            walk(node["children"], f"{path}/", out[path])

    walk(selected_paths(snapshot) or [], "", sources)
    return out


def nested_columns(
    snapshot: Snapshot, by_pid: dict[str, PropertyMapping], known: set[str]
) -> list[NestedColumn]:
    """Nested table rows (a path ``parent/child[/grandchild...]`` of the selected paths) under a resource
    column, at any depth, except the paths in ``known``: the child values are stated on the parent's
    ORKG resources, so the path is kept in the graph (``<parent property>/<slug of the child label>``)."""
    tops = [p for p in selected_paths(snapshot) or [] if p.get("children")]
    if not tops:
        return []
    host = str(snapshot.source.get("host") or "")
    comparison_id = str(snapshot.comparison.get("id") or "")
    reached = reached_resources(snapshot, live_sources(snapshot, comparison_id))
    out: list[NestedColumn] = []

    def walk(nodes: list[dict[str, Any]], prefix: str, parent: PropertyMapping) -> None:
        path = f"{prefix}{parent.orkg_ids.get(host, '')}"
        objects = column_objects(snapshot, reached.get(path, []))
        taken: set[str] = set()
        for child in nodes:
            cid = str(child["id"])
            if cid not in objects:
                continue
            label = str((snapshot.predicates.get(cid) or {}).get("label") or cid)
            prop = f"{parent.property}/{slug(label) or cid.lower()}"
            prop = f"{prop}-{cid.lower()}" if prop in taken else prop
            taken.add(prop)
            pm = _generic_column(prop, label, host, cid, objects[cid])
            if f"{path}/{cid}" not in known:
                out.append(NestedColumn(f"{path}/{cid}", path, parent.property, pm))
            if child.get("children") and pm.value_kind == "resource":
                walk(child["children"], f"{path}/", pm)

    for top in tops:
        parent = by_pid.get(str(top["id"]))
        if parent is not None and parent.value_kind == "resource":
            walk(top["children"], "", _pinned(parent, host, str(top["id"])))
    return out


def _pinned(pm: PropertyMapping, host: str, pid: str) -> PropertyMapping:
    """The parent column with its predicate id for ``host`` (a curated one may be resolved by label)."""
    from dataclasses import replace

    return pm if pm.orkg_ids.get(host) == pid else replace(pm, orkg_ids={**pm.orkg_ids, host: pid})


@dataclass
class NestedColumn:
    """One nested table row: the values of ``mapping``'s ORKG predicate on the resources the sources
    reach through ``parent_path`` (whose last step is the column ``parent``)."""

    path: str  # ORKG predicate ids from the source to the value, joined by "/"
    parent_path: str  # the path without its last step: where the subjects are reached
    parent: str  # property IRI of the column one level up (top-level or nested)
    mapping: PropertyMapping

    @property
    def predicate(self) -> str:
        return self.path.rsplit("/", 1)[-1]

    @property
    def depth(self) -> int:
        return self.path.count("/") + 1
