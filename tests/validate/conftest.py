"""Fixtures: the shipped snapshot with one ORKG cell edited the way a curator (or a bad import) would."""

from __future__ import annotations

import copy
from collections.abc import Callable

import pytest

from orkg_sync.mapping import load_mapping, snapshot_to_rdf
from orkg_sync.resources import default_snapshot
from orkg_sync.snapshot import Snapshot
from orkg_sync.store import DatasetStore

BASE = "https://w3id.org/orkg-sync/r790020/"
SLM = "https://w3id.org/orkg-sync/slm#"

_SHIPPED = Snapshot.load(default_snapshot())


def _contribution(snap: Snapshot, label: str) -> str:
    sources = set(snap.sources_of(str(snap.comparison["id"]))) | set(
        snap.sources_of(str(snap.comparison.get("head_id") or ""))
    )
    for rid in sources:
        if snap.resources[rid]["label"] == label:
            return rid
    raise KeyError(label)


def _predicate(snap: Snapshot, label: str) -> str:
    return next(pid for pid, p in snap.predicates.items() if p["label"] == label)


class Edit:
    """A copy of the shipped snapshot to change cell by cell, then map to a store."""

    def __init__(self) -> None:
        self.snap = copy.deepcopy(_SHIPPED)
        self._n = 0

    def set_cell(self, model: str, column: str, *texts: str) -> Edit:
        """Replace every value of (model, column) by literal(s) with these texts (ORKG plain strings)."""
        rid, pid = _contribution(self.snap, model), _predicate(self.snap, column)
        for sid in [
            s["id"]
            for s in self.snap.statements.values()
            if (s["subject_id"], s["predicate_id"]) == (rid, pid)
        ]:
            del self.snap.statements[sid]
        for text in texts:
            self._n += 1
            lid, sid = f"L99{self._n:05d}", f"S99{self._n:05d}"
            template = next(iter(self.snap.literals.values()))
            self.snap.literals[lid] = dict(template, id=lid, label=text, datatype="xsd:string")
            any_st = next(iter(self.snap.statements.values()))
            self.snap.statements[sid] = dict(any_st, id=sid, subject_id=rid, predicate_id=pid, object_id=lid)
        return self

    def rename(self, model: str, new_label: str) -> Edit:
        self.snap.resources[_contribution(self.snap, model)]["label"] = new_label
        return self

    def store(self) -> DatasetStore:
        from orkg_sync.mapping.vocab import vocabulary_quads

        st = DatasetStore()
        st.add_quads(snapshot_to_rdf(self.snap, load_mapping()).quads)
        st.add_quads(vocabulary_quads())
        return st


@pytest.fixture
def edit() -> Callable[[], Edit]:
    return Edit
