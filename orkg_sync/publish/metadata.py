"""The dataset description (DCAT 3 + VoID + DCTERMS + PROV) computed from the store and the release files.

Everything is derived from the data and explicit inputs, never the wall clock, so the same input gives
byte-identical output (``generated_at`` comes from ``build --date``, ``SOURCE_DATE_EPOCH``, the snapshot's
retrieval time or, failing those, the newest ORKG timestamp in the snapshot; see :func:`release_time`).
The description satisfies the DCAT-AP 3.0.1 shapes (tests/standards): typed media types and licences,
``dcat:accessURL`` beside every ``dcat:downloadURL``, and the source comparison described as a dataset.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pyoxigraph as ox

from orkg_sync import __version__
from orkg_sync import namespaces as ns
from orkg_sync.namespaces import DCAT, DCT, FOAF, IT6, PROV, VOID, XSD
from orkg_sync.snapshot import Snapshot

RDF_TYPE = ox.NamedNode(ns.RDF_TYPE)
SLM_NS = ns.SLM
CC0 = "https://creativecommons.org/publicdomain/zero/1.0/"
OWL_ONTOLOGY = "http://www.w3.org/2002/07/owl#Ontology"
SKOS_SCHEME = "http://www.w3.org/2004/02/skos/core#ConceptScheme"
SOURCE_DOI = "10.48366/r790020"
IANA = "https://www.iana.org/assignments/media-types/"

# File suffix -> IANA media type (dcat:mediaType takes the IANA registry IRI).
MEDIA_TYPES: dict[str, str] = {
    ".ttl": "text/turtle",
    ".nt": "application/n-triples",
    ".jsonld": "application/ld+json",
    ".json": "application/json",
    ".rdf": "application/rdf+xml",
    ".html": "text/html",
    ".rq": "application/sparql-query",
    ".txt": "text/plain",
}


@dataclass(frozen=True)
class DatasetInfo:
    """What the description says that the data cannot tell: who, where, when, from what."""

    base: str = ns.R790020_BASE
    title: str = "Small Language Model (SLM) Survey Comparison as linked data"
    description: str = (
        "38 small language models described by parameters, release date, paradigm, domain, training "
        "datasets, attention, activation and techniques; derived from ORKG comparison R790020."
    )
    creators: tuple[str, ...] = ("orkg-sync developers",)
    source_comparison: str = "https://orkg.org/comparison/R790020"
    source_version: str | None = None
    source_title: str | None = None
    # Release time (dct:issued, dct:modified, prov:generatedAtTime) and when the source was read
    # (it6:collectionDate); both xsd:dateTime in UTC, or None when nothing can tell (then not stated).
    generated_at: str | None = None
    collected_at: str | None = None
    sparql_endpoint: str | None = None
    download_base: str | None = None
    vocabularies: tuple[str, ...] = field(
        default=(
            SLM_NS,
            ns.OSYNC,
            ns.SLM_VOCAB,
            ns.FAIR4ML,
            ns.IT6,
            ns.SCHEMA,
            ns.SKOS,
            ns.PROV,
            ns.DCT,
        )
    )


def media_type(name: str) -> str:
    """IANA media type of a release file, by suffix."""
    return MEDIA_TYPES.get(Path(name).suffix, "application/octet-stream")


def _n(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


def _lit(value: object, dtype: str | None = None, lang: str | None = None) -> ox.Literal:
    if lang:
        return ox.Literal(str(value), language=lang)
    return ox.Literal(str(value), datatype=_n(XSD + dtype) if dtype else None)


def _int_query(store: ox.Store, sparql: str) -> int:
    for row in _select(store, sparql):
        return int(row[0].value)
    return 0


def _select(store: ox.Store, sparql: str) -> list[ox.QuerySolution]:
    result = store.query(sparql)
    assert isinstance(result, ox.QuerySolutions)
    return list(result)


@dataclass(frozen=True)
class Statistics:
    """The VoID statistics of a default graph: the query rows :func:`describe_dataset` states."""

    props: list[ox.QuerySolution]  # (property, triples)
    subjects: ox.QuerySolution  # (distinct subjects, IRI subjects)
    objects: int
    classes: list[ox.QuerySolution]  # (class, entities)
    examples: list[ox.QuerySolution]


def statistics(store: ox.Store) -> Statistics:
    """Computed apart from the description so a release can run these queries (which release the GIL)
    while it writes its files: the description itself needs the files' sizes."""
    return Statistics(
        props=_select(store, "SELECT ?p (COUNT(*) AS ?n) { ?s ?p ?o } GROUP BY ?p"),
        # subjects and IRI subjects in one pass; the property count is the number of property partitions
        subjects=_select(
            store,
            "SELECT (COUNT(?s) AS ?n) (SUM(IF(isIRI(?s), 1, 0)) AS ?e) { SELECT DISTINCT ?s { ?s ?p ?o } }",
        )[0],
        objects=_int_query(store, "SELECT (COUNT(DISTINCT ?o) AS ?n) { ?s ?p ?o }"),
        classes=_select(
            store, "SELECT ?c (COUNT(DISTINCT ?s) AS ?n) { ?s a ?c FILTER(isIRI(?c)) } GROUP BY ?c"
        ),
        examples=_select(store, f"SELECT DISTINCT ?m {{ ?m a <{SLM_NS}LanguageModel> }} ORDER BY ?m LIMIT 3"),
    )


