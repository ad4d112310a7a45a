"""The pull folder as sync workspace: base snapshot + sync base + the local dataset, and their refresh."""

from __future__ import annotations

import copy
import hashlib
import json
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from orkg_sync import export
from orkg_sync.client.api import OrkgApi
from orkg_sync.errors import InputError, InvalidDataError
from orkg_sync.mapping import DEFAULT_BASE, Mapping, snapshot_to_rdf
from orkg_sync.publish.release import write_release
from orkg_sync.pull.reader import _add_statements
from orkg_sync.pull.run import BASE, DATASET, REPORT, SNAPSHOT
from orkg_sync.pull.syncbase import SyncBase
from orkg_sync.snapshot import Snapshot
from orkg_sync.store import DatasetStore
from orkg_sync.sync.values import ModelState, dataset_state

PLAN_FILE, JOURNAL_FILE = "push.plan.json", "push.journal"


class Workspace:
    def __init__(self, folder: Path, mapping: Mapping, base_iri: str = DEFAULT_BASE) -> None:
        self.folder = folder
        self.mapping = mapping
        self.base_iri = base_iri
        if not (folder / SNAPSHOT).is_file():
            raise InputError(
                f"{folder}: no pulled comparison here (run `orkg-sync pull --out {folder}` first)"
            )
        self.snapshot = Snapshot.load(folder / SNAPSHOT)
        mapping.adopt(self.snapshot, base_iri)  # generic columns are columns of diff and push too
        self.base = SyncBase.load(folder / BASE)

    def base_state(self) -> dict[str, ModelState]:
        return dataset_state(
            snapshot_to_rdf(self.snapshot, self.mapping, base=self.base_iri).quads, self.mapping
        )

    def local_store(self, local: Path | None) -> DatasetStore:
        store = DatasetStore()
        store.load_file(local or self.folder / DATASET)
        return store

    def remote_snapshot(self, api: OrkgApi, touched: list[str]) -> Snapshot:
        """The base with the touched models' statements re-read from ORKG now (one request each)."""
        snap = copy.deepcopy(self.snapshot)
        fresh = api.fetch_many(lambda c: list(api.statements(subject=c)), touched)
        for contribution, statements in zip(touched, fresh, strict=True):
            for sid in [s for s, st in snap.statements.items() if st["subject_id"] == contribution]:
                del snap.statements[sid]
            _add_statements(snap, statements)
        return snap

    def write(self, snapshot: Snapshot) -> None:
        """Store the new base (after a push): snapshot, sync base, dataset; one atomic folder swap."""
        mapped = snapshot_to_rdf(snapshot, self.mapping, base=self.base_iri)
        store = DatasetStore()
        store.add_quads(mapped.quads)
        files = {
            SNAPSHOT: snapshot.dumps(),
            BASE: SyncBase.from_snapshot(snapshot, self.mapping).to_json().encode("utf-8"),
            DATASET: export.to_turtle(store, self.base_iri),
        }
        from orkg_sync.validate import validate

        files[REPORT] = validate(store).to_json().encode("utf-8")
        write_release(self.folder, files)
        self.snapshot = snapshot


def fingerprint(snap: Snapshot, touched: list[str]) -> str:
    """What the touched models look like on ORKG: a plan is only valid while this is unchanged."""
    rows = []
    for st in snap.statements.values():
        if st["subject_id"] in touched:
            obj = snap.thing(st["object_id"]) or {}
            rows.append([st["subject_id"], st["id"], st["predicate_id"], st["object_id"], obj.get("label")])
    for c in touched:
        rows.append([c, "label", (snap.resources.get(c) or {}).get("label")])
    return hashlib.sha256(json.dumps(sorted(rows, key=str)).encode()).hexdigest()


def check_local(store: DatasetStore) -> Any:
    """SHACL first: violations block every write (warnings do not)."""
    from orkg_sync.validate import validate

    report = validate(store)
    if report.violations:
        first = next(r for r in report.results if r.severity == "Violation")
        raise InvalidDataError(
            f"the local dataset has {report.violations} SHACL violation(s), nothing was pushed; first: "
            f"{report.labels.get(first.focus, first.focus)}: {first.message} (see `orkg-sync validate`)"
        )
    return report


def quads(store: DatasetStore) -> list[ox.Quad]:
    return list(store.store.quads_for_pattern(None, None, None, ox.DefaultGraph()))
