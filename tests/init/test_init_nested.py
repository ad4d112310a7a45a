"""`init` lists nested table paths: in mapping.toml (`[[nested]]`), the ontology module, the shapes
(`sh:targetObjectsOf` the parent column) and the README; over real HTTP against the seeded R9103001
(contribution -> outcome -> value / unit -> symbol): init -> pull -> build (0 violations) -> a wrong
datatype in one nested cell -> `validate` reports exactly that cell, fast engine and pyshacl alike.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
import rdflib

from orkg_sync import export
from orkg_sync.mapping import load_mapping
from orkg_sync.namespaces import ORKG_PREDICATE, ORKG_RESOURCE, OSYNC
from orkg_sync.store import DatasetStore
from tests.init.conftest import build_pulled, run

COMPARISON = "R9103001"
BASE = "https://w3id.org/orkg-sync/r9103001/"
PROP = BASE + "property/"
OUTCOME_P, VALUE, UNIT, SYMBOL = (
    PROP + p for p in ("has-outcome", "has-outcome/value", "has-outcome/unit", "has-outcome/unit/symbol")
)
PATHS = {VALUE: "P9103001/P9103002", UNIT: "P9103001/P9103003", SYMBOL: "P9103001/P9103003/P9103004"}
OUTCOME, MMHG = "R9103012", "R9103102"  # seeds/nested_paths.json
SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")
STAMP = re.compile(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00")


@pytest.fixture
def pulled(fresh_sandbox: Any, tmp_path: Path) -> tuple[Any, Path, Path]:
    sb, defn, ws = fresh_sandbox, tmp_path / "def", tmp_path / "ws"
    proc = run(tmp_path, sb, "init", "--comparison", COMPARISON, "--out", str(defn))
    assert proc.returncode == 0, proc.stderr
    mapping = str(defn / "mapping.toml")
    proc = run(tmp_path, sb, "pull", "--comparison", COMPARISON, "--mapping", mapping, "--out", str(ws))
    assert proc.returncode == 0, proc.stderr
    return sb, defn, ws


def test_init_lists_every_nested_path(pulled: tuple[Any, Path, Path]) -> None:
    sb, defn, _ = pulled
    mapping = load_mapping(defn / "mapping.toml")
    got = {
        n.mapping.property: (n.path, n.parent, n.mapping.value_kind, n.mapping.datatype)
        for n in mapping.nested
    }
    assert got == {
        VALUE: (PATHS[VALUE], OUTCOME_P, "literal", "xsd:decimal"),
        UNIT: (PATHS[UNIT], OUTCOME_P, "resource", None),
        SYMBOL: (PATHS[SYMBOL], UNIT, "literal", "xsd:string"),
    }
    assert all(n.mapping.orkg_ids == {sb.url: n.predicate} for n in mapping.nested)
    onto = rdflib.Graph().parse(defn / "ontology.ttl")
    for prop, label, pid in (
        (VALUE, "value", "P9103002"),
        (UNIT, "unit", "P9103003"),
        (SYMBOL, "symbol", "P9103004"),
    ):
        p = rdflib.URIRef(prop)
        assert onto.value(p, rdflib.RDFS.label) == rdflib.Literal(label)
        assert onto.value(p, rdflib.URIRef(OSYNC + "orkgPredicate")) == rdflib.URIRef(ORKG_PREDICATE + pid)
        assert str(onto.value(p, rdflib.URIRef(OSYNC + "orkgPath"))) == PATHS[prop]
    shapes = rdflib.Graph().parse(defn / "shapes.ttl")
    targets = {str(o) for o in shapes.objects(None, SH.targetObjectsOf)}
    assert targets == {OUTCOME_P, UNIT}  # the outcomes, and the units the outcomes point to
    datatypes = {str(shapes.value(ps, SH.path)): str(dt) for ps, dt in shapes.subject_objects(SH.datatype)}
    assert datatypes[VALUE].endswith("#decimal") and datatypes[SYMBOL].endswith("#string")
    readme = (defn / "README.md").read_text()
    assert "## Nested columns" in readme
    assert (
        "| has outcome / unit / symbol | `P9103001/P9103003/P9103004` | literal, xsd:string | 2/2 |" in readme
    )
    assert (
        "| has outcome / value | `P9103001/P9103002` | literal, xsd:decimal | 4/5 |" in readme
    )  # one outcome has none


@pytest.mark.parametrize("variant", ["bare", "other-host-ids"])
def test_listing_the_nested_paths_changes_no_pulled_byte(
    pulled: tuple[Any, Path, Path], tmp_path: Path, variant: str
) -> None:
    """`[[nested]]` says what the generic mapping would otherwise adopt: the same pull, byte for byte; a
    listed path in another host's predicate ids is found again on this one by its property."""
    sb, defn, ws = pulled
    text = (defn / "mapping.toml").read_text()
    other = defn / f"{variant}.toml"
    if variant == "bare":
        other.write_text(text.split("\n[[nested]]")[0])
        assert not load_mapping(other).nested
    else:
        other.write_text(re.sub(r'path = "P9103001/', 'path = "P42/', text))
        assert {n.path.split("/")[0] for n in load_mapping(other).nested} == {"P42"}
    out = tmp_path / f"ws-{variant}"
    proc = run(tmp_path, sb, "pull", "--comparison", COMPARISON, "--mapping", str(other), "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    for name in ("dataset.ttl", "syncbase.json", "snapshot.json"):
        assert STAMP.sub(b"T", (ws / name).read_bytes()) == STAMP.sub(b"T", (out / name).read_bytes()), name


def _validate(root: Path, sb: Any, data: Path, mapping: Path, engine: str) -> dict[str, Any]:
    proc = run(
        root, sb, "validate", str(data), "--mapping", str(mapping), "--engine", engine, "--format", "json"
    )
    assert proc.returncode in (0, 1), proc.stderr
    return dict(json.loads(proc.stdout))


def test_build_conforms_and_a_wrong_nested_datatype_is_exactly_one_violation(
    pulled: tuple[Any, Path, Path], tmp_path: Path
) -> None:
    sb, defn, ws = pulled
    mapping = defn / "mapping.toml"
    proc = build_pulled(tmp_path, sb, ws, mapping, "--json")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["violations"] == 0
    for engine in ("fast", "pyshacl"):
        clean = _validate(tmp_path, sb, ws / "dataset.ttl", mapping, engine)
        assert clean["violations"] == 0, (engine, clean["results"])
    store = DatasetStore()
    store.load_file(ws / "dataset.ttl")
    s, p = ox.NamedNode(ORKG_RESOURCE + OUTCOME), ox.NamedNode(VALUE)
    for q in list(store.store.quads_for_pattern(s, p, None, None)):
        store.store.remove(q)
    store.store.add(ox.Quad(s, p, ox.Literal("about minus four")))  # text in a decimal-typed nested cell
    bad = tmp_path / "bad.ttl"
    bad.write_bytes(export.to_turtle(store))
    reports = {engine: _validate(tmp_path, sb, bad, mapping, engine) for engine in ("fast", "pyshacl")}
    found = {
        engine: [
            (r["focus"], r["path"], r["value"], r["component"])
            for r in rep["results"]
            if r["severity"] == "Violation"
        ]
        for engine, rep in reports.items()
    }
    cell = (f"<{ORKG_RESOURCE}{OUTCOME}>", f"<{VALUE}>", '"about minus four"', "DatatypeConstraintComponent")
    assert found["fast"] == found["pyshacl"] == [cell], found
    assert reports["fast"]["results"] == reports["pyshacl"]["results"]  # warnings too


def test_a_nested_table_with_an_unknown_parent_is_one_line(
    pulled: tuple[Any, Path, Path], tmp_path: Path
) -> None:
    sb, defn, ws = pulled
    mapping = defn / "mapping.toml"
    mapping.write_text(mapping.read_text().replace(f'parent = "{UNIT}"', f'parent = "{PROP}nowhere"'))
    proc = build_pulled(tmp_path, sb, ws, mapping)
    assert proc.returncode == 2
    (line,) = proc.stderr.strip().splitlines()
    assert line.startswith("error: ") and "nowhere is not a property listed before it" in line
