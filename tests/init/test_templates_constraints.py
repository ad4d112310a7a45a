"""Every constraint an ORKG template can carry, as SHACL, and each violation found by both engines.

The sandbox serves a seeded template (R9104040, orkg_sync/sandbox/seeds/templated.json) with one property
of every kind the backend's model has (Template.kt: untyped, string literal with pattern, number literal
with inclusive bounds, other literal, resource with class; counts incl. 0; closed). `shapes
--from-template` turns it into SHACL; ORKG-shaped RDF that breaks one constraint per instance is then
validated by pyshacl and by our validator (both engines, through `validate --shapes`): each violation is
reported, the valid instances conform, and both engines agree.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pyshacl
import pytest
import rdflib
import rdflib.collection
import requests

from orkg_sync.mapping.templates import template_triples
from orkg_sync.namespaces import ORKG_CLASS, ORKG_PREDICATE, ORKG_RESOURCE, RDF_TYPE, RDFS, SH, XSD
from tests.init.conftest import run

TEMPLATE = "R9104040"
SHNS = rdflib.Namespace(SH)
DATA = """@prefix orkgr: <http://orkg.org/orkg/resource/> . @prefix orkgp: <http://orkg.org/orkg/predicate/> .
@prefix orkgc: <http://orkg.org/orkg/class/> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
orkgr:R9104101 a orkgc:C9104002 ; rdfs:label "Perovskite" .
orkgr:R9104021 a orkgc:C9104001 ; rdfs:label "a measurement, not an absorber" .
"""
GOOD = {  # predicate -> Turtle objects of a valid instance
    "P9104006": ['"first note"', '"second note"'],  # max_count 0: ORKG's "no upper bound"
    "P9104008": ['"SN-1234"'],
    "P9104001": ['"22.5"^^xsd:float'],
    "P9104009": ['"2024"^^xsd:gYear'],
    "P9104007": ["orkgr:R9104101"],
}
# instance -> (what changes, the constraint components it must break)
BAD: dict[str, tuple[dict[str, list[str]], set[str]]] = {
    "no-note": ({"P9104006": []}, {"MinCount"}),
    "serial-too-long": ({"P9104008": ['"SN-12345"']}, {"Pattern"}),  # a partial match is not enough
    "serial-prefixed": ({"P9104008": ['"xSN-1234"']}, {"Pattern"}),
    "two-serials": ({"P9104008": ['"SN-1111"', '"SN-2222"']}, {"MaxCount"}),
    "serial-as-number": ({"P9104008": ["1234"]}, {"Datatype", "Pattern"}),
    "too-low": ({"P9104001": ['"4.5"^^xsd:float']}, {"MinInclusive"}),
    "too-high": ({"P9104001": ['"31"^^xsd:float']}, {"MaxInclusive"}),
    "not-a-number": ({"P9104001": ['"high"']}, {"Datatype", "MinInclusive", "MaxInclusive"}),
    "year-as-integer": ({"P9104009": ["2024"]}, {"Datatype"}),
    "wrong-class": ({"P9104007": ["orkgr:R9104021"]}, {"Class"}),
    "absorber-as-text": ({"P9104007": ['"Perovskite"']}, {"Class", "NodeKind"}),
    "no-absorber": ({"P9104007": []}, {"MinCount"}),
    "extra-predicate": ({"P9104002": ["60"]}, {"Closed"}),
}


def _data() -> str:
    out = [DATA]
    for name, (change, _) in {"good": ({}, set()), "no-efficiency": ({"P9104001": []}, set()), **BAD}.items():
        values = {**GOOD, **change}
        body = " ; ".join(f"orkgp:{p} {', '.join(v)}" for p, v in values.items() if v)
        out.append(f'orkgr:{name} a orkgc:C9104003 ; rdfs:label "{name}" ; {body} .')
    return "\n".join(out)


def _expected() -> set[tuple[str, str]]:
    return {(f"<{ORKG_RESOURCE}{n}>", c) for n, (_, comps) in BAD.items() for c in comps}


@pytest.fixture(scope="module")
def shapes(sandbox: Any, tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("template")
    out = root / "template.ttl"
    proc = run(root, sandbox, "shapes", "--from-template", TEMPLATE, "--host", sandbox.url, "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    return out


def test_every_template_constraint_is_shacl(shapes: Path, sandbox: Any) -> None:
    tpl = requests.get(
        f"{sandbox.url}/api/templates/{TEMPLATE}",
        headers={"Accept": "application/vnd.orkg.template.v1+json"},
        timeout=10,
    ).json()
    g = rdflib.Graph().parse(shapes, format="turtle")
    node = rdflib.URIRef(ORKG_RESOURCE + TEMPLATE)
    assert g.value(node, SHNS.targetClass) == rdflib.URIRef(ORKG_CLASS + tpl["target_class"]["id"])
    assert g.value(node, SHNS.closed) == rdflib.Literal(True) and tpl["is_closed"] is True
    ignored = {str(x) for x in rdflib.collection.Collection(g, g.value(node, SHNS.ignoredProperties))}
    assert ignored == {RDF_TYPE, RDFS + "label"}
    types = {p["type"] for p in tpl["properties"]}
    assert types == {"untyped", "string_literal", "number_literal", "other_literal", "resource"}
    for prop in tpl["properties"]:
        ps = rdflib.URIRef(f"{ORKG_RESOURCE}{TEMPLATE}/{prop['id']}")
        assert g.value(ps, SHNS.path) == rdflib.URIRef(ORKG_PREDICATE + prop["path"]["id"])
        assert g.value(ps, SHNS.order).toPython() == prop["order"]
        min_count = g.value(ps, SHNS.minCount)
        assert (min_count.toPython() if min_count is not None else None) == prop["min_count"]
        max_count = g.value(ps, SHNS.maxCount)  # 0 and null are both "unbounded" in ORKG
        assert (max_count.toPython() if max_count is not None else None) == (prop["max_count"] or None)
        if prop["type"] == "string_literal":
            assert str(g.value(ps, SHNS.pattern)) == f"^(?:{prop['pattern']})$"
        if prop["type"] == "number_literal":
            for key in ("min_inclusive", "max_inclusive"):
                bound = g.value(ps, SHNS[key.replace("_i", "I")])
                assert Decimal(str(bound)) == Decimal(str(prop[key])), key
        if prop["type"] in ("string_literal", "number_literal", "other_literal"):
            assert str(g.value(ps, SHNS.datatype)) == prop["datatype"]["uri"]  # the class's own XSD IRI
        if prop["type"] == "resource":
            assert g.value(ps, SHNS["class"]) == rdflib.URIRef(ORKG_CLASS + prop["class"]["id"])
            assert g.value(ps, SHNS.nodeKind) == SHNS.IRI
        if prop["type"] == "untyped":
            assert not {g.value(ps, SHNS[k]) for k in ("datatype", "class", "nodeKind")} - {None}


def test_pyshacl_reports_each_violation(shapes: Path) -> None:
    data = rdflib.Graph().parse(data=_data(), format="turtle")
    conforms, report, _ = pyshacl.validate(data, shacl_graph=rdflib.Graph().parse(shapes, format="turtle"))
    assert not conforms
    got = {
        (report.value(r, SHNS.focusNode).n3(), str(report.value(r, SHNS.sourceConstraintComponent)))
        for r in report.subjects(rdflib.RDF.type, SHNS.ValidationResult)
    }
    assert {(f, c.removeprefix(SH).removesuffix("ConstraintComponent")) for f, c in got} == _expected()


@pytest.mark.parametrize("engine", ["fast", "pyshacl"])
def test_validate_command_reports_each_violation(shapes: Path, tmp_path: Path, engine: str) -> None:
    data = tmp_path / "orkg.ttl"
    data.write_text(_data(), encoding="utf-8")
    proc = run(tmp_path, None, "validate", str(data), "--shapes", str(shapes), "--engine", engine, "--json")
    assert proc.returncode == 1, proc.stderr  # 1: invalid data
    assert proc.stderr.startswith("error: validation failed")
    results = json.loads(proc.stdout)["results"]
    got = {(r["focus"], r["component"].removesuffix("ConstraintComponent")) for r in results}
    assert got == _expected()
    closed = [r for r in results if r["component"] == "ClosedConstraintComponent"]
    assert [r["path"] for r in closed] == [f"<{ORKG_PREDICATE}P9104002>"]


def test_any_resource_and_unknown_literal_classes() -> None:
    """Classes.resources accepts any resource; a literal class XSD lacks is ORKG's exact datatype."""
    tpl = {
        "id": "R1",
        "properties": [
            {"id": "R2", "path": {"id": "P1"}, "order": 0, "class": {"id": "Resource"}},
            {"id": "R3", "path": {"id": "P2"}, "order": 1, "datatype": {"id": "C5", "uri": None}},
        ],
    }
    triples = {(t.subject.value, t.predicate.value, t.object.value) for t in template_triples(tpl, "urn:x:")}
    assert ("urn:x:R1/R2", SH + "nodeKind", SH + "IRI") in triples
    assert not any(s == "urn:x:R1/R2" and p == SH + "class" for s, p, _ in triples)
    assert ("urn:x:R1/R3", SH + "datatype", ORKG_CLASS + "C5") in triples
    assert not any(o.startswith(XSD) for s, p, o in triples if s == "urn:x:R1/R3" and p == SH + "datatype")
