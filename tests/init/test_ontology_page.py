"""The ontology page of a mapping made by `init`: every property, every concept of every scheme and every
shape of the init files is on it, in the release (`dist/ontology/index.html`) and as served by `serve`.

What must be there is read from the Turtle files `init` wrote (pyoxigraph), never hard-coded.
"""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
import requests

from orkg_sync.namespaces import OWL, RDF_TYPE, SH, SKOS
from tests.init.conftest import run, serve_release

PROPERTY_KINDS = ("ObjectProperty", "DatatypeProperty", "AnnotationProperty")


class Page(HTMLParser):
    """The page's data-iri attributes by element class (term, scheme, shape) and concept <li>s."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.found: dict[str, list[str]] = {}
        self.scheme: str | None = None
        self.concepts: dict[str, set[str]] = {}
        self.text: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        iri, cls = a.get("data-iri"), a.get("class") or tag
        if iri is None:
            return
        self.found.setdefault(cls, []).append(iri)
        if cls == "scheme":
            self.scheme = iri
        elif tag == "li" and self.scheme is not None:
            self.concepts.setdefault(self.scheme, set()).add(iri)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _store(files: list[Path]) -> ox.Store:
    store = ox.Store()
    for f in files:
        store.load(path=str(f), format=ox.RdfFormat.TURTLE)
    return store


def _typed(store: ox.Store, *types: str) -> set[str]:
    t = ox.NamedNode(RDF_TYPE)
    return {q.subject.value for k in types for q in store.quads_for_pattern(None, t, ox.NamedNode(k))}


def _check(html: str, defn: Path) -> None:
    page = Page(html)
    onto = _store([defn / "ontology.ttl"])
    props = _typed(onto, *(OWL + k for k in PROPERTY_KINDS))
    assert props, "init wrote no property"
    assert props <= set(page.found.get("term", [])), props - set(page.found.get("term", []))
    assert len(page.found["term"]) == len(set(page.found["term"]))  # each term once
    parser = ox.parse(path=str(defn / "ontology.ttl"), format=ox.RdfFormat.TURTLE)
    list(parser)
    own = [  # the properties' namespace, headed by the file's own prefix
        (prefix, ns)
        for prefix, ns in parser.prefixes.items()
        if any(prop.startswith(ns) and "/" not in prop[len(ns) :] for prop in props)
    ]
    assert own and all(f"<code>{p}:</code> <code>{ns}</code>" in html for p, ns in own), own
    vocab = _store(sorted((defn / "vocab").glob("*.ttl")))
    in_scheme = ox.NamedNode(SKOS + "inScheme")
    schemes = _typed(vocab, SKOS + "ConceptScheme")
    assert set(page.found.get("scheme", [])) == schemes
    for scheme in schemes:
        concepts = {q.subject.value for q in vocab.quads_for_pattern(None, in_scheme, ox.NamedNode(scheme))}
        assert concepts and page.concepts.get(scheme) == concepts, scheme
    shapes = _store([defn / "shapes.ttl"])
    assert _typed(shapes, SH + "NodeShape") <= set(page.found.get("shape", []))
    text = " ".join(page.text)
    for q in onto.quads_for_pattern(None, ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"), None):
        assert q.object.value in text  # every label of the ontology file is shown
    for q in vocab.quads_for_pattern(None, ox.NamedNode(SKOS + "exactMatch"), None):
        assert f'href="{q.object.value}"' in html  # the concept's ORKG resource, as a link


@pytest.mark.parametrize("comparison", ["R9101001", "R9102001", "R9104001"])
def test_init_ontology_page_lists_every_term(comparison: str, tmp_path: Path, sandbox: Any) -> None:
    defn, ws, dist = tmp_path / "def", tmp_path / "ws", tmp_path / "dist"
    assert run(tmp_path, sandbox, "init", "--comparison", comparison, "--out", str(defn)).returncode == 0
    mapping = str(defn / "mapping.toml")
    proc = run(tmp_path, sandbox, "pull", "--comparison", comparison, "--mapping", mapping, "--out", str(ws))
    assert proc.returncode == 0, proc.stderr
    args = ("build", "--snapshot", str(ws / "snapshot.json"), "--mapping", mapping, "--out", str(dist))
    assert run(tmp_path, sandbox, *args).returncode == 0
    html = (dist / "ontology" / "index.html").read_text(encoding="utf-8")
    _check(html, defn)
    assert html == (dist / "ontology" / "index.html").read_text(encoding="utf-8")
    again = tmp_path / "dist2"
    assert run(tmp_path, sandbox, *args[:-1], str(again)).returncode == 0
    assert (again / "ontology" / "index.html").read_text(encoding="utf-8") == html  # deterministic
    with serve_release(dist, tmp_path, "--mapping", mapping) as url:
        r = requests.get(url + "/ontology", headers={"Accept": "text/html"}, timeout=30)
        assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/html")
        _check(r.text, defn)
