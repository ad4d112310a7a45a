"""ORKG templates as real SHACL (orkg-api.md section 7).

ORKG stores a template with SHACL's vocabulary as its own predicate ids and points ``sh:datatype`` at
ORKG classes (``Integer``, ``Decimal``, ...). Its own exports write ``sh:datatype orkgc:Integer``, which
no SHACL engine understands, and drop counts of 0 (landscape.md 1.2). Here every datatype becomes its
XSD IRI and zero counts are kept, so a curator can validate locally exactly what the template asks.
The backend's template model (Template.kt at 9216196) has no value set (no ``sh:in``); the translation
of each field it has is in docs/mapping.md.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pyoxigraph as ox

from orkg_sync.client.api import OrkgApi
from orkg_sync.client.errors import NotFound
from orkg_sync.errors import InputError
from orkg_sync.namespaces import ORKG_CLASS, ORKG_PREDICATE, RDF, RDF_TYPE, RDFS, SH, XSD

N = ox.NamedNode
TEMPLATE_V1 = "application/vnd.orkg.template.v1+json"
# ORKG literal class id -> XSD datatype: every entry of the backend's Literals.XSD (graph-core-model
# Constants.kt, class ids from graph-core-constants Constants.kt ``object Classes``) at 9216196
DATATYPES: dict[str, str] = {
    "String": "string",
    "Integer": "integer",
    "Decimal": "decimal",
    "Date": "date",
    "Boolean": "boolean",
    "Float": "float",
    "Double": "double",
    "URI": "anyURI",
    "Duration": "duration",
    "DateTime": "dateTime",
    "Time": "time",
    "GregorianYearMonth": "gYearMonth",
    "GregorianYear": "gYear",
    "GregorianMonthDay": "gMonthDay",
    "GregorianDay": "gDay",
    "GregorianMonth": "gMonth",
    "HexBinary": "hexBinary",
    "Base64Binary": "base64Binary",
    "NormalizedString": "normalizedString",
    "Token": "token",
    "LanguageTag": "language",
    "Int": "int",
    "NonPositiveInteger": "nonPositiveInteger",
    "NegativeInteger": "negativeInteger",
    "Long": "long",
    "Short": "short",
    "Byte": "byte",
    "NonNegativeInteger": "nonNegativeInteger",
    "UnsignedLong": "unsignedLong",
    "UnsignedInt": "unsignedInt",
    "UnsignedShort": "unsignedShort",
    "UnsignedByte": "unsignedByte",
    "PositiveInteger": "positiveInteger",
    "YearMonthDuration": "yearMonthDuration",
    "DayTimeDuration": "dayTimeDuration",
    "DateTimeStamp": "dateTimeStamp",
}
ANY_RESOURCE = "Resource"  # Classes.resources: a resource property that accepts any resource
# what ORKG's RDF gives every resource besides its statements; a closed template allows them
CLOSED_IGNORES = (RDF_TYPE, RDFS + "label")


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
    yield _t(node, RDF_TYPE, N(SH + "NodeShape"))
    yield _t(node, RDFS + "label", ox.Literal(str(template.get("label") or tid)))
    if template.get("description"):
        yield _t(node, SH + "description", ox.Literal(str(template["description"])))
    target = _ref(template.get("target_class"))
    if target:
        yield _t(node, SH + "targetClass", N(ORKG_CLASS + target))
    props = sorted(template.get("properties") or [], key=lambda p: (p.get("order") or 0, str(p.get("id"))))
    if template.get("is_closed"):  # no predicate but the template's (ORKG's own label and classes aside)
        yield _t(node, SH + "closed", ox.Literal("true", datatype=N(XSD + "boolean")))
        yield from _rdf_list(node, SH + "ignoredProperties", [N(iri) for iri in CLOSED_IGNORES], tid)
    for prop in props:
        yield from _property_triples(node, prop)


def _t(s: ox.NamedNode | ox.BlankNode, p: str, o: ox.NamedNode | ox.Literal | ox.BlankNode) -> ox.Triple:
    return ox.Triple(s, N(p), o)


def _rdf_list(node: ox.NamedNode, pred: str, items: list[ox.NamedNode], tid: str) -> Iterator[ox.Triple]:
    """An RDF list with blank node ids of its own (stable output: a shape, not synced data)."""
    cells = [ox.BlankNode(f"{tid}-{pred.rsplit('#', 1)[-1]}-{i}") for i in range(len(items))]
    yield _t(node, pred, cells[0] if cells else N(RDF + "nil"))
    for i, (cell, item) in enumerate(zip(cells, items, strict=True)):
        yield _t(cell, RDF + "first", item)
        yield _t(cell, RDF + "rest", cells[i + 1] if i + 1 < len(cells) else N(RDF + "nil"))


def _property_triples(node: ox.NamedNode, prop: dict[str, Any]) -> Iterator[ox.Triple]:
    """Every constraint a template property can carry (Template.kt: untyped, string/number/other literal,
    resource), each as the SHACL ORKG means by it (AbstractTemplatePropertyValueValidator.kt)."""
    shape = N(f"{node.value}/{prop.get('id')}")
    path = _ref(prop.get("path"))
    if path is None:
        raise InputError(f"template property {prop.get('id')}: no path")
    integer = N(XSD + "integer")
    yield _t(node, SH + "property", shape)
    yield _t(shape, RDF_TYPE, N(SH + "PropertyShape"))
    yield _t(shape, SH + "path", N(ORKG_PREDICATE + path))
    for key, pred in (("label", "name"), ("description", "description")):
        if prop.get(key):
            yield _t(shape, SH + pred, ox.Literal(str(prop[key])))
    if prop.get("order") is not None:
        yield _t(shape, SH + "order", ox.Literal(str(prop["order"]), datatype=integer))
    if prop.get("min_count") is not None:  # 0 is a count too (ORKG's own export drops it)
        yield _t(shape, SH + "minCount", ox.Literal(str(int(prop["min_count"])), datatype=integer))
    if prop.get("max_count"):  # ORKG reads a max_count of 0 as "no upper bound" (checks only > 0)
        yield _t(shape, SH + "maxCount", ox.Literal(str(int(prop["max_count"])), datatype=integer))
    yield from _range_triples(shape, prop)


def _range_triples(shape: ox.NamedNode, prop: dict[str, Any]) -> Iterator[ox.Triple]:
    dt = prop.get("datatype") if isinstance(prop.get("datatype"), dict) else None
    dt_class = _ref(dt)
    datatype = xsd_datatype(dt_class) if dt_class else None
    if dt_class:  # a literal class XSD does not know: ORKG wants exactly its uri (or its class IRI)
        yield _t(shape, SH + "datatype", N(datatype or str((dt or {}).get("uri") or ORKG_CLASS + dt_class)))
    klass = _ref(prop.get("class"))
    if klass:
        yield _t(shape, SH + "nodeKind", N(SH + "IRI"))  # a literal is never a resource's value here
        if klass != ANY_RESOURCE:
            yield _t(shape, SH + "class", N(ORKG_CLASS + klass))
    if prop.get("pattern"):  # ORKG matches the whole label (Kotlin String.matches); SHACL searches
        yield _t(shape, SH + "pattern", ox.Literal(f"^(?:{prop['pattern']})$"))
    for key, pred in (("min_inclusive", "minInclusive"), ("max_inclusive", "maxInclusive")):
        if prop.get(key) is not None:
            yield _t(shape, SH + pred, _number(prop[key], datatype))


def template_to_turtle(templates: list[dict[str, Any]], base: str) -> bytes:
    """Deterministic Turtle of one or more templates as SHACL."""
    triples = sorted({tr for tpl in templates for tr in template_triples(tpl, base)}, key=str)
    prefixes = {"sh": SH, "xsd": XSD, "rdf": RDF, "rdfs": RDFS, "orkgc": ORKG_CLASS, "orkgp": ORKG_PREDICATE}
    return ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=prefixes) or b""
