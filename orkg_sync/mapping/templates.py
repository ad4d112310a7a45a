"""ORKG templates as real SHACL (orkg-api.md section 7).

ORKG stores a template with SHACL's vocabulary as its own predicate ids and points ``sh:datatype`` at
ORKG classes (``Integer``, ``Decimal``, ...). Its own exports write ``sh:datatype orkgc:Integer``, which
no SHACL engine understands, and drop counts of 0 (landscape.md 1.2). Here every datatype becomes its
XSD IRI and zero counts are kept, so a curator can validate locally exactly what the template asks.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pyoxigraph as ox

from orkg_sync.client.api import OrkgApi
from orkg_sync.client.errors import NotFound
from orkg_sync.errors import InputError
from orkg_sync.namespaces import ORKG_CLASS, ORKG_PREDICATE, RDF, RDF_TYPE, RDFS, SH, XSD

TEMPLATE_V1 = "application/vnd.orkg.template.v1+json"
# ORKG literal class id -> XSD datatype (the classes' owl:equivalentClass in ORKG; Constants.kt)
DATATYPES: dict[str, str] = {
    "String": "string",
    "Integer": "integer",
    "Decimal": "decimal",
    "Float": "float",
    "Boolean": "boolean",
    "Date": "date",
    "DateTime": "dateTime",
    "Time": "time",
    "URI": "anyURI",
    "NonNegativeInteger": "nonNegativeInteger",
    "PositiveInteger": "positiveInteger",
    "NegativeInteger": "negativeInteger",
    "NonPositiveInteger": "nonPositiveInteger",
    "Duration": "duration",
}


def xsd_datatype(orkg_class: str) -> str | None:
    """The XSD IRI an ORKG literal class stands for (``Integer`` or ``xsd:integer``); None if not one."""
    if orkg_class.startswith("xsd:"):
        return XSD + orkg_class[4:]
    local = DATATYPES.get(orkg_class)
    return XSD + local if local else None


def orkg_datatype(orkg_class: str) -> str | None:
    """The ORKG literal datatype (``xsd:integer``) a template's datatype class asks for."""
    iri = xsd_datatype(orkg_class)
    return "xsd:" + iri.removeprefix(XSD) if iri else None


def fetch_template(api: OrkgApi, template_id: str) -> dict[str, Any]:
    return dict(
        api.t.get_json(f"/api/templates/{template_id}", what=f"template {template_id}", accept=TEMPLATE_V1)
    )


def templates_for_class(api: OrkgApi, class_id: str) -> list[dict[str, Any]]:
    """Templates whose target class is ``class_id``; [] when the host has none (or no template API)."""
    try:
        page = api.t.get_json(
            "/api/templates",
            what=f"templates of class {class_id}",
            accept=TEMPLATE_V1,
            params={"target_class": class_id, "size": 50},
        )
    except NotFound:
        return []
    return [t for t in (page.get("content") or []) if (t.get("target_class") or {}).get("id") == class_id]


def _ref(obj: Any) -> str | None:
    return str(obj["id"]) if isinstance(obj, dict) and obj.get("id") else None


def _number(value: Any, datatype: str | None) -> ox.Literal:
    """A bound typed like the property's datatype (ORKG's export always says xsd:integer)."""
    dt = datatype or XSD + "decimal"
    text = str(value)
    if dt == XSD + "integer" and "." in text:
        dt = XSD + "decimal"
    return ox.Literal(text, datatype=ox.NamedNode(dt))


def template_triples(template: dict[str, Any], base: str) -> Iterator[ox.Triple]:
    """One template as SHACL triples: a node shape ``<base>{id}`` and a named shape per property."""
    tid = str(template.get("id") or "")
    if not tid:
        raise InputError("template without an id")
    node = ox.NamedNode(f"{base}{tid}")
    n = ox.NamedNode

    def t(s: ox.NamedNode, p: str, o: ox.NamedNode | ox.Literal) -> ox.Triple:
        return ox.Triple(s, n(p), o)

    yield t(node, RDF_TYPE, n(SH + "NodeShape"))
    yield t(node, RDFS + "label", ox.Literal(str(template.get("label") or tid)))
    if template.get("description"):
        yield t(node, SH + "description", ox.Literal(str(template["description"])))
    target = _ref(template.get("target_class"))
    if target:
        yield t(node, SH + "targetClass", n(ORKG_CLASS + target))
    if template.get("is_closed"):
        yield t(node, SH + "closed", ox.Literal("true", datatype=n(XSD + "boolean")))
    props = sorted(template.get("properties") or [], key=lambda p: (p.get("order") or 0, str(p.get("id"))))
    for prop in props:
        yield from _property_triples(node, prop, t)


def _property_triples(node: ox.NamedNode, prop: dict[str, Any], t: Any) -> Iterator[ox.Triple]:
    n = ox.NamedNode
    shape = n(f"{node.value}/{prop.get('id')}")
    path = _ref(prop.get("path"))
    if path is None:
        raise InputError(f"template property {prop.get('id')}: no path")
    integer = n(XSD + "integer")
    yield t(node, SH + "property", shape)
    yield t(shape, RDF_TYPE, n(SH + "PropertyShape"))
    yield t(shape, SH + "path", n(ORKG_PREDICATE + path))
    if prop.get("label"):
        yield t(shape, SH + "name", ox.Literal(str(prop["label"])))
    if prop.get("description"):
        yield t(shape, SH + "description", ox.Literal(str(prop["description"])))
    if prop.get("order") is not None:
        yield t(shape, SH + "order", ox.Literal(str(prop["order"]), datatype=integer))
    for key, pred in (("min_count", "minCount"), ("max_count", "maxCount")):
        if prop.get(key) is not None:  # 0 is a count too (ORKG's own export drops it)
            yield t(shape, SH + pred, ox.Literal(str(int(prop[key])), datatype=integer))
    dt_class = _ref(prop.get("datatype"))
    datatype = xsd_datatype(dt_class) if dt_class else None
    if datatype:
        yield t(shape, SH + "datatype", n(datatype))
    elif dt_class:
        yield t(shape, SH + "class", n(ORKG_CLASS + dt_class))  # a literal class ORKG knows but XSD does not
    klass = _ref(prop.get("class"))
    if klass:
        yield t(shape, SH + "class", n(ORKG_CLASS + klass))
        yield t(shape, SH + "nodeKind", n(SH + "IRI"))
    if prop.get("pattern"):
        yield t(shape, SH + "pattern", ox.Literal(str(prop["pattern"])))
    for key, pred in (("min_inclusive", "minInclusive"), ("max_inclusive", "maxInclusive")):
        if prop.get(key) is not None:
            yield t(shape, SH + pred, _number(prop[key], datatype))


def template_to_turtle(templates: list[dict[str, Any]], base: str) -> bytes:
    """Deterministic Turtle of one or more templates as SHACL."""
    triples = sorted({tr for tpl in templates for tr in template_triples(tpl, base)}, key=str)
    prefixes = {"sh": SH, "xsd": XSD, "rdf": RDF, "rdfs": RDFS, "orkgc": ORKG_CLASS, "orkgp": ORKG_PREDICATE}
    return ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=prefixes) or b""
