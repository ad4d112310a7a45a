"""The dataset as (model, column) -> value set, the level at which sync compares and writes.

A model is keyed by its ORKG contribution id (`slm:orkgContribution`); a model without one is new
(keyed ``new:<model IRI>``). Values are the RDF objects in N-Triples form, so a value is "changed"
exactly when the dataset says something different, however ORKG happened to spell it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import pyoxigraph as ox

from orkg_sync.mapping import Mapping

SLM = "https://w3id.org/orkg-sync/slm#"
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
CONTRIBUTION = SLM + "orkgContribution"
MODEL_CLASS = SLM + "LanguageModel"
ORKG_RESOURCE = "http://orkg.org/orkg/resource/"
PARAMS = SLM + "numberOfParameters"
MIN, MAX = SLM + "minNumberOfParameters", SLM + "maxNumberOfParameters"


@dataclass
class ModelState:
    key: str  # contribution id, or new:<iri>
    iri: str
    label: str
    values: dict[str, frozenset[str]] = field(default_factory=dict)  # column IRI -> N-Triples objects

    def column(self, prop: str) -> frozenset[str]:
        return self.values.get(prop, frozenset())


def columns(mapping: Mapping) -> list[str]:
    """The synced columns: the model name (rdfs:label) and every mapped property."""
    return [LABEL, *(pm.property for pm in mapping.properties)]


def dataset_state(quads: Iterable[ox.Quad], mapping: Mapping) -> dict[str, ModelState]:
    """Every model in the graph with its column values; the parameter column includes min/max."""
    by_subject: dict[str, dict[str, set[str]]] = {}
    contribution: dict[str, str] = {}
    models: set[str] = set()
    wanted = set(columns(mapping)) | {MIN, MAX}
    for q in quads:
        if not isinstance(q.subject, ox.NamedNode):
            continue
        s, p = q.subject.value, q.predicate.value
        if p == RDF_TYPE and isinstance(q.object, ox.NamedNode) and q.object.value == MODEL_CLASS:
            models.add(s)
        elif p == CONTRIBUTION and isinstance(q.object, ox.NamedNode):
            contribution[s] = q.object.value.removeprefix(ORKG_RESOURCE)
        elif p in wanted:
            by_subject.setdefault(s, {}).setdefault(p, set()).add(str(q.object))
    out: dict[str, ModelState] = {}
    for iri in sorted(models):
        vals = by_subject.get(iri, {})
        key = contribution.get(iri) or f"new:{iri}"
        label_set = vals.get(LABEL, set())
        label = ox.Literal("")  # placeholder for a model without a name
        state = ModelState(key, iri, _lexical(min(label_set)) if label_set else str(label.value))
        for prop in columns(mapping):
            found = set(vals.get(prop, set()))
            if prop == PARAMS:
                found |= {f"min {v}" for v in vals.get(MIN, set())} | {
                    f"max {v}" for v in vals.get(MAX, set())
                }
            if found:
                state.values[prop] = frozenset(found)
        out[key] = state
    return out


def _lexical(nt: str) -> str:
    term = next(iter(ox.parse(f"<urn:s> <urn:p> {nt} .".encode(), format=ox.RdfFormat.N_TRIPLES))).object
    return str(getattr(term, "value", term))


def term(nt: str) -> ox.NamedNode | ox.Literal:
    """An N-Triples object back into a term."""
    t = next(iter(ox.parse(f"<urn:s> <urn:p> {nt} .".encode(), format=ox.RdfFormat.N_TRIPLES))).object
    assert isinstance(t, ox.NamedNode | ox.Literal)
    return t
