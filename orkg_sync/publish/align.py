"""Materialise the ontology's alignment beside our own terms, so a consumer without a reasoner sees them.

Two sources, both declared, none hand-coded here:

* ``rdfs:subPropertyOf`` / ``owl:equivalentProperty`` in ``slm.ttl`` from an ``slm:`` property to an
  outside one (``slm:trainingDataset`` -> ``it6:trainedOn``, ``fair4ml:trainedOn``; ``slm:releaseDate`` ->
  ``it6:releaseDate``, ``schema:datePublished``): every ``s slm:p o`` also gets ``s super o`` (RDFS rule 7,
  transitively, only towards other vocabularies);
* the SHACL-AF ``sh:SPARQLRule`` constructs of ``ontology/align.ttl`` (titles, identifiers, creation
  dates and descriptions that come from another property, e.g. ``rdfs:label`` -> ``dct:title``).
"""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox

from orkg_sync.resources import ontology_dir

SLM = "https://w3id.org/orkg-sync/slm#"
SH = "http://www.w3.org/ns/shacl#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"

_SUPER = f"""PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> PREFIX owl: <http://www.w3.org/2002/07/owl#>
SELECT DISTINCT ?p ?q WHERE {{
  ?p (rdfs:subPropertyOf|owl:equivalentProperty|^owl:equivalentProperty)+ ?q
  FILTER(isIRI(?q) && STRSTARTS(STR(?p), "{SLM}") && !STRSTARTS(STR(?q), "{SLM}"))
}}"""


def super_properties(ontology: ox.Store) -> dict[str, list[str]]:
    """slm: property -> the outside properties it is declared a sub-property (or equivalent) of."""
    out: dict[str, list[str]] = {}
    for row in ontology.query(_SUPER):  # type: ignore[union-attr]
        out.setdefault(row["p"].value, []).append(row["q"].value)
    return {p: sorted(qs) for p, qs in sorted(out.items())}


def rules(path: Path | None = None) -> list[str]:
    """The CONSTRUCT queries of the SHACL-AF rules file, with the prefixes it declares, in file order."""
    g = ox.Store()
    g.load(path=str(path or ontology_dir() / "align.ttl"), format=ox.RdfFormat.TURTLE)
    q = f"""PREFIX sh: <{SH}>
    SELECT ?construct
           (GROUP_CONCAT(DISTINCT CONCAT("PREFIX ", ?pfx, ": <", STR(?ns), ">"); separator=" ") AS ?head)
    WHERE {{ ?shape sh:rule ?rule . ?rule a sh:SPARQLRule ; sh:construct ?construct ; sh:prefixes ?o .
             ?o sh:declare [ sh:prefix ?pfx ; sh:namespace ?ns ] }}
    GROUP BY ?construct ORDER BY ?construct"""
    return [f"{r['head'].value}\n{r['construct'].value}" for r in g.query(q)]  # type: ignore[union-attr]


def _ontology() -> ox.Store:
    g = ox.Store()
    g.load(path=str(ontology_dir() / "slm.ttl"), format=ox.RdfFormat.TURTLE)
    return g


def materialise(store: ox.Store, ontology: ox.Store | None = None) -> int:
    """Add the aligned triples for the data in ``store``'s default graph, inside the store (SPARQL
    UPDATE: no Python term per triple); the number of triples added.

    The two sources are independent (the sub-property closure reads and writes no term the rules
    read, the rules write only ``dct:`` terms), so running them in turn equals computing all from the
    data as it was.
    """
    supers = super_properties(ontology if ontology is not None else _ontology())
    before = len(store)
    updates = [
        f"INSERT {{ ?s <{target}> ?o }} WHERE {{ ?s <{prop}> ?o }}"
        for prop, targets in supers.items()
        for target in targets
    ]
    updates += [_CONSTRUCT.sub("INSERT", construct, count=1) for construct in rules()]
    for update in updates:
        store.update(update)
    return len(store) - before


_CONSTRUCT = re.compile(r"\bCONSTRUCT\b")


__all__ = ["materialise", "rules", "super_properties"]
