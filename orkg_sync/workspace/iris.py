"""Stable model IRIs: minted once from the model's name, then kept per contribution id in the workspace.

The mapping mints ``model/<slug of the label>``; a rename on either side would change it on the next
pull (``model:gemma`` -> ``model:gemma-1st-gen``), breaking every link to it. The workspace keeps
``contribution id -> IRI`` in ``workspace.json`` and rewrites the mapped graph to use the kept IRI, so a
model keeps its IRI through renames, pushes and pulls into the same folder. A new model pushed from
the dataset keeps the IRI it had locally.
"""

from __future__ import annotations

import dataclasses

import pyoxigraph as ox

from orkg_sync.mapping.convert import MappingResult


def keep_iris(mapped: MappingResult, kept: dict[str, str]) -> dict[str, str]:
    """Rewrite ``mapped`` in place to the kept IRIs; return contribution id -> IRI for every model."""
    final: dict[str, str] = {}
    taken = set(kept.values())
    rename: dict[str, str] = {}
    for m in mapped.models:
        iri = kept.get(m.contribution_id)
        if iri is None:
            iri = m.iri
            if iri in taken:  # a renamed model still holds this IRI: never hand it to another
                iri = f"{m.iri}-{m.contribution_id.lower()}"
            taken.add(iri)
        final[m.contribution_id] = iri
        if iri != m.iri:
            rename[m.iri] = iri
    if rename:
        nodes = {old: ox.NamedNode(new) for old, new in rename.items()}

        def term(
            t: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple,
        ) -> ox.NamedNode | ox.Literal | ox.BlankNode:
            if isinstance(t, ox.NamedNode) and t.value in nodes:
                return nodes[t.value]
            return t  # type: ignore[return-value]

        mapped.quads[:] = [
            ox.Quad(term(q.subject), q.predicate, term(q.object), q.graph_name)  # type: ignore[arg-type]
            if q.subject.value in nodes or getattr(q.object, "value", None) in nodes  # type: ignore[union-attr]
            else q
            for q in mapped.quads
        ]
        mapped.models[:] = [dataclasses.replace(m, iri=rename.get(m.iri, m.iri)) for m in mapped.models]
    return {**kept, **final}
