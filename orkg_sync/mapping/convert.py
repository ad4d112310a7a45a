"""Snapshot -> RDF quads following the data contract in docs/ARCHITECTURE.md."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from orkg_sync.errors import InputError
from orkg_sync.mapping.config import Mapping, PropertyMapping
from orkg_sync.mapping.generic import live_sources, reached_resources
from orkg_sync.mapping.rules import RuleError
from orkg_sync.mapping.terms import DEFAULT_BASE, PREFIXES, slug
from orkg_sync.namespaces import ORKG_PREDICATE, ORKG_RESOURCE, OSYNC, RDF
from orkg_sync.snapshot import Snapshot, id_sort_key

_P = PREFIXES


def _n(curie: str) -> ox.NamedNode:
    prefix, _, local = curie.partition(":")
    return ox.NamedNode(_P[prefix] + local)


RDF_TYPE = _n("rdf:type")
RDFS_LABEL = _n("rdfs:label")
SCHEMA_NAME = _n("schema:name")
SKOS_NOTE = ox.NamedNode("http://www.w3.org/2004/02/skos/core#note")
PROV_DERIVED = _n("prov:wasDerivedFrom")
DCT_PART = _n("dct:isPartOf")
DCT_SOURCE = _n("dct:source")
PROVENANCE = {
    k: ox.NamedNode(OSYNC + k)
    for k in (
        "orkgContribution",
        "ValueRecord",
        "model",
        "property",
        "orkgStatement",
        "orkgPredicate",
        "orkgObject",
        "orkgLiteral",
        "orkgDatatype",
        "orkgLabel",
        "orkgPath",
    )
}
TERMS = {**PROVENANCE, "confidence": _n("slm:confidence")}  # confidence: the R790020 reconstruction's


@dataclass(frozen=True)
class MappingWarning:
    model: str  # model label
    property: str  # ontology property IRI
    value: str  # raw ORKG label
    message: str

    def __str__(self) -> str:
        return f"{self.model} / {self.property.rsplit('#', 1)[-1]}: {self.message} ({self.value!r})"


@dataclass(frozen=True)
class ModelInfo:
    iri: str
    label: str
    contribution_id: str


@dataclass
class MappingResult:
    quads: list[ox.Quad] = field(default_factory=list)
    warnings: list[MappingWarning] = field(default_factory=list)
    models: list[ModelInfo] = field(default_factory=list)


def web_host(snapshot: Snapshot) -> str:
    """ORKG web host for dct:source: the snapshot's host when it is a URL, else orkg.org."""
    host = str(snapshot.source.get("host") or "")
    return host.rstrip("/") if host.startswith(("http://", "https://")) else "https://orkg.org"


_contributions = live_sources  # the name other modules import


_SAFE_ID = re.compile(r"[A-Za-z0-9_.:-]*")  # ORKG ids: they go into IRIs and plain literals unescaped
CHUNK = 100_000  # lines per batch handed to the consumer (bounded memory between batches)
Sink = Callable[[list[str]], None]


def _nt(term: ox.NamedNode | ox.Literal | ox.BlankNode) -> str:
    return str(term)  # pyoxigraph's N-Triples form: the same text its own serializer writes


def _iri(prefix: str, ident: str) -> str:
    """``<prefix + ident>`` in N-Triples; ``ident`` from the snapshot is checked, not trusted."""
    if (ident.isascii() and ident.isalnum()) or _SAFE_ID.fullmatch(ident):  # isalnum: the common case, fast
        return f"<{prefix}{ident}>"
    try:
        return str(ox.NamedNode(prefix + ident))  # validates: no '>' or space can end the IRI early
    except ValueError:
        raise InputError(f"snapshot: id {ident!r} cannot be part of an IRI") from None


def snapshot_to_rdf(snapshot: Snapshot, mapping: Mapping, *, base: str = DEFAULT_BASE) -> MappingResult:
    """Map every contribution of the snapshot's comparison to a model node plus value records.

    ``quads`` in generation order (contributions, then statements, by natural id), duplicates dropped.
    """
    lines: dict[str, None] = {}
    res = snapshot_to_ntriples(snapshot, mapping, lambda chunk: lines.update(dict.fromkeys(chunk)), base=base)
    text = "".join(lines).encode("utf-8")
    lines.clear()
    res.quads = list(ox.parse(text, format=ox.RdfFormat.N_TRIPLES, lenient=True))
    return res


