"""`init`'s shapes where a column has a template (pattern, bounds) and where it has none (the observed value
set of a resource column: a concept of its scheme). An edited dataset that breaks each is flagged by
`validate --mapping` with both engines; the pulled dataset is clean. Real sandbox, the CLI as a user runs it.
"""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest

from orkg_sync import export
from orkg_sync.namespaces import SH, SKOS
from orkg_sync.store import DatasetStore
from tests.init.conftest import run


def _init_pull(root: Path, sb: Any, comparison: str) -> tuple[Path, Path, dict[str, Any]]:
    defn, ws = root / "def", root / "ws"
    assert run(root, sb, "init", "--comparison", comparison, "--out", str(defn)).returncode == 0
    mapping = defn / "mapping.toml"
    proc = run(root, sb, "pull", "--comparison", comparison, "--mapping", str(mapping), "--out", str(ws))
    assert proc.returncode == 0, proc.stderr
    return mapping, ws / "dataset.ttl", tomllib.loads(mapping.read_text())


def _validate(root: Path, data: Path, mapping: Path, engine: str) -> tuple[int, list[dict[str, Any]]]:
    proc = run(root, None, "validate", str(data), "--mapping", str(mapping), "--engine", engine, "--json")
    assert proc.returncode in (0, 1), proc.stderr
    return proc.returncode, json.loads(proc.stdout)["results"]


def _set_one(data: Path, prop: str, value: ox.NamedNode | ox.Literal) -> str:
    """Replace the value of the first model that has ``prop`` with ``value``; that model's IRI."""
    store = DatasetStore()
    store.load_file(data)
    quads = sorted(store.store.quads_for_pattern(None, ox.NamedNode(prop), None, None), key=str)
    model = quads[0].subject
    for q in store.store.quads_for_pattern(model, ox.NamedNode(prop), None, None):
        store.store.remove(q)
    store.store.add(ox.Quad(model, ox.NamedNode(prop), value))
    data.write_bytes(export.to_turtle(store))
    return str(model)


@pytest.mark.parametrize("engine", ["fast", "pyshacl"])
def test_value_outside_the_observed_scheme_is_flagged(engine: str, tmp_path: Path, sandbox: Any) -> None:
    mapping, data, doc = _init_pull(tmp_path, sandbox, "R9102001")  # a column of shared resources
    concepts = [p for p in doc["property"] if p["rule"] == "concepts"]
    assert concepts
    code, results = _validate(tmp_path, data, mapping, engine)
    assert code == 0 and not [r for r in results if r["component"] == "SPARQLConstraintComponent"]
    prop, scheme = concepts[0]["property"], concepts[0]["options"]["scheme"]
    stranger = ox.NamedNode(scheme + "/not-in-the-scheme")
    model = _set_one(data, prop, stranger)
    code, results = _validate(tmp_path, data, mapping, engine)
    hits = [r for r in results if r["component"] == "SPARQLConstraintComponent"]
    assert [(r["focus"], r["path"], r["value"], r["severity"]) for r in hits] == [
        (model, f"<{prop}>", str(stranger), "Warning")
    ]
    shapes = ox.Store()
    shapes.load(path=str(mapping.parent / "shapes.ttl"), format=ox.RdfFormat.TURTLE)
    selects = [q.object.value for q in shapes.quads_for_pattern(None, ox.NamedNode(SH + "select"), None)]
    assert any(f"<{SKOS}inScheme> <{scheme}>" in s for s in selects)


@pytest.mark.parametrize("engine", ["fast", "pyshacl"])
def test_template_bounds_and_pattern_reach_init_shapes(engine: str, tmp_path: Path, sandbox: Any) -> None:
    mapping, data, doc = _init_pull(tmp_path, sandbox, "R9104001")  # contributions of a templated class
    code, results = _validate(tmp_path, data, mapping, engine)
    assert code == 0 and not [r for r in results if r["severity"] == "Violation"]
    by_label = {p["orkg_label"]: p["property"] for p in doc["property"]}
    xsd_decimal = ox.NamedNode("http://www.w3.org/2001/XMLSchema#decimal")
    over = _set_one(data, by_label["power conversion efficiency"], ox.Literal("120.5", datatype=xsd_decimal))
    two_lines = _set_one(data, by_label["remark"], ox.Literal("first line\nsecond line"))
    code, results = _validate(tmp_path, data, mapping, engine)
    assert code == 1
    got = {(r["focus"], r["component"]) for r in results if r["severity"] == "Violation"}
    assert got == {(over, "MaxInclusiveConstraintComponent"), (two_lines, "PatternConstraintComponent")}


def test_init_shapes_follow_the_table_order(tmp_path: Path, sandbox: Any) -> None:
    mapping, _, doc = _init_pull(tmp_path, sandbox, "R9104001")
    position = {p["property"]: i for i, p in enumerate(doc["property"], start=1)}
    shapes = ox.Store()
    shapes.load(path=str(mapping.parent / "shapes.ttl"), format=ox.RdfFormat.TURTLE)
    paths = list(shapes.quads_for_pattern(None, ox.NamedNode(SH + "path"), None))
    assert len(paths) > len(position)
    for q in paths:
        orders = [
            o.object.value for o in shapes.quads_for_pattern(q.subject, ox.NamedNode(SH + "order"), None)
        ]
        assert orders == [str(position.get(q.object.value, 0))], q.subject