@dataclass(frozen=True)
class FileFacts:
    """What the description states about one release file: its size and the licence it declares itself.

    Facts, not content: the release's large files are on disk and never read whole to be described."""

    size: int
    licence: str | None = None


def file_facts(name: str, size: int, read: Callable[[], bytes]) -> FileFacts:
    """The facts of one file; ``read`` (its content) is called only for a file that can declare a licence
    (a Turtle file that is not our data or report: ontology, vocabularies, shapes; all small)."""
    return FileFacts(size, declared_licence(name, read()) if _may_declare_licence(name) else None)


def describe_dataset(
    store: ox.Store,
    files: Mapping[str, FileFacts],
    info: DatasetInfo | None = None,
    stats: Statistics | None = None,
) -> list[ox.Triple]:
    """Triples of the description of ``<base>``; ``files`` are the release files (name -> size and
    licence, :func:`file_facts`); ``stats`` the graph's :func:`statistics` when the caller computed them
    already."""
    info = info or DatasetInfo()
    ds = _n(info.base)
    t: list[ox.Triple] = []

    def add(s: ox.NamedNode | ox.BlankNode, p: str, o: ox.NamedNode | ox.Literal) -> None:
        t.append(ox.Triple(s, _n(p), o))

    for cls in (DCAT + "Dataset", VOID + "Dataset", PROV + "Entity"):
        t.append(ox.Triple(ds, RDF_TYPE, _n(cls)))
    add(ds, DCT + "title", _lit(info.title, lang="en"))
    add(ds, DCT + "description", _lit(info.description, lang="en"))
    add(ds, DCT + "license", _n(CC0))
    t.append(ox.Triple(_n(CC0), RDF_TYPE, _n(DCT + "LicenseDocument")))
    if info.generated_at:
        for p in (DCT + "issued", DCT + "modified", PROV + "generatedAtTime"):
            add(ds, p, _lit(info.generated_at, "dateTime"))
    if info.collected_at:
        add(ds, IT6 + "collectionDate", _lit(info.collected_at, "dateTime"))
    add(ds, DCT + "identifier", _lit(info.base))
    add(ds, DCT + "bibliographicCitation", _lit(f"https://doi.org/{SOURCE_DOI}"))
    add(ds, DCT + "relation", _n(f"https://doi.org/{SOURCE_DOI}"))
    if info.source_version:
        add(ds, DCAT + "version", _lit(info.source_version))
    t.extend(_source(ds, info))
    for i, name in enumerate(sorted(info.creators)):
        agent = _n(f"{info.base}agent/{i}")
        add(ds, DCT + "creator", agent)
        t.append(ox.Triple(agent, RDF_TYPE, _n(FOAF + "Agent")))
        add(agent, FOAF + "name", _lit(name))
    # The run that produced it: a PROV activity named after the tool version (stable IRI, no clock).
    act = _n(f"{info.base}activity/orkg-sync-{__version__}")
    add(ds, PROV + "wasGeneratedBy", act)
    t.append(ox.Triple(act, RDF_TYPE, _n(PROV + "Activity")))
    add(act, PROV + "used", _n(info.source_comparison))
    if info.generated_at:
        add(act, PROV + "endedAtTime", _lit(info.generated_at, "dateTime"))
    add(act, DCT + "description", _lit(f"orkg-sync {__version__}"))

    st = stats or statistics(store)
    props, subjects, classes, examples = st.props, st.subjects, st.classes, st.examples
    add(ds, VOID + "triples", _lit(sum(int(row[1].value) for row in props), "integer"))
    add(ds, VOID + "entities", _lit(int(subjects[1].value) if subjects[1] else 0, "integer"))
    add(ds, VOID + "distinctSubjects", _lit(int(subjects[0].value), "integer"))
    add(ds, VOID + "properties", _lit(len(props), "integer"))
    add(ds, VOID + "distinctObjects", _lit(st.objects, "integer"))
    for row in sorted(classes, key=lambda r: str(r[0])):
        part = _n(f"{info.base}void/class/{_slug_iri(row[0].value)}")
        add(ds, VOID + "classPartition", part)
        add(part, VOID + "class", row[0])
        add(part, VOID + "entities", _lit(row[1].value, "integer"))
    for row in sorted(props, key=lambda r: str(r[0])):
        part = _n(f"{info.base}void/property/{_slug_iri(row[0].value)}")
        add(ds, VOID + "propertyPartition", part)
        add(part, VOID + "property", row[0])
        add(part, VOID + "triples", _lit(row[1].value, "integer"))
    for row in examples:
        add(ds, VOID + "exampleResource", row[0])
    add(ds, VOID + "uriSpace", _lit(info.base))
    for voc in sorted(info.vocabularies):
        add(ds, VOID + "vocabulary", _n(voc))
    if info.sparql_endpoint:
        add(ds, VOID + "sparqlEndpoint", _n(info.sparql_endpoint))

    # One DCAT distribution per release file.
    dl = info.download_base or f"{info.base}download/"
    for name in sorted(files):
        dist = _n(f"{info.base}distribution/{name}")
        add(ds, DCAT + "distribution", dist)
        t.append(ox.Triple(dist, RDF_TYPE, _n(DCAT + "Distribution")))
        add(dist, DCT + "title", _lit(name))
        url = _n(dl + name)
        add(dist, DCAT + "downloadURL", url)
        add(dist, DCAT + "accessURL", url)  # DCAT-AP: mandatory, the download URL when there is one
        t.append(ox.Triple(url, RDF_TYPE, _n(DCAT + "Resource")))  # the range MLDCAT-AP asks for
        mtype = _n(IANA + media_type(name))
        add(dist, DCAT + "mediaType", mtype)
        t.append(ox.Triple(mtype, RDF_TYPE, _n(DCT + "MediaType")))
        add(dist, DCAT + "byteSize", _lit(files[name].size, "nonNegativeInteger"))
        lic = files[name].licence or CC0
        add(dist, DCT + "license", _n(lic))
        t.append(ox.Triple(_n(lic), RDF_TYPE, _n(DCT + "LicenseDocument")))
        if name.endswith((".ttl", ".nt", ".jsonld")) and name.startswith("data"):
            add(ds, VOID + "dataDump", _n(dl + name))
    return sorted(set(t), key=str)


