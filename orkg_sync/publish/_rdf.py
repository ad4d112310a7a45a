"""Private serializers used until ``orkg_sync.export`` lands (the coordinator swaps them for the shared ones).

Only what the release needs: prefixed Turtle, sorted N-Triples, compacted JSON-LD with a context.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

import pyoxigraph as ox

PREFIXES: dict[str, str] = {
    "slm": "https://w3id.org/orkg-sync/slm#",
    "slmv": "https://w3id.org/orkg-sync/slm/vocab/",
    "r790020": "https://w3id.org/orkg-sync/r790020/",
    "orkgr": "http://orkg.org/orkg/resource/",
    "orkgp": "http://orkg.org/orkg/predicate/",
    "orkgc": "http://orkg.org/orkg/class/",
    "it6": "http://data.europa.eu/it6/",
    "fair4ml": "https://w3id.org/fair4ml#",
    "schema": "http://schema.org/",
    "dct": "http://purl.org/dc/terms/",
    "dcat": "http://www.w3.org/ns/dcat#",
    "prov": "http://www.w3.org/ns/prov#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "void": "http://rdfs.org/ns/void#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "sh": "http://www.w3.org/ns/shacl#",
    "foaf": "http://xmlns.com/foaf/0.1/",
}


def triples_of(quads: Iterable[ox.Quad | ox.Triple]) -> list[ox.Triple]:
    """Default-graph view as triples, sorted by their N-Triples form (deterministic order)."""
    out = {ox.Triple(q.subject, q.predicate, q.object) for q in quads}
    return sorted(out, key=str)


def to_ntriples(quads: Iterable[ox.Quad | ox.Triple]) -> bytes:
    """Sorted N-Triples: one triple a line, byte-stable, diff-friendly."""
    lines = sorted({f"{t} ." for t in triples_of(quads)})
    return ("\n".join(lines) + "\n").encode("utf-8") if lines else b""


def to_turtle(quads: Iterable[ox.Quad | ox.Triple], base: str | None = None) -> bytes:
    """Turtle with the project prefixes; input is sorted first so output is byte-stable."""
    prefixes = dict(PREFIXES)
    if base:
        prefixes["r790020"] = base
    data = ox.serialize(triples_of(quads), format=ox.RdfFormat.TURTLE, prefixes=prefixes)
    assert data is not None
    # pyoxigraph writes the prefix lines in hash order: sort them so the file is byte-stable.
    lines = data.decode("utf-8").split("\n")
    head = sorted(line for line in lines if line.startswith("@prefix "))
    rest = [line for line in lines if not line.startswith("@prefix ")]
    return "\n".join(head + rest).encode("utf-8")


def jsonld_context(base: str | None = None) -> dict[str, object]:
    """The JSON-LD context published beside the data (prefix map only: no term coercions to drift)."""
    ctx: dict[str, object] = dict(sorted(PREFIXES.items()))
    if base:
        ctx["r790020"] = base
    return {"@context": ctx}


def to_jsonld(quads: Iterable[ox.Quad | ox.Triple], context_url: str, base: str | None = None) -> bytes:
    """Compacted JSON-LD referencing the published context by URL (rdflib does the compaction)."""
    import rdflib

    g = rdflib.Graph()
    g.parse(data=to_ntriples(quads).decode("utf-8"), format="nt")
    ctx = jsonld_context(base)["@context"]
    doc = json.loads(g.serialize(format="json-ld", context=ctx, sort_keys=True))
    if isinstance(doc, dict):
        graph = doc.get("@graph", [doc] if "@id" in doc else [])
        if isinstance(graph, dict):
            graph = [graph]
        graph = sorted(graph, key=lambda n: str(n.get("@id", "")))
        doc = {"@context": context_url, "@graph": graph}
    return (json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")
