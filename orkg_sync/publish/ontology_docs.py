"""HTML documentation of whatever ontology it is given: terms, SKOS concept schemes and SHACL shapes.

Every class and property (object, datatype, annotation, plain ``rdf:Property``) and every deprecated
alias in the store is documented, grouped by namespace with the prefixes the Turtle files declare, in
a deterministic order. Each term lists its label, comment/definition, domain and range, alignments
(subClassOf/subPropertyOf/equivalent/seeAlso/SKOS matches, as links) and the shapes that target or
constrain it; each scheme lists its concepts; each node shape lists its property shapes' constraints.
The same function renders the survey ontology of R790020 and the ontology `orkg-sync init` writes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from jinja2 import Environment, FileSystemLoader, select_autoescape

from orkg_sync.namespaces import OSYNC_ONTOLOGY, OWL, PREFIXES, RDF, RDF_TYPE, RDFS, SH, SKOS, SLM
from orkg_sync.namespaces import SLM_ONTOLOGY as ONTOLOGY
from orkg_sync.namespaces import SLM_VOCAB as VOCAB
from orkg_sync.server.security import http_href

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
# section title -> the rdf:type values that put a term in it (first match wins, in this order)
KINDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Classes", (OWL + "Class", RDFS + "Class")),
    ("Object properties", (OWL + "ObjectProperty",)),
    ("Datatype properties", (OWL + "DatatypeProperty",)),
    ("Annotation properties", (OWL + "AnnotationProperty",)),
    ("Other properties", (RDF + "Property",)),
)
UNTYPED = {OWL + "equivalentClass": "Classes", OWL + "equivalentProperty": "Other properties"}
CONSTRAINTS = [
    "minCount",
    "maxCount",
    "datatype",
    "class",
    "nodeKind",
    "in",
    "pattern",
    "flags",
    "minInclusive",
    "maxInclusive",
    "minExclusive",
    "maxExclusive",
    "minLength",
    "maxLength",
    "hasValue",
    "node",
    "severity",
    "message",
]
_ENV = Environment(
    loader=FileSystemLoader(Path(__file__).resolve().parent.parent / "server" / "templates"),
    autoescape=select_autoescape(["html"]),
)
_ENV.filters["http_href"] = http_href  # IRIs from the data: only http(s) ones become links
_TYPE = ox.NamedNode(RDF_TYPE)


def _v(term: Any) -> str:
    return str(term.value)


def _objects(store: ox.Store, s: Any, p: str) -> list[Any]:
    return sorted({q.object for q in store.quads_for_pattern(s, ox.NamedNode(p), None, None)}, key=str)


def _one(store: ox.Store, s: Any, *preds: str) -> str:
    for p in preds:
        vals = sorted(_v(o) for o in _objects(store, s, p))
        if vals:
            return vals[0]
    return ""


def prefixes_of(files: Iterable[Path]) -> dict[str, str]:
    """Prefix -> namespace as the Turtle files declare them; the first file wins a clash."""
    out: dict[str, str] = {}
    for path in files:
        parser = ox.parse(path=str(path), format=ox.RdfFormat.TURTLE)
        for _ in parser:
            pass
        for prefix, ns in sorted(parser.prefixes.items()):
            if ns in out.values():
                continue
            if prefix in out:  # each init file says ":" for its own namespace: name it after its last segment
                prefix = re.sub(r"[^A-Za-z0-9_-]", "", ns.rstrip("/#").rsplit("/", 1)[-1]) or prefix
            if prefix not in out and (prefix[:1].isalpha() or prefix == ""):
                out[prefix] = ns
    return out


def namespace_of(iri: str) -> str:
    cut = max(iri.rfind("#"), iri.rfind("/"))
    return iri[: cut + 1] if cut >= 0 else iri


class _Names:
    """IRIs as CURIEs (the files' prefixes first, then the tool's) and unique anchors."""

    def __init__(self, prefixes: dict[str, str] | None) -> None:
        merged = dict(prefixes or {})
        for p, ns in PREFIXES.items():
            if p not in merged and ns not in merged.values():
                merged[p] = ns
        self.by_ns = {ns: p for p, ns in merged.items()}

    def prefix(self, ns: str) -> str | None:
        return self.by_ns.get(ns)

    def curie(self, iri: str) -> str:
        ns = namespace_of(iri)
        p = self.by_ns.get(ns)
        return f"{p}:{iri[len(ns) :]}" if p is not None and iri != ns else iri


def _kind(store: ox.Store, node: ox.NamedNode) -> str | None:
    types = {_v(o) for o in _objects(store, node, RDF_TYPE)}
    for title, iris in KINDS:
        if types & set(iris):
            return title
    for pred, title in UNTYPED.items():
        if _objects(store, node, pred):
            return title
    return None


def _candidates(store: ox.Store) -> list[ox.NamedNode]:
    """Subjects typed as a class or property, plus untyped aliases (equivalentClass/Property)."""
    found: set[ox.NamedNode] = set()
    for _, iris in KINDS:
        for iri in iris:
            found.update(
                q.subject
                for q in store.quads_for_pattern(None, _TYPE, ox.NamedNode(iri), None)
                if isinstance(q.subject, ox.NamedNode)
            )
    for pred in UNTYPED:
        found.update(
            q.subject
            for q in store.quads_for_pattern(None, ox.NamedNode(pred), None, None)
            if isinstance(q.subject, ox.NamedNode)
        )
    return sorted(found, key=_v)


def _links(store: ox.Store, node: Any, names: _Names, table: dict[str, str]) -> list[dict[str, str]]:
    return [
        {"rel": table[q.predicate.value], "iri": _v(q.object), "curie": names.curie(_v(q.object))}
        for q in sorted(store.quads_for_pattern(node, None, None, None), key=str)
        if q.predicate.value in table and isinstance(q.object, ox.NamedNode)
    ]


def _shapes_about(store: ox.Store, node: ox.NamedNode) -> list[str]:
    shapes = {
        _v(q.subject) for q in store.quads_for_pattern(None, ox.NamedNode(SH + "targetClass"), node, None)
    }
    shapes |= {_v(q.subject) for q in store.quads_for_pattern(None, ox.NamedNode(SH + "path"), node, None)}
    return sorted(shapes)


def _term(store: ox.Store, node: ox.NamedNode, names: _Names) -> dict[str, Any]:
    iri = _v(node)
    ns = namespace_of(iri)
    label = _one(store, node, RDFS + "label", SKOS + "prefLabel")
    return {
        "iri": iri,
        "local": iri[len(ns) :] or iri,
        "curie": names.curie(iri),
        "label": label or iri[len(ns) :] or iri,
        "definition": _one(store, node, SKOS + "definition"),
        "comment": _one(store, node, RDFS + "comment"),
        "kinds": ", ".join(sorted(names.curie(_v(o)) for o in _objects(store, node, RDF_TYPE))),
        "deprecated": _one(store, node, OWL + "deprecated") in ("true", "1"),
        "domain": [names.curie(_v(o)) for o in _objects(store, node, RDFS + "domain")],
        "range": [names.curie(_v(o)) for o in _objects(store, node, RDFS + "range")],
        "alignments": _links(store, node, names, ALIGN),
        "shapes": [names.curie(s) for s in _shapes_about(store, node)],
    }


def _groups(store: ox.Store, names: _Names, onto: str) -> list[dict[str, Any]]:
    """Namespaces (the page's own first, then by prefix), each with its terms by kind and label."""
    by_ns: dict[str, list[dict[str, Any]]] = {}
    for node in _candidates(store):
        kind = _kind(store, node)
        if kind is not None:
            by_ns.setdefault(namespace_of(_v(node)), []).append({**_term(store, node, names), "kind": kind})
    main = (onto + "#", onto + "/")
    order = sorted(
        by_ns, key=lambda ns: (not ns.startswith(main), names.prefix(ns) is None, names.prefix(ns) or "", ns)
    )
    used: set[str] = set()
    groups = []
    for ns in order:
        rank = {title: i for i, (title, _) in enumerate(KINDS)}
        terms = sorted(by_ns[ns], key=lambda t: (rank[t["kind"]], t["label"].lower(), t["iri"]))
        for t in terms:  # an anchor per term: its local name, or prefix-local where that is taken
            anchor = t["local"] if t["local"] not in used else f"{names.prefix(ns) or 'ns'}-{t['local']}"
            t["anchor"] = anchor
            used.add(anchor)
        sections = [
            {"title": title, "terms": [t for t in terms if t["kind"] == title]}
            for title, _ in KINDS
            if any(t["kind"] == title for t in terms)
        ]
        groups.append({"namespace": ns, "prefix": names.prefix(ns), "sections": sections})
    return groups


def _concept(store: ox.Store, c: str, names: _Names) -> dict[str, Any]:
    cn = ox.NamedNode(c)
    return {
        "iri": c,
        "href": "/vocab/" + c[len(VOCAB) :] if c.startswith(VOCAB) else c,
        "label": _one(store, cn, SKOS + "prefLabel", RDFS + "label") or c,
        "alt": ", ".join(sorted(_v(o) for o in _objects(store, cn, SKOS + "altLabel"))),
        "definition": _one(store, cn, SKOS + "definition", RDFS + "comment"),
        "links": _links(store, cn, names, {k: v for k, v in ALIGN.items() if k.startswith(SKOS)}),
    }


def _schemes(store: ox.Store, names: _Names) -> list[dict[str, Any]]:
    scheme_type = ox.NamedNode(SKOS + "ConceptScheme")
    out = []
    for scheme in sorted(
        {q.subject for q in store.quads_for_pattern(None, _TYPE, scheme_type, None)}, key=_v
    ):
        members = {
            _v(q.subject)
            for q in store.quads_for_pattern(None, ox.NamedNode(SKOS + "inScheme"), scheme, None)
        }
        concepts = [_concept(store, c, names) for c in sorted(members)]
        concepts.sort(key=lambda c: (str(c["label"]).lower(), str(c["iri"])))
        out.append(
            {
                "iri": _v(scheme),
                "curie": names.curie(_v(scheme)),
                "label": _one(store, scheme, SKOS + "prefLabel", RDFS + "label") or _v(scheme),
                "definition": _one(store, scheme, SKOS + "definition", RDFS + "comment"),
                "concepts": concepts,
            }
        )
    return out


def _rdf_list(store: ox.Store, head: Any) -> list[Any]:
    items: list[Any] = []
    while head is not None and _v(head) != RDF + "nil" and len(items) < 10_000:
        items += _objects(store, head, RDF + "first")[:1]
        rest = _objects(store, head, RDF + "rest")
        head = rest[0] if rest else None
    return items


def _show(store: ox.Store, term: Any, names: _Names) -> str:
    if isinstance(term, ox.NamedNode):
        return names.curie(term.value)
    if isinstance(term, ox.BlankNode):  # sh:in (...) and other lists
        return "(" + " ".join(_show(store, x, names) for x in _rdf_list(store, term)) + ")"
    return str(term.value)


def _property_shape(store: ox.Store, ps: Any, names: _Names) -> dict[str, Any]:
    constraints = [
        {"name": c, "value": "; ".join(_show(store, o, names) for o in _objects(store, ps, SH + c))}
        for c in CONSTRAINTS
        if _objects(store, ps, SH + c)
    ]
    path = _objects(store, ps, SH + "path")
    order = _one(store, ps, SH + "order")
    return {
        "iri": _show(store, ps, names),
        "path": _show(store, path[0], names) if path else "",
        "name": _one(store, ps, SH + "name", RDFS + "label"),
        "order": float(order) if order.lstrip("-").replace(".", "", 1).isdigit() else None,
        "constraints": constraints,
    }


def _shapes(store: ox.Store, names: _Names) -> list[dict[str, Any]]:
    """Node shapes (typed, or with a target class), each with its property shapes in sh:order."""
    nodes = {q.subject for q in store.quads_for_pattern(None, _TYPE, ox.NamedNode(SH + "NodeShape"), None)}
    nodes |= {q.subject for q in store.quads_for_pattern(None, ox.NamedNode(SH + "targetClass"), None, None)}
    out = []
    for node in sorted((n for n in nodes if isinstance(n, ox.NamedNode)), key=_v):
        props = [_property_shape(store, ps, names) for ps in _objects(store, node, SH + "property")]
        props.sort(key=lambda p: (p["order"] is None, p["order"] or 0, p["path"], p["iri"]))
        out.append(
            {
                "iri": _v(node),
                "curie": names.curie(_v(node)),
                "label": _one(store, node, RDFS + "label", SH + "name"),
                "comment": _one(store, node, RDFS + "comment", SH + "description"),
                "targets": [names.curie(_v(o)) for o in _objects(store, node, SH + "targetClass")],
                "closed": _one(store, node, SH + "closed") == "true",
                "properties": props,
            }
        )
    return out


def _title(store: ox.Store) -> tuple[str, str]:
    """The page's ontology (IRI, title): the first titled owl:Ontology that is not the shared sync one."""
    ontos = sorted(
        (_v(q.subject) for q in store.quads_for_pattern(None, _TYPE, ox.NamedNode(OWL + "Ontology"), None)),
        key=lambda iri: (iri != ONTOLOGY, iri == OSYNC_ONTOLOGY, iri),
    )
    for iri in ontos:
        title = _one(store, ox.NamedNode(iri), RDFS + "label", "http://purl.org/dc/terms/title")
        if title:
            return iri, title
    return (ontos[0] if ontos else ONTOLOGY), "Ontology"


def ontology_triples(store: ox.Store) -> list[ox.Triple]:
    """Triples about the survey ontology and its terms (subjects in slm: or the ontology IRI)."""
    out = set()
    for q in store.quads_for_pattern(None, None, None, None):
        s = q.subject
        if isinstance(s, ox.NamedNode) and (s.value == ONTOLOGY or s.value.startswith(SLM)):
            out.add(ox.Triple(s, q.predicate, q.object))
    return sorted(out, key=str)


def render_ontology_html(store: ox.Store, prefixes: dict[str, str] | None = None) -> str:
    """The documentation page as one HTML string; ``prefixes``: those the ontology's files declare."""
    names = _Names(prefixes)
    iri, title = _title(store)
    return _ENV.get_template("ontology.html").render(
        title=title,
        iri=iri,
        groups=_groups(store, names, iri),
        schemes=_schemes(store, names),
        shapes=_shapes(store, names),
    )
