"""A mapping from `init` works with every command that takes --mapping: export, query and serve give what
`build --mapping` gives. Real things: the session sandbox over HTTP, the CLI as a subprocess, our server on
a real socket."""

from __future__ import annotations

import csv
import io
import subprocess
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
import requests

from orkg_sync.mapping.vocab import PROVENANCE_FILE
from orkg_sync.resources import ontology_dir
from tests.init.conftest import run, serve_release

COMPARISON = "R9101001"  # seeded: typed literal columns, nothing hand-fitted
MY_QUERY = """PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?model ?property ?value WHERE {
  ?model ?property ?value . FILTER(isLiteral(?value) && ?property != rdfs:label)
} ORDER BY ?model ?property ?value
"""


@dataclass
class Built:
    root: Path
    mapping: Path
    snapshot: Path
    dist: Path
    base: str


def _ok(proc: subprocess.CompletedProcess[str]) -> subprocess.CompletedProcess[str]:
    assert proc.returncode == 0, proc.stderr
    return proc


@pytest.fixture(scope="module")
def built(sandbox: Any, tmp_path_factory: pytest.TempPathFactory) -> Built:
    """init -> pull -> build --mapping, as a curator runs them (tests/init/test_init_seeded.py)."""
    root = tmp_path_factory.mktemp("everywhere")
    defn, ws, dist = root / "def", root / "ws", root / "dist"
    _ok(run(root, sandbox, "init", "--comparison", COMPARISON, "--out", str(defn)))
    mapping = defn / "mapping.toml"
    _ok(run(root, sandbox, "pull", "--comparison", COMPARISON, "--mapping", str(mapping), "--out", str(ws)))
    snap = ws / "snapshot.json"
    _ok(run(root, sandbox, "build", "--snapshot", str(snap), "--mapping", str(mapping), "--out", str(dist)))
    base = tomllib.loads(mapping.read_text())["mapping"]["base"]
    return Built(root, mapping, snap, dist, base)


def _graph(path: Path) -> set[ox.Triple]:
    fmt = {".nt": ox.RdfFormat.N_TRIPLES, ".ttl": ox.RdfFormat.TURTLE}[path.suffix]
    return {ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(path=str(path), format=fmt)}


def test_export_with_mapping_is_the_built_data(built: Built) -> None:
    data = _graph(built.dist / "data.nt")
    assert any(str(t.subject.value).startswith(built.base) for t in data)  # the mapping's own base
    for fmt, name in (("nt", "x.nt"), ("turtle", "x.ttl")):
        out = built.root / name
        args = ("export", "--mapping", str(built.mapping), "--snapshot", str(built.snapshot))
        _ok(run(built.root, None, *args, "--format", fmt, "--out", str(out)))
        assert _graph(out) == data, fmt
    ttl = (built.root / "x.ttl").read_text()
    assert f"<{built.base}" in ttl or built.base in ttl.split("\n\n", 1)[0]  # prefixes of the mapping's base
    # without --mapping the same snapshot goes through the shipped (survey) mapping: another graph
    shipped = built.root / "shipped.nt"
    _ok(
        run(
            built.root,
            None,
            "export",
            "--snapshot",
            str(built.snapshot),
            "--format",
            "nt",
            "--out",
            str(shipped),
        )
    )
    assert _graph(shipped) != data


def test_export_mapping_with_input_is_refused(built: Built) -> None:
    proc = run(
        built.root, None, "export", "--input", str(built.dist / "data.nt"), "--mapping", str(built.mapping)
    )
    assert proc.returncode == 2
    assert proc.stderr.splitlines() == [
        "error: export: --input and --mapping exclude each other (see 'orkg-sync export --help')"
    ]


def test_own_query_over_the_mapped_dataset(built: Built) -> None:
    rq = built.root / "my.rq"
    rq.write_text(MY_QUERY)
    args = ("query", str(rq), "--mapping", str(built.mapping), "--snapshot", str(built.snapshot))
    got = list(csv.reader(io.StringIO(_ok(run(built.root, None, *args, "--format", "csv")).stdout)))
    store = ox.Store()
    store.bulk_load(path=str(built.dist / "data.nt"), format=ox.RdfFormat.N_TRIPLES)
    direct = [[str(t.value) for t in row] for row in store.query(MY_QUERY)]  # type: ignore[union-attr]
    assert got[0] == ["model", "property", "value"]
    assert len(direct) >= 3 and got[1:] == direct
    # the shipped dataset does not hold these rows: --mapping is what made them
    shipped = run(built.root, None, "query", str(rq), "--snapshot", str(built.snapshot), "--format", "csv")
    assert list(csv.reader(io.StringIO(_ok(shipped).stdout)))[1:] != direct


@pytest.fixture
def served(built: Built, request: pytest.FixtureRequest) -> Iterator[str]:
    """`orkg-sync serve --release DIST [extra args]` on a free loopback port."""
    extra: tuple[str, ...] = getattr(request, "param", ())
    with serve_release(built.dist, built.root, *extra) as url:
        yield url


def _turtle(url: str) -> set[ox.Triple]:
    r = requests.get(url, headers={"Accept": "text/turtle"}, timeout=30)
    assert r.status_code == 200, (url, r.status_code, r.text[:200])
    assert r.headers["Content-Type"].startswith("text/turtle")
    return {
        ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(r.content, format=ox.RdfFormat.TURTLE)
    }


def _own_ontology(mapping: Path) -> set[ox.Triple]:
    from orkg_sync.mapping import load_mapping

    m = load_mapping(mapping)
    out: set[ox.Triple] = set()
    for f in [ontology_dir() / PROVENANCE_FILE, *m.ontology_files, *m.vocabulary_files]:
        out |= _graph(f)
    return out


@pytest.mark.parametrize(
    "served", [(), ("--mapping", "def/mapping.toml")], indirect=True, ids=["release", "mapping"]
)
def test_serve_a_mapping_release(built: Built, served: str) -> None:
    data = _graph(built.dist / "data.nt")
    models = sorted({t.subject.value for t in data if t.subject.value.startswith(built.base + "model/")})
    assert models
    model = models[0]
    got = _turtle(served + "/" + model[len(built.base) :])
    assert {t for t in data if t.subject.value == model} <= got  # the release's data under its own base
    onto = _turtle(served + "/ontology")
    assert onto == _own_ontology(built.mapping)  # the mapping's ontology, not slm.ttl
    props = {p["property"] for p in tomllib.loads(built.mapping.read_text())["property"]}
    assert props <= {t.subject.value for t in onto}
