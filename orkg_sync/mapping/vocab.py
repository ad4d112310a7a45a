"""The ontology and SKOS vocabularies as quads, and label lookup tables built from them."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox

from orkg_sync.errors import InputError
from orkg_sync.mapping.rules import norm_label
from orkg_sync.namespaces import ORKG_RESOURCE, SKOS
from orkg_sync.resources import ontology_dir

_PREF = ox.NamedNode(SKOS + "prefLabel")
_ALT = ox.NamedNode(SKOS + "altLabel")
_IN_SCHEME = ox.NamedNode(SKOS + "inScheme")
_EXACT = ox.NamedNode(SKOS + "exactMatch")


PROVENANCE_FILE = "orkg-sync.ttl"  # the shared sync-provenance ontology (osync:)


def _parse(path: Path) -> list[ox.Quad]:
    try:
        with path.open("rb") as fh:
            return [
                ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph())
                for t in ox.parse(fh, format=ox.RdfFormat.TURTLE, base_iri=path.resolve().as_uri())
            ]
    except FileNotFoundError:
        raise InputError(f"{path}: ontology file not found") from None
    except SyntaxError as exc:
        raise InputError(f"{path}: malformed Turtle ({exc})") from None


def turtle_files(vocabulary: Iterable[str] | None = None, root: Path | None = None) -> list[Path]:
    """The ontologies (``slm.ttl``, the shared ``orkg-sync.ttl``) plus the vocabulary files (default:
    every ``vocab/*.ttl``), sorted."""
    root = root or ontology_dir()
    vocab = (
        [root / v for v in vocabulary] if vocabulary is not None else sorted((root / "vocab").glob("*.ttl"))
    )
    return [root / "slm.ttl", root / PROVENANCE_FILE, *vocab]


def ontology_quads(files: Iterable[Path] | None = None) -> list[ox.Quad]:
    """Ontology + vocabulary triples in the default graph, sorted for deterministic output."""
    quads: set[ox.Quad] = set()
    for path in files if files is not None else turtle_files():
        quads.update(_parse(path))
    return sorted(quads, key=str)


def vocabulary_quads() -> list[ox.Quad]:
    """The SKOS concept schemes (not the ontology): shipped inside the data so values carry their labels."""
    return ontology_quads([p for p in turtle_files() if p.name not in ("slm.ttl", PROVENANCE_FILE)])


class ConceptIndex:
    """Per scheme: normalised prefLabel/altLabel -> concept, and concept -> prefLabel."""

    def __init__(self, quads: Iterable[ox.Quad]) -> None:
        scheme_of: dict[str, str] = {}
        labels: list[tuple[str, str, bool]] = []
        self.orkg: dict[str, str] = {}  # concept IRI -> the ORKG resource id it is an exactMatch of
        for q in quads:
            if not isinstance(q.subject, ox.NamedNode):
                continue
            if q.predicate == _EXACT and isinstance(q.object, ox.NamedNode):
                if q.object.value.startswith(ORKG_RESOURCE):
                    self.orkg[q.subject.value] = q.object.value.removeprefix(ORKG_RESOURCE)
            elif q.predicate == _IN_SCHEME and isinstance(q.object, ox.NamedNode):
                scheme_of[q.subject.value] = q.object.value
            elif q.predicate in (_PREF, _ALT) and isinstance(q.object, ox.Literal):
                labels.append((q.subject.value, q.object.value, q.predicate == _PREF))
        self.by_scheme: dict[str, dict[str, str]] = {}
        self.pref: dict[str, str] = {}
        # prefLabels win over altLabels on a clash: apply alt first, pref last.
        for concept, text, is_pref in sorted(labels, key=lambda x: (x[2], x[0], x[1])):
            scheme = scheme_of.get(concept)
            if scheme is None:
                continue
            self.by_scheme.setdefault(scheme, {})[norm_label(text)] = concept
            if is_pref:
                self.pref[concept] = text

    def scheme(self, scheme_iri: str) -> dict[str, str]:
        return self.by_scheme.get(scheme_iri, {})
