"""init on every seeded comparison of the sandbox, then pull -> build (0 violations) -> edit one cell of
every column kind -> push -> a fresh pull shows each edit. Real HTTP, nothing hand-fitted."""

from __future__ import annotations

import datetime as dt
import json
import tomllib
from decimal import Decimal
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest

from orkg_sync import export
from orkg_sync.namespaces import ORKG_RESOURCE, XSD
from orkg_sync.store import DatasetStore
from tests.init.conftest import build_pulled, run

SEEDED = ["R790020", "R9101001", "R9102001", "R9103001", "R9104001"]
Term = ox.NamedNode | ox.Literal


def _dt(name: str) -> ox.NamedNode:
    return ox.NamedNode(XSD + name)


def edited(rule: str, old: Term, column: list[Term], concepts: list[str]) -> Term | None:
    """Another value of the same kind for one cell (None when the column offers no other value)."""
    v = old.value
    if rule == "integer":
        return ox.Literal(str(int(v) + 1), datatype=_dt("integer"))
    if rule == "decimal":
        return ox.Literal(str(Decimal(v) + Decimal("0.5")), datatype=_dt("decimal"))
    if rule == "date":
        return ox.Literal((dt.date.fromisoformat(v) + dt.timedelta(days=1)).isoformat(), datatype=_dt("date"))
    if rule == "boolean":
        return ox.Literal("false" if v == "true" else "true", datatype=_dt("boolean"))
    if rule == "uri":
        return ox.Literal(v + "/edited", datatype=_dt("anyURI"))
    if rule == "string":
        return ox.Literal(v + " (edited)")
    if rule == "year_month":
        year, month = v.split("-")
        return ox.Literal(f"{year}-{int(month) % 12 + 1:02d}", datatype=_dt("gYearMonth"))
    if rule == "parameter_counts":
        return ox.Literal(str(int(v) * 2), datatype=_dt("integer"))
    pool = (
        concepts
        if rule == "concepts"
        else sorted({t.value for t in column if t.value.startswith(ORKG_RESOURCE)})
    )
    other = [c for c in pool if c != v]
    return ox.NamedNode(other[0]) if other else None


def _concepts(folder: Path, scheme: str) -> list[str]:
    store = ox.Store()
    for f in sorted((folder / "vocab").glob("*.ttl")):
        store.load(path=str(f), format=ox.RdfFormat.TURTLE)
    in_scheme = ox.NamedNode("http://www.w3.org/2004/02/skos/core#inScheme")
    return sorted(q.subject.value for q in store.quads_for_pattern(None, in_scheme, ox.NamedNode(scheme)))


def plan_edits(defn: Path, store: ox.Store) -> list[tuple[ox.NamedNode, ox.NamedNode, Term, str]]:
    """(model, property, new value, rule): one single-valued cell per column."""
    doc = tomllib.loads((defn / "mapping.toml").read_text())
    out = []
    for prop in doc["property"]:
        p = ox.NamedNode(prop["property"])
        cells: dict[ox.NamedNode, list[Term]] = {}
        for q in store.quads_for_pattern(None, p, None, None):
            cells.setdefault(q.subject, []).append(q.object)  # type: ignore[arg-type]
        column = [o for objs in cells.values() for o in objs]
        scheme = (prop.get("options") or {}).get("scheme", "")
        concepts = _concepts(defn, scheme) if scheme else []
        for model in sorted(cells, key=str):
            if len(cells[model]) != 1:
                continue
            new = edited(prop["rule"], cells[model][0], column, concepts)
            if new is not None:
                out.append((model, p, new, prop["rule"]))
                break
    return out


@pytest.mark.parametrize("comparison", SEEDED)
def test_init_pull_build_edit_push(comparison: str, tmp_path: Path, fresh_sandbox: Any) -> None:
    sb, defn, ws = fresh_sandbox, tmp_path / "def", tmp_path / "ws"
    assert run(tmp_path, sb, "init", "--comparison", comparison, "--out", str(defn)).returncode == 0
    mapping = str(defn / "mapping.toml")
    proc = run(
        tmp_path, sb, "pull", "--comparison", comparison, "--mapping", mapping, "--out", str(ws), "--quiet"
    )
    assert proc.returncode == 0, proc.stderr
    proc = build_pulled(tmp_path, sb, ws, Path(mapping), "--json")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["violations"] == 0
    store = DatasetStore()
    store.load_file(ws / "dataset.ttl")
    edits = plan_edits(defn, store.store)
    kinds = {rule for *_, rule in edits}
    rules = {p["rule"] for p in tomllib.loads((defn / "mapping.toml").read_text())["property"]}
    assert kinds == rules, f"a column kind was not edited: {rules - kinds}"
    for model, p, new, _ in edits:
        for q in list(store.store.quads_for_pattern(model, p, None, None)):
            store.store.remove(q)
        store.store.add(ox.Quad(model, p, new))
    (ws / "dataset.ttl").write_bytes(export.to_turtle(store))
    proc = run(tmp_path, sb, "push", "--workspace", str(ws), "--mapping", mapping, "--yes", creds=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    fresh = tmp_path / "fresh"
    proc = run(
        tmp_path, sb, "pull", "--comparison", comparison, "--mapping", mapping, "--out", str(fresh), "--quiet"
    )
    assert proc.returncode == 0, proc.stderr
    again = DatasetStore()
    again.load_file(fresh / "dataset.ttl")
    for model, p, new, rule in edits:
        got = {q.object for q in again.store.quads_for_pattern(model, p, None, None)}
        assert got == {new}, (rule, model, p, got)
