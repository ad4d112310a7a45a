"""Map the shipped R790020 snapshot and check the data contract on known rows."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from orkg_sync.mapping import DEFAULT_BASE, load_mapping, snapshot_to_rdf
from orkg_sync.resources import default_snapshot
from orkg_sync.snapshot import Snapshot

SLM = "https://w3id.org/orkg-sync/slm#"
OSYNC = "https://w3id.org/orkg-sync/ns#"
V = "https://w3id.org/orkg-sync/slm/vocab/"
XSD = "http://www.w3.org/2001/XMLSchema#"


@pytest.fixture(scope="module")
def result():  # type: ignore[no-untyped-def]
    return snapshot_to_rdf(Snapshot.load(default_snapshot()), load_mapping())


def objects(result, model: str, prop: str) -> set[str]:  # type: ignore[no-untyped-def]
    s = ox.NamedNode(DEFAULT_BASE + "model/" + model)
    p = ox.NamedNode(SLM + prop)
    return {q.object.value for q in result.quads if q.subject == s and q.predicate == p}


def test_38_models_with_unique_iris(result) -> None:  # type: ignore[no-untyped-def]
    assert len(result.models) == 38
    assert len({m.iri for m in result.models}) == 38
    labels = {m.label: m.iri for m in result.models}
    assert labels["BLOOM, BLOOMZ"] == DEFAULT_BASE + "model/bloom-bloomz"


def test_llama_3_2(result) -> None:  # type: ignore[no-untyped-def]
    assert objects(result, "llama-3-2", "attentionMechanism") == {V + "attention/gqa"}
    assert objects(result, "llama-3-2", "activationFunction") == {V + "activation/swiglu"}
    assert objects(result, "llama-3-2", "trainingTechnique") == {V + "technique/rmsnorm"}
    assert objects(result, "llama-3-2", "numberOfParameters") == {"1000000000", "3000000000"}
    assert objects(result, "llama-3-2", "releaseDate") == {"2024-09"}
    assert objects(result, "llama-3-2", "paradigm") == {V + "paradigm/pre-training"}


def test_odd_rows(result) -> None:  # type: ignore[no-untyped-def]
    by = {m.label: m.iri.rsplit("/", 1)[1] for m in result.models}
    cerebras = by["Cerebras-GPT"]
    assert objects(result, cerebras, "numberOfParameters") == set()  # a range gives only min/max
    assert objects(result, cerebras, "minNumberOfParameters") == {"111000000"}
    assert objects(result, cerebras, "maxNumberOfParameters") == {"13000000000"}
    assert "500000000" in objects(result, by["H2O-Danube3"], "numberOfParameters")
    assert objects(result, by["SmolLM"], "attentionMechanism") == {V + "attention/gqa", V + "attention/mha"}
    assert objects(result, by["MiniCPM"], "activationFunction") == set()  # UNK = missing
    dates = {m: objects(result, by[m], "releaseDate") for m in by}
    assert all(len(d) == 1 for d in dates.values())


def test_date_datatype_is_gyearmonth(result) -> None:  # type: ignore[no-untyped-def]
    p = ox.NamedNode(SLM + "releaseDate")
    dts = {q.object.datatype.value for q in result.quads if q.predicate == p}  # type: ignore[union-attr]
    assert dts == {XSD + "gYearMonth"}


def test_warnings_for_unk_and_unknown_text(result) -> None:  # type: ignore[no-untyped-def]
    got = {(w.model, w.property.rsplit("#")[1], w.value) for w in result.warnings}
    assert ("MiniCPM", "activationFunction", "UNK") in got
    assert ("MobileLLM", "trainingDataset", "Unknown (1T tokens)") in got
    # unknown text is never dropped: it is a note on the value record (no literal on an object property)
    by = {m.label: m.iri.rsplit("/", 1)[1] for m in result.models}
    assert not [o for o in objects(result, by["MobileLLM"], "trainingDataset") if "Unknown" in o]
    note = ox.NamedNode("http://www.w3.org/2004/02/skos/core#note")
    notes = {q.object.value for q in result.quads if q.predicate == note}
    assert notes == {"Unknown (1T tokens)"}


def test_value_records_and_provenance(result) -> None:  # type: ignore[no-untyped-def]
    rec = ox.NamedNode(DEFAULT_BASE + "record/S9000023")  # Llama 3.2 number of parameters
    props = {q.predicate.value: q.object.value for q in result.quads if q.subject == rec}
    assert props[OSYNC + "orkgLiteral"] == "1B; 3B"
    assert props[OSYNC + "orkgDatatype"] == "xsd:string"
    assert props[OSYNC + "orkgStatement"] == "S9000023"
    assert props[SLM + "confidence"] == "medium-high"
    assert props["http://www.w3.org/ns/prov#wasDerivedFrom"] == "http://orkg.org/orkg/resource/R9000005"
    ds = ox.NamedNode(DEFAULT_BASE)
    dprops = {q.predicate.value: q.object.value for q in result.quads if q.subject == ds}
    assert dprops["http://purl.org/dc/terms/source"] == "https://orkg.org/comparison/R790020"
    assert dprops["http://www.w3.org/ns/prov#wasDerivedFrom"] == "http://orkg.org/orkg/resource/R790020"


def test_deterministic_sorted_no_blank_nodes(result) -> None:  # type: ignore[no-untyped-def]
    again = snapshot_to_rdf(Snapshot.load(default_snapshot()), load_mapping())
    assert again.quads == result.quads
    assert len(set(result.quads)) == len(result.quads)
    assert all(q.graph_name == ox.DefaultGraph() for q in result.quads)
    assert not any(isinstance(t, ox.BlankNode) for q in result.quads for t in (q.subject, q.object))


def test_base_is_configurable() -> None:
    base = "http://example.org/x/"
    res = snapshot_to_rdf(Snapshot.load(default_snapshot()), load_mapping(), base=base)
    assert all(m.iri.startswith(base + "model/") for m in res.models)


def test_every_shipped_value_re_renders_to_its_own_label() -> None:
    """What a push relies on: an unchanged parsed value is written back exactly as ORKG holds it."""
    snap = Snapshot.load(default_snapshot())
    mapping = load_mapping()
    by_pid = mapping.predicate_ids(snap.predicates, str(snap.source["host"]))
    checked = 0
    for st in snap.statements.values():
        pm = by_pid.get(st["predicate_id"])
        if pm is None:
            continue
        obj = snap.thing(st["object_id"])
        assert obj is not None
        value = pm.parse(obj["label"])
        if value is None:
            continue
        label, datatype = pm.render(value, obj["label"])
        assert label == obj["label"]
        assert datatype == obj.get("datatype")
        checked += 1
    assert checked > 38 * 4
