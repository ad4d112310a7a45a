"""schema.org JSON-LD for the HTML pages: a ``Dataset`` on the landing page, facts on model pages.

Dataset search engines read schema.org, not DCAT; both are generated from the same VoID/DCAT triples and
model triples the RDF answers give, so the page and the RDF cannot disagree.
"""

from __future__ import annotations

from typing import Any

import pyoxigraph as ox

from orkg_sync.namespaces import DCAT, DCT, FOAF, RDF_TYPE, RDFS_LABEL, SLM

SCHEMA_CTX = "https://schema.org"


def _v(term: Any) -> str:
    return str(getattr(term, "value", term))


def _objects(triples: list[ox.Triple], s: str, p: str) -> list[Any]:
    return sorted((t.object for t in triples if _v(t.subject) == s and t.predicate.value == p), key=str)


def _first(triples: list[ox.Triple], s: str, p: str) -> str | None:
    vals = _objects(triples, s, p)
    return str(vals[0].value) if vals else None


def dataset_jsonld(void: list[ox.Triple], base: str) -> dict[str, Any]:
    """The dataset as schema.org ``Dataset`` (name, description, licence, dates, downloads, creators)."""
    doc: dict[str, Any] = {"@context": SCHEMA_CTX, "@type": "Dataset", "@id": base, "url": base}
    for key, pred in (
        ("name", DCT + "title"),
        ("description", DCT + "description"),
        ("license", DCT + "license"),
        ("datePublished", DCT + "issued"),
        ("dateModified", DCT + "modified"),
        ("identifier", DCT + "identifier"),
        ("isBasedOn", DCT + "source"),
        ("version", DCAT + "version"),
    ):
        value = _first(void, base, pred)
        if value:
            doc[key] = value
    doc["creator"] = [
        {"@type": "Organization", "name": _first(void, a.value, FOAF + "name") or a.value}
        for a in _objects(void, base, DCT + "creator")
    ]
    doc["distribution"] = [
        {
            "@type": "DataDownload",
            "name": _first(void, d.value, DCT + "title"),
            "contentUrl": _first(void, d.value, DCAT + "downloadURL"),
            "encodingFormat": (_first(void, d.value, DCAT + "mediaType") or "").rsplit("media-types/", 1)[-1],
        }
        for d in _objects(void, base, DCAT + "distribution")
    ]
    return doc


def model_jsonld(triples: list[ox.Triple], iri: str, base: str, dataset_name: str) -> dict[str, Any]:
    """A model page's facts: name, release month, and each slm: value as a ``PropertyValue``."""
    types = {_v(t.object) for t in triples if _v(t.subject) == iri and t.predicate.value == RDF_TYPE}
    if SLM + "LanguageModel" not in types:
        return {}
    facts = []
    for t in triples:
        if _v(t.subject) == iri and t.predicate.value.startswith(SLM):
            facts.append({"@type": "PropertyValue", "propertyID": t.predicate.value, "value": _v(t.object)})
    doc: dict[str, Any] = {
        "@context": SCHEMA_CTX,
        "@type": "CreativeWork",
        "@id": iri,
        "url": iri,
        "name": _first(triples, iri, RDFS_LABEL) or iri,
        "isPartOf": {"@type": "Dataset", "@id": base, "name": dataset_name},
        "additionalProperty": sorted(facts, key=lambda f: (f["propertyID"], f["value"])),
    }
    released = _first(triples, iri, SLM + "releaseDate")
    if released:
        doc["datePublished"] = released
    return doc