def snapshot_to_ntriples(
    snapshot: Snapshot, mapping: Mapping, sink: Sink, *, base: str = DEFAULT_BASE, chunk: int = CHUNK
) -> MappingResult:
    """The mapping as N-Triples lines (``"s p o .\\n"``), handed to ``sink`` in batches of ~``chunk``.

    The streaming form of :func:`snapshot_to_rdf` (whose ``quads`` stay empty here): a build loads each
    batch straight into its store (``bulk_load`` of text), so no Python term object per triple and no
    list of the whole graph is ever made. Lines may repeat (the store drops duplicates).
    """
    base = mapping.base_iri(base)
    ox.NamedNode(base)  # a valid base + safe ids = valid IRIs
    comparison_id = str(snapshot.comparison.get("id") or mapping.comparison)
    host = str(snapshot.source.get("host") or "")
    mapping.adopt(snapshot, base)
    by_pid = mapping.predicate_ids(snapshot.predicates, host)
    contributions = _contributions(snapshot, comparison_id)
    wanted = set(contributions)
    by_subject: dict[str, list[dict[str, Any]]] = {c: [] for c in contributions}
    for st in snapshot.statements.values():
        if st["subject_id"] in wanted and st["predicate_id"] in by_pid:
            by_subject[st["subject_id"]].append(st)
    for sts in by_subject.values():
        sts.sort(key=lambda st: id_sort_key(st["id"]))
    lit_cache: dict[str, str] = {}

    def lit(text: str) -> str:
        found = lit_cache.get(text)
        if found is None:
            found = lit_cache[text] = _nt(ox.Literal(text))
        return found

    res = MappingResult()
    lines: list[str] = []
    append = lines.append

    def add(s: str, p: str, o: str) -> None:
        append(f"{s} {p} {o} .\n")  # default graph

    def flush(force: bool = False) -> None:
        if lines and (force or len(lines) >= chunk):
            sink(lines[:])
            lines.clear()

    dataset = f"<{base}>"
    orkgr = _P["orkgr"]
    t = {k: _nt(v) for k, v in TERMS.items()}
    a, label_p, name_p, derived, part, source = (
        _nt(x) for x in (RDF_TYPE, RDFS_LABEL, SCHEMA_NAME, PROV_DERIVED, DCT_PART, DCT_SOURCE)
    )
    add(dataset, a, _nt(_n("dcat:Dataset")))
    add(dataset, a, _nt(_n("void:Dataset")))
    add(dataset, a, _nt(_n("prov:Entity")))
    add(dataset, derived, _iri(orkgr, comparison_id))
    add(dataset, source, _nt(ox.NamedNode(f"{web_host(snapshot)}/comparison/{comparison_id}")))
    comp = snapshot.resources.get(comparison_id)
    title = (comp or {}).get("label") or mapping.title
    if title:
        add(dataset, _nt(_n("dct:title")), lit(str(title)))
    if snapshot.source.get("note"):
        add(dataset, _nt(_n("dct:description")), lit(str(snapshot.source["note"])))
    types = [_nt(ox.NamedNode(t)) for t in mapping.model_types]
    prop_nodes = {pm.property: _nt(ox.NamedNode(pm.property)) for pm in mapping.properties}
    _declare_generic(by_pid, add, res.warnings)
    used: set[str] = set()
    for cid in contributions:
        thing = snapshot.resources.get(cid) or {}
        label = str(thing.get("label") or cid)
        sl = slug(label) or cid.lower()
        if sl in used:
            sl = f"{sl}-{cid.lower()}"
        used.add(sl)
        model = _iri(f"{base}model/", sl)
        res.models.append(ModelInfo(model[1:-1], label, cid))
        contrib = _iri(orkgr, cid)
        for ty in types:
            add(model, a, ty)
        label_lit = _nt(ox.Literal(label))
        add(model, label_p, label_lit)
        add(model, name_p, label_lit)
        add(model, t["orkgContribution"], contrib)
        add(model, derived, contrib)
        add(model, part, dataset)
        ann = snapshot.annotations.get(cid) or {}
        if ann.get("row_membership"):
            add(model, t["confidence"], lit(str(ann["row_membership"])))
        conf = ann.get("confidence") or {}
        srcs = ann.get("sources") or {}
        for st in by_subject[cid]:
            pm = by_pid[st["predicate_id"]]
            obj = snapshot.literals.get(st["object_id"]) or snapshot.resources.get(st["object_id"])
            if obj is None:
                continue
            rec = _iri(f"{base}record/", st["id"])
            add(rec, t["model"], model)
            _record(rec, prop_nodes[pm.property], st, obj, contrib, add, lit)
            key = pm.annotation_key
            if key and conf.get(key):
                add(rec, t["confidence"], lit(str(conf[key])))
            if key and srcs.get(key):
                add(rec, source, lit(str(srcs[key])))
            _values(pm, prop_nodes[pm.property], model, obj, label, add, res.warnings, rec)
        flush()
    # Deterministic generation order (contributions, then statements, by natural id). Serializers sort.
    _nested(snapshot, mapping, base, add, lit, res.warnings)
    flush(force=True)
    return res


