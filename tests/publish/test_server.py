"""Our server over real loopback HTTP: conneg, SPARQL protocol (SPARQLWrapper), limits, read-only, CORS."""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
import requests
from SPARQLWrapper import CSV, JSON, TSV, XML, SPARQLWrapper

MODEL = "https://w3id.org/orkg-sync/r790020/model/llama-3-2"


@pytest.mark.parametrize(
    ("accept", "ctype", "fmt"),
    [
        ("text/turtle", "text/turtle", "turtle"),
        ("application/ld+json", "application/ld+json", "json-ld"),
        ("application/n-triples", "application/n-triples", "nt"),
        ("application/rdf+xml", "application/rdf+xml", "xml"),
    ],
)
def test_model_iri_conneg(server: str, accept: str, ctype: str, fmt: str) -> None:
    r = requests.get(server + "/model/llama-3-2", headers={"Accept": accept}, timeout=5)
    assert r.status_code == 200
    assert r.headers["Content-Type"].startswith(ctype)
    assert "Accept" in r.headers["Vary"]
    g = rdflib.Graph().parse(data=r.content, format=fmt, publicID=MODEL)
    params = sorted(
        int(o)
        for o in g.objects(
            rdflib.URIRef(MODEL), rdflib.URIRef("https://w3id.org/orkg-sync/slm#numberOfParameters")
        )
    )
    assert params == [1000000000, 3000000000]


def test_html_pages(server: str) -> None:
    r = requests.get(server + "/model/phi-2", headers={"Accept": "text/html"}, timeout=5)
    assert r.status_code == 200 and "text/html" in r.headers["Content-Type"]
    assert "Phi-2" in r.text and "Multi-head attention" in r.text
    c = requests.get(server + "/vocab/attention/gqa", timeout=5)
    assert c.status_code == 200 and "Grouped-query attention" in c.text
    assert requests.get(server + "/model/nope", timeout=5).status_code == 404
    o = requests.get(server + "/ontology", timeout=5)
    assert "number of parameters" in o.text and "LanguageModelShape" in o.text and "closeMatch" not in o.text
    assert "see also" in o.text
    # generic page: grouped by namespace with a prefix, each typed term once, shapes with their constraints
    assert "<code>slm:</code> <code>https://w3id.org/orkg-sync/slm#</code>" in o.text
    assert o.text.count('data-iri="https://w3id.org/orkg-sync/slm#numberOfParameters"') == 1
    assert 'id="shapes"' in o.text and "datatype <code>xsd:integer</code>" in o.text


def test_sparqlwrapper_all_result_formats(server: str) -> None:
    q = (
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> SELECT ?l "
        "{ ?m a <https://w3id.org/orkg-sync/slm#LanguageModel> ; rdfs:label ?l } ORDER BY ?l"
    )
    for method in ("GET", "POST"):
        sw = SPARQLWrapper(server + "/sparql")
        sw.setMethod(method)
        sw.setQuery(q)
        sw.setReturnFormat(JSON)
        res = sw.query().convert()
        assert [b["l"]["value"] for b in res["results"]["bindings"]] == ["Llama 3.2", "Phi-2", "TinyLlama"]
    sw.setReturnFormat(XML)
    xml = sw.query().convert()
    assert [n.firstChild.data for n in xml.getElementsByTagName("literal")] == [
        "Llama 3.2",
        "Phi-2",
        "TinyLlama",
    ]
    sw.setReturnFormat(CSV)
    assert sw.query().convert().decode().splitlines() == ["l", "Llama 3.2", "Phi-2", "TinyLlama"]
    sw.setReturnFormat(TSV)
    assert sw.query().convert().decode().splitlines()[1] == '"Llama 3.2"'


def test_construct_direct_post_and_cors(server: str, store: ox.Store) -> None:
    q = f"CONSTRUCT {{ <{MODEL}> ?p ?o }} WHERE {{ <{MODEL}> ?p ?o }}"
    r = requests.post(
        server + "/sparql",
        data=q.encode(),
        timeout=5,
        headers={"Content-Type": "application/sparql-query", "Accept": "application/n-triples"},
    )
    assert r.status_code == 200 and r.headers["Access-Control-Allow-Origin"] == "*"
    assert len(list(ox.parse(r.content, format=ox.RdfFormat.N_TRIPLES))) == len(
        list(store.quads_for_pattern(ox.NamedNode(MODEL), None, None, None))
    )


def test_read_only_malformed_and_limits(store: ox.Store) -> None:
    from orkg_sync.server import create_app
    from orkg_sync.server.sparql import Limits

    client = create_app(store, limits=Limits(seconds=10, max_bytes=2000)).test_client()
    r = client.post("/sparql", data={"update": "INSERT DATA { <urn:a> <urn:b> <urn:c> }"})
    assert r.status_code == 403
    r = client.post("/sparql", data={"query": "INSERT DATA { <urn:a> <urn:b> <urn:c> }"})
    assert r.status_code == 403 and "read-only" in r.text
    assert len(store) == len(list(store))
    r = client.get("/sparql", query_string={"query": "SELEC ?x"})
    assert r.status_code == 400 and r.text.startswith("malformed query")
    r = client.get("/sparql", query_string={"query": "SELECT * { ?s ?p ?o }"})
    assert r.status_code == 413 and "more than 2000 bytes" in r.text
    r = client.get("/sparql", query_string={"query": "SELECT * { ?s ?p ?o } LIMIT 5"})
    assert r.status_code == 200 and len(json.loads(r.data)["results"]["bindings"]) == 5
    slow = create_app(store, limits=Limits(seconds=0)).test_client()
    r = slow.get("/sparql", query_string={"query": "SELECT * { ?a ?b ?c . ?d ?e ?f }"})
    assert r.status_code == 503 and "time limit" in r.text


def test_well_known_void(server: str, release: Path) -> None:
    """One VoID: the served description is the release's void.ttl, whatever server answers it."""
    r = requests.get(server + "/.well-known/void", headers={"Accept": "text/turtle"}, timeout=5)
    assert r.content == (release / "void.ttl").read_bytes()
    g = rdflib.Graph().parse(data=r.text, format="turtle")
    assert list(g.objects(None, rdflib.URIRef("http://rdfs.org/ns/void#sparqlEndpoint"))) == [
        rdflib.URIRef("http://127.0.0.1/sparql")  # what the fixture built the release with
    ]
    assert len(list(g.objects(None, rdflib.URIRef("http://www.w3.org/ns/dcat#distribution")))) >= 4
