"""Snapshot -> RDF quads following the data contract in docs/ARCHITECTURE.md."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

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


def snapshot_to_rdf(snapshot: Snapshot, mapping: Mapping, *, base: str = DEFAULT_BASE) -> MappingResult:
    """Map every contribution of the snapshot's comparison to a model node plus value records."""
    base = mapping.base_iri(base)
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
    lit_cache: dict[str, ox.Literal] = {}

    def lit(text: str) -> ox.Literal:
        found = lit_cache.get(text)
        if found is None:
            found = lit_cache[text] = ox.Literal(text)
        return found

    res = MappingResult()
    quads = res.quads
    dataset = ox.NamedNode(base)
    orkgr = _P["orkgr"]

    append = quads.append

    def add(s: ox.NamedNode, p: ox.NamedNode, o: ox.NamedNode | ox.Literal) -> None:
        append(ox.Quad(s, p, o))  # default graph; passing DefaultGraph() explicitly is ~40% slower

    add(dataset, RDF_TYPE, _n("dcat:Dataset"))
    add(dataset, RDF_TYPE, _n("void:Dataset"))
    add(dataset, RDF_TYPE, _n("prov:Entity"))
    add(dataset, PROV_DERIVED, ox.NamedNode(orkgr + comparison_id))
    add(dataset, DCT_SOURCE, ox.NamedNode(f"{web_host(snapshot)}/comparison/{comparison_id}"))
    comp = snapshot.resources.get(comparison_id)
    title = (comp or {}).get("label") or mapping.title
    if title:
        add(dataset, _n("dct:title"), ox.Literal(title))
    if snapshot.source.get("note"):
        add(dataset, _n("dct:description"), ox.Literal(str(snapshot.source["note"])))
    types = [ox.NamedNode(t) for t in mapping.model_types]
    prop_nodes = {pm.property: ox.NamedNode(pm.property) for pm in mapping.properties}
    _declare_generic(by_pid, add, res.warnings)
    used: set[str] = set()
    for cid in contributions:
        thing = snapshot.resources.get(cid) or {}
        label = str(thing.get("label") or cid)
        s = slug(label) or cid.lower()
        if s in used:
            s = f"{s}-{cid.lower()}"
        used.add(s)
        model = ox.NamedNode(f"{base}model/{s}")
        res.models.append(ModelInfo(model.value, label, cid))
        contrib = ox.NamedNode(orkgr + cid)
        for t in types:
            add(model, RDF_TYPE, t)
        add(model, RDFS_LABEL, ox.Literal(label))
        add(model, SCHEMA_NAME, ox.Literal(label))
        add(model, TERMS["orkgContribution"], contrib)
        add(model, PROV_DERIVED, contrib)
        add(model, DCT_PART, dataset)
        ann = snapshot.annotations.get(cid) or {}
        if ann.get("row_membership"):
            add(model, TERMS["confidence"], ox.Literal(str(ann["row_membership"])))
        conf = ann.get("confidence") or {}
        srcs = ann.get("sources") or {}
        for st in by_subject[cid]:
            pm = by_pid[st["predicate_id"]]
            obj = snapshot.literals.get(st["object_id"]) or snapshot.resources.get(st["object_id"])
            if obj is None:
                continue
            rec = ox.NamedNode(f"{base}record/{st['id']}")
            pnode = prop_nodes[pm.property]
            add(rec, TERMS["model"], model)
            _record(rec, pnode, st, obj, contrib, add, lit)
            key = pm.annotation_key
            if key and conf.get(key):
                add(rec, TERMS["confidence"], lit(str(conf[key])))
            if key and srcs.get(key):
                add(rec, DCT_SOURCE, lit(str(srcs[key])))
            _values(pm, pnode, model, obj, label, add, res.warnings, rec)
    # Deterministic generation order (contributions, then statements, by natural id); duplicates (the
    # same concept twice in one cell) dropped. Serializers sort; sorting 600k quads here costs ~1 s.
    _nested(snapshot, mapping, base, add, lit, res.warnings)
    res.quads = list(dict.fromkeys(quads))
    return res


