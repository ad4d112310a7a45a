"""Read the SHACL shapes into plain checks that both engines understand the same way.

The fast engine supports exactly the SHACL features our shapes and ORKG templates use (sh:targetClass,
sh:targetObjectsOf (nested table rows: the resources a column points to), sh:closed with
sh:ignoredProperties; property shapes with a predicate path and sh:minCount, sh:maxCount,
sh:datatype, sh:nodeKind, sh:class, sh:pattern (with sh:flags), sh:minInclusive, sh:maxInclusive,
sh:sparql; sh:order is not a constraint). A shapes file using anything else is refused rather than
half-checked.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

import rdflib
import rdflib.collection
from rdflib.namespace import RDF, SH

from orkg_sync.errors import InputError
from orkg_sync.resources import shapes_dir

SUPPORTED = {
    SH.path,
    SH.minCount,
    SH.maxCount,
    SH.datatype,
    SH.nodeKind,
    SH.sparql,
    SH["class"],
    SH.pattern,
    SH.flags,
    SH.minInclusive,
    SH.maxInclusive,
    SH.order,
    SH.severity,
    SH.message,
    SH.name,
    SH.description,
    RDF.type,
    rdflib.RDFS.label,
    rdflib.RDFS.comment,
}


@dataclass(frozen=True)
class Check:
    """One constraint of one property shape, on the focus nodes of one target class (or, with
    ``target_kind`` "objectsOf", on the objects of one property)."""

    target_class: str
    shape: str  # property shape IRI (N-Triples form)
    path: str | None  # predicate IRI (plain); None for a node-level SPARQL constraint
    severity: str
    message: str
    component: str  # local name in sh:
    param: str | int | None = None  # count, datatype/class IRI, node kind, bound (N-Triples) or pattern
    sparql: str | None = None  # SELECT with $this/$PATH replaced by ?this and <path>
    extra: tuple[str, ...] = ()  # a pattern's flags; the predicates a closed shape allows
    target_kind: str = "class"  # class (sh:targetClass) | objectsOf (sh:targetObjectsOf)


def shape_files(root: Path | None = None) -> list[Path]:
    return sorted((root or shapes_dir()).glob("*.ttl"))


def load_shapes_graph(files: list[Path] | None = None) -> rdflib.Graph:
    g = rdflib.Graph()
    for f in files if files is not None else shape_files():
        try:
            g.parse(f, format="turtle")
        except Exception as err:  # rdflib raises many parser types
            raise InputError(f"{f}: malformed shapes file ({' '.join(str(err).split())[:200]})") from None
    return g


def _prefixes(g: rdflib.Graph, constraint: rdflib.term.Node) -> str:
    lines = []
    for onto in g.objects(constraint, SH.prefixes):
        for decl in g.objects(onto, SH.declare):
            lines.append(f"PREFIX {g.value(decl, SH.prefix)}: <{g.value(decl, SH.namespace)}>")
    return "\n".join(sorted(set(lines)))


def _sorted(nodes: object) -> list[rdflib.term.Node]:
    return sorted(set(nodes), key=str)  # type: ignore[call-overload]


def _sev(g: rdflib.Graph, shape: rdflib.term.Node) -> str:
    return str(g.value(shape, SH.severity) or SH.Violation).rsplit("#", 1)[-1]


def compile_checks(g: rdflib.Graph) -> list[Check]:
    """Every (target class, shape, constraint) as a Check, in a stable order."""
    checks: list[Check] = []
    for kind, target_pred in (("class", SH.targetClass), ("objectsOf", SH.targetObjectsOf)):
        checks += [replace(c, target_kind=kind) for c in _node_checks(g, target_pred)]
    return checks


def _node_checks(g: rdflib.Graph, target_pred: rdflib.URIRef) -> list[Check]:
    checks: list[Check] = []
    for node_shape in _sorted(g.subjects(target_pred, None)):
        for target in _sorted(g.objects(node_shape, target_pred)):
            for c in _sorted(g.objects(node_shape, SH.sparql)):
                query = _prefixes(g, c) + "\n" + str(g.value(c, SH.select)).replace("$this", "?this")
                msg = str(g.value(c, SH.message) or g.value(node_shape, SH.message) or "")
                checks.append(
                    Check(
                        str(target),
                        node_shape.n3(),
                        None,
                        _sev(g, node_shape),
                        msg,
                        "SPARQLConstraintComponent",
                        sparql=query,
                    )
                )
            if g.value(node_shape, SH.closed) == rdflib.Literal(True):
                checks.append(_closed_check(g, str(target), node_shape))
            for ps in _sorted(g.objects(node_shape, SH.property)):
                checks += _property_checks(g, str(target), ps)
    return checks


def _closed_check(g: rdflib.Graph, target: str, node_shape: rdflib.term.Node) -> Check:
    """sh:closed: the predicates the property shapes name, plus sh:ignoredProperties, and no other."""
    allowed = {str(g.value(ps, SH.path)) for ps in g.objects(node_shape, SH.property)}
    ignored = g.value(node_shape, SH.ignoredProperties)
    if ignored is not None:
        allowed |= {str(x) for x in rdflib.collection.Collection(g, ignored)}
    msg = str(g.value(node_shape, SH.message) or "")
    shape = node_shape.n3()
    return Check(
        target,
        shape,
        None,
        _sev(g, node_shape),
        msg,
        "ClosedConstraintComponent",
        extra=tuple(sorted(allowed)),
    )


def _property_checks(g: rdflib.Graph, target: str, ps: rdflib.term.Node) -> list[Check]:
    if not isinstance(ps, rdflib.URIRef):
        raise InputError(f"a property shape has no IRI (name every shape): {ps}")
    unsupported = set(g.predicates(ps, None)) - SUPPORTED
    if unsupported:
        names = ", ".join(sorted(str(u) for u in unsupported))
        raise InputError(f"{ps}: SHACL features the fast engine does not support: {names}")
    path = g.value(ps, SH.path)
    if not isinstance(path, rdflib.URIRef):
        raise InputError(f"{ps}: only predicate paths are supported")
    sev, msg, shape = _sev(g, ps), str(g.value(ps, SH.message) or ""), ps.n3()
    out: list[Check] = []
    for comp, pred in (
        ("MinCountConstraintComponent", SH.minCount),
        ("MaxCountConstraintComponent", SH.maxCount),
    ):
        val = g.value(ps, pred)
        if val is not None:
            out.append(Check(target, shape, str(path), sev, msg, comp, param=int(str(val))))
    dt = g.value(ps, SH.datatype)
    if dt is not None:
        out.append(Check(target, shape, str(path), sev, msg, "DatatypeConstraintComponent", param=str(dt)))
    for comp, pred in (
        ("ClassConstraintComponent", SH["class"]),
        ("MinInclusiveConstraintComponent", SH.minInclusive),
        ("MaxInclusiveConstraintComponent", SH.maxInclusive),
    ):
        for val in _sorted(g.objects(ps, pred)):
            out.append(Check(target, shape, str(path), sev, msg, comp, param=val.n3()))
    pattern = g.value(ps, SH.pattern)
    if pattern is not None:
        flags = str(g.value(ps, SH.flags) or "")
        out.append(
            Check(
                target, shape, str(path), sev, msg, "PatternConstraintComponent", str(pattern), extra=(flags,)
            )
        )
    kind = g.value(ps, SH.nodeKind)
    if kind is not None:
        local = str(kind).rsplit("#", 1)[-1]
        out.append(Check(target, shape, str(path), sev, msg, "NodeKindConstraintComponent", param=local))
    for c in _sorted(g.objects(ps, SH.sparql)):
        text = str(g.value(c, SH.select)).replace("$this", "?this").replace("$PATH", f"<{path}>")
        cmsg = str(g.value(c, SH.message) or msg)
        out.append(
            Check(
                target,
                shape,
                str(path),
                sev,
                cmsg,
                "SPARQLConstraintComponent",
                sparql=_prefixes(g, c) + "\n" + text,
            )
        )
    return out
