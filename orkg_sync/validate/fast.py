"""The fast engine: every check is one to three set-based SPARQL queries over all focus nodes at once.

pyshacl evaluates constraints focus node by focus node on rdflib (about 20 s for 100k triples);
here each check is set-at-a-time over pyoxigraph, and ``focus`` restricts it to the edited models.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable, Iterable

import pyoxigraph as ox
import rdflib

from orkg_sync.validate.report import Result
from orkg_sync.validate.shapes import Check

_WHERE = re.compile(r"WHERE\s*\{", re.IGNORECASE)
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
SUBCLASS = "http://www.w3.org/2000/01/rdf-schema#subClassOf"
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def _targets(store: ox.Store, cls: str, kind: str = "class") -> list[str]:
    if kind == "objectsOf":  # sh:targetObjectsOf: every object of the property
        q = f"SELECT DISTINCT ?this WHERE {{ ?s <{cls}> ?this }}"
    else:
        q = f"SELECT DISTINCT ?this WHERE {{ ?this <{RDF_TYPE}>/<{SUBCLASS}>* <{cls}> }}"
    return [str(s["this"]) for s in store.query(q)]  # type: ignore[union-attr]


def _values(focus: list[str]) -> str:
    return "VALUES ?this { " + " ".join(focus) + " }"


def _ill_typed(lit: ox.Literal) -> bool:
    dt = lit.datatype.value
    # rdflib maps xsd:string 1-1 (no converter), so it is never ill-typed: skip ~15 us per label
    return dt != XSD_STRING and _ill_typed_text(lit.value, dt)


@functools.lru_cache(maxsize=1 << 16)
def _ill_typed_text(value: str, datatype: str) -> bool:
    """rdflib's verdict (what pyshacl uses), once per distinct lexical form: values repeat a lot."""
    return bool(rdflib.Literal(value, datatype=datatype).ill_typed)


def _target_pattern(cls: str, kind: str = "class") -> str:
    """The target nodes as a sub-select: the store joins it (a VALUES list of every node, parsed anew per
    query, made the whole-graph run ~20x slower for node kinds at 1M triples)."""
    if kind == "objectsOf":
        return f"{{ SELECT DISTINCT ?this WHERE {{ ?s <{cls}> ?this }} }}"
    return f"{{ SELECT DISTINCT ?this WHERE {{ ?this <{RDF_TYPE}>/<{SUBCLASS}>* <{cls}> }} }}"


Emit = Callable[[str, str | None], None]


def _pattern(check: Check) -> str:
    pattern, flags = str(check.param), "".join(check.extra)
    return f"isBlank(?v) || !REGEX(STR(?v), {json.dumps(pattern)}, {json.dumps(flags)})"


# component -> the FILTER that keeps the value nodes violating it (a comparison that errors, as with a
# string against a number bound, is a violation: SHACL asks that the comparison be true)
FILTERS: dict[str, Callable[[Check], str]] = {
    "ClassConstraintComponent": lambda c: f"NOT EXISTS {{ ?v <{RDF_TYPE}>/<{SUBCLASS}>* {c.param} }}",
    "MinInclusiveConstraintComponent": lambda c: f"!COALESCE(?v >= {c.param}, false)",
    "MaxInclusiveConstraintComponent": lambda c: f"!COALESCE(?v <= {c.param}, false)",
    "PatternConstraintComponent": _pattern,
}


def run(store: ox.Store, checks: Iterable[Check], focus: set[str] | None = None) -> list[Result]:
    """Results of all checks; ``focus`` (N-Triples IRIs) limits the focus nodes.

    Each check is one or two set-based queries over every target at once; ``focus`` binds the few
    edited nodes up front instead.
    """
    results: list[Result] = []
    targets: dict[tuple[str, str], list[str]] = {}
    for check in checks:
        key = (check.target_kind, check.target_class)
        if key not in targets:
            nodes = _targets(store, check.target_class, check.target_kind)
            targets[key] = [n for n in nodes if focus is None or n in focus]
        nodes = targets[key]
        if not nodes:
            continue
        head = _values(nodes) if focus is not None else _target_pattern(check.target_class, check.target_kind)

        def emit(this: str, value: str | None, check: Check = check) -> None:
            results.append(
                Result(
                    this,
                    f"<{check.path}>" if check.path else None,
                    value,
                    check.severity,
                    check.shape,
                    check.component,
                    check.message,
                )
            )

        comp = check.component
        if comp in ("MinCountConstraintComponent", "MaxCountConstraintComponent"):
            _count(store, check, head, nodes, emit)
        elif comp == "DatatypeConstraintComponent":
            _datatype(store, check, head, emit)
        elif comp == "NodeKindConstraintComponent":
            _node_kind(store, check, head, emit)
        elif comp in FILTERS:
            _filtered(store, check, head, emit)
        elif comp == "ClosedConstraintComponent":
            _closed(store, check, head, results)
        elif comp == "SPARQLConstraintComponent":
            assert check.sparql is not None
            wanted = set(nodes)
            query = check.sparql
            if focus is not None:  # only the edited nodes: bind ?this up front
                query = _WHERE.sub(f"WHERE {{ {head} ", query, count=1)
            for s in store.query(query):  # type: ignore[union-attr]
                this = str(s["this"])
                if this in wanted:
                    v = s["value"]
                    emit(this, str(v) if v is not None else None)
    return results


