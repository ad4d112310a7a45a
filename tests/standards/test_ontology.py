"""The ontology and vocabularies are consistent: under SKOS's own axioms (owlrl, OWL 2 RL closure), as
OWL 2 DL (no literal on an object property, every term used declared, no property of two kinds) and in
their licences."""

from __future__ import annotations

import shutil
from pathlib import Path

import owlrl
import pyoxigraph as ox
import pytest
import rdflib
from rdflib.namespace import OWL, RDF, RDFS, SKOS, XSD

from orkg_sync.resources import ontology_dir
from tests.standards.conftest import HERE

ERR = rdflib.URIRef("http://www.daml.org/2002/03/agents/agent-ont#ErrorMessage")
ERR_TEXT = rdflib.URIRef("http://www.daml.org/2002/03/agents/agent-ont#error")
CC0 = rdflib.URIRef("https://creativecommons.org/publicdomain/zero/1.0/")
DCT = rdflib.Namespace("http://purl.org/dc/terms/")
MAPPING = [SKOS.closeMatch, SKOS.exactMatch, SKOS.broadMatch, SKOS.narrowMatch, SKOS.relatedMatch]


def ontology_files() -> list[Path]:
    """The OWL ontologies (slm.ttl, the shared orkg-sync.ttl) and the SKOS vocabularies."""
    owl = sorted(p for p in ontology_dir().glob("*.ttl") if p.name != "align.ttl")
    return [*owl, *sorted((ontology_dir() / "vocab").glob("*.ttl"))]


def owl_rl_errors(g: rdflib.Graph) -> list[str]:
    """Inconsistencies the OWL 2 RL closure (owlrl) finds in ``g`` together with the SKOS axioms."""
    g = g + rdflib.Graph().parse(HERE / "skos-axioms.ttl", format="turtle")
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(g)
    return sorted(str(g.value(e, ERR_TEXT)) for e in g.subjects(RDF.type, ERR))


def shipped(dist: Path) -> rdflib.Graph:
    """The OWL ontologies plus the data (the data file carries the vocabularies)."""
    g = rdflib.Graph()
    for f in ontology_files():
        if f.parent == ontology_dir():
            g.parse(f, format="turtle")
    return g.parse(dist / "data.ttl", format="turtle")


def test_consistent_under_skos_owl_rl(dist: Path) -> None:
    assert owl_rl_errors(shipped(dist)) == []


def test_checker_catches_close_match_on_a_scheme(dist: Path) -> None:
    """The old ``slmv:attention skos:closeMatch wd:Q103701642`` made a scheme a concept: inconsistent."""
    g = shipped(dist)
    scheme = rdflib.URIRef("https://w3id.org/orkg-sync/slm/vocab/attention")
    g.add((scheme, SKOS.closeMatch, rdflib.URIRef("http://www.wikidata.org/entity/Q103701642")))
    errors = owl_rl_errors(g)
    assert errors and any("disjoint" in e.lower() for e in errors), errors


def test_no_skos_mapping_relation_on_schemes_or_owl_terms() -> None:
    g = rdflib.Graph()
    for f in ontology_files():
        g.parse(f, format="turtle")
    kinds = {SKOS.ConceptScheme, OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty}
    bad = [(s, p) for p in MAPPING for s in g.subjects(p, None) if set(g.objects(s, RDF.type)) & kinds]
    assert bad == []


def _declared(g: rdflib.Graph, kind: rdflib.URIRef) -> set[rdflib.term.Node]:
    return set(g.subjects(RDF.type, kind))


BUILTIN = {RDF.type, RDFS.label, RDFS.comment, RDFS.seeAlso, RDFS.subClassOf, RDFS.subPropertyOf}
BUILTIN |= {RDFS.domain, RDFS.range, OWL.versionIRI, OWL.versionInfo, OWL.equivalentClass}
BUILTIN |= {OWL.equivalentProperty, OWL.deprecated, OWL.inverseOf, OWL.imports}


