"""Text outside the vocabulary leaves the object property (OWL 2 DL) but not the dataset: it is a skos:note on
the value record, and sync still sees it as the column's value (so a push re-renders the cell unchanged)."""

from __future__ import annotations

from orkg_sync.build import build_dataset
from orkg_sync.mapping import load_mapping
from orkg_sync.sync.values import dataset_state

SLM = "https://w3id.org/orkg-sync/slm#"


def test_unknown_text_is_a_note_and_still_the_synced_value() -> None:
    store = build_dataset().store
    model = "https://w3id.org/orkg-sync/r790020/model/mobilellm"
    on_model = {str(q.object) for q in store.quads_for_pattern(None, None, None) if q.subject.value == model}
    assert not any("Unknown (1T tokens)" in v for v in on_model)
    state = {m.iri: m for m in dataset_state(store, load_mapping()).values()}
    assert state[model].column(SLM + "trainingDataset") == frozenset({'"Unknown (1T tokens)"'})
