"""HTML documentation of the ontology and its SKOS concept schemes, generated from the loaded Turtle.

Each term lists its label, definition, alignments (subClassOf/subPropertyOf/equivalent/SKOS matches to
outside vocabularies) and the SHACL shapes that target or constrain it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyoxigraph as ox
from jinja2 import Environment, FileSystemLoader, select_autoescape

from orkg_sync.namespaces import OWL, RDF_TYPE, RDFS, SH, SKOS, SLM, SLM_ONTOLOGY, SLM_VOCAB
from orkg_sync.server.security import http_href

ONTOLOGY, VOCAB = SLM_ONTOLOGY, SLM_VOCAB

ALIGN = {
    RDFS + "subClassOf": "subclass of",
    RDFS + "subPropertyOf": "subproperty of",
    OWL + "equivalentClass": "equivalent class",
    OWL + "equivalentProperty": "equivalent property",
    RDFS + "seeAlso": "see also",
    SKOS + "exactMatch": "exact match",
    SKOS + "closeMatch": "close match",
    SKOS + "broadMatch": "broad match",
    SKOS + "narrowMatch": "narrow match",
    SKOS + "relatedMatch": "related match",
}
_ENV = Environment(
    loader=FileSystemLoader(Path(__file__).resolve().parent.parent / "server" / "templates"),
    autoescape=select_autoescape(["html"]),
)
_ENV.filters["http_href"] = http_href  # IRIs from the data: only http(s) ones become links


def _v(term: Any) -> str:
    return str(term.value)


def _one(store: ox.Store, s: Any, *preds: str) -> str:
    for p in preds:
        vals = sorted(_v(q.object) for q in store.quads_for_pattern(s, ox.NamedNode(p), None, None))
        if vals:
            return vals[0]
    return ""


def ontology_triples(store: ox.Store) -> list[ox.Triple]:
    """Triples about the ontology and its terms (subjects in the slm: namespace or the ontology IRI)."""
    out = set()
    for q in store.quads_for_pattern(None, None, None, None):
        s = q.subject
        if isinstance(s, ox.NamedNode) and (s.value == ONTOLOGY or s.value.startswith(SLM)):
            out.add(ox.Triple(s, q.predicate, q.object))
    return sorted(out, key=str)


def render_ontology_html(store: ox.Store) -> str:
    """The documentation page as one HTML string."""
    onto = ox.NamedNode(ONTOLOGY)
    subjects = sorted({_v(t.subject) for t in ontology_triples(store) if _v(t.subject) != ONTOLOGY})
    terms = []
    for iri in subjects:
        node = ox.NamedNode(iri)
        kinds = sorted(
            _v(q.object).rsplit("#", 1)[-1]
            for q in store.quads_for_pattern(node, ox.NamedNode(RDF_TYPE), None, None)
        )
        aligns = sorted(
            (ALIGN[q.predicate.value], _v(q.object))
            for q in store.quads_for_pattern(node, None, None, None)
            if q.predicate.value in ALIGN and isinstance(q.object, ox.NamedNode)
        )
        shapes = set()
        for q in store.quads_for_pattern(None, ox.NamedNode(SH + "targetClass"), node, None):
            shapes.add(_v(q.subject))
        for q in store.quads_for_pattern(None, ox.NamedNode(SH + "path"), node, None):
            shapes.add(_v(q.subject))
        terms.append(
            {
                "iri": iri,
                "anchor": iri[len(SLM) :],
                "label": _one(store, node, RDFS + "label", SKOS + "prefLabel") or iri[len(SLM) :],
                "definition": _one(store, node, SKOS + "definition", RDFS + "comment"),
                "kinds": ", ".join(kinds),
                "alignments": [{"rel": r, "iri": i} for r, i in aligns],
                "shapes": sorted(shapes),
            }
        )
    schemes = []
    for q in sorted(
        store.quads_for_pattern(
            None,
            ox.NamedNode(RDF_TYPE),
            ox.NamedNode(SKOS + "ConceptScheme"),
            None,
        ),
        key=lambda q: _v(q.subject),
    ):
        scheme = q.subject
        concepts = []
        for c in sorted(
            {
                _v(x.subject)
                for x in store.quads_for_pattern(None, ox.NamedNode(SKOS + "inScheme"), scheme, None)
            }
        ):
            cn = ox.NamedNode(c)
            concepts.append(
                {
                    "iri": c,
                    "href": "/vocab/" + c[len(VOCAB) :] if c.startswith(VOCAB) else c,
                    "label": _one(store, cn, SKOS + "prefLabel", RDFS + "label") or c,
                    "alt": ", ".join(
                        sorted(
                            _v(x.object)
                            for x in store.quads_for_pattern(cn, ox.NamedNode(SKOS + "altLabel"), None, None)
                        )
                    ),
                    "definition": _one(store, cn, SKOS + "definition"),
                }
            )
        schemes.append(
            {
                "iri": _v(scheme),
                "label": _one(store, scheme, SKOS + "prefLabel", RDFS + "label"),
                "concepts": concepts,
            }
        )
    title = _one(store, onto, RDFS + "label", "http://purl.org/dc/terms/title") or "Ontology"
    return _ENV.get_template("ontology.html").render(title=title, iri=ONTOLOGY, terms=terms, schemes=schemes)
