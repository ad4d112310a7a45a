"""init on a comparison nobody hand-fitted -> pull -> build (0 violations) -> edit every column kind ->
push -> the remote and a fresh pull show the edits. All over real HTTP against the sandbox."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import requests

from orkg_sync import export
from orkg_sync.namespaces import XSD
from orkg_sync.store import DatasetStore
from tests.init.conftest import Seeded, build_pulled, remote_values, run


def _lit(text: str, dt: str) -> ox.Literal:
    return ox.Literal(text, datatype=ox.NamedNode(XSD + dt))


def _init_pull(tmp_path: Path, sb: Any, seeded: Seeded) -> tuple[Path, Path, str]:
    out, ws = tmp_path / "def", tmp_path / "ws"
    proc = run(tmp_path, sb, "init", "--comparison", seeded.comparison, "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    proc = run(
        tmp_path,
        sb,
        "pull",
        "--comparison",
        seeded.comparison,
        "--mapping",
        str(out / "mapping.toml"),
        "--out",
        str(ws),
        "--quiet",
    )
    assert proc.returncode == 0, proc.stderr
    base = tomllib.loads((out / "mapping.toml").read_text())["mapping"]["base"]
    return out, ws, base


def test_init_guesses_a_rule_per_column_kind(tmp_path: Path, fresh_sandbox: Any, seeded: Seeded) -> None:
    out, _, _ = _init_pull(tmp_path, fresh_sandbox, seeded)
    doc = tomllib.loads((out / "mapping.toml").read_text())
    rules = {p["orkg_label"]: (p["rule"], p.get("datatype")) for p in doc["property"]}
    assert rules == {
        "Parameters (M)": ("integer", "xsd:integer"),
        "Accuracy": ("decimal", "xsd:decimal"),
        "Published on": ("date", "xsd:date"),
        "Open weights": ("boolean", "xsd:boolean"),
        "Code": ("uri", "xsd:anyURI"),
        "Notes": ("string", "xsd:string"),
        "Task": ("concepts", None),
    }
    assert doc["mapping"]["shapes"] == ["shapes.ttl"] and doc["mapping"]["vocabulary"] == ["vocab/task.ttl"]
    vocab = ox.Store()
    vocab.load(path=str(out / "vocab" / "task.ttl"), format=ox.RdfFormat.TURTLE)
    exact = [
        q.object.value
        for q in vocab.quads_for_pattern(
            None, ox.NamedNode("http://www.w3.org/2004/02/skos/core#exactMatch"), None
        )
    ]
    assert len(exact) == 2  # one concept per distinct ORKG resource (shared by two sources)
    readme = (out / "README.md").read_text()
    assert "| Parameters (M) |" in readme and "2/3" in readme  # one empty cell, said so


def test_pull_build_edit_push_roundtrip(tmp_path: Path, fresh_sandbox: Any, seeded: Seeded) -> None:
    sb = fresh_sandbox
    out, ws, base = _init_pull(tmp_path, sb, seeded)
    mapping = str(out / "mapping.toml")
    proc = build_pulled(tmp_path, sb, ws, Path(mapping), "--json")
    assert proc.returncode == 0, proc.stderr
    summary = json.loads(proc.stdout)
    assert summary["violations"] == 0 and summary["models"] == 3
    prop = {
        label: f"{base}property/{s}"
        for label, s in [
            ("int", "parameters-m"),
            ("dec", "accuracy"),
            ("date", "published-on"),
            ("bool", "open-weights"),
            ("uri", "code"),
            ("str", "notes"),
            ("res", "task"),
        ]
    }
    a, b, c = (ox.NamedNode(f"{base}model/model-{x}") for x in "abc")
    qa = ox.NamedNode(f"{base}vocab/task/question-answering")
    edits = [
        (a, prop["int"], [_lit("400", "integer")]),
        (c, prop["int"], [_lit("7", "integer")]),  # an empty cell filled
        (a, prop["dec"], [_lit("0.95", "decimal")]),
        (b, prop["date"], [_lit("2024-05-06", "date")]),
        (b, prop["bool"], [_lit("true", "boolean")]),
        (a, prop["uri"], [_lit("https://example.org/new", "anyURI")]),
        (a, prop["str"], [ox.Literal("faster")]),
        (b, prop["res"], [qa]),  # switch to the other existing resource
    ]
    store = DatasetStore()
    store.load_file(ws / "dataset.ttl")
    for s, p, objs in edits:
        for q in list(store.store.quads_for_pattern(s, ox.NamedNode(p), None, None)):
            store.store.remove(q)
        for o in objs:
            store.store.add(ox.Quad(s, ox.NamedNode(p), o))
    (ws / "dataset.ttl").write_bytes(export.to_turtle(store))
    proc = run(tmp_path, sb, "validate", str(ws / "dataset.ttl"), "--mapping", mapping)
    assert proc.returncode == 0, proc.stdout + proc.stderr  # the edits fit the shapes init wrote
    store.store.add(ox.Quad(a, ox.NamedNode(prop["int"]), ox.Literal("lots")))
    (tmp_path / "bad.ttl").write_bytes(export.to_turtle(store))
    proc = run(tmp_path, sb, "validate", str(tmp_path / "bad.ttl"), "--mapping", mapping)
    assert proc.returncode == 1 and "not integer" in proc.stdout, proc.stdout  # init's datatype shape
    proc = run(tmp_path, sb, "push", "--workspace", str(ws), "--mapping", mapping, "--yes", creds=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    ca, cb, cc = seeded.contributions
    pid = seeded.predicates
    ra, rb, rc = (remote_values(sb, x) for x in (ca, cb, cc))
    assert ra[pid["Parameters (M)"]] == [("400", "xsd:integer")]
    assert rc[pid["Parameters (M)"]] == [("7", "xsd:integer")]
    assert ra[pid["Accuracy"]] == [("0.95", "xsd:decimal")]
    assert rb[pid["Published on"]] == [("2024-05-06", "xsd:date")]
    assert rb[pid["Open weights"]] == [("true", "xsd:boolean")]
    assert ra[pid["Code"]] == [("https://example.org/new", "xsd:anyURI")]
    assert ra[pid["Notes"]] == [("faster", "xsd:string")]
    assert rb[pid["Task"]] == [("Question answering", None)]
    task_ids = {
        st["object"]["id"]
        for x in (ca, cb)
        for st in requests.get(
            f"{sb.url}/api/statements", params={"subject_id": x, "predicate_id": pid["Task"]}, timeout=10
        ).json()["content"]
    }
    assert len(task_ids) == 1  # B now links A's existing resource: no duplicate made
    fresh = tmp_path / "fresh"
    proc = run(
        tmp_path,
        sb,
        "pull",
        "--comparison",
        seeded.comparison,
        "--mapping",
        mapping,
        "--out",
        str(fresh),
        "--quiet",
    )
    assert proc.returncode == 0, proc.stderr
    again = DatasetStore()
    again.load_file(fresh / "dataset.ttl")
    for s, p, objs in edits:
        assert {q.object for q in again.store.quads_for_pattern(s, ox.NamedNode(p), None, None)} == set(objs)
