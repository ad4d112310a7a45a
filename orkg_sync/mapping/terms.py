"""Namespaces of the RDF data contract (docs/ARCHITECTURE.md) and CURIE expansion."""

from __future__ import annotations

import re

DEFAULT_BASE = "https://w3id.org/orkg-sync/r790020/"

PREFIXES: dict[str, str] = {
    "slm": "https://w3id.org/orkg-sync/slm#",
    "slmv": "https://w3id.org/orkg-sync/slm/vocab/",
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
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "owl": "http://www.w3.org/2002/07/owl#",
}

_SLUG_RE = re.compile(r"[^a-z0-9]+")


def expand(curie: str) -> str:
    """Expand ``prefix:local`` with :data:`PREFIXES`; a full IRI passes through."""
    prefix, sep, local = curie.partition(":")
    if sep and prefix in PREFIXES:
        return PREFIXES[prefix] + local
    if curie.startswith(("http://", "https://")):
        return curie
    raise ValueError(f"unknown prefix in {curie!r}")


def slug(text: str) -> str:
    """Contract slug: lower-case, runs outside [a-z0-9] -> '-', trimmed."""
    return _SLUG_RE.sub("-", text.lower()).strip("-")
