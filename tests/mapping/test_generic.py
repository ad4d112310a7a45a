"""The generic mapping: columns the mapping file does not name are still exported, typed and pinned."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from orkg_sync.mapping import load_mapping, snapshot_to_rdf
from orkg_sync.namespaces import ORKG_PREDICATE, ORKG_RESOURCE, OSYNC, RDFS_LABEL, XSD
from orkg_sync.snapshot import FORMAT, Snapshot

BASE = "http://example.org/g/"
MAPPING = """
[mapping]
name = "generic"
comparison = "R1"
ontology = []

[[property]]
property = "http://example.org/g/year"
orkg_label = "year"
value_kind = "literal"
datatype = "xsd:integer"
rule = "integer"
"""
COLUMNS = {  # predicate id -> (label, [(object label, datatype or None for a resource)])
    "P1": ("year", [("2020", "xsd:integer")]),
    "P2": ("accuracy", [("0.91", "xsd:decimal")]),
    "P3": ("released on", [("2021-03-04", "xsd:date")]),
    "P4": ("open source", [("true", "xsd:boolean")]),
    "P5": ("homepage", [("https://example.org/m", "xsd:anyURI")]),
    "P6": ("notes", [("n/a", "xsd:string")]),
    "P7": ("task", [("Question answering", None)]),
    "P8": ("Accuracy", [("abc", "xsd:integer")]),  # the same slug as P2, and a label that does not fit
}


def snapshot() -> Snapshot:
    lits, res, sts = [], [{"_class": "resource", "id": "R1", "label": "C"}], []
    res.append({"_class": "resource", "id": "R2", "label": "Model A"})
    sts.append({"id": "S0", "subject_id": "R1", "predicate_id": "compareContribution", "object_id": "R2"})
    for i, (pid, (_, values)) in enumerate(COLUMNS.items()):
        for label, dt in values:
            oid = f"L{i}" if dt else f"R{100 + i}"
            if dt:
                lits.append({"_class": "literal", "id": oid, "label": label, "datatype": dt})
            else:
                res.append({"_class": "resource", "id": oid, "label": label})
            sts.append({"id": f"S{i + 1}", "subject_id": "R2", "predicate_id": pid, "object_id": oid})
    doc = {
        "format": FORMAT,
        "source": {"host": "http://h", "comparison_id": "R1"},
        "comparison": {"id": "R1"},
        "predicates": [{"_class": "predicate", "id": p, "label": lab} for p, (lab, _) in COLUMNS.items()],
        "resources": res,
        "literals": lits,
        "statements": sts,
    }
    return Snapshot.from_json(doc)


def test_every_unmapped_column_is_exported_typed(tmp_path: Path) -> None:
    (tmp_path / "m.toml").write_text(MAPPING)
    mapping = load_mapping(tmp_path / "m.toml")
    res = snapshot_to_rdf(snapshot(), mapping, base=BASE)
    model = ox.NamedNode(BASE + "model/model-a")
    got = {(q.predicate.value, q.object) for q in res.quads if q.subject == model}
    xsd = {k: ox.NamedNode(XSD + k) for k in ("integer", "decimal", "date", "boolean", "anyURI")}
    assert (BASE + "year", ox.Literal("2020", datatype=xsd["integer"])) in got  # the mapped one
    assert (BASE + "property/accuracy", ox.Literal("0.91", datatype=xsd["decimal"])) in got
    assert (BASE + "property/released-on", ox.Literal("2021-03-04", datatype=xsd["date"])) in got
    assert (BASE + "property/open-source", ox.Literal("true", datatype=xsd["boolean"])) in got
    assert (BASE + "property/homepage", ox.Literal("https://example.org/m", datatype=xsd["anyURI"])) in got
    assert (BASE + "property/notes", ox.Literal("n/a")) in got  # strings are kept exactly
    assert (BASE + "property/task", ox.NamedNode(ORKG_RESOURCE + "R106")) in got
    assert (BASE + "property/accuracy-p8", ox.Literal("abc")) in got  # did not fit: plain, warned
    task = ox.NamedNode(ORKG_RESOURCE + "R106")
    assert ox.Quad(task, ox.NamedNode(RDFS_LABEL), ox.Literal("Question answering")) in res.quads


def test_generic_properties_are_declared_and_warned_once(tmp_path: Path) -> None:
    (tmp_path / "m.toml").write_text(MAPPING)
    mapping = load_mapping(tmp_path / "m.toml")
    res = snapshot_to_rdf(snapshot(), mapping, base=BASE)
    prop = ox.NamedNode(BASE + "property/released-on")
    assert ox.Quad(prop, ox.NamedNode(RDFS_LABEL), ox.Literal("released on")) in res.quads
    link = ox.Quad(prop, ox.NamedNode(OSYNC + "orkgPredicate"), ox.NamedNode(ORKG_PREDICATE + "P3"))
    assert link in res.quads
    column_warnings = [w for w in res.warnings if "not in the mapping" in w.message]
    assert sorted(w.property.rsplit("/", 1)[-1] for w in column_warnings) == [
        "accuracy",
        "accuracy-p8",
        "homepage",
        "notes",
        "open-source",
        "released-on",
        "task",
    ]
    again = snapshot_to_rdf(snapshot(), mapping, base=BASE)  # adopting twice adds nothing
    assert len([w for w in again.warnings if "not in the mapping" in w.message]) == 7
    assert len(mapping.properties) == 8
    assert sorted(again.quads, key=str) == sorted(res.quads, key=str)


def test_selected_table_paths_decide_the_columns(tmp_path: Path) -> None:
    (tmp_path / "m.toml").write_text(MAPPING)
    snap = snapshot()
    snap.comparison_tables["R1"] = {
        "selected_paths": [{"id": "P1", "children": []}, {"id": "P7", "children": []}]
    }
    res = snapshot_to_rdf(snap, load_mapping(tmp_path / "m.toml"), base=BASE)
    props = {q.predicate.value for q in res.quads if q.subject.value == BASE + "model/model-a"}
    assert BASE + "property/task" in props
    assert BASE + "property/accuracy" not in props  # not a row of the comparison's table


def test_nested_rows_are_kept_as_a_path(tmp_path: Path) -> None:
    (tmp_path / "m.toml").write_text(MAPPING)
    snap = snapshot()
    snap.predicates["P20"] = {"_class": "predicate", "id": "P20", "label": "score"}
    snap.literals["L20"] = {"_class": "literal", "id": "L20", "label": "71.5", "datatype": "xsd:decimal"}
    snap.statements["S20"] = {"id": "S20", "subject_id": "R106", "predicate_id": "P20", "object_id": "L20"}
    task = {"id": "P7", "children": [{"id": "P20", "children": []}]}
    snap.comparison_tables["R1"] = {"selected_paths": [task]}
    res = snapshot_to_rdf(snap, load_mapping(tmp_path / "m.toml"), base=BASE)
    child = ox.NamedNode(BASE + "property/task/score")
    value = ox.Literal("71.5", datatype=ox.NamedNode(XSD + "decimal"))
    assert (
        ox.Quad(ox.NamedNode(ORKG_RESOURCE + "R106"), child, value) in res.quads
    )  # model -task-> R106 -score-> 71.5
    assert ox.Quad(child, ox.NamedNode(OSYNC + "orkgPath"), ox.Literal("P7/P20")) in res.quads
