"""Nested table paths round-trip at every depth: `init` on the seeded R9103001 (contribution -> outcome ->
value / unit -> symbol), pull -> build -> edit a second- and a third-level cell -> push, over real HTTP
against the sandbox; the remote is read back through its API (the edited literals changed, nothing else).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
import rdflib
import requests

from orkg_sync import export
from orkg_sync.namespaces import ORKG_RESOURCE, XSD
from orkg_sync.store import DatasetStore
from tests.init.conftest import run

COMPARISON = "R9103001"
BASE = "https://w3id.org/orkg-sync/r9103001/"
PROP = BASE + "property/"
SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")
VALUE, UNIT, SYMBOL = (PROP + p for p in ("has-outcome/value", "has-outcome/unit", "has-outcome/unit/symbol"))
OUTCOME, NO_VALUE, MMHG = "R9103012", "R9103023", "R9103102"  # seeds/nested_paths.json
Statements = dict[str, tuple[str, str, str, str]]  # id -> (subject, predicate, object id, object label)


@dataclass
class Pulled:
    sb: Any
    root: Path
    ws: Path
    mapping: str

    def cli(self, *args: str, creds: bool = False) -> Any:
        return run(self.root, self.sb, *args, creds=creds)

    def edit(self, *changes: tuple[str, str, ox.Literal | None]) -> None:
        """Set (ORKG resource, property) to one literal, or remove its values (None)."""
        store = DatasetStore()
        store.load_file(self.ws / "dataset.ttl")
        for rid, prop, new in changes:
            s, p = ox.NamedNode(ORKG_RESOURCE + rid), ox.NamedNode(prop)
            for q in list(store.store.quads_for_pattern(s, p, None, None)):
                store.store.remove(q)
            if new is not None:
                store.store.add(ox.Quad(s, p, new))
        (self.ws / "dataset.ttl").write_bytes(export.to_turtle(store))

    def push(self, *extra: str) -> Any:
        return self.cli("push", "--workspace", str(self.ws), "--yes", *extra, creds=True)


def statements(sb: Any) -> Statements:
    """Every statement of the sandbox, as ORKG serves it now."""
    r = requests.get(f"{sb.url}/api/statements", params={"size": 100000}, timeout=30)
    r.raise_for_status()
    return {
        st["id"]: (st["subject"]["id"], st["predicate"]["id"], st["object"]["id"], st["object"]["label"])
        for st in r.json()["content"]
    }


def literal(sb: Any, subject: str, predicate: str) -> dict[str, Any]:
    """The one literal object of ``subject -predicate->`` on the sandbox now."""
    r = requests.get(
        f"{sb.url}/api/statements", params={"subject_id": subject, "predicate_id": predicate}, timeout=10
    )
    (st,) = r.json()["content"]
    return dict(st["object"])


def dec(text: str) -> ox.Literal:
    return ox.Literal(text, datatype=ox.NamedNode(XSD + "decimal"))


@pytest.fixture
def pulled(fresh_sandbox: Any, tmp_path: Path) -> Pulled:
    sb, defn, ws = fresh_sandbox, tmp_path / "def", tmp_path / "ws"
    assert run(tmp_path, sb, "init", "--comparison", COMPARISON, "--out", str(defn)).returncode == 0
    mapping = str(defn / "mapping.toml")
    proc = run(tmp_path, sb, "pull", "--comparison", COMPARISON, "--mapping", mapping, "--out", str(ws))
    assert proc.returncode == 0, proc.stderr
    return Pulled(sb, tmp_path, ws, mapping)


def test_every_level_is_pulled_exported_and_traceable(pulled: Pulled) -> None:
    proc = pulled.cli(
        "build", "--snapshot", str(pulled.ws / "snapshot.json"), "--mapping", pulled.mapping,
        "--out", str(pulled.root / "dist"), "--json",
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["violations"] == 0
    store = DatasetStore()
    store.load_file(pulled.root / "dist" / "data.ttl")
    g = store.store
    assert not any(isinstance(q.subject, ox.BlankNode) or isinstance(q.object, ox.BlankNode) for q in g)
    mmhg = ox.NamedNode(ORKG_RESOURCE + MMHG)
    assert {q.object for q in g.quads_for_pattern(mmhg, ox.NamedNode(SYMBOL), None, None)} == {
        ox.Literal("mmHg")
    }  # the third level
    value = {q.object for q in g.quads_for_pattern(ox.NamedNode(ORKG_RESOURCE + OUTCOME), None, None, None)}
    assert dec("-4.5") in value and mmhg in value  # second level, typed by the ORKG datatype
    base = json.loads((pulled.ws / "syncbase.json").read_text())
    (sym,) = base["nested"][MMHG]["values"][SYMBOL]
    remote = literal(pulled.sb, MMHG, "P9103004")
    assert (sym["object_id"], sym["label"], sym["datatype"], sym["predicate_id"]) == (
        remote["id"], "mmHg", remote["datatype"], "P9103004",
    )  # fmt: skip
    assert statements(pulled.sb)[sym["statement_id"]][:2] == (MMHG, "P9103004")
    assert base["predicates"][SYMBOL] == "P9103004"


def test_second_and_third_level_edits_push_back(pulled: Pulled) -> None:
    sb = pulled.sb
    before = statements(sb)
    pulled.edit((OUTCOME, VALUE, dec("-5.25")), (MMHG, SYMBOL, ox.Literal("mm Hg")))
    proc = pulled.cli("diff", "--workspace", str(pulled.ws), "--offline", "--exit-code")
    assert proc.returncode == 10 and "local changes: 2" in proc.stdout, proc.stdout + proc.stderr
    sb.reset_stats()
    proc = pulled.push()
    assert proc.returncode == 0, proc.stdout + proc.stderr
    skip = ("GET", "POST /realms", "DELETE /_sandbox")
    writes = {k: v for k, v in sb.stats()["endpoints"].items() if not k.startswith(skip)}
    assert writes == {"PUT /api/literals/<tid>": 2}, writes  # exactly the two literals, nothing else
    after = statements(sb)
    assert after.keys() == before.keys()  # no statement added or removed
    changed = {sid: (before[sid], after[sid]) for sid in before if before[sid] != after[sid]}
    assert sorted(new[3] for _, new in changed.values()) == ["-5.25", "mm Hg"], changed
    assert literal(sb, OUTCOME, "P9103002")["datatype"] == "xsd:decimal"  # datatype kept
    fresh = pulled.root / "fresh"
    proc = pulled.cli("pull", "--comparison", COMPARISON, "--mapping", pulled.mapping, "--out", str(fresh))
    assert proc.returncode == 0, proc.stderr
    again = DatasetStore()
    again.load_file(fresh / "dataset.ttl")
    for rid, prop, want in ((OUTCOME, VALUE, dec("-5.25")), (MMHG, SYMBOL, ox.Literal("mm Hg"))):
        s, p = ox.NamedNode(ORKG_RESOURCE + rid), ox.NamedNode(prop)
        got = {q.object for q in again.store.quads_for_pattern(s, p, None, None)}
        assert got == {want}, (rid, got)
    proc = pulled.cli("diff", "--workspace", str(pulled.ws), "--exit-code")
    assert proc.returncode == 0, proc.stdout + proc.stderr  # the pushed workspace is in sync
    proc = pulled.cli("undo", "--workspace", str(pulled.ws), "--yes", creds=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert statements(sb) == before  # every statement and label as it was


def test_concurrent_edit_of_a_nested_literal_is_a_conflict(pulled: Pulled) -> None:
    sb = pulled.sb
    lit = literal(sb, MMHG, "P9103004")
    pulled.edit((MMHG, SYMBOL, ox.Literal("mm Hg")))
    headers = {**sb.auth(), "Content-Type": "application/json"}
    body = {"label": "mm[Hg]", "datatype": lit["datatype"]}
    r = requests.put(f"{sb.url}/api/literals/{lit['id']}", json=body, headers=headers, timeout=10)
    assert r.status_code in (200, 204), r.text  # a teammate, between the pull and the push
    before = statements(sb)
    proc = pulled.push()
    assert proc.returncode == 5, proc.stdout + proc.stderr
    assert proc.stderr.count("error:") == 1 and "symbol" in proc.stderr, proc.stderr
    assert literal(sb, MMHG, "P9103004")["label"] == "mm[Hg]"  # the teammate's value stands
    assert statements(sb) == before
    proc = pulled.cli("resolve", "--workspace", str(pulled.ws), MMHG, "unit/symbol", "--take", "remote")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    proc = pulled.cli("diff", "--workspace", str(pulled.ws), "--exit-code")
    assert proc.returncode == 0, proc.stdout + proc.stderr  # the teammate's value taken into the dataset
    args = ("--comparison", COMPARISON, "--mapping", pulled.mapping, "--out", str(pulled.ws), "--json")
    proc = pulled.cli("pull", *args, "--force")
    assert proc.returncode == 0, proc.stderr
    assert len(json.loads(proc.stdout)["changed"]) == 3  # every model reaches the shared unit


def test_nested_values_added_and_removed_and_resumed(pulled: Pulled) -> None:
    """A value on a reached row without one is a new statement; an emptied cell loses its statement; a
    renamed row renames its resource; an interrupted push finishes with --resume."""
    sb = pulled.sb
    before = statements(sb)
    rename = (NO_VALUE, "http://www.w3.org/2000/01/rdf-schema#label", ox.Literal("Dropout"))
    pulled.edit((NO_VALUE, VALUE, dec("12.5")), ("R9103013", VALUE, None), rename)
    sb.set_faults(error_rate=1.0, methods="POST,DELETE")
    try:
        assert pulled.push().returncode == 6
    finally:
        sb.clear_faults()
    proc = pulled.push("--resume")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    after = statements(sb)
    assert len(after) == len(before)  # one added, one removed
    assert [v[3] for k, v in before.items() if k not in after] == ["81"]
    added = [v for k, v in after.items() if k not in before]
    assert [(s, p, label) for s, p, _, label in added] == [(NO_VALUE, "P9103002", "12.5")]
    assert literal(sb, NO_VALUE, "P9103002")["datatype"] == "xsd:decimal"
    r = requests.get(f"{sb.url}/api/resources/{NO_VALUE}", timeout=10)
    assert r.json()["label"] == "Dropout"  # a nested row's name is its ORKG resource's label


@pytest.mark.parametrize("where", ["model", "blank node", "resource of another path"])
def test_unreachable_nested_values_are_refused(where: str, pulled: Pulled) -> None:
    before = statements(pulled.sb)
    store = DatasetStore()
    store.load_file(pulled.ws / "dataset.ttl")
    size = ox.NamedNode(PROP + "sample-size")
    subject = {
        "model": next(q.subject for q in store.store.quads_for_pattern(None, size, None, None)),
        "blank node": ox.BlankNode(),
        "resource of another path": ox.NamedNode(ORKG_RESOURCE + MMHG),  # a unit, not an outcome
    }[where]
    prop = VALUE if where == "resource of another path" else SYMBOL
    store.store.add(ox.Quad(subject, ox.NamedNode(prop), dec("1")))
    (pulled.ws / "dataset.ttl").write_bytes(export.to_turtle(store))
    for cmd in ("diff", "push"):
        proc = pulled.push() if cmd == "push" else pulled.cli("diff", "--workspace", str(pulled.ws))
        assert proc.returncode == 2, proc.stdout + proc.stderr
        (line,) = proc.stderr.strip().splitlines()
        assert line.startswith("error: ") and prop.rsplit("/", 1)[-1] in line and "does not reach" in line
    assert statements(pulled.sb) == before


def test_a_new_nested_row_is_refused(pulled: Pulled) -> None:
    """A new outcome (a local IRI linked from a model, with its own value) has no ORKG statements to
    write through: refused with one line naming the cell, nothing written."""
    before = statements(pulled.sb)
    store = DatasetStore()
    store.load_file(pulled.ws / "dataset.ttl")
    size = ox.NamedNode(PROP + "sample-size")
    model = next(q.subject for q in store.store.quads_for_pattern(None, size, None, None))
    new = ox.NamedNode("https://example.org/outcome/heart-rate")
    store.store.add(ox.Quad(model, ox.NamedNode(PROP + "has-outcome"), new))
    store.store.add(
        ox.Quad(new, ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"), ox.Literal("HR"))
    )
    store.store.add(ox.Quad(new, ox.NamedNode(VALUE), dec("-2")))
    (pulled.ws / "dataset.ttl").write_bytes(export.to_turtle(store))
    proc = pulled.push()
    assert proc.returncode == 2, proc.stdout + proc.stderr
    (line,) = proc.stderr.strip().splitlines()
    assert line.startswith(f"error: {new.value} / has outcome / value:") and "not supported" in line
    assert statements(pulled.sb) == before


def _teammate_sets(sb: Any, subject: str, predicate: str, label: str) -> None:
    lit = literal(sb, subject, predicate)
    headers = {**sb.auth(), "Content-Type": "application/json"}
    body = {"label": label, "datatype": lit["datatype"]}
    r = requests.put(f"{sb.url}/api/literals/{lit['id']}", json=body, headers=headers, timeout=10)
    assert r.status_code in (200, 204), r.text


def test_saved_plan_and_resume_check_nested_values_again(pulled: Pulled) -> None:
    """Compare-and-set after the plan: `apply` of a saved plan and `--resume` both re-read the nested
    resource and refuse (exit 5) a value a teammate changed in between; the other cell is written."""
    sb = pulled.sb
    pulled.edit((OUTCOME, VALUE, dec("-5.25")), (MMHG, SYMBOL, ox.Literal("mm Hg")))
    plan = pulled.root / "plan.json"
    assert pulled.push("--plan-out", str(plan)).returncode == 0
    _teammate_sets(sb, MMHG, "P9103004", "mm[Hg]")
    proc = pulled.cli("apply", str(plan), "--workspace", str(pulled.ws), "--yes", creds=True)
    assert proc.returncode == 5, proc.stdout + proc.stderr
    assert literal(sb, OUTCOME, "P9103002")["label"] == "-4.5"  # nothing applied
    _teammate_sets(sb, MMHG, "P9103004", "mmHg")  # back as pulled: the plan is valid again
    sb.set_faults(error_rate=1.0, methods="PUT")
    try:
        assert pulled.push().returncode == 6
    finally:
        sb.clear_faults()
    _teammate_sets(sb, MMHG, "P9103004", "mm[Hg]")  # between the crash and --resume
    proc = pulled.push("--resume")
    assert proc.returncode == 5 and "symbol" in proc.stderr, proc.stdout + proc.stderr
    assert literal(sb, MMHG, "P9103004")["label"] == "mm[Hg]"  # the teammate's value stands
    assert literal(sb, OUTCOME, "P9103002")["label"] == "-5.25"  # the other row was written


def test_a_nested_value_its_orkg_datatype_refuses_is_stopped_before_any_write(pulled: Pulled) -> None:
    before = statements(pulled.sb)
    pulled.edit((OUTCOME, VALUE, ox.Literal("about five")))  # text in an xsd:decimal cell
    proc = pulled.push()  # init's shapes type the nested cell: the SHACL gate stops it first
    assert proc.returncode == 1 and "value: a value that is not decimal" in proc.stderr, proc.stderr
    assert statements(pulled.sb) == before
    shapes = Path(pulled.mapping).with_name("shapes.ttl")  # a curator who made that shape a warning
    g = rdflib.Graph().parse(shapes)
    shape = rdflib.URIRef(BASE + "shapes#has-outcome-value-datatype")
    g.set((shape, SH.severity, SH.Warning))
    g.serialize(shapes, format="turtle")
    proc = pulled.push()  # the plan still refuses what ORKG's datatype would refuse
    assert proc.returncode == 2, proc.stdout + proc.stderr
    (line,) = proc.stderr.strip().splitlines()
    assert (
        line.startswith("error: ") and f"({OUTCOME}) / has outcome / value" in line and "xsd:decimal" in line
    )
    assert statements(pulled.sb) == before
    assert not (pulled.root / ".ws.sync" / "push.plan.json").exists()  # no half-done push to discard
