"""`shapes --from-template` against the sandbox's /api/templates, and the shapes run on ORKG-shaped RDF."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyshacl
import rdflib

from orkg_sync.namespaces import ORKG_RESOURCE, SH, XSD
from tests.init.conftest import run

TEMPLATE = "R9104010"  # the seeded solar-cell template (orkg_sync/sandbox/seeds/templated.json)


def test_template_as_shacl_over_http(tmp_path: Path, sandbox: Any) -> None:
    out = tmp_path / "template.ttl"
    proc = run(
        tmp_path, sandbox, "shapes", "--from-template", TEMPLATE, "--host", sandbox.url, "--out", str(out)
    )
    assert proc.returncode == 0, proc.stderr
    g = rdflib.Graph().parse(out, format="turtle")
    sh = rdflib.Namespace(SH)
    node = rdflib.URIRef(ORKG_RESOURCE + TEMPLATE)
    assert g.value(node, sh.targetClass) == rdflib.URIRef("http://orkg.org/orkg/class/C9104001")
    datatypes = {str(o) for o in g.objects(None, sh.datatype)}
    assert datatypes == {XSD + t for t in ("decimal", "integer", "date", "boolean", "anyURI", "string")}
    cells = rdflib.URIRef(f"{ORKG_RESOURCE}{TEMPLATE}/R9104012")
    assert g.value(cells, sh.minCount) == rdflib.Literal(0)  # kept, unlike ORKG's own export
    efficiency = rdflib.URIRef(f"{ORKG_RESOURCE}{TEMPLATE}/R9104011")
    assert g.value(efficiency, sh.maxInclusive) == rdflib.Literal(
        "100", datatype=rdflib.URIRef(XSD + "decimal")
    )
    data = rdflib.Graph().parse(
        data="""@prefix orkgr: <http://orkg.org/orkg/resource/> .
        @prefix orkgp: <http://orkg.org/orkg/predicate/> . @prefix orkgc: <http://orkg.org/orkg/class/> .
        orkgr:X a orkgc:C9104001 ; orkgp:P9104001 120.5 ; orkgp:P9104004 true ; orkgp:P9104007 orkgr:A .
        orkgr:A a orkgc:C9104002 .""",
        format="turtle",
    )
    conforms, report, _ = pyshacl.validate(data, shacl_graph=g)
    assert not conforms
    comps = {str(o).rsplit("#", 1)[-1] for o in report.objects(None, sh.sourceConstraintComponent)}
    assert comps == {"MaxInclusiveConstraintComponent"}  # 120.5 % is over the template's 100


def test_unknown_template_is_one_line(tmp_path: Path, sandbox: Any) -> None:
    proc = run(tmp_path, sandbox, "shapes", "--from-template", "R1", "--host", sandbox.url)
    assert proc.returncode == 2 and proc.stderr.startswith("error: ") and len(proc.stderr.splitlines()) == 1