def _slug_iri(iri: str) -> str:
    """Stable path segment for a partition IRI (readable tail + no collisions for our namespaces)."""
    import hashlib
    import re

    tail = re.sub(r"[^A-Za-z0-9]+", "-", iri.rstrip("/#").rsplit("/", 1)[-1].rsplit("#", 1)[-1]).strip("-")
    return f"{tail.lower() or 'x'}-{hashlib.sha256(iri.encode()).hexdigest()[:8]}"


def _may_declare_licence(name: str) -> bool:
    return name.endswith(".ttl") and not name.startswith(("data", "validation-report"))  # ours: no licence


def declared_licence(name: str, content: bytes) -> str | None:
    """The licence a Turtle file states for itself (``dct:license`` of its owl:Ontology or scheme), if any:
    the VoID entry for the file must say the same as the file."""
    if not _may_declare_licence(name):
        return None
    try:
        quads = ox.parse(content, format=ox.RdfFormat.TURTLE)
        triples = [(q.subject, q.predicate, q.object) for q in quads]
    except SyntaxError:
        return None
    kinds = (OWL_ONTOLOGY, SKOS_SCHEME)
    heads = {s for s, p, o in triples if p == RDF_TYPE and getattr(o, "value", None) in kinds}
    found = sorted(
        str(getattr(o, "value", "")) for s, p, o in triples if s in heads and p.value == DCT + "license"
    )
    return found[0] if found else None