def _record(
    rec: ox.NamedNode,
    pnode: ox.NamedNode,
    st: dict[str, Any],
    obj: dict[str, Any],
    derived: ox.NamedNode,
    add: Any,
    lit: Any,
) -> None:
    """The value record of one ORKG statement: its id, predicate and object as ORKG has them."""
    raw = str(obj.get("label") or "")
    add(rec, RDF_TYPE, TERMS["ValueRecord"])
    add(rec, TERMS["property"], pnode)
    add(rec, TERMS["orkgStatement"], ox.Literal(st["id"]))
    add(rec, TERMS["orkgPredicate"], ox.NamedNode(ORKG_PREDICATE + st["predicate_id"]))
    add(rec, PROV_DERIVED, derived)
    if obj.get("_class") == "literal":
        add(rec, TERMS["orkgLiteral"], lit(raw))
        add(rec, TERMS["orkgDatatype"], lit(str(obj.get("datatype") or "xsd:string")))
    else:
        add(rec, TERMS["orkgObject"], ox.NamedNode(ORKG_RESOURCE + st["object_id"]))
        add(rec, TERMS["orkgLabel"], lit(raw))


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
        pm, node = col.mapping, ox.NamedNode(col.mapping.property)
        add(node, RDF_TYPE, ox.NamedNode(RDF + "Property"))
        add(node, RDFS_LABEL, ox.Literal(pm.orkg_label))
        add(node, PROVENANCE["orkgPredicate"], ox.NamedNode(ORKG_PREDICATE + col.predicate))
        add(node, PROVENANCE["orkgPath"], ox.Literal(col.path))
        for subject in reached.get(col.parent_path, []):
            thing = ox.NamedNode(ORKG_RESOURCE + subject)
            for st in by_cell.get((subject, col.predicate), []):
                obj = snapshot.literals.get(st["object_id"]) or snapshot.resources.get(st["object_id"])
                if obj is not None:
                    _record(ox.NamedNode(f"{base}record/{st['id']}"), node, st, obj, thing, add, lit)
                    _values(pm, node, thing, obj, subject, add, warnings)


def _declare_generic(by_pid: dict[str, PropertyMapping], add: Any, warnings: list[MappingWarning]) -> None:
    """Each generic column's property: labelled like its ORKG predicate, linked to it, warned about once."""
    for pid, pm in sorted(by_pid.items(), key=lambda kv: id_sort_key(kv[0])):
        if not pm.generic:
            continue
        node = ox.NamedNode(pm.property)
        add(node, RDF_TYPE, ox.NamedNode(RDF + "Property"))
        add(node, RDFS_LABEL, ox.Literal(pm.orkg_label))
        add(node, PROVENANCE["orkgPredicate"], ox.NamedNode(ORKG_PREDICATE + pid))
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
    pnode: ox.NamedNode,
    model: ox.NamedNode,
    obj: dict[str, Any],
    label: str,
    add: Any,
    warnings: list[MappingWarning],
    rec: ox.NamedNode | None = None,
) -> None:
    """State one ORKG value through its rule: typed terms, or the raw label with a warning.

    Text that a concept rule could not match stays on the value record as a ``skos:note``: an object
    property takes no literal (OWL 2 DL), and the note keeps the text for sync (``sync.values``).
    """
    raw = str(obj.get("label") or "")
    rule = pm.rule
    try:
        value = rule.parse_object(obj)
    except RuleError as exc:
        warnings.append(MappingWarning(label, pm.property, raw, f"{exc}; kept as a plain literal"))
        add(model, pnode, ox.Literal(raw))
        return
    if value is None:
        warnings.append(MappingWarning(label, pm.property, raw, "missing-value marker; no value stated"))
        return
    for prop, obj_term in rule.to_rdf(value, pm.property):
        if rec is not None and isinstance(obj_term, ox.Literal) and pm.rule.name == "concepts":
            add(rec, SKOS_NOTE, obj_term)
            continue
        add(model, pnode if prop == pm.property else ox.NamedNode(prop), obj_term)
    for s, p, o in rule.about(value):
        add(s, p, o)
    for note in rule.notes(value):
        warnings.append(MappingWarning(label, pm.property, raw, note))