def _count(store: ox.Store, check: Check, head: str, nodes: list[str], emit: Emit) -> None:
    """sh:minCount / sh:maxCount: COUNT(DISTINCT value) per focus node against the bound."""
    path, n = f"<{check.path}>", int(check.param or 0)
    if check.component.startswith("Min"):
        if n == 1:  # the usual "required": the targets minus the nodes with a value (one index scan)
            q = f"SELECT DISTINCT ?this WHERE {{ ?this {path} ?v }}"
            have = {str(s["this"]) for s in store.query(q)}  # type: ignore[union-attr]
            for this in nodes:
                if this not in have:
                    emit(this, None)
            return
        else:
            q = (
                f"SELECT ?this WHERE {{ {head} OPTIONAL {{ ?this {path} ?v }} }} "
                f"GROUP BY ?this HAVING (COUNT(DISTINCT ?v) < {n})"
            )
    else:  # more than n values needs at least one: no OPTIONAL
        q = (
            f"SELECT ?this WHERE {{ {head} ?this {path} ?v }} "
            f"GROUP BY ?this HAVING (COUNT(DISTINCT ?v) > {n})"
        )
    for s in store.query(q):  # type: ignore[union-attr]
        emit(str(s["this"]), None)


def _datatype(store: ox.Store, check: Check, head: str, emit: Emit) -> None:
    """sh:datatype: wrong kind / datatype / a language tag in SPARQL; ill-typed lexical forms (rdflib's
    verdict, as pyshacl) checked once per distinct value, then their focus nodes looked up."""
    path, dt = f"<{check.path}>", str(check.param)
    ok = f'isLiteral(?v) && datatype(?v) = <{dt}> && lang(?v) = ""'
    for s in store.query(f"SELECT ?this ?v WHERE {{ {head} ?this {path} ?v FILTER (!({ok})) }}"):  # type: ignore[union-attr]
        emit(str(s["this"]), str(s["v"]))
    distinct = store.query(f"SELECT DISTINCT ?v WHERE {{ {head} ?this {path} ?v FILTER ({ok}) }}")
    ill = [str(s["v"]) for s in distinct if _ill_typed(s["v"])]  # type: ignore[union-attr]
    if ill:
        q = f"SELECT ?this ?v WHERE {{ {head} VALUES ?v {{ {' '.join(ill)} }} ?this {path} ?v }}"
        for s in store.query(q):  # type: ignore[union-attr]
            emit(str(s["this"]), str(s["v"]))


def _node_kind(store: ox.Store, check: Check, head: str, emit: Emit) -> None:
    kind = str(check.param)
    test = {"IRI": "isIRI(?v)", "Literal": "isLiteral(?v)", "BlankNode": "isBlank(?v)"}.get(kind)
    if test is None:
        test = {"BlankNodeOrIRI": "!isLiteral(?v)", "IRIOrLiteral": "!isBlank(?v)"}.get(kind, "!isIRI(?v)")
    q = f"SELECT ?this ?v WHERE {{ {head} ?this <{check.path}> ?v FILTER (!({test})) }}"
    for s in store.query(q):  # type: ignore[union-attr]
        emit(str(s["this"]), str(s["v"]))


def _filtered(store: ox.Store, check: Check, head: str, emit: Callable[[str, str | None], None]) -> None:
    """sh:class, sh:pattern, sh:minInclusive, sh:maxInclusive: the value nodes their FILTER keeps."""
    test = FILTERS[check.component](check)
    q = f"SELECT ?this ?v WHERE {{ {head} ?this <{check.path}> ?v FILTER ({test}) }}"
    for s in store.query(q):  # type: ignore[union-attr]
        emit(str(s["this"]), str(s["v"]))


def _closed(store: ox.Store, check: Check, head: str, results: list[Result]) -> None:
    """sh:closed: every value of a predicate the shape does not name (nor sh:ignoredProperties)."""
    allowed = ", ".join(f"<{p}>" for p in check.extra)
    keep = f"FILTER (?p NOT IN ({allowed}))" if allowed else ""
    for s in store.query(f"SELECT ?this ?p ?v WHERE {{ {head} ?this ?p ?v {keep} }}"):  # type: ignore[union-attr]
        row = (str(s["this"]), str(s["p"]), str(s["v"]))
        results.append(Result(*row, check.severity, check.shape, check.component, check.message))