def _record(
    rec: str, pnode: str, st: dict[str, Any], obj: dict[str, Any], derived: str, add: Any, lit: Any
) -> None:
    """The value record of one ORKG statement: its id, predicate and object as ORKG has them."""
    raw = str(obj.get("label") or "")
    sid = st["id"]
    add(rec, _T["a"], _T["ValueRecord"])
    add(rec, _T["property"], pnode)
    add(rec, _T["orkgStatement"], f'"{sid}"' if sid.isascii() and sid.isalnum() else lit(sid))
    add(rec, _T["orkgPredicate"], _iri(ORKG_PREDICATE, st["predicate_id"]))
    add(rec, _T["derived"], derived)
    if obj.get("_class") == "literal":
        add(rec, _T["orkgLiteral"], lit(raw))
        add(rec, _T["orkgDatatype"], lit(str(obj.get("datatype") or "xsd:string")))
    else:
        add(rec, _T["orkgObject"], _iri(ORKG_RESOURCE, st["object_id"]))
        add(rec, _T["orkgLabel"], lit(raw))


def _nested(
    snapshot: Snapshot, mapping: Mapping, base: str, add: Any, lit: Any, warnings: list[MappingWarning]
) -> None:
    """Nested table rows at every depth: each value is stated on its ORKG resource (``orkgr:R…``, an IRI
    that survives renames) with a value record naming its ORKG statement, as for top-level values."""
    if not mapping.nested:
        return
    comparison_id = str(snapshot.comparison.get("id") or mapping.comparison)
    reached = reached_resources(snapshot, live_sources(snapshot, comparison_id))
    by_cell: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for sid in sorted(snapshot.statements, key=id_sort_key):
        st = snapshot.statements[sid]
        by_cell.setdefault((st["subject_id"], st["predicate_id"]), []).append(st)
    for col in mapping.nested:
        pm, node = col.mapping, _nt(ox.NamedNode(col.mapping.property))
        add(node, _T["a"], f"<{RDF}Property>")
        add(node, _nt(RDFS_LABEL), _nt(ox.Literal(pm.orkg_label)))
        add(node, _T["orkgPredicate"], _iri(ORKG_PREDICATE, col.predicate))
        add(node, _T["orkgPath"], _nt(ox.Literal(col.path)))
        for subject in reached.get(col.parent_path, []):
            thing = _iri(ORKG_RESOURCE, subject)
            for st in by_cell.get((subject, col.predicate), []):
                obj = snapshot.literals.get(st["object_id"]) or snapshot.resources.get(st["object_id"])
                if obj is not None:
                    _record(_iri(f"{base}record/", st["id"]), node, st, obj, thing, add, lit)
                    _values(pm, node, thing, obj, subject, add, warnings)


def _declare_generic(by_pid: dict[str, PropertyMapping], add: Any, warnings: list[MappingWarning]) -> None:
    """Each generic column's property: labelled like its ORKG predicate, linked to it, warned about once."""
    for pid, pm in sorted(by_pid.items(), key=lambda kv: id_sort_key(kv[0])):
        if not pm.generic:
            continue
        node = _nt(ox.NamedNode(pm.property))
        add(node, _nt(RDF_TYPE), f"<{RDF}Property>")
        add(node, _nt(RDFS_LABEL), _nt(ox.Literal(pm.orkg_label)))
        add(node, _nt(PROVENANCE["orkgPredicate"]), _iri(ORKG_PREDICATE, pid))
        warnings.append(
            MappingWarning(
                "(every model)",
                pm.property,
                pm.orkg_label,
                f"ORKG predicate {pid} is not in the mapping; exported by the generic {pm.rule.name!r} rule",
            )
        )


def _values(
    pm: PropertyMapping,
    pnode: str,
    model: str,
    obj: dict[str, Any],
    label: str,
    add: Any,
    warnings: list[MappingWarning],
    rec: str | None = None,
) -> None:
    """State one ORKG value through its rule: typed terms, or the raw label with a warning.

    Text that a concept rule could not match stays on the value record as a ``skos:note``: an object
    property takes no literal (OWL 2 DL), and the note keeps the text for sync (``sync.values``).
    Terms are N-Triples text (``pnode``, ``model``, ``rec``).
    """
    raw = str(obj.get("label") or "")
    rule = pm.rule
    try:
        value = rule.parse_object(obj)
    except RuleError as exc:
        warnings.append(MappingWarning(label, pm.property, raw, f"{exc}; kept as a plain literal"))
        add(model, pnode, _nt(ox.Literal(raw)))
        return
    if value is None:
        warnings.append(MappingWarning(label, pm.property, raw, "missing-value marker; no value stated"))
        return
    for prop, obj_term in rule.to_rdf(value, pm.property):
        if rec is not None and isinstance(obj_term, ox.Literal) and pm.rule.name == "concepts":
            add(rec, _NOTE, _nt(obj_term))
            continue
        add(model, pnode if prop == pm.property else _nt(ox.NamedNode(prop)), _nt(obj_term))
    for s, p, o in rule.about(value):
        add(_nt(s), _nt(p), _nt(o))
    for note in rule.notes(value):
        warnings.append(MappingWarning(label, pm.property, raw, note))


_NOTE = _nt(SKOS_NOTE)
_T = {k: _nt(v) for k, v in PROVENANCE.items()} | {"a": _nt(RDF_TYPE), "derived": _nt(PROV_DERIVED)}
