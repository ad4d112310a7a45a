"""What the release says about itself, for the server: the VoID description and the validation report, so
every IRI they mint (distributions, partitions, the build activity and agent, validation results) resolves,
and the SPARQL endpoint IRI's service description."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from orkg_sync import namespaces as ns
from orkg_sync.publish.metadata import DatasetInfo, describe_dataset

SD = "http://www.w3.org/ns/sparql-service-description#"


def service_description(base: str) -> list[ox.Triple]:
    """SPARQL 1.1 Service Description of ``<base>sparql`` (what the void:sparqlEndpoint IRI names)."""
    me, t = ox.NamedNode(base + "sparql"), ox.NamedNode(ns.RDF_TYPE)
    return [
        ox.Triple(me, t, ox.NamedNode(SD + "Service")),
        ox.Triple(me, ox.NamedNode(SD + "endpoint"), me),
        ox.Triple(me, ox.NamedNode(SD + "supportedLanguage"), ox.NamedNode(SD + "SPARQL11Query")),
        ox.Triple(me, ox.NamedNode(SD + "defaultDataset"), ox.NamedNode(base)),
    ]


class Metadata:
    """What the release says about itself, served beside the data: ``void.ttl`` and the validation report,
    so the distributions, partitions, activity and validation results we mint resolve. Kept as parsed
    triples, not in an Oxigraph store: the store rewrites ``xsd:nonNegativeInteger`` to ``xsd:integer``
    (pyoxigraph 0.5), and the served VoID must be exactly the file. Without a release folder the
    description is computed from the store (no files)."""

    def __init__(self, store: ox.Store, info: DatasetInfo, release_dir: Path | None) -> None:
        void = release_dir / "void.ttl" if release_dir else None
        self.turtle: bytes | None = None  # the file as it is, for Turtle clients
        if void is not None and void.is_file():
            self.turtle = void.read_bytes()
            self.void = _parse(self.turtle)
        else:
            self.void = sorted(describe_dataset(store, {}, info), key=str)
        report = release_dir / "validation-report.ttl" if release_dir else None
        extra = _parse(report.read_bytes()) if report is not None and report.is_file() else []
        self.by_subject: dict[str, list[ox.Triple]] = {}
        for t in [*self.void, *extra]:
            self.by_subject.setdefault(str(getattr(t.subject, "value", "")), []).append(t)

    def about(self, iri: str) -> list[ox.Triple]:
        return self.by_subject.get(iri, [])


def _parse(turtle: bytes) -> list[ox.Triple]:
    quads = ox.parse(turtle, format=ox.RdfFormat.TURTLE)
    return sorted({ox.Triple(q.subject, q.predicate, q.object) for q in quads}, key=str)
