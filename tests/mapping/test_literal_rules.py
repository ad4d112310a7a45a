"""Generic literal and resource rules: both directions, style kept, detect, and ORKG's lexical checks."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from orkg_sync.mapping.rules import (
    RULES,
    ResourceRef,
    RuleError,
    accepts,
    rule_for_datatype,
)
from orkg_sync.namespaces import ORKG_RESOURCE, XSD

P = "https://example.org/p"


@pytest.mark.parametrize(
    ("rule", "label", "lexical", "datatype"),
    [
        ("integer", "42", "42", "integer"),
        ("integer", " -7 ", "-7", "integer"),
        ("decimal", "0.90", "0.9", "decimal"),  # the canonical form a store keeps (no phantom diff)
        ("decimal", "3", "3", "decimal"),
        ("date", "2024-02-29", "2024-02-29", "date"),
        ("boolean", "True", "true", "boolean"),
        ("uri", "https://arxiv.org/abs/2409.15790", "https://arxiv.org/abs/2409.15790", "anyURI"),
        ("string", "  kept as is ", "  kept as is ", "string"),
    ],
)
def test_to_rdf_types_by_datatype(rule: str, label: str, lexical: str, datatype: str) -> None:
    r = RULES[rule]()
    ((prop, term),) = r.to_rdf(r.parse(label), P)
    assert prop == P
    assert isinstance(term, ox.Literal)
    assert term.value == lexical
    assert term.datatype.value == XSD + datatype


@pytest.mark.parametrize(
    ("rule", "bad"),
    [("integer", "4.5"), ("integer", "abc"), ("decimal", "1e5"), ("date", "2024-02-30"), ("boolean", "yes")],
)
def test_labels_that_do_not_fit_raise(rule: str, bad: str) -> None:
    with pytest.raises(RuleError):
        RULES[rule]().parse(bad)


def test_missing_markers_state_nothing_except_for_strings() -> None:
    assert RULES["integer"]().parse("n/a") is None
    assert RULES["string"]().parse("n/a") == "n/a"


@pytest.mark.parametrize(
    ("rule", "old", "new_term", "expected"),
    [
        ("decimal", "0.90", ox.Literal("0.9", datatype=ox.NamedNode(XSD + "decimal")), "0.90"),  # same value
        ("decimal", "0.90", ox.Literal("0.95", datatype=ox.NamedNode(XSD + "decimal")), "0.95"),
        ("integer", "+5", ox.Literal("5", datatype=ox.NamedNode(XSD + "integer")), "+5"),
        ("boolean", "TRUE", ox.Literal("false", datatype=ox.NamedNode(XSD + "boolean")), "false"),
        ("integer", "5", ox.Literal("kept text"), "kept text"),  # a value the mapping kept as text
    ],
)
def test_from_rdf_keeps_the_old_spelling_when_it_means_the_same(
    rule: str, old: str, new_term: ox.Literal, expected: str
) -> None:
    assert RULES[rule]().from_rdf([new_term], {}, [old]) == [expected]


def test_detect_prefers_the_rule_of_the_orkg_datatype() -> None:
    ints, dts = ["1", "2", "30"], ["xsd:integer"] * 3
    scores = {name: cls.detect(ints, dts) for name, cls in RULES.items() if name != "concepts"}
    assert max(scores, key=lambda n: scores[n]) == "integer"
    assert RULES["integer"].detect(["1", "x"], ["xsd:string"] * 2) < RULES["string"].detect(["1", "x"], [])
    assert RULES["date"].detect(["2024-01-01"], ["xsd:date"]) == 1.0
    assert RULES["date"].detect(["2024-01-01"], ["xsd:string"]) == 0.8  # fits, but stored as text


@pytest.mark.parametrize(
    ("datatype", "rule"),
    [
        ("xsd:integer", "integer"),
        ("xsd:decimal", "decimal"),
        ("xsd:date", "date"),
        ("xsd:boolean", "boolean"),
        ("xsd:anyURI", "uri"),
        ("xsd:string", "string"),
        ("xsd:foo", "string"),
        (None, "string"),
    ],
)
def test_rule_for_datatype(datatype: str | None, rule: str) -> None:
    assert rule_for_datatype(datatype) == rule


def test_orkg_lexical_checks_what_the_backend_rejects() -> None:
    assert accepts("xsd:integer", "12") and not accepts("xsd:integer", "abc")
    assert not accepts("xsd:integer", "1B; 3B")  # the parameter rule's rendering does not fit an integer
    assert accepts("xsd:string", "anything") and accepts(None, "x")
    assert accepts("xsd:boolean", "true") and not accepts("xsd:boolean", "True")
    assert accepts("xsd:date", "2024-01-31") and not accepts("xsd:date", "2024.1")


def test_resource_rule_states_the_orkg_iri_and_its_label() -> None:
    r = RULES["resource"]()
    ref = r.parse_object({"id": "R12", "label": "Natural language processing", "_class": "resource"})
    assert ref == ResourceRef("R12", "Natural language processing")
    assert r.to_rdf(ref, P) == [(P, ox.NamedNode(ORKG_RESOURCE + "R12"))]
    ((s, _, o),) = r.about(ref)
    assert s.value == ORKG_RESOURCE + "R12" and o == ox.Literal("Natural language processing")
    assert r.object_id(ox.NamedNode(ORKG_RESOURCE + "R99")) == "R99"
    assert r.object_id(ox.Literal("new one")) is None
    assert r.existing_keys("whatever", "R12") == {ORKG_RESOURCE + "R12"}
