"""Store, export and named queries against a hand-written fixture that follows the data contract."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.compare import isomorphic

from orkg_sync import export as ex
from orkg_sync import queries as q
from orkg_sync.errors import InputError
from orkg_sync.store import DatasetStore

FIXTURE = Path(__file__).parent / "fixture.ttl"
SLM = rdflib.Namespace("https://w3id.org/orkg-sync/slm#")


@pytest.fixture()
def store() -> DatasetStore:
    s = DatasetStore()
    s.load_file(FIXTURE)
    return s


@pytest.fixture()
def graph() -> rdflib.Graph:
    return rdflib.Graph().parse(FIXTURE, format="turtle")


def _run(store: DatasetStore, name: str) -> list[list[str]]:
    origin, text = q.load_query(name)
    return q.run(store, origin, text)[1]


def test_at_least_eight_named_queries_with_descriptions() -> None:
    named = q.list_queries()
    assert len(named) >= 8
    assert all(desc for desc in named.values())


def test_attention_counts_match_fixture(store: DatasetStore, graph: rdflib.Graph) -> None:
    expected = Counter(str(o) for _, o in graph.subject_objects(SLM.attentionMechanism))
    got = {r[0]: int(r[2]) for r in _run(store, "attention")}
    assert got == dict(expected)


def test_gqa_swiglu_since_2024(store: DatasetStore, graph: rdflib.Graph) -> None:
    gqa = rdflib.URIRef("https://w3id.org/orkg-sync/slm/vocab/attention/gqa")
    swiglu = rdflib.URIRef("https://w3id.org/orkg-sync/slm/vocab/activation/swiglu")
    expected = {
        str(m)
        for m in graph.subjects(SLM.attentionMechanism, gqa)
        if (m, SLM.activationFunction, swiglu) in graph and str(graph.value(m, SLM.releaseDate)) >= "2024"
    }
    assert {r[0] for r in _run(store, "gqa-swiglu-since-2024")} == expected


def test_low_confidence_and_outside_range(store: DatasetStore, graph: rdflib.Graph) -> None:
    low = {str(c) for c in graph.objects(None, SLM.confidence) if re.search(r"(^|[^a-z])low$", str(c), re.I)}
    assert {r[2] for r in _run(store, "low-confidence")} == low
    outside = {
        str(graph.value(m, rdflib.RDFS.label))
        for m, lo in graph.subject_objects(SLM.minNumberOfParameters)
        if int(lo) < 100_000_000 or int(graph.value(m, SLM.maxNumberOfParameters)) > 5_000_000_000
    }
    assert {r[0] for r in _run(store, "outside-slm-range")} == outside


def test_every_query_runs_and_formats(store: DatasetStore) -> None:
    for name in q.list_queries():
        origin, text = q.load_query(name)
        names, rows = q.run(store, origin, text)
        assert json.loads(q.format_result(names, rows, "json")) == [
            dict(zip(names, r, strict=True)) for r in rows
        ]
        assert q.format_result(names, rows, "csv").splitlines()[0] == ",".join(names)


def test_jsonld_roundtrips_to_same_graph(store: DatasetStore, graph: rdflib.Graph) -> None:
    data = ex.to_jsonld(store)
    assert data == ex.to_jsonld(store)
    back = rdflib.Graph().parse(data=data, format="json-ld")
    assert isomorphic(back, graph)
    ox_back = ox.Store()
    ox_back.load(data, ox.RdfFormat.JSON_LD)
    assert set(ox_back.quads_for_pattern(None, None, None)) == set(
        store.store.quads_for_pattern(None, None, None)
    )
    nodes = json.loads(data)["@graph"]
    assert len(nodes) == len({n["@id"] for n in nodes}) == len(set(graph.subjects()))


def test_ntriples_sorted_and_turtle_roundtrip(store: DatasetStore, graph: rdflib.Graph) -> None:
    nt = ex.to_ntriples(store).decode().splitlines()
    assert nt == sorted(nt) and len(nt) == len(graph)
    ttl = ex.to_turtle(store)
    assert b"@prefix slm:" in ttl
    assert isomorphic(rdflib.Graph().parse(data=ttl, format="turtle"), graph)


def test_malformed_turtle_reports_position(tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix ex: <http://e/> .\nex:a ex:b ex:c\nex:d .\n")
    with pytest.raises(InputError, match=r"bad\.ttl:\d+:\d+"):
        DatasetStore().load_file(bad)


def test_unknown_query_lists_names() -> None:
    with pytest.raises(InputError, match="attention"):
        q.load_query("no-such-query")


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "orkg_sync", *args], capture_output=True, text=True)


def test_cli_query_and_errors(tmp_path: Path) -> None:
    ok = _cli("query", "timeline", "--format", "csv", "--input", str(FIXTURE))
    assert ok.returncode == 0 and ok.stdout.startswith("year,models")
    bad_rq = tmp_path / "bad.rq"
    bad_rq.write_text("SELECT ?x WHERE { ?x \n")
    err = _cli("query", str(bad_rq), "--input", str(FIXTURE))
    assert err.returncode == 2 and "bad.rq" in err.stderr and "Traceback" not in err.stderr
    assert len(err.stderr.strip().splitlines()) == 1
    unknown = _cli("query", "nope", "--input", str(FIXTURE))
    assert unknown.returncode == 2 and "timeline" in unknown.stderr
    missing = _cli("export", "--input", str(tmp_path / "missing.ttl"))
    assert missing.returncode == 2 and "missing.ttl" in missing.stderr


def test_cli_export_jsonld_embeds_its_context(tmp_path: Path) -> None:
    """Only the file asked for is written; an unrelated context.jsonld beside it is left alone."""
    out = tmp_path / "d.jsonld"
    unrelated = tmp_path / "context.jsonld"
    unrelated.write_text('{"@context": {"mine": "urn:mine:"}}\n')
    res = _cli("export", "--format", "json-ld", "--input", str(FIXTURE), "--out", str(out))
    assert res.returncode == 0, res.stderr
    assert unrelated.read_text() == '{"@context": {"mine": "urn:mine:"}}\n'
    assert isinstance(json.loads(out.read_text())["@context"], dict)


def test_missing_values_and_timeline(store: DatasetStore, graph: rdflib.Graph) -> None:
    models = set(graph.subjects(rdflib.RDF.type, SLM.LanguageModel))
    columns = ["releaseDate", "paradigm", "domain", "trainingDataset", "attentionMechanism"]
    columns += ["activationFunction", "trainingTechnique"]
    expected = {
        (str(graph.value(m, rdflib.RDFS.label)), str(SLM[c]))
        for m in models
        for c in columns
        if graph.value(m, SLM[c]) is None
    }
    expected |= {
        (str(graph.value(m, rdflib.RDFS.label)), str(SLM.numberOfParameters))
        for m in models
        if graph.value(m, SLM.minNumberOfParameters) is None
    }
    assert {(r[0], r[1]) for r in _run(store, "missing-values")} == expected
    years = Counter(str(graph.value(m, SLM.releaseDate))[:4] for m in models)
    assert {r[0]: int(r[1]) for r in _run(store, "timeline")} == dict(years)
