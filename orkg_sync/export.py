"""Deterministic exports: Turtle with project prefixes, sorted N-Triples, compacted JSON-LD."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from orkg_sync.store import DatasetStore

CONTEXT_PATH = Path(__file__).resolve().parent / "context.jsonld"
XSD = "http://www.w3.org/2001/XMLSchema#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


def prefixes() -> dict[str, str]:
    """The project prefixes (docs/ARCHITECTURE.md), taken from the shipped JSON-LD context."""
    ctx = json.loads(CONTEXT_PATH.read_text(encoding="utf-8"))["@context"]
    return {k: v for k, v in ctx.items() if isinstance(v, str) and v.endswith(("#", "/"))}


def to_turtle(store: DatasetStore) -> bytes:
    data = store.store.dump(format=ox.RdfFormat.TURTLE, from_graph=ox.DefaultGraph(), prefixes=prefixes())
    assert data is not None
    return data


def to_ntriples(store: DatasetStore) -> bytes:
    """Sorted, byte-deterministic N-Triples (blank nodes excepted, which we do not produce)."""
    data = store.store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
    assert data is not None
    lines = sorted(set(data.decode("utf-8").splitlines()))
    return ("\n".join(lines) + "\n").encode("utf-8") if lines else b""


def _compact(iri: str, pfx: list[tuple[str, str]]) -> str:
    for name, ns in pfx:
        if iri.startswith(ns) and len(iri) > len(ns):
            return f"{name}:{iri[len(ns) :]}"
    return iri


def _obj(term: Any, pfx: list[tuple[str, str]]) -> Any:
    if isinstance(term, ox.NamedNode):
        return {"@id": _compact(term.value, pfx)}
    if isinstance(term, ox.BlankNode):
        return {"@id": f"_:{term.value}"}
    if term.language:
        return {"@value": term.value, "@language": term.language}
    dt = term.datatype.value
    if dt == XSD + "string":
        return term.value
    return {"@value": term.value, "@type": _compact(dt, pfx)}


def to_jsonld(store: DatasetStore) -> bytes:
    """One node object per subject, sorted; built from the quads (rdflib compaction is too slow)."""
    pfx_list = sorted(prefixes().items(), key=lambda kv: -len(kv[1]))
    cache: dict[str, str] = {}

    def compact(iri: str) -> str:
        hit = cache.get(iri)
        if hit is None:
            hit = cache[iri] = _compact(iri, pfx_list)
        return hit

    nodes: dict[str, dict[str, list[Any]]] = defaultdict(lambda: defaultdict(list))
    for q in store.store.quads_for_pattern(None, None, None, ox.DefaultGraph()):
        s = q.subject
        if isinstance(s, ox.BlankNode):
            sid = f"_:{s.value}"
        elif isinstance(s, ox.NamedNode):
            sid = compact(s.value)
        else:  # RDF-star triple terms are not part of our data contract
            continue
        if q.predicate.value == RDF_TYPE and isinstance(q.object, ox.NamedNode):
            nodes[sid]["@type"].append(compact(q.object.value))
        else:
            nodes[sid][compact(q.predicate.value)].append(_obj(q.object, pfx_list))
    graph = []
    for sid in sorted(nodes):
        node: dict[str, Any] = {"@id": sid}
        for key in sorted(nodes[sid]):
            vals = nodes[sid][key]
            if len(vals) > 1:
                vals = sorted(vals, key=lambda v: json.dumps(v, sort_keys=True))
            node[key] = vals[0] if len(vals) == 1 else vals
        graph.append(node)
    doc = {"@context": json.loads(CONTEXT_PATH.read_text(encoding="utf-8"))["@context"], "@graph": graph}
    return (json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")


def context_bytes() -> bytes:
    return CONTEXT_PATH.read_bytes()