def _source(ds: ox.NamedNode, info: DatasetInfo) -> list[ox.Triple]:
    """The ORKG comparison the data comes from, as the dcat:Dataset that DCAT-AP's dct:source expects."""
    src = _n(info.source_comparison)
    cid = info.source_comparison.rstrip("/").rsplit("/", 1)[-1]
    title = info.source_title or f"ORKG comparison {cid}"
    return [
        ox.Triple(ds, _n(DCT + "source"), src),
        ox.Triple(ds, _n(PROV + "wasDerivedFrom"), src),
        ox.Triple(src, RDF_TYPE, _n(DCAT + "Dataset")),
        ox.Triple(src, _n(DCT + "title"), _lit(title)),
        ox.Triple(
            src,
            _n(DCT + "description"),
            _lit(f"Comparison {cid} of the Open Research Knowledge Graph.", lang="en"),
        ),
        ox.Triple(src, _n(DCT + "identifier"), _lit(cid)),
    ]


def _utc(value: str) -> str:
    """An ISO date or date-time (any offset) as an xsd:dateTime in UTC, ``...Z``; a bare date is midnight."""
    text = value.strip().replace("Z", "+00:00")
    dt = datetime.fromisoformat(text)
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def source_time(snapshot: Snapshot) -> str | None:
    """When the snapshot's data was read: its retrieval time, else the newest ORKG timestamp in it."""
    retrieved = (snapshot.source or {}).get("retrieved_at")
    if retrieved:
        return _utc(str(retrieved))
    raw = {  # distinct texts first: 1M triples carry ~340k stamps but far fewer distinct ones
        str(thing["created_at"])
        for kind in (snapshot.resources, snapshot.literals, snapshot.statements)
        for thing in kind.values()
        if thing.get("created_at")
    }
    return max(map(_utc, raw)) if raw else None


def release_time(
    snapshot: Snapshot,
    date: str | None = None,
    env: dict[str, str] | None = None,
    collected: str | None = None,
) -> str | None:
    """The release time: ``date`` (``build --date``), else ``SOURCE_DATE_EPOCH``, else :func:`source_time`.

    Never the clock, so a rebuild of the same inputs is byte-identical. Raises ``ValueError`` for a
    malformed date or epoch (the CLI turns it into a usage error).
    """
    if date:
        return _utc(date)
    epoch = (os.environ if env is None else env).get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        return datetime.fromtimestamp(int(epoch), UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return collected if collected is not None else source_time(snapshot)


def info_from_snapshot(
    snapshot: Snapshot, *, base: str | None = None, date: str | None = None, **overrides: object
) -> DatasetInfo:
    """Description inputs from a snapshot: source comparison, title and version, and the times."""
    src = snapshot.source or {}
    comp = snapshot.comparison or {}
    cid = str(comp.get("id") or src.get("comparison_id") or "R790020")
    kwargs: dict[str, object] = {"source_comparison": f"https://orkg.org/comparison/{cid}"}
    if base:
        kwargs["base"] = base
    kwargs["sparql_endpoint"] = f"{base or DatasetInfo.base}sparql"
    label = (snapshot.resources.get(cid) or {}).get("label")
    if label:
        kwargs["source_title"] = str(label)
    if comp.get("head_id") and comp.get("head_id") != cid:
        kwargs["source_version"] = f"{cid} (published version of {comp['head_id']})"
    collected = kwargs["collected_at"] = source_time(snapshot)
    kwargs["generated_at"] = release_time(snapshot, date, collected=collected)
    kwargs.update(overrides)
    return DatasetInfo(**kwargs)  # type: ignore[arg-type]
