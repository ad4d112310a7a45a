"""R790020's ontology page (the release's ``ontology/index.html``): every term, concept and shape of the
shipped Turtle files is on it, grouped by namespace with the files' prefixes, and nothing it showed
before the page became generic is lost. What must be there is read from the Turtle, never hard-coded."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pyoxigraph as ox
import pytest

from orkg_sync.build import _resource_files
from orkg_sync.namespaces import OSYNC, OWL, RDF_TYPE, RDFS, SH, SKOS, SLM
from orkg_sync.publish.ontology_docs import prefixes_of, render_ontology_html
from orkg_sync.resources import ontology_dir, shapes_dir


class Page(HTMLParser):
    def __init__(self, html: str) -> None:
        super().__init__()
        self.iris: dict[str, list[str]] = {}
        self.ids: list[str] = []
        self.text: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if a.get("id"):
            self.ids.append(str(a["id"]))
        if a.get("data-iri"):
            self.iris.setdefault(str(a.get("class") or tag), []).append(str(a["data-iri"]))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


@pytest.fixture(scope="module")
def page() -> tuple[str, Page]:
    html = _resource_files()["ontology/index.html"].decode("utf-8")
    return html, Page(html)


def _store(*globs: str) -> ox.Store:
    store = ox.Store()
    for pattern in globs:
        root = shapes_dir() if pattern.startswith("shapes:") else ontology_dir()
        for f in sorted(root.glob(pattern.removeprefix("shapes:"))):
            store.load(path=str(f), format=ox.RdfFormat.TURTLE)
    return store


def test_every_slm_and_osync_term_once(page: tuple[str, Page]) -> None:
    _html, p = page
    onto = _store("slm.ttl", "orkg-sync.ttl")
    subjects = {q.subject.value for q in onto if isinstance(q.subject, ox.NamedNode)}
    want = {s for s in subjects if s.startswith((SLM, OSYNC)) and not s.startswith(SLM + "shapes")}
    terms = p.iris["term"]
    assert want <= set(terms), want - set(terms)
    assert len(terms) == len(set(terms)) and len(p.ids) == len(set(p.ids))  # each term and anchor once
    text = " ".join(p.text)
    for s in want:  # every label, definition and comment of those terms is shown
        for pred in (RDFS + "label", SKOS + "definition", RDFS + "comment"):
            for q in onto.quads_for_pattern(ox.NamedNode(s), ox.NamedNode(pred), None):
                assert " ".join(q.object.value.split()) in " ".join(text.split()), (s, pred)
    # the anchors the page always had (slm local names) still work: w3id links slm#term to /ontology#term
    for s in want:
        if s.startswith(SLM):
            assert s[len(SLM) :] in p.ids


def test_namespaces_use_the_files_prefixes(page: tuple[str, Page]) -> None:
    html, _p = page
    declared = prefixes_of(sorted(ontology_dir().rglob("*.ttl")))
    heads = re.findall(r'<section class="namespace" id="ns-\d+"><h2>(.*?)</h2>', html)
    assert heads[0] == f"<code>slm:</code> <code>{SLM}</code>"  # the page's own namespace first
    assert f"<code>osync:</code> <code>{declared['osync']}</code>" in heads
    assert len(heads) == len(set(heads))


def test_every_concept_and_shape(page: tuple[str, Page]) -> None:
    html, p = page
    vocab = _store("vocab/*.ttl")
    schemes = {
        q.subject.value
        for q in vocab.quads_for_pattern(None, ox.NamedNode(RDF_TYPE), ox.NamedNode(SKOS + "ConceptScheme"))
    }
    assert schemes and set(p.iris["scheme"]) == schemes
    concepts = {q.subject.value for q in vocab.quads_for_pattern(None, ox.NamedNode(SKOS + "inScheme"), None)}
    assert concepts == set(p.iris["li"])
    for q in vocab.quads_for_pattern(None, ox.NamedNode(SKOS + "exactMatch"), None):
        assert f'href="{q.object.value}"' in html  # links, not just text
    shapes = _store("shapes:*.ttl")
    nodes = {q.subject.value for q in shapes.quads_for_pattern(None, ox.NamedNode(SH + "targetClass"), None)}
    assert nodes <= set(p.iris["shape"])


def test_page_is_deterministic_and_kinds_are_sorted() -> None:
    store = ox.Store()
    for f in sorted(ontology_dir().rglob("*.ttl")):
        store.load(path=str(f), format=ox.RdfFormat.TURTLE)
    one = render_ontology_html(store)
    shuffled = ox.Store()
    shuffled.extend(sorted(store, key=lambda q: str(q)[::-1]))  # another insertion order
    assert render_ontology_html(shuffled) == one
    kinds = re.findall(
        r"<h3>(Classes|Object properties|Datatype properties|Annotation properties|Other properties)</h3>",
        one,
    )
    assert kinds and kinds.index("Classes") == 0


def test_a_hostile_iri_is_not_a_link() -> None:
    store = ox.Store()
    term = ox.NamedNode("https://example.org/o#p")
    store.add(ox.Quad(term, ox.NamedNode(RDF_TYPE), ox.NamedNode(OWL + "ObjectProperty")))
    store.add(ox.Quad(term, ox.NamedNode(RDFS + "seeAlso"), ox.NamedNode("javascript:alert(1)")))
    store.add(ox.Quad(term, ox.NamedNode(RDFS + "label"), ox.Literal("<script>x</script>")))
    html = render_ontology_html(store)
    assert 'href="javascript' not in html and "<script>x" not in html and "see also" in html
