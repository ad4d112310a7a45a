"""The dataset as (model, column) -> value set, the level at which sync compares and writes.

A model is keyed by its ORKG contribution id (`osync:orkgContribution`); a model without one is new
(keyed ``new:<model IRI>``). Values are the RDF objects in N-Triples form, so a value is "changed"
exactly when the dataset says something different, however ORKG happened to spell it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import pyoxigraph as ox

from orkg_sync.mapping import Mapping
from orkg_sync.namespaces import ORKG_RESOURCE, OSYNC, RDF_TYPE, RDFS_LABEL, SLM

LABEL = RDFS_LABEL
CONTRIBUTION = OSYNC + "orkgContribution"


@dataclass
class ModelState:
    key: str  # contribution id, or new:<iri>
    iri: str
    label: str
    values: dict[str, frozenset[str]] = field(default_factory=dict)  # column IRI -> N-Triples objects
    nested: bool = False  # a nested table row (an ORKG resource a source reaches), not a model
    strays: tuple[str, ...] = ()  # nested columns stated here that no table path reaches (refused)

    def column(self, prop: str) -> frozenset[str]:
        return self.values.get(prop, frozenset())


def columns(mapping: Mapping) -> list[str]:
    """The synced columns: the row name (rdfs:label), every mapped property, every nested table row."""
    return [LABEL, *(pm.property for pm in mapping.properties), *nested_columns(mapping)]


def nested_columns(mapping: Mapping) -> list[str]:
    return [n.mapping.property for n in mapping.nested]


def companions(mapping: Mapping) -> dict[str, list[tuple[str, str]]]:
    """Column -> (tag, IRI) of the extra properties its rule states (e.g. min/max of a size list)."""
    return {pm.property: sorted(pm.rule.companions().items()) for pm in mapping.properties}


_R_MODEL, _R_PROP = OSYNC + "model", OSYNC + "property"
_R_NOTE = "http://www.w3.org/2004/02/skos/core#note"
_RECORD = frozenset({_R_MODEL, _R_PROP, _R_NOTE})


def dataset_state(quads: Iterable[ox.Quad], mapping: Mapping) -> dict[str, ModelState]:
    """Every model in the graph with its column values; a column includes its rule's companions
    (as ``"<tag> <term>"``, e.g. ``min "1"^^xsd:integer``)."""
    by_subject: dict[str, dict[str, set[str]]] = {}
    records: dict[str, dict[str, list[str]]] = {}
    contribution: dict[str, str] = {}
    models: set[str] = set()
    model_class = mapping.model_types[0] if mapping.model_types else SLM + "LanguageModel"
    extra_of = companions(mapping)
    top = [LABEL, *(pm.property for pm in mapping.properties)]
    wanted = set(columns(mapping)) | {iri for pairs in extra_of.values() for _, iri in pairs}
    nested = set(nested_columns(mapping))
    for q in quads:
        if not isinstance(q.subject, ox.NamedNode):
            if q.predicate.value in nested:  # a nested value on a blank node: refused, never ignored
                by_subject.setdefault(str(q.subject), {}).setdefault(q.predicate.value, set()).add(
                    str(q.object)
                )
            continue
        s, p = q.subject.value, q.predicate.value
        if p == RDF_TYPE and isinstance(q.object, ox.NamedNode) and q.object.value == model_class:
            models.add(s)
        elif p == CONTRIBUTION and isinstance(q.object, ox.NamedNode):
            contribution[s] = q.object.value.removeprefix(ORKG_RESOURCE)
        elif p in wanted:
            by_subject.setdefault(s, {}).setdefault(p, set()).add(str(q.object))
        elif p in _RECORD:  # text outside the vocabulary is a skos:note on the value record
            records.setdefault(s, {}).setdefault(p, []).append(str(q.object))
    for rec in records.values():
        for m, prop in ((m, prop) for m in rec.get(_R_MODEL, []) for prop in rec.get(_R_PROP, [])):
            for note in rec.get(_R_NOTE, []):
                by_subject.setdefault(m[1:-1], {}).setdefault(prop[1:-1], set()).add(note)
    out: dict[str, ModelState] = {}
    for iri in sorted(models):
        vals = by_subject.get(iri, {})
        key = contribution.get(iri) or f"new:{iri}"
        label_set = vals.get(LABEL, set())
        state = ModelState(key, iri, lexical(min(label_set)) if label_set else "")
        for prop in top:
            found = set(vals.get(prop, set()))
            for tag, extra in extra_of.get(prop, []):
                found |= {f"{tag} {v}" for v in vals.get(extra, set())}
            if found:
                state.values[prop] = frozenset(found)
        out[key] = state
    from orkg_sync.sync.nested import nested_states

    out.update(nested_states(by_subject, out, mapping))
    return out


def lexical(nt: str) -> str:
    term = next(iter(ox.parse(f"<urn:s> <urn:p> {nt} .".encode(), format=ox.RdfFormat.N_TRIPLES))).object
    return str(getattr(term, "value", term))


def term(nt: str) -> ox.NamedNode | ox.Literal:
    """An N-Triples object back into a term."""
    t = next(iter(ox.parse(f"<urn:s> <urn:p> {nt} .".encode(), format=ox.RdfFormat.N_TRIPLES))).object
    assert isinstance(t, ox.NamedNode | ox.Literal)
    return t
