"""`orkg-sync build`, the offline main job, run as a real subprocess on the shipped snapshot."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.compare import isomorphic

from orkg_sync.build import build, build_dataset, map_snapshot
from orkg_sync.mapping import load_mapping, snapshot_to_rdf
from orkg_sync.resources import default_snapshot
from orkg_sync.snapshot import Snapshot

SLM = "https://w3id.org/orkg-sync/slm#"


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "orkg_sync", *args], cwd=cwd, capture_output=True, text=True, timeout=120
    )


def test_build_writes_a_complete_verifiable_release(tmp_path: Path) -> None:
    proc = run("build", "--json", cwd=tmp_path)
    summary = json.loads(proc.stdout)
    dist = tmp_path / "dist"
    snap = Snapshot.load(default_snapshot())
    mapped = snapshot_to_rdf(snap, load_mapping())
    assert summary["models"] == len(mapped.models) == len(snap.sources_of(str(snap.comparison["id"])))
    for name in ["data.ttl", "data.nt", "data.jsonld", "context.jsonld", "void.ttl", "SHA256SUMS"]:
        assert (dist / name).is_file(), name
    assert (dist / "ontology" / "slm.ttl").is_file()
    # every checksum line verifies against the file on disk
    for line in (dist / "SHA256SUMS").read_text().splitlines():
        digest, name = line.split("  ", 1)
        assert hashlib.sha256((dist / name).read_bytes()).hexdigest() == digest, name
    # the Turtle holds exactly the mapping's quads plus the vocabularies
    turtle = ox.Store()
    turtle.load(path=str(dist / "data.ttl"), format=ox.RdfFormat.TURTLE)
    for q in mapped.quads:
        assert q in turtle
    assert len(turtle) == summary["triples"]
    # Turtle, N-Triples and JSON-LD (via its sibling context) are the same graph
    g_ttl = rdflib.Graph().parse(dist / "data.ttl", format="turtle")
    g_nt = rdflib.Graph().parse(dist / "data.nt", format="nt")
    assert isomorphic(g_ttl, g_nt)
    doc = json.loads((dist / "data.jsonld").read_text())
    doc["@context"] = json.loads((dist / "context.jsonld").read_text())["@context"]
    g_ld = rdflib.Graph().parse(data=json.dumps(doc), format="json-ld")
    assert isomorphic(g_ttl, g_ld)
    assert proc.returncode in (0, 1)  # 1 only when the shapes report violations
    if proc.returncode == 1:
        assert "violations" in proc.stderr


def test_build_is_byte_deterministic(tmp_path: Path) -> None:
    a, b = build(), build()
    assert a.files.keys() == b.files.keys()
    for name in a.files:
        assert a.files[name] == b.files[name], name


def test_nt_is_sorted_and_has_no_blank_nodes(tmp_path: Path) -> None:
    nt = build().files["data.nt"].decode().splitlines()
    assert nt == sorted(nt)
    assert not any(line.startswith("_:") or " _:" in line for line in nt)


def test_base_iri_is_configurable(tmp_path: Path) -> None:
    base = "https://example.org/slm-data/"
    _, mapped, store = map_snapshot(base=base)
    models = {m.iri for m in mapped.models}
    assert models and all(iri.startswith(base + "model/") for iri in models)
    default_models = build().info.base + "model/"
    assert not bool(store.query(f'ASK {{ ?s ?p ?o FILTER(STRSTARTS(STR(?s), "{default_models}")) }}'))


@pytest.mark.parametrize(
    ("content", "where"),
    [
        ('{"format": "orkg-sync-snapshot/1",\n  "classes": [}', "bad.json:2:"),
        ("not json at all", "bad.json:1:1"),
    ],
)
def test_bad_snapshot_is_one_line_and_nothing_written(tmp_path: Path, content: str, where: str) -> None:
    (tmp_path / "bad.json").write_text(content)
    dist = tmp_path / "dist"
    dist.mkdir()
    (dist / "keep.txt").write_text("old release")
    proc = run("build", "--snapshot", "bad.json", cwd=tmp_path)
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and where in lines[0], proc.stderr
    assert "Traceback" not in proc.stderr
    assert sorted(p.name for p in dist.iterdir()) == ["keep.txt"]


def test_missing_snapshot_file(tmp_path: Path) -> None:
    proc = run("build", "--snapshot", "nope.json", cwd=tmp_path)
    assert proc.returncode == 2 and "nope.json" in proc.stderr and "Traceback" not in proc.stderr
    assert not (tmp_path / "dist").exists()


def test_rebuild_replaces_stale_files(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    dist.mkdir()
    (dist / "stale.ttl").write_text("old")
    run("build", cwd=tmp_path)
    assert not (dist / "stale.ttl").exists() and (dist / "data.ttl").is_file()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".dist")]  # no staging debris


def test_serve_over_the_built_release(tmp_path: Path) -> None:
    """`serve` with no options serves dist/: model IRIs by conneg, the ontology page, SPARQL, downloads."""
    import socket
    import time

    import requests

    assert run("build", "--no-validate", cwd=tmp_path).returncode == 0
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen(
        [sys.executable, "-m", "orkg_sync", "serve", "--port", str(port)],
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                requests.get(url + "/", timeout=1)
                break
            except requests.RequestException:  # not listening yet, or too busy to answer within 1 s
                time.sleep(0.05)
        snap = Snapshot.load(default_snapshot())
        model = snapshot_to_rdf(snap, load_mapping()).models[0]
        path = model.iri.removeprefix("https://w3id.org/orkg-sync/r790020/")
        r = requests.get(f"{url}/{path}", headers={"Accept": "text/turtle"}, timeout=10)
        assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/turtle")
        g = rdflib.Graph().parse(data=r.text, format="turtle")
        assert str(g.value(rdflib.URIRef(model.iri), rdflib.RDFS.label)) == model.label
        page = requests.get(url + "/ontology", headers={"Accept": "text/html"}, timeout=10).text
        assert "numberOfParameters" in page and "releaseDate" in page
        q = "SELECT (COUNT(?m) AS ?n) WHERE { ?m a <https://w3id.org/orkg-sync/slm#LanguageModel> }"
        res = requests.get(
            url + "/sparql",
            params={"query": q},
            headers={"Accept": "application/sparql-results+json"},
            timeout=10,
        ).json()
        assert int(res["results"]["bindings"][0]["n"]["value"]) == len(
            snap.sources_of(str(snap.comparison["id"]))
        )
        dl = requests.get(url + "/download/data.nt", timeout=10)
        assert dl.status_code == 200 and dl.content == (tmp_path / "dist" / "data.nt").read_bytes()
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_serve_without_a_release_says_what_to_do(tmp_path: Path) -> None:
    proc = run("serve", "--port", "0", cwd=tmp_path)
    assert proc.returncode == 2 and "orkg-sync build" in proc.stderr and "Traceback" not in proc.stderr


def test_serializations_do_not_depend_on_insertion_order() -> None:
    from orkg_sync import export
    from orkg_sync.store import DatasetStore

    store = build_dataset()
    quads = list(store.store)
    rng = __import__("random").Random(3)
    rng.shuffle(quads)
    shuffled = DatasetStore()
    shuffled.add_quads(quads)
    for fn in (export.to_turtle, export.to_ntriples, export.to_jsonld):
        assert fn(shuffled) == fn(store), fn.__name__
        assert fn(quads) == fn(store), fn.__name__  # a plain list in random order, not a store