def test_owl2_dl_declarations_and_punning(dist: Path) -> None:
    """Every property used is declared once, of one kind, and used as that kind (OWL 2 DL typing)."""
    g = shipped(dist)
    obj, dat, ann = (
        _declared(g, k) for k in (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
    )
    assert not (obj & dat) and not (obj & ann) and not (dat & ann)
    used = set(g.predicates())
    assert sorted(str(p) for p in used - obj - dat - ann - BUILTIN) == []
    lit_on_obj = [(s, p, o) for p in obj for s, o in g.subject_objects(p) if isinstance(o, rdflib.Literal)]
    iri_on_dat = [
        (s, p, o) for p in dat for s, o in g.subject_objects(p) if not isinstance(o, rdflib.Literal)
    ]
    assert lit_on_obj == [] and iri_on_dat == []
    classes = {o for o in g.objects(None, RDF.type)} - {OWL.Ontology, OWL.Class, OWL.ObjectProperty}
    classes -= {OWL.DatatypeProperty, OWL.AnnotationProperty}
    assert sorted(str(c) for c in classes - _declared(g, OWL.Class)) == []


def test_one_licence_stated_the_same_everywhere(dist: Path) -> None:
    """Each file states one licence, and its VoID entry states the same one; ours (slm.ttl, the schemes, the
    alignment rules, the data) are all CC0."""
    void = rdflib.Graph().parse(dist / "void.ttl", format="turtle")
    entry = {
        str(void.value(d, DCT.title)): set(void.objects(d, DCT.license))
        for d in void.subjects(DCT.title, None)
    }
    for f in [*ontology_files(), ontology_dir() / "align.ttl"]:
        g = rdflib.Graph().parse(f, format="turtle")
        heads = set(g.subjects(RDF.type, OWL.Ontology)) | set(g.subjects(RDF.type, SKOS.ConceptScheme))
        stated = {lic for h in heads for lic in g.objects(h, DCT.license)}
        assert heads and len(stated) == 1 and all(set(g.objects(h, DCT.license)) == stated for h in heads), f
        assert entry["ontology/" + f.relative_to(ontology_dir()).as_posix()] == stated, f
        if f.name != "orkg-sync.ttl":  # the shared provenance ontology is the mapping's (see docs)
            assert stated == {CC0}, f
    ds = rdflib.URIRef("https://w3id.org/orkg-sync/r790020/")
    assert set(void.objects(ds, DCT.license)) == {CC0} and entry["data.ttl"] == {CC0}


def test_ontology_parses_with_oxigraph_too() -> None:
    for f in [*ontology_files(), ontology_dir() / "align.ttl"]:
        assert list(ox.parse(path=str(f), format=ox.RdfFormat.TURTLE)), f


def _hermit_consistent(g: rdflib.Graph, tmp: Path) -> bool:
    """HermiT (an OWL 2 DL reasoner, shipped in owlready2) on ``g`` + the DL-expressible SKOS axioms.

    HermiT knows only the OWL 2 datatype map, which lacks xsd:gYearMonth: release months are given to it as
    plain strings. S27 (skos:related disjoint with the transitive skos:broaderTransitive) is outside OWL 2 DL
    and is left to the owlrl test above.
    """
    owlready2 = pytest.importorskip("owlready2")
    if shutil.which("java") is None:
        pytest.skip("HermiT needs java")
    g = g + rdflib.Graph().parse(HERE / "skos-axioms.ttl", format="turtle")
    g.remove((None, OWL.propertyDisjointWith, None))
    g.remove((None, RDFS.range, XSD.gYearMonth))
    for s, p, o in list(g):
        if isinstance(o, rdflib.Literal) and o.datatype == XSD.gYearMonth:
            g.remove((s, p, o))
            g.add((s, p, rdflib.Literal(str(o))))
    path = tmp / "all.nt"
    g.serialize(path, format="nt", encoding="utf-8")
    world = owlready2.World()
    world.get_ontology(path.as_uri()).load(format="ntriples")
    try:
        owlready2.sync_reasoner(world, infer_property_values=False, debug=0)
    except owlready2.OwlReadyInconsistentOntologyError:
        return False
    return True


@pytest.mark.slow
def test_consistent_under_hermit(dist: Path, tmp_path: Path) -> None:
    """A DL reasoner agrees: consistent as shipped, inconsistent with the old closeMatch on a scheme."""
    assert _hermit_consistent(shipped(dist), tmp_path)
    g = shipped(dist)
    scheme = rdflib.URIRef("https://w3id.org/orkg-sync/slm/vocab/attention")
    g.add((scheme, SKOS.closeMatch, rdflib.URIRef("http://www.wikidata.org/entity/Q103701642")))
    assert not _hermit_consistent(g, tmp_path)
