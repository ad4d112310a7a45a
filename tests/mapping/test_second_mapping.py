"""Another comparison maps with only another mapping file: a tiny hand-made snapshot and mapping."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from orkg_sync.errors import InputError
from orkg_sync.mapping import load_mapping, snapshot_to_rdf
from orkg_sync.snapshot import FORMAT, Snapshot

MAPPING = """
[mapping]
name = "tiny"
comparison = "R1"
model_types = ["slm:LanguageModel"]
vocabulary = ["vocab/attention.ttl"]

[[property]]
property = "slm:attentionMechanism"
orkg_label = "attention type"
value_kind = "resource"
rule = "concepts"
options = { scheme = "slmv:attention" }

[[property]]
property = "slm:releaseDate"
orkg_label = "released"
orkg_id = { "https://orkg.org" = "P7" }
value_kind = "literal"
datatype = "xsd:string"
rule = "year_month"
"""


def _thing(kind: str, tid: str, label: str, **extra: object) -> dict[str, object]:
    return {"_class": kind, "id": tid, "label": label, **extra}


def tiny_snapshot() -> Snapshot:
    doc = {
        "format": FORMAT,
        "source": {"host": "https://orkg.org", "comparison_id": "R1", "ids": "orkg"},
        "comparison": {"id": "R1"},
        "predicates": [_thing("predicate", "P5", "Attention Type"), _thing("predicate", "P7", "release")],
        "resources": [
            _thing("resource", "R1", "Tiny comparison", classes=["Comparison"]),
            _thing("resource", "R2", "Model A", classes=["Contribution"]),
            _thing("resource", "R3", "Model B", classes=["Contribution"]),
            _thing("resource", "R4", "multi-query attention", classes=[]),
        ],
        "literals": [_thing("literal", "L1", "2021-03", datatype="xsd:string")],
        "statements": [
            {"id": "S1", "subject_id": "R1", "predicate_id": "compareContribution", "object_id": "R2"},
            {"id": "S2", "subject_id": "R1", "predicate_id": "compareContribution", "object_id": "R3"},
            {"id": "S3", "subject_id": "R2", "predicate_id": "P5", "object_id": "R4"},
            {"id": "S4", "subject_id": "R2", "predicate_id": "P7", "object_id": "L1"},
        ],
    }
    return Snapshot.from_json(doc)


def test_tiny_comparison(tmp_path: Path) -> None:
    path = tmp_path / "tiny.toml"
    path.write_text(MAPPING)
    res = snapshot_to_rdf(tiny_snapshot(), load_mapping(path), base="http://example.org/t/")
    assert [m.label for m in res.models] == ["Model A", "Model B"]
    a = ox.NamedNode("http://example.org/t/model/model-a")
    got = {
        (q.predicate.value.rsplit("#")[1], q.object.value)
        for q in res.quads
        if q.subject == a and "orkg-sync/slm#" in q.predicate.value
    }
    assert ("attentionMechanism", "https://w3id.org/orkg-sync/slm/vocab/attention/mqa") in got
    assert ("releaseDate", "2021-03") in got  # resolved by the pinned id, not the (different) label
    src = {
        q.object.value
        for q in res.quads
        if q.subject == ox.NamedNode("http://example.org/t/")
        and q.predicate.value == "http://purl.org/dc/terms/source"
    }
    assert src == {"https://orkg.org/comparison/R1"}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (('rule = "concepts"', 'rule = "magic"'), "unknown rule 'magic'"),
        (('value_kind = "resource"', 'value_kind = "blob"'), "value_kind must be one of"),
        (('scheme = "slmv:attention"', 'scheme = "slmv:nothing"'), "has no concepts"),
        (('property = "slm:releaseDate"', 'property = "foo:bar"'), "unknown prefix"),
        (('datatype = "xsd:string"\n', ""), "needs a string 'datatype'"),
        (('orkg_label = "released"\n', ""), "missing key 'orkg_label'"),
        (("[mapping]", "[mapping"), "malformed TOML"),
    ],
)
def test_mapping_errors_are_one_clear_line(tmp_path: Path, change: tuple[str, str], message: str) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(MAPPING.replace(*change, 1))
    with pytest.raises(InputError) as err:
        load_mapping(path)
    assert message in str(err.value)
    assert str(path) in str(err.value)
    assert "\n" not in str(err.value)


def test_missing_mapping_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="mapping file not found"):
        load_mapping(tmp_path / "nope.toml")


def test_ambiguous_label_needs_a_pin(tmp_path: Path) -> None:
    path = tmp_path / "tiny.toml"
    path.write_text(MAPPING)
    snap = tiny_snapshot()
    snap.predicates["P9"] = _thing("predicate", "P9", "attention type")
    with pytest.raises(InputError, match="ambiguous"):
        snapshot_to_rdf(snap, load_mapping(path))
