"""ORKG templates (their REST representation, orkg-api.md section 7) as SHACL that pyshacl runs."""

from __future__ import annotations

import pyshacl
import rdflib

from orkg_sync.mapping.templates import orkg_datatype, template_to_turtle, xsd_datatype
from orkg_sync.namespaces import ORKG_RESOURCE, XSD

TEMPLATE = {
    "id": "R500",
    "label": "Model card",
    "description": "What a model row must say",
    "formatted_label": "{P1}",
    "target_class": {"id": "C10", "label": "Model", "uri": None, "_class": "class_ref"},
    "relations": {"research_fields": [], "research_problems": [], "predicate": None},
    "properties": [
        {
            "id": "R501",
            "label": "parameters",
            "order": 0,
            "min_count": 1,
            "max_count": 1,
            "path": {"id": "P1", "label": "parameters"},
            "type": "number_literal",
            "datatype": {"id": "Integer", "label": "Integer"},
            "min_inclusive": 0,
            "max_inclusive": 10000,
        },
        {
            "id": "R502",
            "label": "accuracy",
            "order": 1,
            "min_count": 0,
            "max_count": None,
            "path": {"id": "P2", "label": "accuracy"},
            "type": "number_literal",
            "datatype": {"id": "Decimal", "label": "Decimal"},
            "min_inclusive": 0,
            "max_inclusive": 1,
        },
        {
            "id": "R503",
            "label": "task",
            "order": 2,
            "min_count": 0,
            "max_count": 3,
            "path": {"id": "P3", "label": "task"},
            "type": "resource",
            "class": {"id": "Problem", "label": "Problem"},
        },
        {
            "id": "R504",
            "label": "name",
            "order": 3,
            "min_count": None,
            "max_count": None,
            "path": {"id": "P4", "label": "name"},
            "type": "string_literal",
            "datatype": {"id": "String", "label": "String"},
            "pattern": "[A-Z].*",
        },
    ],
    "is_closed": False,
    "_class": "template",
}

DATA = """
@prefix orkgr: <http://orkg.org/orkg/resource/> . @prefix orkgp: <http://orkg.org/orkg/predicate/> .
@prefix orkgc: <http://orkg.org/orkg/class/> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
orkgr:R1 a orkgc:C10 ; orkgp:P1 "350"^^xsd:integer ; orkgp:P2 0.5 ; orkgp:P3 orkgr:R9 ; orkgp:P4 "Alpha" .
orkgr:R9 a orkgc:Problem .
orkgr:R2 a orkgc:C10 ; orkgp:P1 "lots" ; orkgp:P2 1.5 ; orkgp:P4 "beta" .
orkgr:R3 a orkgc:C10 ; orkgp:P2 0.1 .
"""


def test_datatypes_are_xsd_not_orkg_classes() -> None:
    assert xsd_datatype("Integer") == XSD + "integer"
    assert xsd_datatype("URI") == XSD + "anyURI"
    assert xsd_datatype("Problem") is None
    assert orkg_datatype("Date") == "xsd:date"


def test_template_turtle_keeps_zero_counts_and_types_bounds() -> None:
    ttl = template_to_turtle([TEMPLATE], ORKG_RESOURCE).decode()
    g = rdflib.Graph().parse(data=ttl, format="turtle")
    sh = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    shape = rdflib.URIRef(ORKG_RESOURCE + "R500/R502")
    assert g.value(shape, sh.minCount) == rdflib.Literal(0)  # ORKG's own export drops a zero
    assert g.value(shape, sh.datatype) == rdflib.URIRef(XSD + "decimal")
    assert g.value(shape, sh.maxInclusive) == rdflib.Literal("1", datatype=rdflib.URIRef(XSD + "decimal"))
    assert "orkgc:Integer" not in ttl and "_:" not in ttl  # no ORKG literal classes, no blank nodes
    assert template_to_turtle([TEMPLATE], ORKG_RESOURCE) == template_to_turtle([TEMPLATE], ORKG_RESOURCE)


def test_pyshacl_checks_exactly_what_the_template_asks() -> None:
    shapes = rdflib.Graph().parse(
        data=template_to_turtle([TEMPLATE], ORKG_RESOURCE).decode(), format="turtle"
    )
    data = rdflib.Graph().parse(data=DATA, format="turtle")
    conforms, report, _ = pyshacl.validate(data, shacl_graph=shapes)
    assert not conforms
    sh = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    found = {
        (
            str(report.value(r, sh.focusNode)).rsplit("/", 1)[-1],
            str(report.value(r, sh.sourceShape)).rsplit("/", 1)[-1],
            str(report.value(r, sh.sourceConstraintComponent)).rsplit("#", 1)[-1],
        )
        for r in report.subjects(rdflib.RDF.type, sh.ValidationResult)
    }
    assert found == {
        ("R2", "R501", "DatatypeConstraintComponent"),  # "lots" is not an integer...
        ("R2", "R501", "MinInclusiveConstraintComponent"),  # ...so it is not comparable with the bounds
        ("R2", "R501", "MaxInclusiveConstraintComponent"),
        ("R2", "R502", "MaxInclusiveConstraintComponent"),  # accuracy 1.5 > 1
        ("R2", "R504", "PatternConstraintComponent"),  # "beta" does not start upper-case
        ("R3", "R501", "MinCountConstraintComponent"),  # parameters required
    }
