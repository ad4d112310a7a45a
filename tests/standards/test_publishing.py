"""Over a real socket: one VoID (the served one is the file), 406 for what we cannot serve, Link headers, a
model's RDF links to its value records, and data.jsonld readable with no network (pyld and rdflib)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import rdflib
import requests
from pyld import jsonld
from rdflib.compare import isomorphic

MODEL = "https://w3id.org/orkg-sync/r790020/model/mobilellm"
SLM = "https://w3id.org/orkg-sync/slm#"
OSYNC = "https://w3id.org/orkg-sync/ns#"


def test_served_void_is_the_file(dist: Path, served: str) -> None:
    r = requests.get(served + "/.well-known/void", headers={"Accept": "text/turtle"}, timeout=10)
    assert r.status_code == 200 and r.content == (dist / "void.ttl").read_bytes()
    ld = requests.get(served + "/.well-known/void", headers={"Accept": "application/ld+json"}, timeout=10)
    a = rdflib.Graph().parse(data=ld.content, format="json-ld")
    assert isomorphic(a, rdflib.Graph().parse(dist / "void.ttl", format="turtle"))
    # the dataset IRI itself gives the same description to an RDF client
    ds = requests.get(served + "/", headers={"Accept": "text/turtle"}, timeout=10)
    assert ds.content == (dist / "void.ttl").read_bytes() and "Accept" in ds.headers["Vary"]


@pytest.mark.parametrize(
    "accept", ["application/n-quads", "application/trig", "application/xml", "image/png"]
)
def test_unservable_types_get_406_with_the_offer(served: str, accept: str) -> None:
    for path in ("/", "/model/phi-2", "/.well-known/void", "/vocab/attention/gqa", "/ontology"):
        r = requests.get(served + path, headers={"Accept": accept}, timeout=10)
        assert r.status_code == 406, (path, accept)
        assert "text/turtle" in r.text and "application/ld+json" in r.text


def test_browser_accept_still_gets_html(served: str) -> None:
    accept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    r = requests.get(served + "/model/phi-2", headers={"Accept": accept}, timeout=10)
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/html")


def test_link_headers(served: str) -> None:
    r = requests.get(served + "/", timeout=10)
    assert r.links["describedby"]["url"] == "/.well-known/void"
    m = requests.get(served + "/model/phi-2", headers={"Accept": "text/turtle"}, timeout=10)
    alternates = [v for k, v in m.links.items() if k == "alternate"] or []
    assert 'rel="alternate"; type="application/ld+json"' in m.headers["Link"] and alternates


def test_model_rdf_links_to_its_value_records(served: str) -> None:
    r = requests.get(served + "/model/mobilellm", headers={"Accept": "text/turtle"}, timeout=10)
    g = rdflib.Graph().parse(data=r.content, format="turtle")
    records = set(g.subjects(rdflib.URIRef(OSYNC + "model"), rdflib.URIRef(MODEL)))
    assert len(records) >= 5
    # a record resolves, and carries the text outside the vocabulary as a note
    note = rdflib.URIRef("http://www.w3.org/2004/02/skos/core#note")
    texts = []
    for rec in records:
        path = str(rec)[len("https://w3id.org/orkg-sync/r790020") :]
        rr = requests.get(served + path, headers={"Accept": "text/turtle"}, timeout=10)
        texts += [str(o) for o in rdflib.Graph().parse(data=rr.content, format="turtle").objects(rec, note)]
    assert texts == ["Unknown (1T tokens)"]


def test_jsonld_download_reads_with_no_network(dist: Path) -> None:
    def no_network(url: str, options: dict | None = None) -> dict:  # type: ignore[type-arg]
        raise AssertionError(f"pyld tried to fetch {url}")

    doc = json.loads((dist / "data.jsonld").read_text(encoding="utf-8"))
    assert isinstance(doc["@context"], dict)
    nq = jsonld.to_rdf(doc, {"format": "application/n-quads", "documentLoader": no_network})
    turtle = rdflib.Graph().parse(dist / "data.ttl", format="turtle")
    assert isomorphic(rdflib.Graph().parse(data=nq, format="nt"), turtle)
    # rdflib's own JSON-LD parser, which would fetch a remote context, needs nothing either
    assert isomorphic(rdflib.Graph().parse(dist / "data.jsonld", format="json-ld"), turtle)


def test_release_dates_are_the_build_date_and_stable(dist: Path) -> None:
    from orkg_sync.build import build

    void = (dist / "void.ttl").read_text()
    assert 'dct:issued "2026-12-01T00:00:00Z"^^xsd:dateTime' in void and '"1970-01-01' not in void
    assert "dct:hasVersion" not in void and "dcat:version" in void
    again = build(date="2026-12-01T00:00:00Z").files
    assert again["void.ttl"] == (dist / "void.ttl").read_bytes()
    assert again["data.ttl"] == (dist / "data.ttl").read_bytes()


@pytest.mark.parametrize(
    ("accept", "chosen"),
    [
        ("", "text/html"),
        ("*/*", "text/html"),
        ("text/turtle;q=0.5, */*;q=0.1", "text/turtle"),
        ("application/ld+json, text/html", "text/html"),  # a tie goes to HTML
        ("text/html;q=0, text/turtle;q=0.2", "text/turtle"),
        ("text/html;q=0", None),  # q=0 means "not this one"
        ("application/n-quads", None),
    ],
)
def test_negotiation_rules(accept: str, chosen: str | None) -> None:
    from orkg_sync.server.conneg import negotiate

    assert negotiate(accept) == chosen
