"""The reference engine: pyshacl with its defaults, its report read back into our Result records."""

from __future__ import annotations

import pyoxigraph as ox
import rdflib
from rdflib.namespace import SH

from orkg_sync.validate.report import Result


def _nt(term: rdflib.term.Node | None) -> str | None:
    """N-Triples form as pyoxigraph writes it (plain and xsd:string literals alike), for comparison."""
    if term is None:
        return None
    if isinstance(term, rdflib.Literal):
        if term.language:
            return str(ox.Literal(str(term), language=term.language))
        dt = str(term.datatype) if term.datatype else "http://www.w3.org/2001/XMLSchema#string"
        return str(ox.Literal(str(term), datatype=ox.NamedNode(dt)))
    return str(term.n3())


def run(store: ox.Store, shapes: rdflib.Graph, focus: set[str] | None = None) -> list[Result]:
    import pyshacl

    data = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph()) or b""
    graph = rdflib.Graph()
    graph.parse(data=data.decode("utf-8"), format="nt")
    nodes: list[str | rdflib.URIRef] | None = None
    if focus is not None:
        nodes = [rdflib.URIRef(f[1:-1]) for f in sorted(focus)]
    _, report, _ = pyshacl.validate(graph, shacl_graph=shapes, focus_nodes=nodes)
    assert isinstance(report, rdflib.Graph)
    out = []
    for r in report.subjects(rdflib.RDF.type, SH.ValidationResult):
        out.append(
            Result(
                _nt(report.value(r, SH.focusNode)) or "",
                _nt(report.value(r, SH.resultPath)),
                _nt(report.value(r, SH.value)),
                str(report.value(r, SH.resultSeverity)).rsplit("#", 1)[-1],
                _nt(report.value(r, SH.sourceShape)) or "",
                str(report.value(r, SH.sourceConstraintComponent)).rsplit("#", 1)[-1],
                str(report.value(r, SH.resultMessage) or ""),
            )
        )
    return out
