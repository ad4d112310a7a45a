"""Release folder: determinism, checksums, DCAT/VoID content, and the external parser cross-check."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pyoxigraph as ox
import rdflib
from pyld import jsonld
from rdflib.compare import isomorphic

from orkg_sync.publish.metadata import DatasetInfo
from orkg_sync.publish.release import release_files, write_release

VOID = "http://rdfs.org/ns/void#"
DCAT = "http://www.w3.org/ns/dcat#"


def test_release_is_byte_deterministic(tmp_path: Path, store: ox.Store) -> None:
    info = DatasetInfo(generated_at="2026-11-01T10:00:00Z")
    a = write_release(tmp_path / "a", release_files(store, info))
    b = write_release(tmp_path / "b", release_files(store, info))
    names = sorted(p.name for p in a.iterdir())
    assert names == sorted(p.name for p in b.iterdir())
    for n in names:
        assert (a / n).read_bytes() == (b / n).read_bytes(), n


def test_checksums_cover_every_file(release: Path) -> None:
    listed = {}
    for line in (release / "SHA256SUMS").read_text().splitlines():
        digest, name = line.split("  ", 1)
        listed[name] = digest
    files = {p.name for p in release.iterdir()} - {"SHA256SUMS"}
    assert set(listed) == files
    for name, digest in listed.items():
        assert hashlib.sha256((release / name).read_bytes()).hexdigest() == digest


def test_rewrite_replaces_folder(tmp_path: Path, store: ox.Store) -> None:
    out = write_release(tmp_path / "r", {"stale.txt": b"x"})
    write_release(out, release_files(store))
    assert not (out / "stale.txt").exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_void_statistics_match_data(release: Path, store: ox.Store) -> None:
    g = rdflib.Graph().parse(release / "void.ttl", format="turtle")
    ds = rdflib.URIRef("https://w3id.org/orkg-sync/r790020/")
    assert int(g.value(ds, rdflib.URIRef(VOID + "triples"))) == len(store)
    assert str(g.value(ds, rdflib.URIRef("http://purl.org/dc/terms/license"))) == (
        "https://creativecommons.org/publicdomain/zero/1.0/"
    )
    parts = list(g.objects(ds, rdflib.URIRef(VOID + "classPartition")))
    lm = [p for p in parts if str(g.value(p, rdflib.URIRef(VOID + "class"))).endswith("#LanguageModel")]
    assert int(g.value(lm[0], rdflib.URIRef(VOID + "entities"))) == 3
    sizes = {}
    for d in g.objects(ds, rdflib.URIRef(DCAT + "distribution")):
        sizes[str(g.value(d, rdflib.URIRef("http://purl.org/dc/terms/title")))] = (
            int(g.value(d, rdflib.URIRef(DCAT + "byteSize"))),
            str(g.value(d, rdflib.URIRef(DCAT + "mediaType"))),
        )
    assert sizes["data.ttl"] == (
        (release / "data.ttl").stat().st_size,
        "https://www.iana.org/assignments/media-types/text/turtle",
    )
    assert 'prov:generatedAtTime "2026-11-01T10:00:00Z"^^xsd:dateTime' in (release / "void.ttl").read_text()


def _loader(release: Path):  # type: ignore[no-untyped-def]
    def load(url: str, options: dict | None = None) -> dict:
        assert url.endswith("/context.jsonld"), url
        return {
            "contextUrl": None,
            "documentUrl": url,
            "document": json.loads((release / "context.jsonld").read_text()),
        }

    return load


def test_external_parsers_agree_on_every_file(release: Path) -> None:
    """rdflib and Oxigraph agree on every RDF file; pyld expands the JSON-LD to the Turtle graph."""
    for name, fmt_rdflib, fmt_ox in [
        ("data.ttl", "turtle", ox.RdfFormat.TURTLE),
        ("data.nt", "nt", ox.RdfFormat.N_TRIPLES),
        ("void.ttl", "turtle", ox.RdfFormat.TURTLE),
    ]:
        a = rdflib.Graph().parse(release / name, format=fmt_rdflib)
        nt = ox.serialize(ox.parse(path=str(release / name), format=fmt_ox), format=ox.RdfFormat.N_TRIPLES)
        b = rdflib.Graph().parse(data=nt.decode(), format="nt")
        assert len(a) > 0 and isomorphic(a, b), name
    turtle = rdflib.Graph().parse(release / "data.ttl", format="turtle")
    doc = json.loads((release / "data.jsonld").read_text())
    nquads = jsonld.to_rdf(doc, {"format": "application/n-quads", "documentLoader": _loader(release)})
    from_ld = rdflib.Graph().parse(data=nquads, format="nt")
    assert len(from_ld) == len(turtle)
    assert isomorphic(from_ld, turtle)
