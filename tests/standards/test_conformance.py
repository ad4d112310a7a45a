"""The release against the standards it claims: SEMIC's own SHACL files for DCAT-AP 3.0.1 and MLDCAT-AP 3.1.0.

DCAT-AP: no violation at all. MLDCAT-AP: only the mandatory properties the survey cannot tell (a model's
version and files, the training data of the models whose corpus was not recovered, quality measurements of
the files, collection dates of corpora we did not collect); docs/publishing.md lists them. The expected
counts are computed from the data (how many models, files, corpora), not written down.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pyshacl
import pytest
import rdflib
from rdflib.namespace import RDF, SH

from tests.standards.conftest import FIXTURES

IT6 = "http://data.europa.eu/it6/"
DCAT = "http://www.w3.org/ns/dcat#"
DQV = "http://www.w3.org/ns/dqv#"
SLM = "https://w3id.org/orkg-sync/slm#"


def release_graph(dist: Path) -> rdflib.Graph:
    g = rdflib.Graph()
    g.parse(dist / "data.ttl", format="turtle")
    g.parse(dist / "void.ttl", format="turtle")
    return g


def violations(data: rdflib.Graph, shapes_file: str) -> Counter[tuple[str, str]]:
    """(result path, constraint component) -> number of violations."""
    shapes = rdflib.Graph().parse(FIXTURES / shapes_file, format="turtle")
    _, report, _ = pyshacl.validate(data, shacl_graph=shapes, inference="none", allow_warnings=True)
    out: Counter[tuple[str, str]] = Counter()
    for r in report.subjects(RDF.type, SH.ValidationResult):
        if report.value(r, SH.resultSeverity) == SH.Violation:
            comp = str(report.value(r, SH.sourceConstraintComponent)).rsplit("#", 1)[-1]
            out[(str(report.value(r, SH.resultPath)), comp)] += 1
    return out


@pytest.fixture(scope="module")
def graph(dist: Path) -> rdflib.Graph:
    return release_graph(dist)


def test_dcat_ap_3_0_1_no_violations(graph: rdflib.Graph) -> None:
    assert violations(graph, "dcat-ap-3.0.1-SHACL.ttl") == Counter()


def _count(g: rdflib.Graph, query: str) -> int:
    return int(next(iter(g.query(query)))[0])  # type: ignore[index]


def test_mldcat_ap_3_1_0_only_what_the_source_cannot_tell(graph: rdflib.Graph) -> None:
    models = _count(graph, f"SELECT (COUNT(DISTINCT ?m) AS ?n) {{ ?m a <{IT6}MachineLearningModel> }}")
    untrained = _count(
        graph,
        f"""SELECT (COUNT(DISTINCT ?m) AS ?n) {{ ?m a <{IT6}MachineLearningModel>
            FILTER NOT EXISTS {{ ?m <{SLM}trainingDataset> ?d }} }}""",
    )
    files = _count(graph, f"SELECT (COUNT(DISTINCT ?d) AS ?n) {{ ?d a <{DCAT}Distribution> }}")
    # datasets we did not collect: the training corpora and the source comparison (ours has a date)
    uncollected = _count(
        graph,
        f"""SELECT (COUNT(DISTINCT ?d) AS ?n) {{ ?d a <{DCAT}Dataset>
            FILTER NOT EXISTS {{ ?d <{IT6}collectionDate> ?c }} }}""",
    )
    assert models == 38 and files >= 17 and 0 < untrained < models and uncollected == 7
    expected = Counter(
        {
            (DCAT + "version", "MinCountConstraintComponent"): models,
            (IT6 + "hasFile", "MinCountConstraintComponent"): models,
            (IT6 + "trainedOn", "MinCountConstraintComponent"): untrained,
            (DQV + "hasQualityMeasurement", "MinCountConstraintComponent"): files,
            (IT6 + "collectionDate", "MinCountConstraintComponent"): uncollected,
        }
    )
    assert violations(graph, "mldcat-ap-3.1.0-SHACL.ttl") == expected


def test_alignment_is_materialised(graph: rdflib.Graph) -> None:
    """A consumer without inference sees the MLDCAT-AP/FAIR4ML/schema.org terms beside ours."""
    m = rdflib.URIRef("https://w3id.org/orkg-sync/r790020/model/llama-3-2")
    dct = rdflib.Namespace("http://purl.org/dc/terms/")
    assert str(graph.value(m, dct.title)) == "Llama 3.2"
    assert str(graph.value(m, dct.identifier)) == str(m)
    assert graph.value(m, dct.created) == graph.value(m, rdflib.URIRef(SLM + "releaseDate"))
    assert graph.value(m, rdflib.URIRef(IT6 + "releaseDate")) == graph.value(m, dct.created)
    amber = rdflib.URIRef("https://w3id.org/orkg-sync/slm/vocab/dataset/llm360-amber")
    for p in (IT6 + "trainedOn", "https://w3id.org/fair4ml#trainedOn"):
        assert (None, rdflib.URIRef(p), amber) in graph
    assert str(graph.value(amber, dct.title)) == "LLM360 Amber"


def test_the_checker_catches_a_missing_fact(graph: rdflib.Graph) -> None:
    """The DCAT-AP check is not vacuous: drop one distribution's access URL and it reports exactly that."""
    g = rdflib.Graph()
    for t in graph:
        g.add(t)
    dist = next(g.subjects(RDF.type, rdflib.URIRef(DCAT + "Distribution")))
    g.remove((dist, rdflib.URIRef(DCAT + "accessURL"), None))
    assert violations(g, "dcat-ap-3.0.1-SHACL.ttl") == Counter(
        {(DCAT + "accessURL", "MinCountConstraintComponent"): 1}
    )
